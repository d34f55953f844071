"""``voice-coach sessions`` in narrow and wide terminals: columns drop, the question stays readable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from voice_coach.cli import main
from voice_coach.commands.sessions import COLUMNS, QUESTION_MIN, layout
from voice_coach.question import Question
from voice_coach.store import Store

LONG_Q = "How would you design a ranking system for search results at web scale, given click logs?"
REPORT = {"duration_s": 62.5, "signals": {
    "fillers": {"count": 9, "per_100_words": 12.0, "verdict": "work_on"},
    "pace": {"wpm": 210, "verdict": "work_on"}}}


@pytest.fixture
def stored(isolated_home: Path) -> list[str]:
    with Store.open() as s:
        return [
            s.save_session(kind="practice", report=REPORT, transcript=None, audio_path=None, model=None,
                           settings=None, question=Question("rank-01", LONG_Q, "ranking")),
            s.save_session(kind="analyze", report={"duration_s": 5.0, "signals": {}}, transcript=None,
                           audio_path=None, model=None, settings=None,
                           question=Question("ml-02", "Explain bias versus variance", "ml")),
        ]


def _table(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(width))
    capsys.readouterr()
    assert main(["sessions"]) == 0
    return capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(("width", "headers"), [
    (120, ["id", "date", "kind", "question", "length", "work on"]),
    (80, ["id", "question", "length", "work on"]),
    (60, ["id", "question"]),
])
def test_columns_fit_the_terminal_and_the_question_stays_readable(
        stored: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        width: int, headers: list[str]) -> None:
    lines = _table(capsys, monkeypatch, width)
    assert all(len(line) <= width for line in lines), [len(line) for line in lines]
    assert re.split(r"\s{2,}", lines[0].strip()) == headers
    for sid in stored:  # whole, on one line, so it can be copied
        assert any(line.startswith(sid) for line in lines)
    # The question wraps at word boundaries, at least QUESTION_MIN characters a line.
    first = next(i for i, line in enumerate(lines) if line.startswith(stored[0]))
    q_col = lines[0].index("question")
    q_lines = [line[q_col:].split("   ")[0].strip() for line in lines[first:first + 4]]
    assert q_lines[0].startswith("How would you design a")
    assert " ".join(x for x in q_lines if x).startswith(" ".join(LONG_Q.split()[:8]))
    assert any("Explain bias versus variance" in line for line in lines)
    if "work on" in headers:
        assert "fillers" in "\n".join(lines)


def test_layout_drops_least_important_first_and_never_squeezes_the_id() -> None:
    row = {"id": "20261122-064501-3fa2c1-imported-copy", "date": "2026-11-22 06:45", "kind": "practice",
           "question": "x" * 48, "length": "1:02.5", "work on": "fillers, pauses, framing"}
    order = [c.name for c in COLUMNS]
    wide = layout([row], 200)
    assert list(wide) == order and wide["question"] == 48 and wide["work on"] == len(row["work on"])
    dropped = []
    for width in range(200, 30, -1):
        shown = layout([row], width)
        assert list(shown) == [n for n in order if n in shown]  # display order kept
        assert shown["id"] == len(row["id"])
        assert "question" in shown and shown["question"] >= min(QUESTION_MIN, max(8, width - len(row["id"]) - 3))
        dropped += [n for n in order if n not in shown and n not in dropped]
    assert dropped == ["kind", "date", "length", "work on"]
    # Widths are terminal cells: a question in Japanese needs twice its length.
    assert layout([{**row, "question": "検索結果のランキング"}], 200)["question"] == 20
