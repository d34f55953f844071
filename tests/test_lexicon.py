"""The shared lexicon concepts (voice_coach/lexicon.py) and their users."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.examples import Example, transcript_for
from tests.lexicon_rows import ROWS
from voice_coach import lexicon
from voice_coach.analysis import run_signals
from voice_coach.signals import clarifying_questions, ramble, signposting, tradeoffs


def test_recovery_does_not_load_the_signals() -> None:
    """Speech-recognition recovery needs filled pauses, not the signals package."""
    code = ("import sys, voice_coach.recovery, voice_coach.two_pass; "
            "assert voice_coach.recovery.is_filled('Umm,'); "
            "print(any(m.startswith('voice_coach.signals') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_signposts_are_one_lexicon() -> None:
    """Ramble cuts runs at exactly the signposts that signposting counts."""
    assert ramble.SIGNPOSTS is signposting.SIGNPOSTS is lexicon.SIGNPOSTS


def test_leading_words_step_over_every_filled_pause() -> None:
    """Every spelling of a filled pause is a leading word; "but" is one only where asked."""
    for word in ("um", "umm", "uh", "uhm", "er", "erm", "hmm", "hm", "mm", "ah", "eh", "and", "so"):
        for lex in (tradeoffs._CONTRAST_LEAD, lexicon.SIGNPOST_LEAD, clarifying_questions.LEAD):
            assert lex.fullmatch(word), (word, lex.pattern[:40])
    assert not tradeoffs._CONTRAST_LEAD.fullmatch("but")
    assert lexicon.SIGNPOST_LEAD.fullmatch("but")


def test_a_hit_knows_its_row() -> None:
    """A match names the row that produced it, and the report's evidence carries it."""
    m = lexicon.HEDGES.search("well i guess so")
    assert m is not None and lexicon.rule_of(m) == "shared.hedges.guess"
    m = tradeoffs.CONTRAST.search("it is fast but costly")
    assert m is not None and lexicon.rule_of(m) == "tradeoffs.contrast.conjunction"
    ex = Example("", "First, we clean the data. Second, we pick a metric. Finally, we train a model.", {}, True)
    found = run_signals(transcript_for(ex), None)["signposting"].to_dict()["evidence"]
    assert [e["rule"] for e in found] == ["shared.signposts.ordinal"] * 3


def test_row_ids_are_checked() -> None:
    """A row id names its lexicon; ids are unique; a row may not carry its own named group."""
    with pytest.raises(ValueError):
        lexicon.compile_lexicon("test.bad", [lexicon.Row("other.x", "a")])
    with pytest.raises(ValueError):
        lexicon.compile_lexicon("test.bad", [lexicon.Row("test.bad.x", "a"), lexicon.Row("test.bad.x", "b")])
    with pytest.raises(ValueError):
        lexicon.compile_lexicon("test.bad", [lexicon.Row("test.bad.x", "(?P<g>a)")])
    assert "test.bad" not in lexicon.LEXICONS


def _rows() -> list[lexicon.Row]:
    import voice_coach.analysis  # noqa: F401  (loads every signal, so every lexicon is built)

    return [r for rows in lexicon.LEXICONS.values() for r in rows]


def _examples(row: lexicon.Row) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return row.match + ROWS.get(row.id, ((), ()))[0], row.miss + ROWS.get(row.id, ((), ()))[1]


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r.id)
def test_every_row_on_its_own(row: lexicon.Row) -> None:
    """Each row alone finds its examples and none of its near-misses."""
    match, miss = _examples(row)
    assert match and miss, f"{row.id} needs an example and a near-miss (tests/lexicon_rows.py)"
    alone = lexicon.row_regex(row)
    for text in match:
        assert alone.search(text), f"{row.id} misses its example {text!r}"
    for text in miss:
        assert not alone.search(text), f"{row.id} matches its near-miss {text!r}"


def test_examples_name_real_rows() -> None:
    """No example is kept for a row that no longer exists."""
    ids = {r.id for r in _rows()}
    assert set(ROWS) <= ids, sorted(set(ROWS) - ids)
