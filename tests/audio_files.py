"""Write test audio in many containers and codecs with PyAV (no external tools)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

# suffix -> (container format, audio codec, add a video track)
FORMATS: dict[str, tuple[str, str, bool]] = {
    ".wav": ("wav", "pcm_s16le", False),
    ".flac": ("flac", "flac", False),
    ".mp3": ("mp3", "libmp3lame", False),
    ".m4a": ("ipod", "aac", False),
    ".ogg": ("ogg", "libopus", False),
    ".webm": ("webm", "libopus", False),
    ".mp4": ("mp4", "aac", True),
    ".mov": ("mov", "aac", True),
    ".mkv": ("matroska", "libopus", True),
}


def _resample_linear(audio: np.ndarray, rate: int, target: int) -> np.ndarray:
    if rate == target:
        return audio
    n = round(audio.size * target / rate)
    return np.interp(np.linspace(0, audio.size - 1, n), np.arange(audio.size), audio).astype(np.float32)


def write_audio(path: Path, audio16k: np.ndarray, rate: int = 16_000, channels: int = 1) -> Path:
    """Encode 16 kHz mono float audio into ``path`` (format from its suffix) at ``rate``/``channels``."""
    import av

    fmt, codec, video = FORMATS[path.suffix.lower()]
    audio = _resample_linear(audio16k, 16_000, rate)
    if codec == "libopus" and rate not in (8000, 12000, 16000, 24000, 48000):
        rate, audio = 48000, _resample_linear(audio16k, 16_000, 48000)
    pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16)
    layout = "mono" if channels == 1 else "stereo"
    with av.open(str(path), "w", format=fmt) as out:
        astream: Any = out.add_stream(codec, rate=rate, layout=layout)
        vstream: Any = None
        if video:
            vstream = out.add_stream("mpeg4", rate=5)
            vstream.width, vstream.height, vstream.pix_fmt = 64, 48, "yuv420p"
        frame_size = astream.codec_context.frame_size or 1024
        inter = np.repeat(pcm, channels).reshape(1, -1) if channels > 1 else pcm.reshape(1, -1)
        step = frame_size * channels
        pts = 0
        for i in range(0, inter.shape[1], step):
            chunk = inter[:, i : i + step]
            if chunk.shape[1] < step and codec != "pcm_s16le" and codec != "flac":
                chunk = np.pad(chunk, ((0, 0), (0, step - chunk.shape[1])))
            frame = av.AudioFrame.from_ndarray(chunk, format="s16", layout=layout)
            frame.sample_rate = rate
            frame.pts = pts
            frame.time_base = Fraction(1, rate)
            pts += chunk.shape[1] // channels
            for packet in astream.encode(frame):
                out.mux(packet)
        for packet in astream.encode(None):
            out.mux(packet)
        if vstream is not None:
            seconds = int(np.ceil(audio.size / rate))
            for k in range(seconds * 5):
                img = np.full((48, 64, 3), (k * 7) % 255, np.uint8)
                vf = av.VideoFrame.from_ndarray(img, format="rgb24")
                vf.pts = k
                for packet in vstream.encode(vf):
                    out.mux(packet)
            for packet in vstream.encode(None):
                out.mux(packet)
    return path
