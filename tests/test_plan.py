"""``voice-coach plan``: due skills from the schedule, why, and the trend (no audio)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.skill_reports import seed_history
from voice_coach.cli import main
from voice_coach.store import Store


def test_plan_shows_due_skills_why_and_the_trend(capsys: pytest.CaptureFixture[str]) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    with Store.open() as store:
        ids = seed_history(store, [{"tradeoffs"}] * 3 + [{"tradeoffs", "fillers"}] * 2)
        store.review_skill("framing", True, ids[0], now=now)  # met: due again in 1 day
        store.review_skill("tradeoffs", False, ids[1], now=now)  # missed: due now
    assert main(["plan", "--format", "json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    by = {r["skill"]: r for r in plan["skills"]}
    assert plan["next"]["skill"] == "tradeoffs" and "missed in 5 of the last 5" in plan["next"]["why"]
    assert by["framing"]["due"] is False and by["framing"]["interval_d"] == 1.0 and by["framing"]["goals"] == [True]
    assert by["tradeoffs"]["due"] is True and by["tradeoffs"]["goals"] == [False] and by["tradeoffs"]["lapses"] == 1
    assert by["fillers"]["recent"] == [True, True, True, False, False] and by["fillers"]["due_at"] is None
    assert [r["skill"] for r in plan["skills"] if r["due"]] == ["clarifying", "tradeoffs", "fillers", "concise",
                                                                 "pauses"]
    assert main(["plan"]) == 0
    shown = capsys.readouterr().out
    assert "Next drill" in shown and "tradeoffs" in shown and "in 1.0 d" in shown and "✘✘✘✘✘" in shown


def test_plan_on_an_empty_store_starts_with_framing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--format", "json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["next"] == {"skill": "framing", "why": "no history yet: starting with framing"}
    assert all(r["due"] and r["recent"] == [] for r in plan["skills"])
