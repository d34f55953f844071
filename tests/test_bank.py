"""The question banks: the shipped ones are complete and sane; broken banks fail clearly."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from voice_coach import bank
from voice_coach.cli import main
from voice_coach.errors import UsageError
from voice_coach.signals import BY_NAME

GOOD = """
[[question]]
id = "my-q-1"
text = "How would you explain gradient boosting to a new teammate?"
category = "core_concepts"
difficulty = "easy"
target_s = 90
focus = ["framing"]
"""


def test_shipped_banks_are_complete_and_valid() -> None:
    questions = bank.load_banks()
    assert len(questions) >= 80
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    texts = [q.text for q in questions]
    assert len(texts) == len(set(texts)), "two questions share the same text"
    per_category = Counter(q.category for q in questions)
    assert set(per_category) == set(bank.CATEGORIES)
    assert min(per_category.values()) >= 8, per_category
    for q in questions:
        for field in ("id", "text", "category", "difficulty", "target_s"):
            assert getattr(q, field), f"{q.id}: {field} empty"
        assert q.difficulty in bank.DIFFICULTIES
        assert q.focus and all(f in BY_NAME and f != "overall" for f in q.focus), q.id
        assert 30 <= (q.target_s or 0) <= 600, q.id
        assert (q.text or "").rstrip().endswith(("?", ".")), q.id
    # Open design questions need clarifying questions; the bank must say so.
    design = [q for q in questions if q.category == "system_design"]
    assert all("clarifying_questions" in q.focus for q in design)
    # Design answers take longer than definitions.
    mean = {c: sum(q.target_s or 0 for q in questions if q.category == c) / per_category[c] for c in per_category}
    assert mean["system_design"] > mean["core_concepts"]


def test_every_difficulty_is_used() -> None:
    assert {q.difficulty for q in bank.load_banks()} == set(bank.DIFFICULTIES)


def test_find_question_and_unknown_id() -> None:
    q = bank.find_question("sys-search-ranking")
    assert q.category == "system_design" and q.source and q.source.endswith("system_design.toml")
    with pytest.raises(UsageError, match="did you mean sys-search-ranking"):
        bank.find_question("sys-search-rankin")
    with pytest.raises(UsageError, match="unknown question id"):
        bank.find_question("zzzz")


def test_extra_bank_and_user_config_dir(tmp_path: Path, isolated_home: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(GOOD)
    assert bank.find_question("my-q-1", extra=[extra]).difficulty == "easy"
    with pytest.raises(UsageError):
        bank.find_question("my-q-1")
    user_dir = isolated_home / "config" / "banks"
    user_dir.mkdir(parents=True)
    (user_dir / "team.toml").write_text(GOOD.replace("my-q-1", "team-q-1"))
    assert bank.find_question("team-q-1").source == str(user_dir / "team.toml")


@pytest.mark.parametrize(
    ("change", "line", "field"),
    [
        (("difficulty = \"easy\"", "difficulty = \"trivial\""), 6, "difficulty"),
        (("target_s = 90", "target_s = 5"), 7, "target_s"),
        (("target_s = 90", "target_s = \"90\""), 7, "target_s"),
        (("focus = [\"framing\"]", "focus = [\"charisma\"]"), 8, "focus"),
        (("id = \"my-q-1\"", "id = \"My Q\""), 3, "id"),
        (("focus = [\"framing\"]", "focus = [\"framing\"]\ncolour = \"red\""), 9, "colour"),
    ],
)
def test_bank_errors_name_file_line_and_field(tmp_path: Path, change: tuple[str, str], line: int, field: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace(*change))
    with pytest.raises(UsageError) as info:
        bank.parse_bank(path)
    assert f"{path}:{line}:" in str(info.value)
    assert f"'{field}'" in str(info.value)


def test_missing_field_and_bad_toml(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(GOOD + GOOD.replace("my-q-1", "my-q-2").replace("category = \"core_concepts\"\n", ""))
    with pytest.raises(UsageError, match=r"bad.toml:10: question field 'category' is missing"):
        bank.parse_bank(path)
    path.write_text("[[question]]\nid = \n")
    with pytest.raises(UsageError, match=r"invalid TOML.*line 2"):
        bank.parse_bank(path)
    path.write_text("title = 'no questions'\n")
    with pytest.raises(UsageError, match="unknown top-level"):
        bank.parse_bank(path)


def test_duplicate_id_across_banks_names_both(tmp_path: Path) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(GOOD)
    b.write_text(GOOD)
    with pytest.raises(UsageError, match=r"b.toml:2: .*'my-q-1' is already defined at .*a.toml:2"):
        bank.load_banks([a, b])
    dup_builtin = GOOD.replace("my-q-1", "sys-search-ranking")
    a.write_text(dup_builtin)
    with pytest.raises(UsageError, match=r"system_design\.toml"):
        bank.load_banks([a])


def test_questions_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["questions", "--category", "math", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["category"] == "math" for r in rows)
    assert {"id", "text", "difficulty", "target_s", "focus"} <= set(rows[0])
    assert main(["questions", "--difficulty", "hard", "--format", "ids"]) == 0
    hard = capsys.readouterr().out.split()
    assert hard and all(bank.find_question(i).difficulty == "hard" for i in hard)
    extra = tmp_path / "x.toml"
    extra.write_text(GOOD)
    assert main(["questions", "--bank", str(extra), "--search", "gradient boosting", "--format", "ids"]) == 0
    assert capsys.readouterr().out.split() == ["my-q-1"]
    assert main(["questions", "--category", "astrology"]) == 2
    assert "unknown category" in capsys.readouterr().err
