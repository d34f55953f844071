"""Mono speaker diarization: who spoke when in a one-channel recording.

The pipeline, all on the CPU and offline:

1. speech regions from the project's own detector (:mod:`voice_coach.audio.vad`);
2. the speech is brought to one level, then a d-vector is taken for every 0.8 s window
   inside speech, every ``stride_s`` seconds (:mod:`voice_coach.audio.speaker_embed`, a
   12 MB INT8 model shipped in a PyPI wheel);
3. the vectors are centred (removing what every window shares: the channel, the phone line,
   the room), then split into speakers by spectral clustering;
4. each 10 ms frame takes the speaker most of its covering windows voted for, and runs of
   frames become :class:`~voice_coach.turns.SpeakerTurn` values.

Overlapping speech goes to one speaker. Steps 3-4 are pure numpy, tested without the model.
The measured error rates and speed are in docs/interview.md ("Mono diarization").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from voice_coach.audio import SAMPLE_RATE
from voice_coach.audio.speaker_embed import FRAME_S, WINDOW_FRAMES, SpeakerEmbedder, log_mel
from voice_coach.audio.vad import detect_speech
from voice_coach.transcript import SpeechRegion
from voice_coach.turns import Diarizer, SpeakerTurn

# Spectral clustering is cubic in the number of windows: above this many, cluster an even
# subsample and give every window its nearest speaker centroid (a 30-minute interview has
# about 6,000 windows; 600 keep the eigen-decomposition under half a second).
_CLUSTER_MAX = 600
# Each window keeps only its strongest affinities (this share of all windows): weak
# cross-speaker similarities then cannot glue the two speakers' graphs together.
_PRUNE_SHARE = 0.2
# Short recordings get a finer stride so the clustering still sees this many windows
# (on the 30 s real phone call, 55 windows gave 24% DER and 86 or more 3-5%; 240 was the
# steadiest under level and noise changes).
_MIN_WINDOWS = 240
# The encoder is not level-invariant (its input is log power), so speech is brought to one
# level before it is embedded. Measured on the real phone call (speech at -32 dBFS): DER
# 2.6-2.9% within 3 dB of its own level, 10-17% at +-6 dB, 21-26% at +-12 dB. The target is
# that call's level, so after this the call no longer tests the level choice; see
# docs/interview.md.
_SPEECH_LEVEL_DB = -32.0
_GAIN_LIMITS = (0.03, 30.0)


@dataclass(frozen=True)
class DiarizeOptions:
    """How to diarize.

    Attributes:
        num_speakers: the exact number of speakers when known (an interview has two).
        max_speakers: the most speakers to consider when ``num_speakers`` is not given; at
            least two are always found (the diarizer serves interviews, not monologues).
        stride_s: seconds between embedding windows; smaller is finer and slower.
        min_turn_s: a speaker change shorter than this is absorbed by its neighbours.
        bridge_s: one speaker's turns separated by a pause up to this long are one turn
            (a breath between sentences is not the end of a turn).
    """

    num_speakers: int | None = None
    max_speakers: int = 2
    stride_s: float = 0.25
    min_turn_s: float = 0.5
    bridge_s: float = 0.5


def window_starts(regions: list[tuple[int, int]], n_frames: int, stride: int) -> np.ndarray:
    """First frame of every embedding window over speech ``regions`` (frame ranges).

    A region shorter than a window still gets one window centred on it, so short replies
    ("yes, exactly") are heard.
    """
    starts: list[int] = []
    last = max(0, n_frames - WINDOW_FRAMES)
    for a, b in regions:
        if b - a <= WINDOW_FRAMES:
            starts.append(min(last, max(0, (a + b - WINDOW_FRAMES) // 2)))
            continue
        starts += range(a, b - WINDOW_FRAMES + 1, stride)
        if (b - WINDOW_FRAMES - a) % stride:
            starts.append(b - WINDOW_FRAMES)  # cover the region's tail too
    return np.array(sorted({min(s, last) for s in starts}), dtype=np.int64)


def _unit(x: np.ndarray) -> np.ndarray:
    return x / (np.linalg.norm(x, axis=-1, keepdims=True) + 1e-9)


def _kmeans(points: np.ndarray, k: int, iterations: int = 50) -> np.ndarray:
    """Deterministic k-means: farthest-point seeding, then Lloyd iterations."""
    centres = [points[0]]
    for _ in range(1, k):
        dist = np.min([np.sum((points - c) ** 2, axis=1) for c in centres], axis=0)
        centres.append(points[int(np.argmax(dist))])
    c = np.stack(centres)
    labels = np.zeros(len(points), dtype=np.int64)
    for step in range(iterations):
        new = np.argmin(((points[:, None, :] - c[None]) ** 2).sum(axis=2), axis=1)
        if step > 0 and np.array_equal(new, labels):
            break
        labels = new
        c = np.stack([points[labels == j].mean(axis=0) if np.any(labels == j) else c[j] for j in range(k)])
    return labels


def spectral_labels(vectors: np.ndarray, num_speakers: int | None, max_speakers: int) -> np.ndarray:
    """Speaker index per row of ``vectors`` (unit-length centred embeddings)."""
    n = len(vectors)
    if n < 2:
        return np.zeros(n, dtype=np.int64)
    aff = np.clip(vectors @ vectors.T, 0.0, None)
    np.fill_diagonal(aff, 0.0)
    keep = max(2, int(_PRUNE_SHARE * n))
    cut = -np.sort(-aff, axis=1)[:, keep - 1 : keep]
    aff = np.where(aff >= cut, aff, 0.0)
    aff = (aff + aff.T) / 2
    degree = aff.sum(axis=1) + 1e-9
    # Normalised Laplacian: its small eigenvalues count the graph's loosely joined parts.
    scale = 1 / np.sqrt(degree)
    lap = np.eye(n) - scale[:, None] * aff * scale[None, :]
    values, vecs = np.linalg.eigh(lap)
    if num_speakers:
        k = min(num_speakers, n)
    elif max_speakers <= 2 or n <= 3:
        k = 2
    else:  # the widest gap between consecutive eigenvalues, for 2..max_speakers clusters
        gaps = np.diff(values[: min(max_speakers, n - 1) + 1])
        k = int(np.argmax(gaps[1:])) + 2
    if k == 1:
        return np.zeros(n, dtype=np.int64)
    return _kmeans(_unit(vecs[:, :k]), k)


def cluster(embeddings: np.ndarray, num_speakers: int | None = None, max_speakers: int = 2) -> np.ndarray:
    """Speaker index per window embedding; speakers are numbered by first appearance."""
    n = len(embeddings)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    centred = _unit(embeddings - embeddings.mean(axis=0))
    pick = np.linspace(0, n - 1, min(n, _CLUSTER_MAX)).round().astype(np.int64)
    sub = spectral_labels(centred[pick], num_speakers, max_speakers)
    k = int(sub.max()) + 1
    centres = _unit(np.stack([centred[pick][sub == j].mean(axis=0) for j in range(k)]))
    labels = np.argmax(centred @ centres.T, axis=1)
    _, first = np.unique(labels, return_index=True)
    order = {int(labels[i]): rank for rank, i in enumerate(sorted(first))}
    return np.array([order[int(v)] for v in labels], dtype=np.int64)


def frame_turns(regions: list[tuple[int, int]], starts: np.ndarray, labels: np.ndarray,
                min_turn_frames: int) -> list[SpeakerTurn]:
    """Turns from window labels: each speech frame takes its covering windows' majority."""
    if starts.size == 0:
        return []
    k = int(labels.max()) + 1
    end = int(max(max(b for _, b in regions), starts[-1] + WINDOW_FRAMES)) + 1
    votes = np.zeros((end, k), dtype=np.int32)
    for s, lab in zip(starts, labels, strict=True):
        votes[s : s + WINDOW_FRAMES, lab] += 1
    centres = starts + WINDOW_FRAMES // 2
    turns: list[SpeakerTurn] = []
    for a, b in regions:
        v = votes[a:b]
        frame_lab = np.argmax(v, axis=1)
        unvoted = v.sum(axis=1) == 0  # no window covers it: take the nearest window's speaker
        if unvoted.any():
            near = np.abs(centres[None, :] - np.arange(a, b)[unvoted][:, None]).argmin(axis=1)
            frame_lab[unvoted] = labels[near]
        runs = _runs(frame_lab, min_turn_frames)
        turns += [SpeakerTurn(f"S{lab}", round((a + i) * FRAME_S, 3), round((a + j) * FRAME_S, 3))
                  for lab, i, j in runs]
    return sorted(turns, key=lambda t: (t.start, t.end))


