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


def _unit_starting(lang_text: str, prefix: str) -> bool:
    lang = analyse(transcript_from_text(lang_text))
    return any(u.text.startswith(prefix) for u in lang.units)


def test_a_question_without_its_mark_is_a_unit_of_its_own() -> None:
    """Unpunctuated speech marks a question by word order: an auxiliary before its subject,
    with the wh-phrase and lead words before it; the other half of an alternative stays."""
    text = ("it depends a lot on the traffic roughly how many requests are we expecting a day "
            "about a million okay then i'd put a queue in front")
    lang = analyse(transcript_from_text(text))
    start = text.split().index("roughly")
    assert start in lang.question_starts
    assert any(u.first == start for u in lang.units)
    alt = "it depends on the billing is it a subscription or do people buy single items one off okay"
    lang = analyse(transcript_from_text(alt))
    assert alt.split().index("is") in lang.question_starts
    assert not any(u.text.startswith("or do people") for u in lang.units)


def test_a_statement_is_not_a_question_start() -> None:
    lang = analyse(transcript_from_text("the thing with alerting is false alarms are costly so we page rarely"))
    assert not lang.question_starts
    lang = analyse(transcript_from_text("it depends on how much data you have and what we know already"))
    assert not lang.question_starts
    lang = analyse(transcript_from_text("here's the thing the data is noisy so we need more labels"))
    assert not lang.question_starts
    for text in ("Should the cache fail, the database takes the load.",
                 "Had we known the traffic, we'd have sized it better.",
                 "The cache is fast. So is the queue, and the data flows through it."):
        assert not analyse(transcript_from_text(text)).question_starts, text
    assert analyse(transcript_from_text("so is this for mobile or web")).question_starts == {0}


def test_an_acknowledgement_starts_a_unit_but_not_inside_its_clause() -> None:
    assert _unit_starting("do we have labels for the events a few thousand okay then i'd train a ranker",
                          "okay")
    assert not _unit_starting("what if a job runs twice is that okay or is that a disaster", "okay")
