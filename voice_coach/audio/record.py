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

Nothing is lost: :class:`~voice_coach.audio.wavfile.WavWriter` appends every sample to disk
as it arrives (see :mod:`voice_coach.audio.wavfile`); the sources live in
:mod:`voice_coach.audio.sources`. Both are re-exported here.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from voice_coach.audio.sources import FileSource, FrameSource, MicSource
from voice_coach.audio.vad import SAMPLE_RATE, SpeechDetector, VadOptions
from voice_coach.audio.wavfile import WavWriter, repair_wav
from voice_coach.errors import DeviceError
from voice_coach.transcript import SpeechRegion

__all__ = [
    "EndReason",
    "Ended",
    "Event",
    "FileSource",
    "FrameSource",
    "MicSource",
    "Recorder",
    "RecorderOptions",
    "Recording",
    "RegionClosed",
    "Started",
    "WavWriter",
    "capture",
    "repair_wav",
    "replay",
]

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
