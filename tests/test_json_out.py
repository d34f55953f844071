"""The JSON view used to compare runs: ids and dates aside, equal input gives equal text."""

from __future__ import annotations

from voice_coach.report.json_out import comparable_json


def test_runs_differing_only_in_ids_and_dates_compare_equal() -> None:
    a = {"meta": {"id": "a1", "created": "2026-12-01T10:00:00+00:00", "model": "tiny"},
         "signals": {"fillers": {"count": 2}}, "warnings": [{"code": "x", "session_id": "s1"}]}
    b = {"meta": {"id": "b2", "created": "2026-12-02T11:00:00+00:00", "model": "tiny"},
         "signals": {"fillers": {"count": 2}}, "warnings": [{"code": "x", "session_id": "s2"}]}
    assert comparable_json(a) == comparable_json(b)


def test_a_changed_figure_or_word_is_a_difference() -> None:
    a = {"signals": {"fillers": {"count": 2}}, "transcript": {"words": [{"text": "um", "start": 0.5}]}}
    b = {"signals": {"fillers": {"count": 3}}, "transcript": {"words": [{"text": "um", "start": 0.5}]}}
    c = {"signals": {"fillers": {"count": 2}}, "transcript": {"words": [{"text": "um", "start": 0.6}]}}
    assert len({comparable_json(x) for x in (a, b, c)}) == 3
