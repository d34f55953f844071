"""Hand the recogniser speech, not silence: long pauses are shortened before Whisper sees them.

Why: Whisper pads every call to a 30 s window and pays the full encoder cost per window,
however little speech it holds. A think-aloud answer is a third silence or more (the
very pauses the coach measures), and a recording often ends in a long tail of room tone.
Decoding that silence costs time and buys nothing: it is where Whisper hallucinates.

How: every silence the VAD found that is longer than ``max_gap_s`` is cut down to
``max_gap_s`` (its first and last halves are kept, so the recogniser still hears a real
pause, with its room tone, and still ends the sentence there). Silences shorter than that
are left as they are. The recogniser runs on the shortened audio and every time it
returns is mapped back to the original timeline. Pauses are never measured from these
times: the pauses signal reads the VAD regions of the original audio.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from voice_coach.asr import Transcriber
from voice_coach.audio import SAMPLE_RATE
from voice_coach.transcript import Segment, SpeechRegion


@dataclass(frozen=True)
class SpeechOnlyOptions:
    """How much silence the recogniser still hears.

    Attributes:
        enabled: shorten long silences at all (off: the recogniser hears the whole window).
        max_gap_s: the longest silence kept. One second keeps the cue Whisper uses to end a
            sentence (its punctuation feeds the framing and ramble signals) and the VAD's
            quiet onsets and releases (half a second either side of every region), while
            the dev set's 2-6 s thinking pauses shrink to this.
        min_saving: skip the shortening when it would remove less than this share of the
            window; the saving would not pay for a changed input.
    """

    enabled: bool = True
    max_gap_s: float = 1.0
    min_saving: float = 0.05


@dataclass(frozen=True)
class Piece:
    """One kept stretch: ``length`` seconds at ``source`` (original) and ``at`` (shortened)."""

    at: float
    source: float
    length: float


class TimeMap:
    """Maps times in the shortened audio back to the original timeline (pieces are contiguous)."""

    def __init__(self, pieces: Sequence[Piece]) -> None:
        self.pieces = list(pieces)
        self._starts = [p.at for p in self.pieces]

    def _piece(self, t: float) -> int:
        return max(0, bisect.bisect_right(self._starts, t) - 1)

    def to_original(self, t: float) -> float:
        """The original time of shortened-audio time ``t``."""
        p = self.pieces[self._piece(t)]
        return p.source + min(max(0.0, t - p.at), p.length)

    def span(self, start: float, end: float) -> tuple[float, float]:
        """Map a word's ``[start, end]``; a word across a cut keeps the side it mostly lies on.

        Without this a word straddling a cut would stretch over the whole removed silence.
        """
        i, j = self._piece(start), self._piece(max(start, end))
        if i == j:
            return self.to_original(start), self.to_original(end)
        boundary = self.pieces[i + 1].at
        if boundary - start >= end - boundary:  # mostly before the cut
            return self.to_original(start), self.pieces[i].source + self.pieces[i].length
        return self.pieces[i + 1].source, self.to_original(end)


def kept_spans(duration: float, regions: Sequence[SpeechRegion], max_gap_s: float) -> list[tuple[float, float]]:
    """Stretches of ``[0, duration)`` to keep: every region, widened by half of ``max_gap_s``.

    ``regions`` are relative to the window start. Overlapping widened regions merge, so a
    silence shorter than ``max_gap_s`` is kept whole and a longer one keeps ``max_gap_s``.
    """
    half = max_gap_s / 2
    spans: list[tuple[float, float]] = []
    for r in sorted(regions, key=lambda x: x.start):
        a, b = max(0.0, r.start - half), min(duration, r.end + half)
        if b <= a:
            continue
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], b))
        else:
            spans.append((a, b))
    return spans


def shorten(audio: np.ndarray, regions: Sequence[SpeechRegion],
            options: SpeechOnlyOptions | None = None) -> tuple[np.ndarray, TimeMap] | None:
    """``audio`` with long silences shortened, and its time map; ``None`` when not worth it.

    ``regions`` are relative to the start of ``audio``.
    """
    opts = options or SpeechOnlyOptions()
    duration = audio.size / SAMPLE_RATE
    if not opts.enabled or duration <= 0:
        return None
    spans = kept_spans(duration, regions, opts.max_gap_s)
    kept = sum(b - a for a, b in spans)
    if not spans or kept > duration * (1 - opts.min_saving):
        return None
    pieces: list[Piece] = []
    chunks: list[np.ndarray] = []
    at = 0
    for a, b in spans:
        lo, hi = round(a * SAMPLE_RATE), round(b * SAMPLE_RATE)
        chunks.append(audio[lo:hi])
        pieces.append(Piece(at / SAMPLE_RATE, lo / SAMPLE_RATE, (hi - lo) / SAMPLE_RATE))
        at += hi - lo
    return np.concatenate(chunks), TimeMap(pieces)


def transcribe_speech(transcriber: Transcriber, audio: np.ndarray, offset: float,
                      regions: Sequence[SpeechRegion], options: SpeechOnlyOptions | None = None) -> list[Segment]:
    """``transcriber.transcribe(audio, offset=offset)``, but long silences are never decoded.

    ``regions`` are the VAD's speech regions in absolute seconds (those outside this
    window are ignored; one still open at the window's end may run past it). The result
    is on the original timeline, as if the whole window had been recognised. Only a
    recogniser that declares ``shorten_silence = True`` (it listens to the audio, rather
    than scripting words by time as test doubles do) is handed shortened audio.
    """
    if not getattr(transcriber, "shorten_silence", False):
        return transcriber.transcribe(audio, offset=offset)
    end = offset + audio.size / SAMPLE_RATE
    local = [SpeechRegion(max(0.0, r.start - offset), min(end, r.end) - offset)
             for r in regions if r.end > offset and r.start < end]
    short = shorten(audio, local, options)
    if short is None:
        return transcriber.transcribe(audio, offset=offset)
    compact, tmap = short
    return [_remap(seg, tmap, offset) for seg in transcriber.transcribe(compact, offset=0.0)]


def _remap(seg: Segment, tmap: TimeMap, offset: float) -> Segment:
    words = []
    for w in seg.words:
        if w.start is None or w.end is None:
            words.append(w)
            continue
        a, b = tmap.span(w.start, w.end)
        words.append(replace(w, start=round(a + offset, 3), end=round(max(a, b) + offset, 3)))
    start = tmap.to_original(seg.start or 0.0) + offset
    end = tmap.to_original(seg.end if seg.end is not None else (seg.start or 0.0)) + offset
    return replace(seg, start=round(start, 3), end=round(max(start, end), 3), words=tuple(words))

