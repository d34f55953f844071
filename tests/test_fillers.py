"""Fillers: rates, items and robustness (the examples table covers the word rules)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.examples import timed_transcript
from voice_coach.analysis import run_signals
from voice_coach.lexicon import is_filled_pause
from voice_coach.transcript import Word, transcript_from_text


def test_whisper_spellings_are_filled_pauses_and_words_are_not() -> None:
    for w in ["Um,", "Umm...", "uhh", "Hmm?", "er", "Erm,", "ah", "Mmm", "Uhm", "hm"]:
        assert is_filled_pause(w), w
    # Backchannels answer another speaker; they are not the candidate stalling.
    for w in ["umbrella", "a", "her", "hum", "I", "summer", "m", "the", "okay",
              "Uh-huh.", "Mm-hmm", "mm-hmm,", "uh-uh"]:
        assert not is_filled_pause(w), w


def test_rates_per_minute_and_per_100_words() -> None:
    t = timed_transcript("Um, we start with the data. Uh, then we pick a simple model. "
                         "Then we ship it and watch it closely.")
    v = run_signals(t)["fillers"].values
    n_words = len(t.words)
    minutes = (t.speech_regions[-1].end - t.speech_regions[0].start) / 60
    assert v["count"] == 2 and v["filled_pauses"] == 2
    assert v["per_100_words"] == round(200 / n_words, 2)
    assert v["per_minute"] == round(2 / minutes, 2)
    assert v["top"][0]["count"] == 1


def test_text_input_has_per_100_words_but_no_per_minute() -> None:
    v = run_signals(transcript_from_text("Basically, um, it works."))["fillers"].values
    assert v["count"] == 2 and v["per_minute"] is None and v["per_100_words"] == 50.0
    assert all(i["start"] is None for i in v["items"])


def test_recovered_fillers_are_marked() -> None:
    t = timed_transcript("We ship it.")
    t = t.with_words([Word("Umm.", 0.1, 0.4, 0.5, True), *t.words])
    v = run_signals(t)["fillers"].values
    assert v["recovered"] == 1 and v["items"][0].get("recovered") is True


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["um", "like", "you", "know", "I", "mean", "kind", "of", "a",
                                 "so", "right?", ",", "the", "model.", "like,", "Basically"]),
                max_size=30))
def test_no_text_crashes_and_items_are_consistent(tokens: list[str]) -> None:
    t = transcript_from_text(" ".join(tokens))
    v = run_signals(t)["fillers"].values
    assert v["count"] == len(v["items"]) == v["filled_pauses"] + v["discourse"]
    assert all(i["kind"] in ("filled_pause", "discourse") for i in v["items"])
    idx = [i["word"] for i in v["items"]]
    assert idx == sorted(idx) and len(set(idx)) == len(idx)


def test_a_token_whisper_repeats_at_one_instant_is_one_filler() -> None:
    words = [Word("Montreal,", 0.9, 1.3), Word("uh,", 4.80, 4.80), Word("uh,", 4.80, 4.82),
             Word("uh,", 5.44, 5.50), Word("uh,", 5.50, 5.52), Word("forced", 5.7, 6.0)]
    t = timed_transcript("x").with_words(words)
    items = run_signals(t)["fillers"].values["items"]
    assert [(i["start"], i["end"]) for i in items] == [(4.8, 4.82), (5.44, 5.52)]
    # Text input has no times: every written "uh" counts.
    assert run_signals(transcript_from_text("uh, uh, uh."))["fillers"].values["count"] == 3


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=6), max_size=12))
def test_arbitrary_words_never_crash(texts: list[str]) -> None:
    words = [Word(t.strip() or "x") for t in texts] + [Word("so"), Word("um"), Word("like")]
    v = run_signals(transcript_from_text("x").with_words(words))["fillers"].values
    assert v["count"] == len(v["items"])
