"""The analysis core: a transcript in, signal results out. No audio, no model, no I/O."""

from __future__ import annotations

from typing import Any

from voice_coach.language import Language, analyse
from voice_coach.question import Question
from voice_coach.signals import SIGNALS
from voice_coach.signals.base import Context, SignalResult
from voice_coach.transcript import Transcript


def run_signals(
    transcript: Transcript,
    question: Question | None = None,
    configs: dict[str, Any] | None = None,
    language: Language | None = None,
) -> dict[str, SignalResult]:
    """Run every registered signal in order; later signals see earlier results."""
    configs = configs or {}
    lang = language or analyse(transcript)
    results: dict[str, SignalResult] = {}
    for sig in SIGNALS:
        ctx = Context(language=lang, question=question, results=dict(results))
        cfg = configs.get(sig.name) or sig.config_type()
        results[sig.name] = sig.compute(transcript, cfg, ctx)
    return results
