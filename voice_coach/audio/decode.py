"""Decode any common audio or video file to 16 kHz mono float32, in bounded memory.

PyAV (the FFmpeg bindings faster-whisper itself uses) reads wav, flac, mp3, m4a, ogg,
webm and the audio track of mp4/mov/mkv. :func:`iter_pcm` streams the file block by block,
so a two-hour recording never sits in memory at once; :func:`load_audio` is the
convenience for short clips. Every way a file can be wrong ends in one
:class:`~voice_coach.errors.InputError` with a readable message.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from voice_coach.audio import SAMPLE_RATE
from voice_coach.errors import InputError

# For listing directories in batch runs; decoding itself trusts the content, not the name.
AUDIO_SUFFIXES = frozenset(
    (".wav", ".wave", ".flac", ".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".webm",
     ".mp4", ".mov", ".mkv", ".wma", ".aiff", ".aif", ".caf")
)


@dataclass(frozen=True)
class AudioInfo:
    """What the container says about a file before decoding it."""

    duration: float | None
    sample_rate: int | None
    channels: int | None
    codec: str | None


def check_readable(path: Path) -> None:
    """Raise :class:`InputError` unless ``path`` is a non-empty, readable regular file."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a file")
    if not os.access(path, os.R_OK):
        raise InputError(f"{path}: permission denied")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty (0 bytes)")


def _open(path: Path) -> Any:
    import av  # lazy: PyAV pulls in FFmpeg's libraries

    check_readable(path)
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as err:
        from voice_coach.checks import sniff_content

        what = sniff_content(path)
        if what:
            hint = f"it is {what}"
        elif isinstance(err, av.error.InvalidDataError):
            hint = "the data is corrupt, truncated, or not audio"
        else:
            hint = _short(err)
        raise InputError(f"{path}: not a readable audio file ({hint})") from None
    except OSError as err:
        raise InputError(f"{path}: cannot open ({err.strerror or err})") from None
    if not container.streams.audio:
        container.close()
        raise InputError(f"{path}: the file has no audio track")
    return container


def _short(err: BaseException) -> str:
    # FFmpeg errors end with the file name (": '/path'"); their strerror is the useful part.
    text = getattr(err, "strerror", None) or str(err).split(":")[-1].strip() or type(err).__name__
    return text[:120]


def probe(path: Path) -> AudioInfo:
    """Read the container header: duration, native rate and channels, without decoding."""
    container = _open(path)
    try:
        stream = container.streams.audio[0]
        duration = None
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / 1_000_000
        ctx = stream.codec_context
        return AudioInfo(duration, ctx.sample_rate or None, ctx.channels or None, ctx.name)
    finally:
        container.close()


def iter_pcm(path: Path, block_s: float = 30.0, channel: int | None = None) -> Iterator[np.ndarray]:
    """Yield the file as 16 kHz mono float32 blocks of about ``block_s`` seconds.

    Stereo is averaged to mono, unless ``channel`` (0 left, 1 right) picks one side: a call
    recorder puts each speaker on their own channel (``voice-coach interview``); a mono
    file gives the same samples for either. Any native rate is resampled. A file that is cut short
    (a truncated download, a recording stopped by a crash) yields what decodes and stops,
    because a half answer is still worth analysing.
    """
    import av

    container = _open(path)
    block = int(block_s * SAMPLE_RATE)
    pending: list[np.ndarray] = []
    have = 0
    decoded_any = False
    try:
        stream = container.streams.audio[0]
        if channel is None:
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        else:  # planar stereo: one row per side
            resampler = av.AudioResampler(format="s16p", layout="stereo", rate=SAMPLE_RATE)
        try:
            frames = container.decode(stream)
            while True:
                try:
                    frame = next(frames)
                except StopIteration:
                    break
                except av.error.InvalidDataError:
                    if decoded_any:
                        break  # truncated tail: keep what decoded
                    raise
                for out in resampler.resample(frame):
                    arr = _samples(out, channel)
                    pending.append(arr)
                    have += arr.size
                    decoded_any = True
                while have >= block:
                    joined = np.concatenate(pending)
                    yield joined[:block].astype(np.float32) / 32768.0
                    rest = joined[block:]
                    pending, have = ([rest] if rest.size else []), rest.size
            for out in resampler.resample(None):
                pending.append(_samples(out, channel))
        except (av.FFmpegError, ValueError) as err:
            if not decoded_any:
                raise InputError(f"{path}: cannot decode audio ({_short(err)})") from None
        if pending:
            joined = np.concatenate(pending)
            if joined.size:
                yield joined.astype(np.float32) / 32768.0
        if not decoded_any:
            raise InputError(f"{path}: no audio could be decoded (corrupt or truncated file)")
    finally:
        container.close()


def _samples(frame: Any, channel: int | None) -> np.ndarray:
    """A resampled frame's int16 samples: the mono mix, or one row of planar stereo."""
    arr = frame.to_ndarray()
    return arr.reshape(-1) if channel is None else arr[channel].reshape(-1)


def load_audio(path: Path) -> np.ndarray:
    """Decode a whole file to one 16 kHz mono float32 array (for short clips)."""
    blocks = list(iter_pcm(path))
    return np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)


def write_wav(path: Path, audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> None:
    """Write float32 mono audio in -1..1 as a 16-bit PCM WAV file."""
    import wave

    pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as wf:
        wf.setnchannels(1)
        wf.setsampwidth(2)
        wf.setframerate(sample_rate)
        wf.writeframes(pcm.tobytes())
