"""The recording on disk: a 16-bit mono WAV written as it is recorded, and its repair after a crash.

Nothing is lost: :class:`WavWriter` appends every sample to disk as it arrives and rewrites
the WAV header every second, so a crash leaves a playable file (:func:`repair_wav` fixes
the last second's header) and Ctrl-C or a vanished device keeps everything said so far.
"""

from __future__ import annotations

import contextlib
import os
import struct
from pathlib import Path
from typing import Any

import numpy as np

from voice_coach.audio.vad import SAMPLE_RATE

_HEADER = 44


class WavWriter:
    """16-bit mono WAV written incrementally: created on the first sample, 0600.

    The RIFF sizes are rewritten every ``header_every_s`` of audio and the data fsynced
    every ``fsync_every_s``, so at any moment the file on disk is a valid WAV holding all
    but (at most) the last second; :meth:`close` makes it exact.
    """

    def __init__(self, path: Path, sample_rate: int = SAMPLE_RATE, header_every_s: float = 1.0,
                 fsync_every_s: float = 5.0) -> None:
        self.path = Path(path)
        self.sample_rate = sample_rate
        self.samples = 0
        self._fh: Any = None
        self._header_every = int(header_every_s * sample_rate)
        self._fsync_every = int(fsync_every_s * sample_rate)
        self._since_header = 0
        self._since_fsync = 0
        self.error: OSError | None = None  # set when the disk refused a write (full disk)

    @property
    def opened(self) -> bool:
        """Whether the file exists (something was written)."""
        return self._fh is not None

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._fh = os.fdopen(fd, "wb")
        self._fh.write(_wav_header(0, self.sample_rate))
        self._fh.flush()

    def write(self, samples: np.ndarray) -> None:
        """Append float32 samples in -1..1; flushed to the OS at once."""
        if samples.size == 0 or self.error is not None:
            return  # after a failed write, later audio is dropped; what is on disk stays
        if self._fh is None:
            self._open()
        pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
        try:
            self._fh.write(pcm.tobytes())
            self._fh.flush()  # a crash of this process now loses nothing the OS has
        except OSError as err:
            self._salvage(err)
        self.samples += samples.size
        self._since_header += samples.size
        self._since_fsync += samples.size
        if self._since_header >= self._header_every:
            self._fix_header()
        if self._since_fsync >= self._fsync_every:
            os.fsync(self._fh.fileno())
            self._since_fsync = 0

    def _salvage(self, err: OSError) -> None:
        """The disk refused a write (full, quota, I/O error): keep every whole sample already
        written, make the header match them, and stop with one clear error.

        Works on the file descriptor directly: the buffered writer still holds the bytes the
        disk refused, and rewriting the header in place needs no new disk space.
        """
        self.error = err
        fd = self._fh.fileno()
        good = self.samples * 2
        with contextlib.suppress(OSError):
            os.ftruncate(fd, _HEADER + good)
        with contextlib.suppress(OSError):
            os.pwrite(fd, _wav_header(good, self.sample_rate), 0)
        with contextlib.suppress(OSError):
            os.fsync(fd)
        with contextlib.suppress(OSError, ValueError):
            self._fh.close()  # its flush of the refused bytes fails again; the fd is closed anyway
        self._fh = None
        from voice_coach.errors import StoreError

        raise StoreError(
            f"{self.path}: cannot write the recording ({err.strerror or err}); recording stopped, "
            f"and the {self.samples / self.sample_rate:.1f} s recorded so far are kept in that file"
        ) from None

    def _fix_header(self) -> None:
        # The header describes what is in the file, not what was counted: a signal landing
        # between a block's write and its count (Ctrl-C mid-answer) must not leave the two
        # apart, so the count follows the file position.
        pos = self._fh.tell()
        self.samples = max(0, (pos - _HEADER) // 2)
        self._fh.seek(0)
        self._fh.write(_wav_header(self.samples * 2, self.sample_rate))
        self._fh.seek(pos)
        self._fh.flush()
        self._since_header = 0

    def truncate(self, samples: int) -> None:
        """Cut the file to its first ``samples`` samples (drops the end-of-answer wait)."""
        if self._fh is None or samples >= self.samples:
            return
        samples = max(0, samples)
        self._fh.flush()
        self._fh.truncate(_HEADER + samples * 2)
        self._fh.seek(_HEADER + samples * 2)
        self.samples = samples
        self._fix_header()

    def close(self) -> Path | None:
        """Fix the header, fsync and close; the path, or ``None`` if nothing was written."""
        if self._fh is None:
            return self.path if self.error is not None else None
        with contextlib.suppress(OSError, ValueError):
            self._fix_header()
            os.fsync(self._fh.fileno())
        self._fh.close()
        self._fh = None
        return self.path


def _wav_header(data_bytes: int, rate: int) -> bytes:
    return (b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE"
            + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
            + b"data" + struct.pack("<I", data_bytes))


def repair_wav(path: Path) -> bool:
    """Make a WAV left by a killed recorder consistent with its size; ``True`` if changed.

    Only files this module wrote (a 44-byte PCM header) are touched.
    """
    try:
        size = path.stat().st_size
        with path.open("r+b") as fh:
            head = fh.read(_HEADER)
            if len(head) < _HEADER or head[:4] != b"RIFF" or head[8:16] != b"WAVEfmt " or head[36:40] != b"data":
                return False
            data = (size - _HEADER) // 2 * 2
            if struct.unpack("<I", head[40:44])[0] == data:
                return False
            rate = struct.unpack("<I", head[24:28])[0]
            fh.seek(0)
            fh.write(_wav_header(data, rate))
            if size != _HEADER + data:
                fh.truncate(_HEADER + data)
        return True
    except OSError:
        return False
