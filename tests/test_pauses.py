"""Pauses and pace on synthetic timed transcripts: exact values and robustness."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.examples import timed_transcript
from voice_coach.analysis import run_signals
from voice_coach.language import analyse
from voice_coach.signals import pace, pauses
from voice_coach.signals.base import Context
from voice_coach.transcript import SpeechRegion, Transcript, Word


def test_pauses_come_from_vad_regions_not_word_gaps() -> None:
    # Whisper stretched "data." across most of the silence: the word gap is tiny, but the
    # VAD says the speaker was silent from 2.0 to 5.0 s.
    words = (Word("Start", 0.5, 1.0), Word("with", 1.0, 1.4), Word("data.", 1.4, 4.8),
             Word("Then", 4.85, 5.3), Word("labels.", 5.3, 6.0))
    t = Transcript(words, (), 6.5, (SpeechRegion(0.5, 2.0), SpeechRegion(5.0, 6.0)), "audio")
    result = run_signals(t)["pauses"].values
    assert [(p["start"], p["end"]) for p in result["long"]] == [(2.0, 5.0)]
    assert result["long"][0]["kind"] == "deliberate"
    assert result["time_to_first_word_s"] == 0.5
    assert result["silence_share"] == round(1 - 2.5 / 5.5, 3)


def test_threshold_is_configurable() -> None:
    t = timed_transcript("We would [pause 1.5] ship it.")
    strict = pauses.compute(t, pauses.Config(long_pause_s=1.0), _ctx(t))
    default = pauses.compute(t, pauses.Config(), _ctx(t))
    assert len(strict.values["long"]) == 1 and strict.values["threshold_s"] == 1.0
    assert default.values["long"] == []


def test_lead_in_counts_as_a_pause_but_the_tail_does_not() -> None:
    t = timed_transcript("[pause 3] Okay, the data first.", lead_s=0.0, tail_s=4.0)
    long = run_signals(t)["pauses"].values["long"]
    assert [p["kind"] for p in long] == ["lead-in"] and long[0]["start"] == 0.0


def test_pace_windows_cover_the_answer_and_flag_a_slow_stretch() -> None:
    fast_part = " ".join(["word"] * 80)
    slow_part = " [pause 1.6] ".join(["slow."] * 14)
    t = timed_transcript(f"{fast_part} {slow_part}")
    values = pace.compute(t, pace.Config(), _ctx(t)).values
    wins = values["windows"]
    assert wins[0]["start"] == 0.5 and abs(wins[-1]["end"] - t.speech_regions[-1].end) < 1e-6
    assert sum(w["words"] for w in wins) == len(t.words)
    assert wins[0]["label"] == "ok" and wins[-1]["label"] == "slow"


def _ctx(t: Transcript) -> Context:
    return Context(language=analyse(t))


_TOKENS = st.sampled_from(["um,", "the", "model.", "like", "[pause 2.5]", "[pause 0.4]",
                           "uh", "so", "data?", "[pause 6]", "you", "know,"])


@settings(max_examples=60, deadline=None)
@given(st.lists(_TOKENS, max_size=40), st.floats(0.0, 3.0), st.floats(0.0, 3.0))
def test_no_transcript_crashes_and_evidence_lies_within_the_audio(
    tokens: list[str], lead: float, tail: float
) -> None:
    t = timed_transcript(" ".join(tokens), lead_s=lead, tail_s=tail)
    results = run_signals(t)
    assert t.duration is not None
    for name in ("fillers", "pauses", "pace"):
        r = results[name]
        for ev in r.evidence:
            if ev.start is not None:
                assert 0.0 <= ev.start <= (ev.end or 0.0) <= t.duration + 1e-6, (name, ev)
    for p in results["pauses"].values["long"]:
        assert p["end"] - p["start"] >= 2.0 and 0.0 <= p["start"] < p["end"] <= t.duration
    wpm = results["pace"].values["wpm"]
    assert wpm is None or wpm > 0
