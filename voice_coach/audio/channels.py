"""The two sides of a stereo call recording, each with only its own voice.

A call recorder puts each speaker on their own channel, but the other side usually leaks
in: through the headset (echo), or because the recorder mixes a little of the far end in.
At -20 dB that leak is loud enough for the voice detector and the recogniser, and the
interviewer's question would be transcribed a second time as the candidate's words. So a
side is kept only where it is the louder one (or within ``margin_db`` of it, when both
talk at once); where the other side is much louder, it is silenced.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from voice_coach.audio import SAMPLE_RATE
from voice_coach.audio.decode import iter_pcm

FRAME_S = 0.03
"""Frames the gate decides on: the voice detector's own (30 ms)."""


def channels_differ(path: Path, probe_s: float = 120.0, same_db: float = -30.0) -> bool:
    """Whether a file's two channels carry different signals (not one mix saved twice).

    Compares the first ``probe_s`` seconds: the difference between the channels must be
    louder than ``same_db`` relative to the channels themselves.
    """
    diff = total = 0.0
    seen = 0
    for left, right in zip(iter_pcm(path, 10.0, channel=0), iter_pcm(path, 10.0, channel=1), strict=False):
        n = min(left.size, right.size)
        a, b = left[:n].astype(np.float64), right[:n].astype(np.float64)
        diff += float(np.dot(a - b, a - b))
        total += float(np.dot(a, a) + np.dot(b, b))
        seen += n
        if seen >= probe_s * SAMPLE_RATE:
            break
    if total <= 0.0:
        return False
    return bool(10.0 * np.log10(max(diff, 1e-12) / total) > same_db)


def gate(own: np.ndarray, other: np.ndarray, margin_db: float = 12.0) -> np.ndarray:
    """``own`` with the frames where ``other`` is more than ``margin_db`` louder silenced."""
    n = min(own.size, other.size)
    frame = int(FRAME_S * SAMPLE_RATE)
    out = own.astype(np.float32, copy=True)
    frames = -(-n // frame)  # the last, partial frame too
    pad = frames * frame - n
    a = np.pad(own[:n].astype(np.float64), (0, pad)).reshape(-1, frame)
    b = np.pad(other[:n].astype(np.float64), (0, pad)).reshape(-1, frame)
    ea, eb = np.mean(a * a, axis=1) + 1e-12, np.mean(b * b, axis=1) + 1e-12
    for i in np.flatnonzero(10.0 * np.log10(eb / ea) > margin_db):
        out[i * frame : min(n, (i + 1) * frame)] = 0.0
    return out


def side(path: Path, channel: int, margin_db: float = 12.0, block_s: float = 30.0) -> Iterator[np.ndarray]:
    """One side of a stereo file as 16 kHz float32 blocks, the other side's leak silenced."""
    others = iter_pcm(path, block_s, channel=1 - channel)
    for own in iter_pcm(path, block_s, channel=channel):
        other = next(others, None)
        if other is None:
            yield own
            continue
        yield gate(own, other, margin_db)
