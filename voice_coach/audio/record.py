"""Recording a spoken answer: a push-based endpointing state machine, an incremental WAV
writer, and thin adapters from a microphone (or a file) to both.

Why this shape: the microphone is the hardest part to test, so almost nothing lives there.
:class:`MicSource` only copies PortAudio's blocks into a queue. Everything that decides
(when the answer starts, when a thinking pause is just a pause, when the answer is over)
is :class:`Recorder`, which is fed frames with ``feed(frame) -> events``. Tests replay a WAV
file through :class:`FileSource` and :func:`capture`: exactly the loop a microphone uses.

Endpointing uses the project's VAD (:mod:`voice_coach.audio.vad`, WebRTC in 30 ms frames
plus an energy gate): the answer starts at the first sustained speech; it ends after
``silence_stop_s`` of silence (long enough for thinking pauses), at ``max_duration_s``, or
when the caller calls :meth:`Recorder.stop` (Enter, Ctrl-C, a lost device).

Nothing is lost: :class:`WavWriter` appends every sample to disk as it arrives and rewrites
the WAV header every second, so a crash leaves a playable file (:func:`repair_wav` fixes
the last second's header) and Ctrl-C or a vanished device keeps everything said so far.
"""

from __future__ import annotations

import contextlib
import os
import queue
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from voice_coach.audio.vad import SAMPLE_RATE, SpeechDetector, VadOptions
from voice_coach.errors import DeviceError
from voice_coach.transcript import SpeechRegion

EndReason = Literal["silence", "max_duration", "no_speech", "enter", "interrupted", "device_lost", "end_of_input"]


@dataclass(frozen=True)
class RecorderOptions:
    """When an answer starts and stops.

    Attributes:
        silence_stop_s: this much silence after speech ends the answer. Four seconds by
            default: candidates pause for two or three seconds to think mid-answer, and
            cutting them off then would be the worst thing a coach can do.
        max_duration_s: the answer is stopped at this length, whatever happens.
        no_speech_timeout_s: give up if nobody has spoken for this long after the start cue.
        start_min_speech_s: this much speech (within one VAD region) starts the answer, so
            a click or a chair creak does not.
        pre_roll_s: audio kept from before the detected start; speech onsets are quiet and
            the VAD confirms them a few frames late.
        tail_keep_s: silence kept after the last speech when the answer ends on silence;
            the rest of the ``silence_stop_s`` wait is trimmed so the duration is the answer's.
        vad: the speech detector's thresholds (shared with ``analyze``).
    """

    silence_stop_s: float = 4.0
    max_duration_s: float = 600.0
    no_speech_timeout_s: float = 60.0
    start_min_speech_s: float = 0.15
    pre_roll_s: float = 0.3
    tail_keep_s: float = 0.5
    vad: VadOptions = field(default_factory=VadOptions)


@dataclass(frozen=True)
class Started:
    """The answer began; ``offset_s`` is where, in recording time (answer time 0)."""

    offset_s: float


@dataclass(frozen=True)
class RegionClosed:
    """The VAD closed a speech region (answer time); the audio before it will not change."""

    region: SpeechRegion


@dataclass(frozen=True)
class Ended:
    """The answer is over, for ``reason``, at answer time ``t``."""

    reason: EndReason
    t: float


Event = Started | RegionClosed | Ended


@dataclass(frozen=True)
class Recording:
    """A finished recording.

    Attributes:
        path: the WAV file (``None`` when nobody spoke, so nothing was written).
        duration: answer length in seconds (after trimming the end-of-answer silence).
        speech_regions: VAD speech regions on the answer's timeline.
        reason: why recording stopped.
        offset_s: where the answer began in the raw recording.
    """

    path: Path | None
    duration: float
    speech_regions: tuple[SpeechRegion, ...]
    reason: EndReason
    offset_s: float

    @property
    def has_speech(self) -> bool:
        """Whether the answer contains any speech at all."""
        return bool(self.speech_regions)


