"""The one path from an input to a report, shared by analyze, practice and batch runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voice_coach.analysis import run_signals
from voice_coach.asr import AsrOptions, Transcriber
from voice_coach.pipeline import PipelineOptions, ProgressFn, load_transcript
from voice_coach.question import Question
from voice_coach.report.model import build_report
from voice_coach.transcript import Transcript


@dataclass
class Settings:
    """Everything that decides a report besides its input: model, decoding, thresholds.

    Attributes:
        model: ``--model`` (``None``: ``VOICE_COACH_MODEL`` or the bundled default).
        asr: decoding settings.
        pipeline: audio windowing and VAD settings.
        configs: per-signal config instances (``None``: defaults and the user's config.toml).
    """

    model: str | None = None
    asr: AsrOptions = field(default_factory=AsrOptions)
    pipeline: PipelineOptions = field(default_factory=PipelineOptions)
    configs: dict[str, Any] | None = None

    def transcriber_factory(self) -> Callable[[], Transcriber]:
        """A factory for the recogniser: built on first call, then shared process-wide."""
        from voice_coach.model_cache import shared_transcriber

        return lambda: shared_transcriber(self.model, self.asr)

    def describe(self) -> dict[str, Any]:
        """The settings as recorded in a report's ``meta``."""
        return {"asr": {"beam_size": self.asr.beam_size, "compute_type": self.asr.compute_type,
                        "filler_prompt": bool(self.asr.initial_prompt),
                        "temperature": self.asr.temperature,
                        # a plain pass for the words, a prompted one for fillers (two_pass)
                        "passes": 2 if self.asr.initial_prompt else 1}}


def report_for_transcript(
    transcript: Transcript, question: Question | None = None, settings: Settings | None = None
) -> dict[str, Any]:
    """Run the signals on a transcript and build its report (with its input ``warnings``)."""
    from voice_coach.checks import warnings_for_report
    from voice_coach.language import analyse

    settings = settings or Settings()
    language = analyse(transcript)
    results = run_signals(transcript, question, settings.configs, language=language)
    report = build_report(transcript, results, question, {"settings": settings.describe()})
    report["warnings"] = warnings_for_report(transcript, language=language)
    return report


def analyze_path(
    path: Path,
    question: Question | None = None,
    settings: Settings | None = None,
    transcriber_factory: Callable[[], Transcriber] | None = None,
    progress: ProgressFn | None = None,
) -> tuple[Transcript, dict[str, Any]]:
    """Transcribe (if audio) and analyse one file; returns the transcript and its report."""
    settings = settings or Settings()
    factory = transcriber_factory or settings.transcriber_factory()

    def factory_warming_up() -> Transcriber:
        # Called once the input is known to be readable audio: start the slow loads (model,
        # spaCy) in the background now; they overlap decoding and the VAD.
        from voice_coach.background import warm_up

        transcriber = factory()
        warm_up(transcriber)
        return transcriber

    transcript = load_transcript(path, factory_warming_up, settings.pipeline, progress)
    return transcript, report_for_transcript(transcript, question, settings)
