"""The recorder state machine, replayed with spoken audio through the microphone's code path."""

from __future__ import annotations

import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.practice_audio import THINKING_PAUSE_S, answer, with_silence
from voice_coach.audio.decode import load_audio
from voice_coach.audio.record import (
    Ended,
    FileSource,
    Recorder,
    RecorderOptions,
    RegionClosed,
    Started,
    WavWriter,
    capture,
    repair_wav,
    replay,
)
from voice_coach.errors import DeviceError

SR = 16_000
LEAD_S = 1.5


def _events(events: Sequence[object], kind: type) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]


def test_answer_starts_at_speech_and_survives_thinking_pauses(tmp_path: Path) -> None:
    rendered = answer()
    audio = with_silence(rendered.audio, LEAD_S, 6.0)
    writer = WavWriter(tmp_path / "a.wav")
    events, rec = replay(audio, RecorderOptions(silence_stop_s=4.0), writer=writer)

    started = _events(events, Started)
    assert len(started) == 1
    # render_script puts 0.3 s of silence before the first word; pre-roll is 0.3 s.
    first_word = LEAD_S + 0.3
    assert abs(started[0].offset_s - (first_word - 0.3)) < 0.1
    ended = _events(events, Ended)
    assert len(ended) == 1 and ended[0].reason == "silence"
    assert rec.reason == "silence"
    # The 2.5 s thinking pause split the speech but did not end the answer.
    assert len(rec.speech_regions) >= 2
    pause_start = rendered.pauses[0][0] + LEAD_S - rec.offset_s
    gaps = [(a.end, b.start) for a, b in zip(rec.speech_regions, rec.speech_regions[1:], strict=False)]
    assert any(abs(s - pause_start) < 0.4 and e - s > THINKING_PAUSE_S - 0.5 for s, e in gaps), gaps
    # The whole answer is kept, the 4 s end-of-answer wait is trimmed to a short tail.
    speech_len = rendered.duration - 0.3
    assert speech_len - 0.5 < rec.duration < speech_len + 1.0
    assert rec.speech_regions[-1].end <= rec.duration
    on_disk = load_audio(rec.path)  # type: ignore[arg-type]
    assert abs(on_disk.size / SR - rec.duration) < 0.01
    # Region events were emitted as the VAD closed them, on the answer's timeline.
    closed = [e.region for e in _events(events, RegionClosed)]
    assert closed and closed[0].start < 0.5 and all(r.start >= 0 for r in closed)


def test_short_silence_stop_ends_at_the_thinking_pause() -> None:
    audio = with_silence(answer().audio, LEAD_S, 6.0)
    _, rec = replay(audio, RecorderOptions(silence_stop_s=2.0))
    assert rec.reason == "silence"
    pause_start = answer().pauses[0][0] + LEAD_S - rec.offset_s
    assert rec.duration < pause_start + 1.0


def test_max_duration_stops_the_answer() -> None:
    audio = with_silence(answer().audio, LEAD_S, 1.0)
    events, rec = replay(audio, RecorderOptions(max_duration_s=3.0))
    assert rec.reason == "max_duration"
    assert abs(rec.duration - 3.0) < 0.05
    assert _events(events, Ended)[0].t == pytest.approx(3.0, abs=0.05)


def test_silence_and_clicks_never_start_an_answer(tmp_path: Path) -> None:
    audio = np.zeros(5 * SR, np.float32)
    audio[2 * SR : 2 * SR + 80] = 0.9  # a 5 ms click
    rng = np.random.default_rng(0)
    audio += rng.normal(0, 10 ** (-60 / 20), audio.size).astype(np.float32)
    writer = WavWriter(tmp_path / "none.wav")
    events, rec = replay(audio, RecorderOptions(no_speech_timeout_s=4.0), writer=writer)
    assert rec.reason == "no_speech" and not rec.has_speech
    assert not _events(events, Started)
    assert rec.path is None and not (tmp_path / "none.wav").exists()