# --------------------------------------------------------------------------- WAV on disk

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
        pos = self._fh.tell()
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


# --------------------------------------------------------------------------- the state machine


class Recorder:
    """Endpointing as a push-based state machine: ``feed(frame) -> events``, then ``finish()``.

    States: *waiting* for speech, *answering*, *ended*. Frames may be any length; the VAD
    works in 30 ms frames internally. Every answer sample (from ``pre_roll_s`` before the
    detected start) goes to ``writer`` and ``on_audio`` as it arrives.
    """

    def __init__(self, options: RecorderOptions | None = None, writer: WavWriter | None = None,
                 on_audio: Callable[[np.ndarray], None] | None = None) -> None:
        self.options = options or RecorderOptions()
        self.writer = writer
        self.on_audio = on_audio
        self.detector = SpeechDetector(self.options.vad)
        self.frame_s = self.detector.classifier.frame_len / SAMPLE_RATE
        self.state: Literal["waiting", "answering", "ended"] = "waiting"
        self.level_db = -120.0
        self.speaking = False
        self.reason: EndReason | None = None
        self.error: str | None = None
        self._t = 0.0  # recording time of the VAD's next frame
        self._total = 0  # samples fed
        self._offset = 0  # sample index where the answer starts
        self._sent = 0  # samples passed on to writer/on_audio
        # Samples not yet passed on: while waiting, a rolling window (the pre-roll source);
        # while answering, only the block being fed.
        self._pre: deque[np.ndarray] = deque()
        self._pre_len = 0
        self._keep_pre = int((self.options.pre_roll_s + 1.0) * SAMPLE_RATE)
        self._run_speech_s = 0.0
        self._run_start = 0.0
        self._last_speech = 0.0
        self._closed_seen = 0
        self._end_t: float | None = None
        self._started = False

    # answer-time helpers -------------------------------------------------
    @property
    def offset_s(self) -> float:
        """Where the answer starts in recording time."""
        return self._offset / SAMPLE_RATE

    @property
    def elapsed(self) -> float:
        """Seconds of audio fed so far (recording time)."""
        return self._total / SAMPLE_RATE

    @property
    def answer_elapsed(self) -> float:
        """Seconds since the answer started (0 while waiting)."""
        return max(0.0, self.elapsed - self.offset_s) if self._started else 0.0

    @property
    def silence_s(self) -> float:
        """Seconds since the last speech (0 while waiting)."""
        return max(0.0, self._t - self._last_speech) if self.state == "answering" else 0.0

    def _shift(self, r: SpeechRegion) -> SpeechRegion | None:
        off = self.offset_s
        if r.end <= off:
            return None
        return SpeechRegion(round(max(0.0, r.start - off), 3), round(r.end - off, 3))

    # the machine ----------------------------------------------------------
    def feed(self, frame: np.ndarray) -> list[Event]:
        """Push the next samples (16 kHz mono float32); returns what happened."""
        if self.state == "ended" or frame.size == 0:
            return []
        frame = frame.astype(np.float32, copy=False).reshape(-1)
        events: list[Event] = []
        self._total += frame.size
        self._buffer(frame)
        for is_speech, level in self._decisions(frame):
            t0, t1 = self._t, self._t + self.frame_s
            self._t = t1
            self.level_db = level
            builder = self.detector.builder
            if not builder.in_speech:
                self._run_speech_s = 0.0
            if is_speech:
                if self._run_speech_s == 0.0:
                    self._run_start = t0
                self._run_speech_s += self.frame_s
                # A run too short to be a word (a click) neither starts nor prolongs an answer.
                if self._run_speech_s >= self.options.vad.min_speech_s - 1e-9:
                    self._last_speech = t1
            self.speaking = builder.in_speech and self._run_speech_s > 0
            if self.state == "waiting":
                if self._run_speech_s >= self.options.start_min_speech_s - 1e-9:
                    self._start(events)
                elif self._t >= self.options.no_speech_timeout_s:
                    self._end("no_speech", events)
                    break
            if self.state == "answering":
                events.extend(self._new_regions())
                if self._t - self._last_speech >= self.options.silence_stop_s:
                    self._end("silence", events)
                    break
                if self._t - self.offset_s >= self.options.max_duration_s:
                    self._end("max_duration", events)
                    break
        self._flush_audio()
        return events

    def _decisions(self, frame: np.ndarray) -> Iterator[tuple[bool, float]]:
        """VAD decisions one frame at a time, so the region builder's state is per frame."""
        n = self.detector.classifier.frame_len
        for i in range(0, frame.size, n):
            # At most one whole frame completes per call: the detector holds < n samples.
            yield from self.detector.feed(frame[i : i + n])

    def _buffer(self, frame: np.ndarray) -> None:
        self._pre.append(frame)
        self._pre_len += frame.size
        if self.state == "waiting":
            while self._pre and self._pre_len - self._pre[0].size >= self._keep_pre:
                self._pre_len -= self._pre.popleft().size

    def _flush_audio(self) -> None:
        """Pass on answer samples: from the answer start up to now (or the end decision)."""
        if not self._started:
            return
        limit = self._total if self._end_t is None else min(self._total, round(self._end_t * SAMPLE_RATE))
        pos = self._total - self._pre_len  # sample index of self._pre[0]
        out: list[np.ndarray] = []
        for chunk in self._pre:
            lo, hi = max(pos, self._sent), min(pos + chunk.size, limit)
            if hi > lo:
                out.append(chunk[lo - pos : hi - pos])
                self._sent = hi
            pos += chunk.size
        self._pre.clear()
        self._pre_len = 0
        if out:
            audio = np.concatenate(out)
            if self.writer is not None:
                self.writer.write(audio)
            if self.on_audio is not None:
                self.on_audio(audio)

    def _start(self, events: list[Event]) -> None:
        start = max(0.0, self._run_start - self.options.pre_roll_s)
        earliest = (self._total - self._pre_len) / SAMPLE_RATE
        self._offset = round(max(start, earliest) * SAMPLE_RATE)
        self._sent = self._offset
        self._started = True
        self.state = "answering"
        events.append(Started(self.offset_s))

    def _new_regions(self) -> list[Event]:
        closed = self.detector.builder.closed()
        new = closed[self._closed_seen:]
        self._closed_seen = len(closed)
        out: list[Event] = []
        for r in new:
            shifted = self._shift(r)
            if shifted is not None:
                out.append(RegionClosed(shifted))
        return out

    def _end(self, reason: EndReason, events: list[Event]) -> None:
        self.state = "ended"
        self.reason = reason
        self._end_t = self._t
        events.append(Ended(reason, round(max(0.0, self._t - self.offset_s), 3)))

    def stop(self, reason: EndReason) -> list[Event]:
        """End the answer now (Enter, Ctrl-C, a lost device); no-op once ended."""
        if self.state == "ended":
            return []
        events: list[Event] = []
        if self.state == "answering":
            events.extend(self._new_regions())
        self._end_t = self.elapsed
        self._flush_audio()
        self.state = "ended"
        self.reason = reason
        t = self.elapsed - self.offset_s if self._started else 0.0
        events.append(Ended(reason, round(t, 3)))
        return events

    def finish(self) -> Recording:
        """Close the VAD and the file; trim the end-of-answer silence; return the recording."""
        if self.state != "ended":
            self.stop("end_of_input")
        answered = self._started
        regions = [s for r in self.detector.finish() if (s := self._shift(r)) is not None] if answered else []
        duration = max(0.0, (self._sent - self._offset) / SAMPLE_RATE) if answered else 0.0
        if self.reason == "silence" and regions:
            # Drop the wait that decided the answer was over; keep a short natural tail.
            keep = min(duration, regions[-1].end + self.options.tail_keep_s)
            if self.writer is not None:
                self.writer.truncate(round(keep * SAMPLE_RATE))
            duration = keep
        duration = round(duration, 3)
        regions = [SpeechRegion(r.start, min(r.end, duration)) for r in regions if r.start < duration]
        path = self.writer.close() if self.writer is not None else None
        return Recording(path, duration, tuple(regions), self.reason or "end_of_input", round(self.offset_s, 3))


