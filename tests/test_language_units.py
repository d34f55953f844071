"""Language.units: sentence-sized units recovered from text with few or no full stops."""

from __future__ import annotations

import pytest

from tests.examples import timed_transcript
from voice_coach.language import SPARSE_WORDS_PER_MARK, analyse
from voice_coach.transcript import transcript_from_text

CALM = ("i'd split it into ingestion and serving ingestion takes events from the apps and writes "
        "them to a log so replays are cheap serving reads a compacted copy the log costs storage "
        "but it lets us rebuild any view then for serving i'd cache the hot keys okay that's the "
        "shape of it")


@pytest.fixture(autouse=True)
def rule_units(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests pin the hand-written units, the fallback when the learned restorer
    (voice_coach/boundaries.py, tested in test_boundaries.py) is off or has no weights."""
    monkeypatch.setenv("VOICE_COACH_BOUNDARIES", "off")


FIRST_PART = ["three", "parts", "the", "event", "log", "the", "compacted", "store", "and", "the",
              "cache", "in", "front", "of", "both"]


def test_punctuated_text_keeps_its_sentences() -> None:
    lang = analyse(transcript_from_text("I'd start with the data. Then a baseline. Finally a test."))
    assert not lang.sparse
    assert lang.units is lang.sentences


def test_long_punctuated_sentence_is_not_sparse() -> None:
    """A 70-word run-on with its full stop is punctuated: the run-on is the speaker's."""
    words = ("and the model learns " * 17).split()
    lang = analyse(transcript_from_text(" ".join(["So", *words, "it"]) + "."))
    assert len(lang.words) == 70
    assert not lang.sparse
    assert lang.units is lang.sentences


def test_no_marks_or_far_too_few_is_sparse() -> None:
    assert analyse(transcript_from_text("so we retry it and then we log it")).sparse
    text = " ".join(["word"] * (SPARSE_WORDS_PER_MARK + 1)) + "."
    assert analyse(transcript_from_text(text)).sparse


def test_unpunctuated_text_splits_at_clause_starts() -> None:
    lang = analyse(transcript_from_text(CALM))
    assert lang.sparse
    assert len(lang.units) >= 3
    # Units tile the words, and only the first starts at a written break.
    assert lang.units[0].first == 0 and lang.units[-1].last == len(lang.words)
    assert all(a.last == b.first for a, b in zip(lang.units, lang.units[1:], strict=False))
    assert [u.marked for u in lang.units] == [True] + [False] * (len(lang.units) - 1)
    assert any(u.text.startswith("but it lets us") for u in lang.units)
    assert any(u.text.startswith("okay that's") for u in lang.units)


def test_pauses_split_timed_unpunctuated_speech() -> None:
    text = " ".join(FIRST_PART) + " [pause 0.6] the log with a week of raw events in order for replays"
    with_pause = analyse(timed_transcript(text))
    without = analyse(timed_transcript(text.replace("[pause 0.6] ", "")))
    starts = {u.first for u in with_pause.units}
    second = len(FIRST_PART)
    assert second in starts
    assert second not in {u.first for u in without.units}
