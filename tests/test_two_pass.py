"""The two-pass decoding's guards: the beam fallback where the greedy passes disagree, and
a prompted filler that only repeats the one before it at a near-zero probability."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np

from voice_coach.transcript import Segment, SpeechRegion, Word
from voice_coach.two_pass import (
    MIN_AGREEMENT,
    REPEAT_MIN_PROBABILITY,
    agreement,
    merge_prompted,
    transcribe_passes,
)


def W(text: str, start: float, end: float, p: float = 0.9) -> Word:
    return Word(text, start, end, p)


def seg(words: list[Word]) -> list[Segment]:
    return [Segment(" ".join(w.text for w in words), words[0].start, words[-1].end, tuple(words))]


@dataclass
class Options:
    initial_prompt: str | None = "Um, uh, hmm."


@dataclass
class ThreeWays:
    """A recogniser whose plain, prompted and beam decodes are scripted separately."""

    plain: list[Word]
    primed: list[Word]
    beamed: list[Word]
    options: Options = field(default_factory=Options)
    name: str = "three-ways"
    beam_calls: int = 0

    def transcribe(self, audio: np.ndarray, *, offset: float = 0.0) -> list[Segment]:
        return self.transcribe_with_prompt(audio, offset=offset, prompt=self.options.initial_prompt)

    def transcribe_with_prompt(self, audio: np.ndarray, *, offset: float = 0.0,
                               prompt: str | None = None, beam_size: int | None = None) -> list[Segment]:
        if beam_size:
            return self.transcribe_beam(audio, offset=offset)
        return seg(self.primed if prompt else self.plain)

    def transcribe_beam(self, audio: np.ndarray, *, offset: float = 0.0) -> list[Segment]:
        self.beam_calls += 1
        return seg(self.beamed)


AUDIO = np.zeros(16000 * 8, dtype=np.float32)
# A clip of fillers as the greedy passes heard it (the shape seen on a real recording).
PLAIN = [W("Montreal", 0.5, 1.4), W("Forest,", 1.4, 2.4, 0.39), W("um,", 2.6, 3.0),
         W("forestilliner.", 7.0, 7.3, 0.4)]
PRIMED = [W("Montreal", 0.5, 1.4), W("forced,", 1.4, 2.4, 0.26), W("uh,", 2.4, 2.4),
          W("um,", 4.4, 4.4), W("hmm,", 4.4, 5.9), W("for", 6.9, 7.0), W("a", 7.0, 7.1),
          W("stilliner.", 7.1, 7.3)]
BEAMED = [W("Montreal", 0.5, 1.4), W("forced,", 1.4, 2.4), W("uh,", 2.4, 2.4),
          W("forced", 7.0, 7.0), W("a", 7.0, 7.1), W("liner.", 7.1, 7.3)]


def decode_with(fake: ThreeWays):
    return lambda plain: fake.transcribe_with_prompt(AUDIO, prompt=None if plain else "Um.")


def test_agreement_counts_only_words_both_passes_wrote() -> None:
    assert agreement(PLAIN, PRIMED) == 1 / 3  # Montreal of Montreal, Forest, forestilliner
    same = [W("we", 0, 1), W("ship", 1, 2), W("it", 2, 3)]
    assert agreement(same, [W("uh", 0, 0.2), *same]) == 1.0  # a filler is no disagreement
    # A pass that skipped the second half still agrees on the half it wrote.
    assert agreement(same, same[:1]) == 1.0
    assert agreement(same, []) == 1.0


def test_passes_that_disagree_on_most_words_take_the_beam_decode() -> None:
    fake = ThreeWays(PLAIN, PRIMED, BEAMED)
    segs, words = transcribe_passes(fake, AUDIO, 0.0, [], decode_with(fake))
    assert fake.beam_calls == 1
    content = [w.text for w in words if w.text not in ("uh,", "um,", "hmm,")]
    assert content == ["Montreal", "forced,", "forced", "a", "liner."]
    assert [w.text for s in segs for w in s.words] == [w.text for w in BEAMED]


def test_the_callers_filter_applies_to_the_beam_decode() -> None:
    fake = ThreeWays(PLAIN, PRIMED, BEAMED)
    segs, words = transcribe_passes(fake, AUDIO, 0.0, [], decode_with(fake), keep=lambda s: False)
    assert fake.beam_calls == 1 and segs == [] and words == []


def test_passes_that_agree_are_not_decoded_again() -> None:
    primed = [PLAIN[0], W("uh,", 1.0, 1.2), *PLAIN[1:]]
    fake = ThreeWays(PLAIN, primed, BEAMED)
    _segs, words = transcribe_passes(fake, AUDIO, 0.0, [], decode_with(fake))
    assert fake.beam_calls == 0
    assert [w.text for w in words if w.text != "uh,"] == [w.text for w in PLAIN]
    assert agreement(PLAIN, primed) >= MIN_AGREEMENT


def test_a_recogniser_without_beam_search_keeps_its_plain_pass() -> None:
    @dataclass
    class NoBeam(ThreeWays):
        transcribe_beam = None  # type: ignore[assignment]

    fake = NoBeam(PLAIN, PRIMED, BEAMED)
    _segs, words = transcribe_passes(fake, AUDIO, 0.0, [], decode_with(fake))
    assert "Forest," in [w.text for w in words]


def test_a_near_silent_repeat_of_a_prompted_filler_is_one_drawn_out_sound() -> None:
    plain = [W("Montreal,", 0.7, 1.2), W("uh,", 2.1, 2.1, 0.39), W("forced", 3.3, 3.4)]
    primed = [W("Montreal,", 0.7, 1.2), W("uh,", 2.1, 2.1, 0.39),
              W("uh,", 3.1, 3.1, REPEAT_MIN_PROBABILITY / 5), W("forced", 3.3, 3.4)]
    assert [w.text for w in merge_prompted(plain, primed)] == ["Montreal,", "uh,", "forced"]
    # A repeat Whisper was surer of is a second filler ("hmm, hmm" at 0.23 and 0.61).
    sure = [*primed[:2], W("uh,", 3.1, 3.1, 0.3), primed[3]]
    assert [w.text for w in merge_prompted(plain, sure)] == ["Montreal,", "uh,", "uh,", "forced"]
    # A lone prompted filler is not a repeat, however unsure: the plain pass drops them.
    lone = [primed[0], W("um,", 2.0, 2.0, 0.03), primed[3]]
    assert [w.text for w in merge_prompted([plain[0], plain[2]], lone)] == ["Montreal,", "um,", "forced"]


@dataclass
class SideBySide:
    """A recogniser that can run two decodes at once: its plain pass waits until the prompted
    one has started, so the test fails if the passes run one after the other. The prompted
    pass decodes ``windows`` windows, asking ``stop`` before each one."""

    plain: list[Word]
    primed: list[Word]
    windows: int = 1
    options: Options = field(default_factory=Options)
    name: str = "side-by-side"
    side_by_side: bool = True
    primed_started: threading.Event = field(default_factory=threading.Event)
    primed_windows: int = 0
    threads: list[str] = field(default_factory=list)

    def transcribe(self, audio: np.ndarray, *, offset: float = 0.0) -> list[Segment]:
        return self.transcribe_with_prompt(audio, offset=offset, prompt=self.options.initial_prompt)

    def transcribe_with_prompt(self, audio: np.ndarray, *, offset: float = 0.0, prompt: str | None = None,
                               stop: threading.Event | None = None) -> list[Segment]:
        self.threads.append(threading.current_thread().name)
        if not prompt:
            assert self.primed_started.wait(5.0), "the prompted pass did not start beside the plain one"
            return seg(self.plain) if self.plain else []
        self.primed_started.set()
        for _ in range(self.windows):
            if stop is not None and stop.is_set():
                break
            self.primed_windows += 1
            time.sleep(0.05)
        return seg(self.primed)


def test_the_prompted_pass_runs_beside_the_plain_one_with_the_same_result() -> None:
    primed = [PLAIN[0], W("uh,", 1.0, 1.2), *PLAIN[1:]]
    fake = SideBySide(PLAIN, primed)
    _segs, words = transcribe_passes(fake, AUDIO, 0.0, [])
    sequential = merge_prompted(PLAIN, primed)
    assert words == sequential and "uh," in [w.text for w in words]
    # Neither pass runs on the caller's thread: Ctrl-C lands there, never inside a decode,
    # which would leave faster-whisper's progress-bar lock held and the other pass waiting.
    assert len(fake.threads) == 2 and threading.current_thread().name not in fake.threads


def test_a_prompted_pass_run_ahead_stops_where_the_plain_pass_heard_no_speech() -> None:
    """Music: 8 s of VAD "speech" and no word. The prompted pass (which would loop on "uh")
    is stopped before its next window and its words are not used."""
    fake = SideBySide([], [W("uh,", 1.0, 1.2)] * 3, windows=100)
    music = [SpeechRegion(0.0, 8.0)]
    segs, words = transcribe_passes(fake, AUDIO, 0.0, music)
    assert segs == [] and words == []
    assert 1 <= fake.primed_windows < 100
