"""A microphone that starts slowly is not a microphone that stopped.

The real :class:`~voice_coach.audio.sources.MicSource` reads a fake PortAudio stream whose
first block comes late (as from a PulseAudio server that is still starting), never, or
stops after a while. A late start within the grace period records normally; no audio at
all is its own error naming the device; a stream that stops mid-answer keeps the short
stall limit.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.fake_stream import ThreadStream
from voice_coach.audio.sources import MicSource
from voice_coach.errors import DeviceError

SR = 16_000


class _Status:
    input_overflow = False


class LateSoundDevice:
    """Enough of ``sounddevice`` for MicSource: blocks start after ``first_after`` seconds,
    come in real time, and stop after ``blocks`` of them (``None``: never stop)."""

    def __init__(self, first_after: float | None, blocks: int | None = None) -> None:
        self.first_after = first_after
        self.blocks = blocks
        self.streams: list[_LateStream] = []

    def check_input_settings(self, **_: Any) -> None:
        """16 kHz mono float32 is fine."""

    def InputStream(self, **kw: Any) -> Any:
        stream = _LateStream(self, kw)
        self.streams.append(stream)
        return stream


class _LateStream(ThreadStream):
    def run(self) -> None:
        if self.dev.first_after is None or self._stop.wait(self.dev.first_after):
            return
        n = self.kw["blocksize"]
        i = 0
        while not self._stop.is_set() and (self.dev.blocks is None or i < self.dev.blocks):
            self.kw["callback"](np.full((n, 1), 0.01, np.float32), n, None, _Status())
            i += 1
            self._stop.wait(n / SR)


@pytest.fixture
def fake_sd(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """MicSource's sounddevice is whatever the test puts in ``state["dev"]``."""
    from voice_coach.audio import devices

    state: dict[str, Any] = {"dev": None}
    monkeypatch.setattr(devices, "sounddevice", lambda: state["dev"])
    yield state


def _read_for(mic: MicSource, seconds: float) -> int:
    """Read for ``seconds``; the number of samples delivered."""
    got = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        block = mic.read(0.05)
        got += 0 if block is None else block.size
    return got


def test_a_first_block_later_than_the_stall_limit_is_not_a_stopped_microphone(fake_sd: dict[str, Any]) -> None:
    fake_sd["dev"] = LateSoundDevice(first_after=3.0)  # later than stall_s = 2 s
    with MicSource(None, stall_s=2.0, start_grace_s=10.0) as mic:
        got = _read_for(mic, 5.0)  # raises DeviceError if the late start were taken for a stop
    assert mic.first_block_s is not None and 2.8 < mic.first_block_s < 5.0
    assert got > 0.3 * SR  # it records normally once audio comes


def test_no_audio_at_all_names_the_device_and_what_to_check(fake_sd: dict[str, Any]) -> None:
    fake_sd["dev"] = LateSoundDevice(first_after=None)
    t0 = time.monotonic()
    with MicSource(3, start_grace_s=1.0, name="USB Audio Mic") as mic, \
            pytest.raises(DeviceError) as err:
        _read_for(mic, 10)
    assert 0.9 < time.monotonic() - t0 < 3.0
    message = str(err.value)
    assert "'USB Audio Mic'" in message and "delivered no audio" in message
    assert "muted" in message and "another program" in message and "voice-coach devices" in message


def test_a_microphone_that_stops_mid_answer_is_still_noticed_quickly(fake_sd: dict[str, Any]) -> None:
    fake_sd["dev"] = LateSoundDevice(first_after=0.1, blocks=20)  # 0.6 s of audio, then nothing
    t0 = time.monotonic()
    with MicSource(None, stall_s=1.0, start_grace_s=30.0) as mic, pytest.raises(DeviceError, match="stopped"):
        _read_for(mic, 10)
    assert time.monotonic() - t0 < 3.0  # the stall limit, not the 30 s start grace


def test_practice_records_from_a_microphone_that_starts_late(
        fake_sd: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    """The whole practice path over a mic whose first block is 3 s late: the answer is saved."""
    from tests.conftest import FakeTranscriber
    from tests.practice_audio import answer, with_silence
    from voice_coach.cli import main
    from voice_coach.commands import practice
    from voice_coach.store import Store

    audio = with_silence(answer().audio, 0.5, 5.0)

    class Replaying(LateSoundDevice):
        def InputStream(self, **kw: Any) -> Any:
            stream = _ReplayStream(self, kw, audio)
            self.streams.append(stream)
            return stream

    fake_sd["dev"] = Replaying(first_after=3.0)
    monkeypatch.setattr(practice, "find_device", lambda spec: None)
    monkeypatch.setattr(practice, "transcriber_factory",
                        lambda settings: (lambda: FakeTranscriber([("hello", 1.0, 1.4)])))
    out = tmp_path / "report.json"
    assert main(["practice", "--yes", "--no-tts", "--question-id", "core-overfitting", "--report-json", str(out)]) == 0
    assert "saved as session" in capsys.readouterr().out
    assert 2.8 < json.loads(out.read_text())["meta"]["mic_start_s"] < 6.0  # the late start, measured
    with Store.open() as store:
        assert store.count() == 1


class _ReplayStream(_LateStream):
    """Plays ``audio`` (then silence) after the late start, faster than real time."""

    def __init__(self, dev: LateSoundDevice, kw: dict[str, Any], audio: np.ndarray) -> None:
        super().__init__(dev, kw)
        self.audio = audio

    def run(self) -> None:
        if self._stop.wait(self.dev.first_after or 0.0):
            return
        n = self.kw["blocksize"]
        i = 0
        while not self._stop.is_set():
            block = self.audio[i * n : (i + 1) * n]
            block = np.concatenate([block, np.zeros(n - block.size, np.float32)])
            self.kw["callback"](block.reshape(-1, 1), n, None, _Status())
            i += 1
            time.sleep(0.002)
