"""The report: the one JSON-ready object every renderer and tool reads.

Its fields follow the contract ``voice-coach.report/1`` (documented in
``docs/report-schema.json``); fields beyond the contract are added freely, never removed.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from voice_coach import __version__
from voice_coach.question import Question
from voice_coach.signals import BY_NAME
from voice_coach.signals.base import SignalResult
from voice_coach.transcript import Transcript

SCHEMA = "voice-coach.report/1"


def build_report(
    transcript: Transcript,
    results: dict[str, SignalResult],
    question: Question | None = None,
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Assemble the report object from a transcript and its signal results."""
    overall = results.get("overall")
    return {
        "schema": SCHEMA,
        "duration_s": transcript.duration,
        "question": question.to_dict() if question is not None else None,
        "transcript": {
            "text": transcript.text,
            "source": transcript.source,
            "words": [
                {"text": w.text, "start": w.start, "end": w.end, "probability": w.probability,
                 **({"recovered": True} if w.recovered else {})}
                for w in transcript.words
            ],
            "speech_regions": [{"start": r.start, "end": r.end} for r in transcript.speech_regions],
        },
        "signals": {name: r.to_dict() for name, r in results.items()},
        "summary": overall.advice if overall is not None else None,
        "meta": {
            "voice_coach": __version__,
            "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            **transcript.meta,
            **(meta or {}),
        },
    }


def signal_title(name: str) -> str:
    """Human title of a registered signal (its name if unregistered)."""
    sig = BY_NAME.get(name)
    return sig.title if sig else name.replace("_", " ").capitalize()


def fmt_time(t: float | None) -> str:
    """``73.4`` -> ``"1:13.4"``; ``None`` -> ``"-"``."""
    if t is None:
        return "-"
    m, s = divmod(max(0.0, t), 60)
    return f"{int(m)}:{s:04.1f}"


def goal_line(report: dict[str, Any]) -> tuple[str, str] | None:
    """``(status, text)`` for the report's drill goal (``meta.goal``), or ``None`` without one.

    ``status`` is ``"met"``, ``"missed"`` or ``"not judged"``; every renderer leads with it.
    """
    meta = report.get("meta") or {}
    goal = meta.get("goal")
    if not isinstance(goal, str) or not goal:
        return None
    met = meta.get("goal_met")
    status = "met" if met is True else "missed" if met is False else "not judged"
    why = meta.get("goal_why")
    return status, goal + (f" ({why})" if isinstance(why, str) and why else "")