def bridge(turns: list[SpeakerTurn], max_gap_s: float) -> list[SpeakerTurn]:
    """Merge consecutive turns of one speaker whose pause is at most ``max_gap_s``."""
    out: list[SpeakerTurn] = []
    for t in turns:
        if out and out[-1].speaker == t.speaker and t.start - out[-1].end <= max_gap_s:
            out[-1] = SpeakerTurn(t.speaker, out[-1].start, max(out[-1].end, t.end))
        else:
            out.append(t)
    return out


def _runs(frame_lab: np.ndarray, min_len: int) -> list[tuple[int, int, int]]:
    """(label, start, end) runs, with runs shorter than ``min_len`` merged into a neighbour."""
    runs: list[list[int]] = []
    for i, lab in enumerate(frame_lab.tolist()):
        if runs and runs[-1][0] == lab:
            runs[-1][2] = i + 1
        else:
            runs.append([lab, i, i + 1])
    while len(runs) > 1:
        short = min(range(len(runs)), key=lambda r: runs[r][2] - runs[r][1])
        if runs[short][2] - runs[short][1] >= min_len:
            break
        # Give the short run to the longer neighbour, then fuse equal neighbours.
        left = runs[short - 1] if short > 0 else None
        right = runs[short + 1] if short + 1 < len(runs) else None
        take = left if right is None or (left is not None and left[2] - left[1] >= right[2] - right[1]) else right
        assert take is not None
        runs[short][0] = take[0]
        merged: list[list[int]] = []
        for r in runs:
            if merged and merged[-1][0] == r[0]:
                merged[-1][2] = r[2]
            else:
                merged.append(list(r))
        runs = merged
    return [(r[0], r[1], r[2]) for r in runs]