def test_room_noise_does_not_hide_the_end_of_the_answer() -> None:
    audio = with_silence(answer().audio, LEAD_S, 6.0, noise_db=-55.0)
    _, rec = replay(audio)
    assert rec.reason == "silence"
    assert rec.duration < answer().duration + 1.0


def test_end_of_input_and_stop_keep_the_audio(tmp_path: Path) -> None:
    audio = with_silence(answer().audio, LEAD_S, 0.0)[: int((LEAD_S + 5.0) * SR)]
    _ev, rec = replay(audio, writer=WavWriter(tmp_path / "cut.wav"))
    assert rec.reason == "end_of_input"
    assert rec.path is not None and abs(load_audio(rec.path).size / SR - rec.duration) < 0.01
    assert rec.duration == pytest.approx(5.0 - 0.3 + 0.3, abs=0.15)


class _FailingSource:
    """A microphone that delivers audio, then vanishes."""

    def __init__(self, audio: np.ndarray, fail_after_s: float) -> None:
        self.inner = FileSource(audio)
        self.left = int(fail_after_s * SR)

    def read(self, timeout: float) -> np.ndarray | None:
        if self.left <= 0:
            raise DeviceError("the microphone stopped delivering audio")
        block = self.inner.read(timeout)
        self.left -= 0 if block is None else block.size
        return block


def test_vanished_device_keeps_the_partial_answer(tmp_path: Path) -> None:
    audio = with_silence(answer().audio, LEAD_S, 6.0)
    rec_ = Recorder(writer=WavWriter(tmp_path / "lost.wav"))
    rec = capture(_FailingSource(audio, LEAD_S + 4.0), rec_)
    assert rec.reason == "device_lost" and rec_.error and "stopped" in rec_.error
    assert rec.has_speech and rec.path is not None
    assert load_audio(rec.path).size / SR == pytest.approx(rec.duration, abs=0.01)
    assert 3.0 < rec.duration < 4.5


def test_interrupt_closes_a_valid_file_and_reraises(tmp_path: Path) -> None:
    audio = with_silence(answer().audio, LEAD_S, 6.0)
    rec_ = Recorder(writer=WavWriter(tmp_path / "int.wav"))
    fed = [0]

    def tick(r: Recorder) -> None:
        fed[0] += 1
        if r.answer_elapsed > 3.0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        capture(FileSource(audio), rec_, on_tick=tick)
    with wave.open(str(tmp_path / "int.wav")) as wf:
        assert wf.getframerate() == SR and 2.9 < wf.getnframes() / SR < 3.5


def test_wav_writer_is_valid_while_recording_and_repairable_after_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "crash.wav"
    w = WavWriter(path, header_every_s=1.0)
    tone = (0.2 * np.sin(np.arange(int(2.5 * SR)) * 0.05)).astype(np.float32)
    for i in range(0, tone.size, 480):
        w.write(tone[i : i + 480])
    # Without close(): what a kill -9 leaves. The header covers at least 2 s already.
    with wave.open(str(path)) as wf:
        assert wf.getnframes() >= 2 * SR
    assert path.stat().st_mode & 0o777 == 0o600
    assert repair_wav(path)
    with wave.open(str(path)) as wf:
        assert wf.getnframes() == tone.size
    assert not repair_wav(path)  # already consistent
    w.close()
    assert not repair_wav(tmp_path / "missing.wav")


@pytest.mark.parametrize("block_s", [0.01, 0.1, 0.37])
def test_block_size_does_not_change_the_result(block_s: float) -> None:
    """PortAudio may deliver any block size (and resampled devices do): same answer either way."""
    audio = with_silence(answer().audio, LEAD_S, 6.0)
    _, ref = replay(audio, block_s=0.03)
    _, rec = replay(audio, block_s=block_s)
    assert rec.reason == ref.reason == "silence"
    assert rec.offset_s == pytest.approx(ref.offset_s, abs=0.031)
    assert rec.duration == pytest.approx(ref.duration, abs=0.031)
    assert len(rec.speech_regions) == len(ref.speech_regions)
