"""Run every row of the examples table, and check the table covers every signal."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pytest

from tests.examples import EXAMPLES, Example, matches, transcript_for
from voice_coach.analysis import run_signals
from voice_coach.question import Question
from voice_coach.signals import SIGNALS


def _id(ex: Example) -> str:
    return f"{ex.signal}-{'flag' if ex.flag else 'pass'}-{ex.text[:40]}"


@lru_cache(maxsize=64)
def _report_signals(text: str, timed: bool, question: tuple[tuple[str, Any], ...]) -> dict[str, dict[str, Any]]:
    """All signal objects for one text; whole-answer rows share a text across four signals."""
    ex = Example("", text, {}, False, timed=timed)
    q = Question(**{"id": None, "text": None, **dict(question)}) if question else None
    return {name: r.to_dict() for name, r in run_signals(transcript_for(ex), q).items()}


@pytest.mark.parametrize("ex", EXAMPLES, ids=[_id(e) for e in EXAMPLES])
def test_example(ex: Example) -> None:
    """The signal's report object has the expected values for this snippet."""
    result = _report_signals(ex.text, ex.timed, tuple(sorted(ex.question.items())))[ex.signal]
    for key, expected in ex.expect.items():
        assert key in result, f"{ex.signal} has no '{key}' ({ex.why})"
        assert matches(expected, result[key]), f"{ex.signal}.{key} = {result[key]!r} ({ex.why})"


@pytest.mark.parametrize("signal", [s.name for s in SIGNALS])
def test_every_signal_has_flag_and_pass_examples(signal: str) -> None:
    """Meta-test: each registered signal has at least one flag row and one pass row."""
    rows = [e for e in EXAMPLES if e.signal == signal]
    assert any(e.flag for e in rows), f"{signal} has no 'should flag' example"
    assert any(not e.flag for e in rows), f"{signal} has no 'should pass' example"