def speech_gain(audio: np.ndarray, speech: list[SpeechRegion]) -> float:
    """The gain that brings the mean level of the speech regions to ``_SPEECH_LEVEL_DB``."""
    power = [float(np.mean(np.square(audio[int(r.start * SAMPLE_RATE) : int(r.end * SAMPLE_RATE)],
                                     dtype=np.float64)))
             for r in speech if r.end > r.start]
    level = 10 * np.log10(max(float(np.mean(power)) if power else 0.0, 1e-12))
    return float(np.clip(10 ** ((_SPEECH_LEVEL_DB - level) / 20), *_GAIN_LIMITS))


class EmbeddingDiarizer:
    """The :class:`~voice_coach.turns.Diarizer` of the product (see the module docstring)."""

    def __init__(self, embedder: SpeakerEmbedder, options: DiarizeOptions | None = None) -> None:
        self.embedder = embedder
        self.options = options or DiarizeOptions()

    def diarize(self, audio: np.ndarray, sample_rate: int,
                progress: Callable[[float], None] | None = None) -> list[SpeakerTurn]:
        """Turns sorted by start; ``progress`` (optional) gets the share done, 0-1, as it goes."""
        if sample_rate != SAMPLE_RATE:
            raise ValueError(f"diarization needs {SAMPLE_RATE} Hz audio, got {sample_rate} Hz")
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        # 30 s blocks: the detector copies what it is fed, and a long recording is big.
        block = 30 * SAMPLE_RATE
        speech = detect_speech(audio[i : i + block] for i in range(0, audio.size, block))
        if not speech:
            return []
        features = log_mel(audio, gain=speech_gain(audio, speech))
        if len(features) == 0:
            return []
        if len(features) < WINDOW_FRAMES:  # under 0.8 s: repeat the last frame to fill one window
            features = np.concatenate([features, np.repeat(features[-1:], WINDOW_FRAMES - len(features), axis=0)])
        regions = [(int(r.start / FRAME_S), min(len(features), int(np.ceil(r.end / FRAME_S)))) for r in speech]
        regions = [(a, b) for a, b in regions if b > a]
        if not regions:
            return []
        opts = self.options
        speech_frames = sum(b - a for a, b in regions)
        stride = max(5, min(round(opts.stride_s / FRAME_S), speech_frames // _MIN_WINDOWS))
        starts = window_starts(regions, len(features), stride)
        labels = cluster(self.embedder.embed(features, starts, progress), opts.num_speakers, opts.max_speakers)
        return bridge(frame_turns(regions, starts, labels, round(opts.min_turn_s / FRAME_S)), opts.bridge_s)


def load_diarizer(num_speakers: int | None = None, max_speakers: int = 2, threads: int = 2) -> Diarizer:
    """The offline diarizer; a one-line :class:`~voice_coach.errors.ModelError` if its model is missing."""
    options = DiarizeOptions(num_speakers=num_speakers, max_speakers=max(max_speakers, num_speakers or 1))
    return EmbeddingDiarizer(SpeakerEmbedder(threads=threads), options)
