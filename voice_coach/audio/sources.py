"""Where recorded frames come from: a microphone (:class:`MicSource`) or a file replayed
through the same loop (:class:`FileSource`).

The microphone is the hardest part to test, so almost nothing lives here: :class:`MicSource`
only copies PortAudio's blocks into a queue and notices when they stop coming.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from typing import Any, Protocol

import numpy as np

from voice_coach.audio.vad import SAMPLE_RATE
from voice_coach.errors import DeviceError


class FrameSource(Protocol):
    """Where frames come from: a microphone, or a file replayed through the same loop."""

    def read(self, timeout: float) -> np.ndarray | None:
        """The next block of 16 kHz mono float32, ``None`` if none arrived in ``timeout``.

        Raises :class:`EOFError` at the end of a file and :class:`DeviceError` when a device fails.
        """
        ...


class FileSource:
    """Replay audio (an array) in ``block_s`` blocks, in real time (``speed=1``) or faster (0: no wait)."""

    def __init__(self, audio: np.ndarray, block_s: float = 0.03, speed: float = 0.0) -> None:
        self.audio = audio.astype(np.float32, copy=False)
        self.block = max(1, int(block_s * SAMPLE_RATE))
        self.speed = speed
        self._pos = 0
        self._t0 = time.monotonic()

    def read(self, timeout: float) -> np.ndarray | None:
        """The next block; raises :class:`EOFError` when the audio is used up."""
        if self._pos >= self.audio.size:
            raise EOFError
        if self.speed > 0:
            due = self._t0 + self._pos / SAMPLE_RATE / self.speed
            wait = due - time.monotonic()
            if wait > timeout:
                time.sleep(timeout)
                return None
            if wait > 0:
                time.sleep(wait)
        block = self.audio[self._pos : self._pos + self.block]
        self._pos += block.size
        return block


class MicSource:
    """A sounddevice input stream as a queue of blocks: the callback only copies.

    Opens at 16 kHz mono; a device that refuses 16 kHz is opened at its own rate and
    resampled here. The first ``settle_s`` seconds are dropped (start-up click, the end of
    the start beep). Two different silences of the device raise :class:`DeviceError` from
    :meth:`read`: no audio at all within ``start_grace_s`` of opening (some devices, a
    PulseAudio server still starting, take seconds to deliver the first block; after that
    long it is not coming: muted, switched off, or held by another program), and a stream
    that stops delivering for ``stall_s`` once it had started (unplugged, suspended).
    """

    def __init__(self, device: int | None = None, block_s: float = 0.03, stall_s: float = 2.0,
                 settle_s: float = 0.2, start_grace_s: float = 10.0, name: str | None = None) -> None:
        from voice_coach.audio.devices import sounddevice

        self._sd = sounddevice()
        self.device = device
        self.name = name
        self.block_s = block_s
        self.stall_s = stall_s
        self.start_grace_s = start_grace_s
        self.overflows = 0
        self.first_block_s: float | None = None  # seconds from opening to the first block
        self._settle = int(settle_s * SAMPLE_RATE)
        self._q: queue.Queue[np.ndarray] = queue.Queue()
        self._stream: Any = None
        self._resampler: Any = None
        self._opened = time.monotonic()
        self._last = time.monotonic()
        self._finished = threading.Event()

    def __enter__(self) -> MicSource:
        sd = self._sd
        rate = SAMPLE_RATE
        try:
            sd.check_input_settings(device=self.device, samplerate=SAMPLE_RATE, channels=1, dtype="float32")
        except Exception:
            info = sd.query_devices(self.device, "input")
            rate = int(info["default_samplerate"])
            self._resampler = _StreamResampler(rate)
        try:
            self._stream = sd.InputStream(
                device=self.device, samplerate=rate, channels=1, dtype="float32",
                blocksize=int(self.block_s * rate), callback=self._callback,
                finished_callback=self._finished.set,
            )
            self._stream.start()
        except Exception as err:
            from voice_coach.audio.devices import NO_MIC_HINT

            raise DeviceError(f"cannot open the microphone ({err}); check `voice-coach devices`, "
                              f"or {NO_MIC_HINT}") from None
        self._opened = self._last = time.monotonic()
        return self

    def _callback(self, indata: np.ndarray, frames: int, when: Any, status: Any) -> None:
        # Runs on PortAudio's thread: copy and go, never block.
        if status and status.input_overflow:
            self.overflows += 1
        self._q.put(indata[:, 0].copy())

    def read(self, timeout: float) -> np.ndarray | None:
        """The next block, ``None`` on a short wait, :class:`DeviceError` when the device is gone."""
        try:
            block = self._q.get(timeout=timeout)
        except queue.Empty:
            self._check_silence()
            return None
        self._last = time.monotonic()
        if self.first_block_s is None:
            self.first_block_s = self._last - self._opened
        block = self._resampler.process(block) if self._resampler is not None else block
        if self._settle > 0:
            # The first blocks after opening carry the stream's start-up click and the tail
            # of the start beep still in the output pipeline: not the candidate.
            drop = min(self._settle, block.size)
            self._settle -= drop
            block = block[drop:]
        return block

    def _check_silence(self) -> None:
        """Raise :class:`DeviceError` if the device has been silent too long (see the class)."""
        waited = time.monotonic() - self._last
        if self.first_block_s is None:
            if self._finished.is_set() or waited > self.start_grace_s:
                device = f"'{self.name}'" if self.name else ("the default" if self.device is None
                                                            else f"number {self.device}")
                raise DeviceError(
                    f"the microphone ({device}) delivered no audio in the {waited:.0f} s after it was "
                    "opened; check that it is plugged in and switched on, not muted, and not in use by "
                    "another program (`voice-coach devices` lists microphones; --device picks one)")
        elif self._finished.is_set() or waited > self.stall_s:
            raise DeviceError("the microphone stopped delivering audio (unplugged or taken by "
                              "another program?)")

    def __exit__(self, *exc: object) -> None:
        if self._stream is not None:
            with contextlib.suppress(Exception):
                self._stream.abort()
            with contextlib.suppress(Exception):
                self._stream.close()
            self._stream = None


class _StreamResampler:
    """Stateful resampling of consecutive blocks to 16 kHz (FFmpeg's resampler via PyAV)."""

    def __init__(self, rate: int) -> None:
        import av

        self.rate = rate
        self._r = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        self._pts = 0

    def process(self, block: np.ndarray) -> np.ndarray:
        import av

        pcm = (np.clip(block, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = self.rate
        frame.pts = self._pts
        self._pts += block.size
        out = [f.to_ndarray().reshape(-1) for f in self._r.resample(frame)]
        return (np.concatenate(out).astype(np.float32) / 32768.0) if out else np.zeros(0, np.float32)
