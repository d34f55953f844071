"""Coverage: no speech is silently dropped; prompted fillers merge into the plain words.

A fake recogniser reproduces the failure measured on real audio: primed with the filler
prompt it skips the rest of a window after a few seconds (and times a word late), while
without the prompt it hears everything. The real pipeline, guard included, must keep every
word, and speech no pass can make out must be reported as ``dropped_speech``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from voice_coach.checks import DROPPED_SPEECH, check_transcript
from voice_coach.coverage import CoverageOptions, fill_uncovered, uncovered
from voice_coach.pipeline import transcribe_blocks
from voice_coach.transcript import Segment, SpeechRegion, Transcript, Word
from voice_coach.two_pass import merge_prompted

SR = 16_000


def tone(seconds: float, freq: float = 220.0) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    # A voiced, speech-like signal: a fundamental with harmonics, amplitude-modulated.
    sig = sum(np.sin(2 * np.pi * freq * k * t) / k for k in range(1, 6))
    return (0.2 * sig * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t))).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SR), dtype=np.float32)


@dataclass
class Options:
    initial_prompt: str | None = "Um, uh, hmm."


@dataclass
class SkippingWhisper:
    """Scripted words; primed with a prompt it stops hearing after ``skip_after`` s of a call.

    ``fillers`` are only written when primed (as Whisper drops them unprimed).
    ``deaf`` stretches are heard by no pass at all.
    """

    words: list[tuple[str, float, float]]
    fillers: list[tuple[str, float, float]] = field(default_factory=list)
    skip_after: float = 3.0
    deaf: list[tuple[float, float]] = field(default_factory=list)
    name: str = "skipping-fake"
    options: Options = field(default_factory=Options)
    calls: list[tuple[float, float, str | None]] = field(default_factory=list)

    def transcribe(self, audio: np.ndarray, *, offset: float = 0.0) -> list[Segment]:
        return self.transcribe_with_prompt(audio, offset=offset, prompt=self.options.initial_prompt)

    def transcribe_with_prompt(self, audio: np.ndarray, *, offset: float = 0.0,
                               prompt: str | None = None) -> list[Segment]:
        end = offset + audio.size / SR
        self.calls.append((offset, end, prompt))
        script = self.words + (self.fillers if prompt else [])
        heard = [(t, s, e) for t, s, e in sorted(script, key=lambda x: x[1])
                 if offset <= s < end and not any(a <= s < b for a, b in self.deaf)]
        if prompt:
            heard = [x for x in heard if x[1] < offset + self.skip_after]
        ws = tuple(Word(t, s, e, 0.9) for t, s, e in heard)
        return [Segment(" ".join(w.text for w in ws), offset, end, ws)] if ws else []


def blocks(audio: np.ndarray, n: int = 4000) -> list[np.ndarray]:
    return [audio[i:i + n] for i in range(0, audio.size, n)]


# 12 s: three 3 s stretches of "speech" with 1 s pauses between, one word per 0.5 s.
AUDIO = np.concatenate([silence(0.5), tone(3.0), silence(1.0), tone(3.0), silence(1.0), tone(3.0),
                        silence(0.5)])
STRETCHES = [(0.5, 3.5), (4.5, 7.5), (8.5, 11.5)]
WORDS = [(f"w{i}", a + 0.5 * k, a + 0.5 * k + 0.4) for i, (a, _b) in enumerate(STRETCHES) for k in range(6)]


def test_a_window_the_prompted_pass_skips_keeps_every_word() -> None:
    fake = SkippingWhisper(WORDS, fillers=[("um", 4.0, 4.3)], skip_after=4.2)
    t = transcribe_blocks(blocks(AUDIO), fake)
    texts = [w.text for w in t.words]
    assert texts.count("um") == 1  # the prompted pass's filler, in its slot
    assert [x for x in texts if x != "um"] == [w for w, _s, _e in WORDS]
    assert check_transcript(t) == []


def test_speech_no_pass_hears_is_decoded_again_then_reported_with_its_times() -> None:
    # Whole-window calls miss the middle stretch; decoding it on its own still fails.
    fake = SkippingWhisper(WORDS, skip_after=99.0, deaf=[(4.4, 7.6)])
    t = transcribe_blocks(blocks(AUDIO), fake)
    assert [w.text for w in t.words] == [w for w, s, _e in WORDS if not 4.4 <= s < 7.6]
    redecoded = [(a, b) for a, b, p in fake.calls if p is None and b - a < 6]
    assert redecoded and all(a <= 4.6 and b >= 7.4 for a, b in redecoded)
    warnings = [w for w in check_transcript(t) if w.code == DROPPED_SPEECH]
    assert len(warnings) == 1
    (start, end), = warnings[0].spans
    assert 4.3 <= start <= 5.1 and 6.9 <= end <= 7.7
    assert "0:0" in warnings[0].message and warnings[0].to_dict()["spans"] == [[start, end]]


def test_a_clean_transcript_has_no_dropped_speech_warning() -> None:
    fake = SkippingWhisper(WORDS, skip_after=99.0)
    t = transcribe_blocks(blocks(AUDIO), fake)
    assert len(t.words) == len(WORDS)
    assert not [c for c in fake.calls if c[1] - c[0] < 6]  # nothing decoded twice
    assert all(w.code != DROPPED_SPEECH for w in check_transcript(t))


# uncovered(): (regions, word spans, expected gaps) -- the rules as a table.
UNCOVERED_CASES = [
    ([(0.0, 5.0)], [(0.2, 4.8)], [], "a word over the whole region covers it"),
    ([(0.0, 5.0)], [], [(0.0, 5.0)], "speech with no words at all"),
    ([(0.0, 5.0)], [(0.0, 0.5)], [(1.0, 5.0)], "the rest after the last word (slack 0.5 s)"),
    ([(0.0, 1.6)], [(0.0, 0.5)], [], "an uncovered tail under min_gap_s is left to filler recovery"),
    ([(0.0, 2.0), (2.5, 4.5)], [], [(0.0, 4.5)], "stretches closer than join_s are one"),
    ([(0.0, 2.0), (4.0, 6.0)], [], [(0.0, 2.0), (4.0, 6.0)], "stretches far apart stay apart"),
    ([(0.0, 6.0)], [(2.8, 3.2)], [(0.0, 2.3), (3.7, 6.0)], "a word in the middle splits a region"),
]


@pytest.mark.parametrize(("regions", "spans", "expected", "why"), UNCOVERED_CASES,
                         ids=[c[3] for c in UNCOVERED_CASES])
def test_uncovered(regions: list[tuple[float, float]], spans: list[tuple[float, float]],
                   expected: list[tuple[float, float]], why: str) -> None:
    got = uncovered([SpeechRegion(a, b) for a, b in regions], [Word("x", a, b) for a, b in spans])
    assert [(g.start, g.end) for g in got] == expected, why


def test_fill_uncovered_adds_only_words_inside_the_gap() -> None:
    fake = SkippingWhisper([("a", 0.1, 0.4), ("b", 2.0, 2.3), ("c", 3.0, 3.3)], skip_after=99.0)
    audio = np.zeros(4 * SR, dtype=np.float32)
    words, segs = fill_uncovered(fake, audio, 0.0, [SpeechRegion(0.0, 4.0)], [Word("a", 0.1, 0.4)])
    assert [w.text for w in words] == ["a", "b", "c"]
    assert [s.text for s in segs] == ["b c"]
    off, _ = fill_uncovered(fake, audio, 0.0, [SpeechRegion(0.0, 4.0)], [Word("a", 0.1, 0.4)],
                            CoverageOptions(enabled=False))
    assert [w.text for w in off] == ["a"]


def test_fill_uncovered_adds_no_filler_to_a_slot_that_already_holds_one() -> None:
    # Whisper timed the run "uh um" at one instant (1.0 s); its sound (1.5-3.5 s) looks
    # uncovered, and decoding it again hears the same "uh".
    audio = np.zeros(6 * SR, dtype=np.float32)
    have = [Word("forced", 0.2, 1.0), Word("uh", 1.0, 1.0), Word("um", 1.0, 1.0), Word("forced", 4.5, 4.9)]
    fake = SkippingWhisper([("uh", 2.0, 2.8), ("so", 3.0, 3.3)], skip_after=99.0)
    words, _ = fill_uncovered(fake, audio, 0.0, [SpeechRegion(0.0, 5.0)], have)
    assert [w.text for w in words] == ["forced", "uh", "um", "so", "forced"]
    # Where no filler sits between the two words yet, the re-decoded one is kept.
    words, _ = fill_uncovered(fake, audio, 0.0, [SpeechRegion(0.0, 5.0)], [have[0], have[3]])
    assert [w.text for w in words] == ["forced", "uh", "so", "forced"]


def W(text: str, start: float, end: float) -> Word:
    return Word(text, start, end, 0.9)


def test_prompted_fillers_fill_their_slot_and_never_replace_words() -> None:
    plain = [W("so", 0.0, 0.3), W("we", 1.5, 1.7), W("ship", 1.7, 2.0)]
    primed = [W("So", 0.0, 0.3), W("um,", 0.6, 1.0), W("we", 1.5, 1.7), W("shipped", 1.7, 2.0),
              W("uh", 2.4, 2.6)]
    merged = merge_prompted(plain, primed)
    assert [w.text for w in merged] == ["so", "um,", "we", "ship", "uh"]
    assert [w.recovered for w in merged] == [False, True, False, False, True]


def test_a_slot_gets_the_larger_count_of_fillers_not_the_sum() -> None:
    plain = [W("so", 0.0, 0.3), W("uh", 0.5, 0.7), W("we", 1.5, 1.7)]
    primed = [W("so", 0.0, 0.3), W("uh", 0.5, 0.7), W("um", 1.0, 1.2), W("we", 1.5, 1.7)]
    assert [w.text for w in merge_prompted(plain, primed)] == ["so", "uh", "um", "we"]
    assert [w.text for w in merge_prompted(primed[:2] + primed[3:], plain)] == ["so", "uh", "we"]


def test_a_prompted_filler_timed_far_outside_its_slot_is_not_trusted() -> None:
    plain = [W("hi", 0.0, 0.3), W("there", 0.4, 0.7), W("team", 0.8, 1.0)]
    primed = [W("hi", 13.9, 14.0), W("um", 14.1, 14.2), W("there", 14.3, 14.5)]
    assert [w.text for w in merge_prompted(plain, primed)] == ["hi", "there", "team"]


def test_a_drifted_filler_goes_onto_the_free_speech_region_of_its_slot() -> None:
    plain = [W("so", 0.0, 0.3), W("we", 3.0, 3.2)]
    # The prompted pass heard "um" between the two words but timed it after "we".
    primed = [W("so", 0.0, 0.3), W("um", 3.8, 3.9), W("we", 4.0, 4.2)]
    regions = [SpeechRegion(0.0, 0.35), SpeechRegion(1.2, 1.6), SpeechRegion(2.95, 3.25)]
    merged = merge_prompted(plain, primed, regions)
    assert [(w.text, w.start, w.end) for w in merged] == [
        ("so", 0.0, 0.3), ("um", 1.2, 1.6), ("we", 3.0, 3.2)]
    # With no free region in the gap it is clamped into the gap instead.
    clamped = merge_prompted(plain, primed, regions[:1] + regions[2:])
    assert [(w.text, w.start, w.end) for w in clamped] == [
        ("so", 0.0, 0.3), ("um", 3.0, 3.0), ("we", 3.0, 3.2)]


def test_transcript_without_regions_or_words_is_not_warned_about_dropped_speech() -> None:
    t = Transcript(words=(), segments=(), duration=3.0, speech_regions=(SpeechRegion(0.0, 3.0),),
                   source="audio", language="en")
    assert all(w.code != DROPPED_SPEECH for w in check_transcript(t))


def test_the_primed_pass_adds_nothing_where_the_plain_pass_heard_no_word() -> None:
    """On music or noise the filler prompt writes "uh, uh, uh": that is the prompt talking."""
    primed = [W("Uh,", 0.5, 0.9), W("I'm,", 1.0, 1.4), W("uh,", 2.0, 2.3)]
    regions = [SpeechRegion(0.0, 10.0)]
    assert merge_prompted([], primed, regions) == []
    assert merge_prompted([W("uh", 0.5, 0.9)], primed, regions) == [W("uh", 0.5, 0.9)]


def test_a_stray_word_in_ten_seconds_of_sound_is_no_speech_not_dropped_speech() -> None:
    words = (Word("I'm,", 6.0, 7.2, 0.12), Word("uh,", 7.2, 8.4, 0.03, True))
    t = Transcript(words=words, segments=(), duration=10.0, speech_regions=(SpeechRegion(0.0, 10.0),),
                   source="audio", language="en")
    (w,) = check_transcript(t)
    assert w.code == "no_speech" and "bar 1 stray word" in w.message
