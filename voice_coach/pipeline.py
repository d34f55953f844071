"""From a file on disk to a :class:`~voice_coach.transcript.Transcript`.

Audio is streamed: decoded in blocks, run through the VAD as it arrives, and handed to the
recogniser in windows of at most ``window_s`` seconds that end in a silence, so memory stays
bounded however long the recording is. Text (``.txt``) and timed JSON (``.json``)
transcripts skip recognition entirely.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from voice_coach.asr import Transcriber
from voice_coach.audio.decode import SAMPLE_RATE, check_readable, iter_pcm, probe
from voice_coach.audio.vad import RegionBuilder, SpeechDetector, VadOptions
from voice_coach.coverage import CoverageOptions, fill_uncovered
from voice_coach.errors import InputError
from voice_coach.recovery import RecoveryOptions, merge_words, recover_filled_pauses
from voice_coach.transcript import (
    Segment,
    SpeechRegion,
    Transcript,
    Word,
    load_json_file,
    load_text_file,
)
from voice_coach.two_pass import transcribe_passes

ProgressFn = Callable[[float, float | None], None]


@dataclass(frozen=True)
class PipelineOptions:
    """How audio is cut up for the recogniser.

    Attributes:
        window_s: the most audio held for one recogniser call; bounds memory and lets a
            progress bar move. Two minutes: faster-whisper computes the features of a
            whole call at once (several float64 copies of the spectrogram), so 300 s windows
            peaked at 690 MB on a 10-minute answer and 120 s ones at 490 MB, as fast
            (docs/benchmarks.md).
        cut_search_s: how far back from a window's end to look for a silence to cut in, so
            no word is split between two windows.
        vad: speech-detector thresholds.
        recovery: where to look again for filled pauses the recogniser dropped.
        coverage: when speech the recogniser skipped is decoded again.
    """

    window_s: float = 120.0
    cut_search_s: float = 30.0
    vad: VadOptions = field(default_factory=VadOptions)
    recovery: RecoveryOptions = field(default_factory=RecoveryOptions)
    coverage: CoverageOptions = field(default_factory=CoverageOptions)


def input_kind(path: Path) -> str:
    """``"text"``, ``"json"`` or ``"audio"``, from the file name."""
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return "text"
    if suffix == ".json":
        return "json"
    return "audio"


def load_transcript(
    path: Path,
    transcriber_factory: Callable[[], Transcriber],
    options: PipelineOptions | None = None,
    progress: ProgressFn | None = None,
) -> Transcript:
    """Read ``path`` as text, JSON or audio and return its transcript.

    The recogniser is only built (``transcriber_factory``) when the input is audio, so
    text analysis never loads a model.
    """
    kind = input_kind(path)
    check_readable(path)
    if kind == "text":
        return load_text_file(path)
    if kind == "json":
        return load_json_file(path)
    info = probe(path)
    return transcribe_blocks(
        iter_pcm(path), transcriber_factory(), options, progress, total_s=info.duration
    )


def transcribe_blocks(
    blocks: Iterable[np.ndarray],
    transcriber: Transcriber,
    options: PipelineOptions | None = None,
    progress: ProgressFn | None = None,
    total_s: float | None = None,
) -> Transcript:
    """Run VAD and recognition over consecutive 16 kHz blocks, in bounded memory."""
    opts = options or PipelineOptions()
    detector = SpeechDetector(opts.vad)
    window = int(opts.window_s * SAMPLE_RATE)
    buf: list[np.ndarray] = []
    buf_len = 0
    buf_start = 0  # sample index of buf[0]
    total = 0
    segments: list[Segment] = []
    recovered: list[Word] = []
    window_words: list[Word] = []

    def flush(upto: int) -> None:
        nonlocal buf, buf_len, buf_start
        joined = np.concatenate(buf) if buf else np.zeros(0, dtype=np.float32)
        head, rest = joined[:upto], joined[upto:]
        if _has_speech(detector.builder.closed(), buf_start, buf_start + head.size, detector.builder):
            offset = buf_start / SAMPLE_RATE
            regions = _window_regions(detector.builder)
            # Words from a plain pass, fillers from a prompted one (voice_coach.two_pass);
            # long silences are shortened first (voice_coach.speech_only).
            new, heard = transcribe_passes(transcriber, head, offset, regions)
            # Speech still left without words is decoded again (voice_coach.coverage).
            heard, redone = fill_uncovered(transcriber, head, offset, _inside(regions, head, offset),
                                           heard, opts.coverage)
            new = sorted([*new, *redone], key=lambda s: s.start or 0.0)
            # The window is cut in a silence, so every region in it is closed by now.
            fixed, found = recover_filled_pauses(
                transcriber, head, offset, detector.builder.closed(), heard, opts.recovery)
            window_words.extend(fixed)
            recovered.extend(found)
            segments.extend(new)
        buf_start += head.size
        buf, buf_len = ([rest] if rest.size else []), rest.size

    for block in blocks:
        if block.size == 0:
            continue
        detector.feed(block)
        buf.append(block)
        buf_len += block.size
        total += block.size
        if progress:
            progress(total / SAMPLE_RATE, total_s)
        while buf_len >= window:
            flush(_cut_point(detector.builder.closed(), detector.builder.open_start,
                             buf_start, buf_start + window, opts))
    if total == 0:
        raise InputError("no audio samples could be decoded")
    regions = detector.finish()
    if buf_len:
        flush(buf_len)
    duration = round(total / SAMPLE_RATE, 3)
    words = tuple(merge_words(window_words, recovered))
    return Transcript(
        words=words,
        segments=tuple(segments),
        duration=duration,
        speech_regions=tuple(regions),
        source="audio",
        language="en",
        meta={"model": getattr(transcriber, "name", "unknown")},
    )


def _window_regions(builder: RegionBuilder) -> list[SpeechRegion]:
    """Closed regions, plus the one still open (it runs to the end of the audio so far)."""
    regions = builder.closed()
    if builder.open_start is not None:
        regions.append(SpeechRegion(builder.open_start, builder.elapsed))
    return regions


def _inside(regions: list[SpeechRegion], audio: np.ndarray, offset: float) -> list[SpeechRegion]:
    """The parts of ``regions`` that lie in ``audio`` (which starts at ``offset`` s)."""
    end = offset + audio.size / SAMPLE_RATE
    return [SpeechRegion(max(r.start, offset), min(r.end, end)) for r in regions
            if r.end > offset and r.start < end]


def _has_speech(closed: list[SpeechRegion], start: int, end: int, builder: object) -> bool:
    """Whether any speech (closed, or still open) overlaps samples ``[start, end)``."""
    s, e = start / SAMPLE_RATE, end / SAMPLE_RATE
    if getattr(builder, "in_speech", False):
        return True
    return any(r.start < e and r.end > s for r in closed)


def _cut_point(closed: list[SpeechRegion], open_start: float | None, start: int, end: int,
               opts: PipelineOptions) -> int:
    """Samples from ``start`` to cut at: the middle of the last silence near ``end``.

    ``open_start`` is where a region still being heard began; the silence before it ends there.
    """
    s, e = start / SAMPLE_RATE, end / SAMPLE_RATE
    inside = [r for r in closed if r.end <= e and r.end > max(s, e - opts.cut_search_s)]
    if inside:
        last = inside[-1]
        later = [r.start for r in closed if r.start >= last.end]
        if open_start is not None and open_start >= last.end:
            later.append(open_start)
        cut_t = (last.end + min([*later, e])) / 2
        return max(1, int((cut_t - s) * SAMPLE_RATE))
    return end - start
