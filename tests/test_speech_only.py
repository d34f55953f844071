"""Long silences are shortened before recognition, and times come back on the original timeline."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from voice_coach.speech_only import SpeechOnlyOptions, TimeMap, kept_spans, shorten, transcribe_speech
from voice_coach.transcript import Segment, SpeechRegion, Word

SR = 16_000


class ScriptedTranscriber:
    """Returns one word per loud stretch of what it is given (so words sit on the speech it heard)."""

    name = "scripted"
    shorten_silence = True

    def __init__(self) -> None:
        self.heard: list[float] = []

    def transcribe(self, audio: np.ndarray, *, offset: float = 0.0) -> list[Segment]:
        """A word for each run of samples louder than 0.1, timed in the audio it was handed."""
        self.heard.append(audio.size / SR)
        loud = np.abs(audio) > 0.1
        edges = np.diff(np.concatenate([[0], loud.astype(np.int8), [0]]))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        words = tuple(Word(f"w{k}", round(offset + a / SR, 3), round(offset + b / SR, 3))
                      for k, (a, b) in enumerate(zip(starts, ends, strict=True)))
        return [Segment(" ".join(w.text for w in words), offset, offset + audio.size / SR, words)] if words else []


def _audio(total_s: float, speech: list[tuple[float, float]]) -> np.ndarray:
    audio = np.full(int(total_s * SR), 0.001, np.float32)
    for a, b in speech:
        audio[int(a * SR) : int(b * SR)] = 0.5
    return audio


def test_long_silences_are_not_decoded_and_times_map_back() -> None:
    speech = [(1.0, 2.0), (10.0, 11.5), (11.8, 12.4), (25.0, 26.0)]
    audio = _audio(40.0, speech)
    rec = ScriptedTranscriber()
    segs = transcribe_speech(rec, audio, 100.0, [SpeechRegion(a + 100, b + 100) for a, b in speech])
    # 40 s went in, but only speech plus at most 1 s per silence reached the recogniser.
    assert rec.heard[0] < 8.0
    words = [w for s in segs for w in s.words]
    assert [(w.start, w.end) for w in words] == [(100 + a, 100 + b) for a, b in speech]
    assert segs[0].start is not None and segs[0].start >= 100.0


def test_a_recogniser_that_does_not_opt_in_hears_everything() -> None:
    audio = _audio(30.0, [(1.0, 2.0), (25.0, 26.0)])

    class TimeScripted(ScriptedTranscriber):
        shorten_silence = False

    rec = TimeScripted()
    transcribe_speech(rec, audio, 0.0, [SpeechRegion(1.0, 2.0), SpeechRegion(25.0, 26.0)])
    assert rec.heard == [30.0]


def test_short_pauses_are_kept_whole() -> None:
    spans = kept_spans(10.0, [SpeechRegion(1.0, 2.0), SpeechRegion(2.6, 3.0), SpeechRegion(8.0, 9.0)], 1.0)
    assert spans == [(0.5, 3.5), (7.5, 9.5)]


def test_nothing_to_remove_calls_the_recogniser_unchanged() -> None:
    audio = _audio(5.0, [(0.2, 4.8)])
    rec = ScriptedTranscriber()
    transcribe_speech(rec, audio, 0.0, [SpeechRegion(0.2, 4.8)])
    assert rec.heard == [5.0]
    assert shorten(audio, [SpeechRegion(0.2, 4.8)]) is None
    assert shorten(audio, [SpeechRegion(0.2, 1.0)], SpeechOnlyOptions(enabled=False)) is None


def test_a_word_across_a_cut_keeps_its_main_side() -> None:
    audio = _audio(20.0, [(1.0, 2.0), (15.0, 16.0)])
    short = shorten(audio, [SpeechRegion(1.0, 2.0), SpeechRegion(15.0, 16.0)])
    assert short is not None
    _, tmap = short
    cut = tmap.pieces[1].at  # 2.0 s into the shortened audio
    a, b = tmap.span(cut - 0.1, cut + 0.4)  # mostly after the cut
    assert a == tmap.pieces[1].source and b > a and b - a < 1.0
    a, b = tmap.span(cut - 0.4, cut + 0.1)  # mostly before it
    assert b == tmap.pieces[0].source + tmap.pieces[0].length and b - a < 1.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 50), st.floats(0.05, 5)), min_size=1, max_size=12),
       st.floats(0.2, 3.0))
def test_time_map_is_monotonic_and_inside_the_window(regions: list[tuple[float, float]], gap: float) -> None:
    duration = 60.0
    spans = kept_spans(duration, [SpeechRegion(a, min(duration, a + d)) for a, d in regions], gap)
    assert all(0 <= a < b <= duration for a, b in spans)
    assert all(spans[k][1] < spans[k + 1][0] for k in range(len(spans) - 1))
    at, pieces = 0.0, []
    from voice_coach.speech_only import Piece

    for a, b in spans:
        pieces.append(Piece(at, a, b - a))
        at += b - a
    tmap = TimeMap(pieces)
    ts = np.linspace(0, at, 200)
    mapped = [tmap.to_original(float(t)) for t in ts]
    assert all(x <= y + 1e-9 for x, y in itertools.pairwise(mapped))
    assert all(0 <= m <= duration for m in mapped)
