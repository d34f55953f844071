"""Speech/silence regions from the audio itself (WebRTC VAD plus an energy gate).

Whisper's word times drift after a silence, so every pause the coach reports is measured
here instead. The detector is push-based: feed it samples as they arrive (from a file
decoder or a live microphone) and read back closed speech regions. The same code serves
``analyze`` and ``practice``.

Each 30 ms frame is speech when WebRTC's VAD says so *and* the frame is louder than an
energy gate. The gate matters: WebRTC's VAD calls faint hiss or room tone speech, which
would hide the very pauses we want to measure. Frame decisions are then smoothed: short
gaps (a stop consonant, a breath) are bridged and tiny blips (a click) dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from voice_coach.audio import SAMPLE_RATE
from voice_coach.transcript import SpeechRegion


@dataclass(frozen=True)
class VadOptions:
    """Thresholds for speech detection. Every number here was checked on TTS and real voices.

    Attributes:
        frame_ms: WebRTC frame length; it accepts 10, 20 or 30 ms at 16 kHz.
        aggressiveness: WebRTC mode 0-3; higher rejects more non-speech.
        energy_gate_db: absolute floor in dBFS: quieter frames are silence whatever the VAD says.
        noise_margin_db: a frame must also be this far above the running noise floor.
        min_silence_s: silences shorter than this are bridged (stops, breaths between words).
        min_speech_s: speech shorter than this is dropped (clicks, pops).
        pad_s: each region is widened by this much on both sides, since onsets and
            releases are quiet.
    """

    frame_ms: int = 30
    aggressiveness: int = 2
    energy_gate_db: float = -50.0
    noise_margin_db: float = 9.0
    min_silence_s: float = 0.3
    min_speech_s: float = 0.12
    pad_s: float = 0.03


def frame_level_db(frame: np.ndarray) -> float:
    """RMS level of a float32 frame in dBFS (-120 for digital silence)."""
    if frame.size == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(frame, dtype=np.float64))))
    return 20.0 * np.log10(rms) if rms > 1e-6 else -120.0


class FrameClassifier:
    """Decide speech/silence for single frames; keeps a running noise-floor estimate."""

    def __init__(self, options: VadOptions | None = None) -> None:
        import webrtcvad  # lazy: a C extension, only needed with audio

        self.options = options or VadOptions()
        self._vad = webrtcvad.Vad(self.options.aggressiveness)
        self.frame_len = SAMPLE_RATE * self.options.frame_ms // 1000
        self.noise_floor_db = -70.0

    def classify(self, frame: np.ndarray) -> tuple[bool, float]:
        """Return ``(is_speech, level_db)`` for one frame of ``frame_len`` samples."""
        level = frame_level_db(frame)
        # The floor tracks quiet frames quickly and loud ones slowly, so it follows room
        # tone without creeping up during long speech.
        rate = 0.2 if level < self.noise_floor_db else 0.002
        self.noise_floor_db += rate * (level - self.noise_floor_db)
        self.noise_floor_db = max(-90.0, min(self.noise_floor_db, -25.0))
        opts = self.options
        if level < opts.energy_gate_db or level < self.noise_floor_db + opts.noise_margin_db:
            return False, level
        pcm = (np.clip(frame, -1.0, 1.0) * 32767).astype("<i2").tobytes()
        return bool(self._vad.is_speech(pcm, SAMPLE_RATE)), level


class RegionBuilder:
    """Turn per-frame decisions into smoothed speech regions, incrementally."""

    def __init__(self, frame_s: float, options: VadOptions | None = None) -> None:
        self.options = options or VadOptions()
        self.frame_s = frame_s
        self._t = 0.0
        self._open_start: float | None = None
        self._last_speech_end = 0.0
        self._closed: list[SpeechRegion] = []

    def push(self, is_speech: bool) -> None:
        """Add the next frame's decision."""
        start, end = self._t, self._t + self.frame_s
        self._t = end
        if is_speech:
            if self._open_start is None:
                self._open_start = start
            self._last_speech_end = end
        elif self._open_start is not None and end - self._last_speech_end >= self.options.min_silence_s:
            self._close()

    def _close(self) -> None:
        assert self._open_start is not None
        start, end = self._open_start, self._last_speech_end
        self._open_start = None
        if end - start < self.options.min_speech_s:
            return
        pad = self.options.pad_s
        start = max(0.0, start - pad)
        end = min(self._t, end + pad)
        if self._closed and start <= self._closed[-1].end:
            start = self._closed[-1].start
            self._closed.pop()
        self._closed.append(SpeechRegion(round(start, 3), round(end, 3)))

    @property
    def in_speech(self) -> bool:
        """Whether a region is open (speech heard within ``min_silence_s``)."""
        return self._open_start is not None

    @property
    def open_start(self) -> float | None:
        """Start of the region still open, if any."""
        return self._open_start

    @property
    def elapsed(self) -> float:
        """Seconds of audio pushed so far."""
        return self._t

    def closed(self) -> list[SpeechRegion]:
        """Regions that can no longer change."""
        return list(self._closed)

    def finish(self) -> list[SpeechRegion]:
        """Close any open region and return all regions."""
        if self._open_start is not None:
            self._close()
        return list(self._closed)


class SpeechDetector:
    """Push-based VAD: ``feed`` samples of any length, then ``finish`` for the regions."""

    def __init__(self, options: VadOptions | None = None) -> None:
        self.options = options or VadOptions()
        self.classifier = FrameClassifier(self.options)
        self.builder = RegionBuilder(self.classifier.frame_len / SAMPLE_RATE, self.options)
        self._buf = np.zeros(0, dtype=np.float32)

    def feed(self, samples: np.ndarray) -> list[tuple[bool, float]]:
        """Add 16 kHz float32 samples; return ``(is_speech, level_db)`` per completed frame."""
        n = self.classifier.frame_len
        buf = np.concatenate([self._buf, samples.astype(np.float32, copy=False)])
        decisions = []
        usable = (buf.size // n) * n
        for i in range(0, usable, n):
            decision = self.classifier.classify(buf[i : i + n])
            self.builder.push(decision[0])
            decisions.append(decision)
        self._buf = buf[usable:]
        return decisions

    def finish(self) -> list[SpeechRegion]:
        """Flush the last partial frame and return every speech region."""
        if self._buf.size:
            pad = np.zeros(self.classifier.frame_len - self._buf.size, dtype=np.float32)
            self.feed(pad)
        return self.builder.finish()


def detect_speech(blocks: Iterable[np.ndarray], options: VadOptions | None = None) -> list[SpeechRegion]:
    """Speech regions of a whole recording, given as consecutive sample blocks."""
    detector = SpeechDetector(options)
    for block in blocks:
        detector.feed(block)
    return detector.finish()