# --------------------------------------------------------------------------- sources


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
    the start beep). A stream that stops delivering for ``stall_s`` (unplugged, suspended)
    raises :class:`DeviceError` from :meth:`read`.
    """

    def __init__(self, device: int | None = None, block_s: float = 0.03, stall_s: float = 2.0,
                 settle_s: float = 0.2) -> None:
        from voice_coach.audio.devices import sounddevice

        self._sd = sounddevice()
        self.device = device
        self.block_s = block_s
        self.stall_s = stall_s
        self.overflows = 0
        self._settle = int(settle_s * SAMPLE_RATE)
        self._q: queue.Queue[np.ndarray] = queue.Queue()
        self._stream: Any = None
        self._resampler: Any = None
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
        self._last = time.monotonic()
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
            if self._finished.is_set() or time.monotonic() - self._last > self.stall_s:
                raise DeviceError("the microphone stopped delivering audio (unplugged or taken by "
                                  "another program?)") from None
            return None
        self._last = time.monotonic()
        block = self._resampler.process(block) if self._resampler is not None else block
        if self._settle > 0:
            # The first blocks after opening carry the stream's start-up click and the tail
            # of the start beep still in the output pipeline: not the candidate.
            drop = min(self._settle, block.size)
            self._settle -= drop
            block = block[drop:]
        return block

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


# --------------------------------------------------------------------------- the loop


def capture(
    source: FrameSource,
    recorder: Recorder,
    on_event: Callable[[Event], None] | None = None,
    on_tick: Callable[[Recorder], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    poll_s: float = 0.05,
) -> Recording:
    """Run ``source`` through ``recorder`` until the answer ends; the one loop for mic and file.

    ``on_event`` sees every event; ``on_tick`` runs after each block or poll timeout (the
    live display); ``should_stop`` returning ``True`` ends the answer as "enter". A device
    failure ends the answer as "device_lost" (the message is in ``recorder.error``) and the
    partial recording is returned, so what was said is kept and analysed. Ctrl-C, SIGTERM or
    a crash close the file as "interrupted" and re-raise.
    """

    def emit(events: list[Event]) -> None:
        if on_event is not None:
            for ev in events:
                on_event(ev)

    try:
        while recorder.state != "ended":
            try:
                block = source.read(poll_s)
            except EOFError:
                emit(recorder.stop("end_of_input"))
                break
            if block is not None:
                emit(recorder.feed(block))
            if should_stop is not None and recorder.state != "ended" and should_stop():
                emit(recorder.stop("enter"))
            if on_tick is not None:
                on_tick(recorder)
    except DeviceError as err:
        # The partial answer is kept and analysed; the caller reports the error afterwards.
        recorder.error = str(err)
        recorder.stop("device_lost")
    except BaseException:  # KeyboardInterrupt, SystemExit from SIGTERM, a crash: keep the audio
        recorder.stop("interrupted")
        recorder.finish()
        raise
    return recorder.finish()


def replay(audio: np.ndarray, options: RecorderOptions | None = None, block_s: float = 0.03,
           writer: WavWriter | None = None) -> tuple[list[Event], Recording]:
    """Replay ``audio`` through a fresh recorder as fast as possible (tests, benchmarks)."""
    events: list[Event] = []
    rec = Recorder(options, writer)
    recording = capture(FileSource(audio, block_s), rec, on_event=events.append)
    return events, recording
