"""The review page's audio: embedded as a ``data:`` URI, or written next to the page when large.

Formats browsers cannot play are re-encoded to 16 kHz mono WAV on the way (see
:func:`audio_source`); :mod:`voice_coach.report.html` only places the result in an ``<audio>``.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EMBED_LIMIT_BYTES = 40_000_000
"""Audio larger than this is written next to the page instead of embedded: base64 grows it
by a third and a browser holds the whole page in memory (40 MB is ~20 min of 16 kHz WAV)."""

# Browsers play these as they are; anything else (m4a, mkv, mov ...) is re-encoded to a
# 16 kHz mono WAV, which every browser plays and which is small enough for speech.
PLAYABLE = {".wav": "audio/wav", ".flac": "audio/flac", ".mp3": "audio/mpeg", ".ogg": "audio/ogg",
            ".oga": "audio/ogg", ".opus": "audio/ogg", ".webm": "audio/webm"}


@dataclass(frozen=True)
class AudioSource:
    """Where the page's audio comes from: a data URI to embed, or a relative link."""

    src: str
    mime: str


def audio_source(path: Path, page: Path | None = None, embed_limit: int = EMBED_LIMIT_BYTES) -> AudioSource:
    """Make ``path`` playable from the page: embedded, or written next to ``page`` if large.

    Formats browsers cannot play are re-encoded to 16 kHz mono WAV, streamed block by block,
    so a two-hour call recording never sits in memory whole. Raises
    :class:`~voice_coach.errors.InputError` when the audio cannot be read or decoded.
    """
    import shutil
    from urllib.parse import quote

    from voice_coach.errors import InputError

    suffix = path.suffix.lower()
    playable = suffix in PLAYABLE
    mime = PLAYABLE.get(suffix, "audio/wav")
    try:
        if playable:
            size = path.stat().st_size
        else:
            from voice_coach.audio.decode import SAMPLE_RATE, probe

            duration = probe(path).duration
            size = 44 + int((duration or 0.0) * SAMPLE_RATE * 2)  # 16-bit mono WAV
    except OSError as err:
        raise InputError(f"{path}: cannot read the recording ({err.strerror or err})") from None
    if size > embed_limit and page is not None:
        # Too big to embed: put the audio beside the page, linked relatively, so the pair
        # still works offline when moved together.
        beside = page.with_name(page.stem + (suffix if playable else ".wav"))
        try:
            if playable:
                shutil.copyfile(path, beside)
            else:
                with beside.open("wb") as fh:
                    _write_wav(path, fh)
        except OSError as err:
            raise InputError(f"{beside}: cannot write the audio ({err.strerror or err})") from None
        return AudioSource(quote(beside.name), mime)
    if playable:
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InputError(f"{path}: cannot read the recording ({err.strerror or err})") from None
    else:
        buf = io.BytesIO()
        _write_wav(path, buf)
        data = buf.getvalue()
    return AudioSource(f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}", mime)


def _write_wav(path: Path, fh: Any) -> None:
    """Decode any input into ``fh`` as a 16 kHz mono 16-bit WAV, one block at a time."""
    import wave

    import numpy as np

    from voice_coach.audio.decode import SAMPLE_RATE, iter_pcm

    with wave.open(fh, "wb") as wf:
        wf.setnchannels(1)
        wf.setsampwidth(2)
        wf.setframerate(SAMPLE_RATE)
        for block in iter_pcm(path):
            wf.writeframes((np.clip(block, -1.0, 1.0) * 32767).astype("<i2").tobytes())
