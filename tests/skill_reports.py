"""Stored reports with a chosen record per skill, for the adaptive coach's tests (no audio)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from voice_coach.store import Store


def report(missed: Iterable[str] = (), duration_s: float = 60.0) -> dict[str, Any]:
    """A report whose answer did every skill except those in ``missed``."""
    missed = set(missed)

    def verdict(skill: str) -> str:
        return "work_on" if skill in missed else "strength"

    return {
        "schema": "voice-coach.report/1", "duration_s": duration_s, "question": None,
        "transcript": {"text": "", "words": [], "speech_regions": []},
        "signals": {
            "framing": {"present": "framing" not in missed, "verdict": verdict("framing"), "headline": "opening"},
            "clarifying_questions": {"count": 0 if "clarifying" in missed else 1, "verdict": verdict("clarifying"),
                                     "headline": "questions"},
            "tradeoffs": {"count": 0 if "tradeoffs" in missed else 2, "verdict": verdict("tradeoffs"),
                          "headline": "no tradeoff stated" if "tradeoffs" in missed else "2 tradeoffs stated"},
            "fillers": {"count": 9 if "fillers" in missed else 0, "verdict": verdict("fillers"), "headline": "f"},
            "ramble": {"verdict": verdict("concise"), "headline": "r"},
            "pauses": {"verdict": verdict("pauses"), "headline": "p"},
        },
        "summary": None, "meta": {},
    }


def seed_history(store: Store, missed_each: Iterable[Iterable[str]]) -> list[str]:
    """Save one analyze session per entry (oldest first), each missing the given skills."""
    ids = []
    for i, missed in enumerate(missed_each):
        ids.append(store.save_session(kind="analyze", report=report(missed), transcript=None, audio_path=None,
                                      question=None, model="tiny.en", settings={},
                                      created=f"2026-11-{10 + i:02d}T09:00:00+00:00"))
    return ids
