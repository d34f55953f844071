"""Faults while recording: whatever breaks, the answer said so far is on disk and analysable.

Five faults, each run through the real recorder path (``practice`` -> ``capture`` ->
``Recorder`` -> ``WavWriter``):

* the input device failing mid-stream (a fake PortAudio stream behind the real
  :class:`~voice_coach.audio.record.MicSource` stops and reports itself finished);
* PortAudio input-overflow status flags on some callbacks;
* Ctrl-C and SIGTERM, as real signals sent to a real ``practice`` process that is replaying
  an answer in real time;
* the disk filling up under the recorder's writer (ENOSPC from the file).

"Nothing lost" is checked sample by sample: the WAV on disk must equal, exactly, the audio
the recorder was given from the start of the answer up to the fault. Then the recording is
analysed (``practice --recover``, or the session the run saved). Each test checks its own
row of the faults table in ``docs/reliability.md`` (see ``tests/doc_tables.py``; regenerate
with ``VOICE_COACH_UPDATE_DOCS=1``).
"""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests import fixtures_bad as fb
from tests.conftest import FakeTranscriber
from tests.doc_tables import DocTable
from tests.fake_stream import ThreadStream
from voice_coach.cli import main
from voice_coach.commands import practice
from voice_coach.store import Store

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "reliability.md"
BEGIN, END = "<!-- matrix:faults:begin -->", "<!-- matrix:faults:end -->"
SR = fb.SR
BLOCK = 480  # 30 ms, what MicSource asks PortAudio for
SETTLE = int(0.2 * SR)  # MicSource drops the first 0.2 s (start-up click)
QUESTION = "sys-search-ranking"


FAULTS = ("input device fails mid-stream", "PortAudio input overflow", "Ctrl-C (SIGINT)", "SIGTERM",
          "disk full while recording")
TABLE = DocTable(
    DOC, BEGIN, END,
    ("| fault | how it is simulated | what the user sees | exit | what is kept |", "|---|---|---|---|---|"), FAULTS,
    footer=("", f"{len(FAULTS)} faults, {len(FAULTS)} survived with nothing lost: in each the WAV on disk "
            "equals, sample for sample, the audio the recorder was given up to the fault."),
    regenerate="VOICE_COACH_UPDATE_DOCS=1 .venv/bin/pytest tests/test_faults_recording.py",
)


def pcm(audio: np.ndarray) -> np.ndarray:
    """What :class:`WavWriter` stores for ``audio``."""
    return (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2")


def read_wav(path: Path) -> np.ndarray:
    """The samples of a 16-bit mono WAV, checking its header agrees with its size."""
    size = path.stat().st_size
    with wave.open(str(path), "rb") as wf:
        assert wf.getframerate() == SR and wf.getnchannels() == 1 and wf.getsampwidth() == 2
        n = wf.getnframes()
        data = np.frombuffer(wf.readframes(n), "<i2")
    assert size == 44 + 2 * n, "header does not match the data on disk"
    return data


def locate(recorded: np.ndarray, given: np.ndarray) -> int:
    """Where ``recorded`` sits inside ``given`` as one exact, contiguous slice (-1 if nowhere)."""
    head = min(64, recorded.size)
    for i in np.flatnonzero(given[: given.size - recorded.size + 1] == recorded[0]):
        if np.array_equal(given[i : i + head], recorded[:head]) and np.array_equal(
                given[i : i + recorded.size], recorded):
            return int(i)
    return -1


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    """About 8 s of spoken answer with a short lead-in (espeak-ng, English)."""
    text = ("Let me first clarify the goal. Are we ranking for clicks or for purchases? "
            "I would start with a simple baseline and then compare a two tower model against it.")
    return np.concatenate([np.zeros(int(0.5 * SR), np.float32), fb.espeak(text, "en-us")])


WORDS = [("Let", 0.6, 0.8), ("me", 0.8, 0.9), ("first", 0.9, 1.2), ("clarify", 1.2, 1.7), ("the", 1.7, 1.8),
         ("goal.", 1.8, 2.2)]


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> FakeTranscriber:
    """practice with no microphone lookup and a fake recogniser (these tests need no model)."""
    fake = FakeTranscriber(WORDS)
    monkeypatch.setattr(practice, "find_device", lambda spec: None)
    monkeypatch.setattr(practice, "transcriber_factory", lambda settings: (lambda: fake))
    return fake


def record_row(fault: str, simulated: str, err_lines: list[str], code: int, kept: str) -> None:
    """Check the fault's row of the document against its outcome (session ids and timings made generic)."""
    line = err_lines[0] if err_lines else ""
    line = re.sub(r"\d{8}-\d{6}-[0-9a-f]{6}", "ID", line)
    line = re.sub(r"/[^ ]*/audio/", "", line)
    line = re.sub(r"\d+\.\d s", "N s", line)
    sees = (line or "the report, nothing on stderr").replace("|", "\\|")
    TABLE.check_row(fault, f"| {fault} | {simulated} | {sees} | {code} | {kept} |")


def one_error_line(err: str) -> list[str]:
    """The non-empty stderr lines, asserting there is exactly one and no traceback."""
    lines = [x for x in err.splitlines() if x.strip()]
    assert "Traceback" not in err
    assert len(lines) == 1, lines
    assert lines[0].startswith("voice-coach: error: "), lines
    return lines


# ---------------------------------------------------------------- a fake PortAudio


class _Status:
    """sounddevice's CallbackFlags, reduced to what MicSource reads."""

    def __init__(self, overflow: bool) -> None:
        self.input_overflow = overflow

    def __bool__(self) -> bool:
        return self.input_overflow


class FakeSoundDevice:
    """Enough of the ``sounddevice`` module for :class:`MicSource`, fed from an array.

    The stream's thread calls the callback block by block, as PortAudio's does. After
    ``fail_after`` blocks it stops and calls ``finished_callback`` (what PortAudio does when
    the device errors or vanishes); otherwise it goes on with silence until aborted.
    ``overflow_every`` flags every n-th callback with ``input_overflow``.
    """

    def __init__(self, audio: np.ndarray, fail_after: int | None = None, overflow_every: int = 0) -> None:
        self.audio = audio.astype(np.float32)
        self.fail_after = fail_after
        self.overflow_every = overflow_every
        self.delivered: list[np.ndarray] = []
        self.flagged = 0

    def check_input_settings(self, **_: Any) -> None:
        """16 kHz mono float32 is fine."""

    def InputStream(self, **kw: Any) -> Any:
        """A stream that plays ``audio`` into the callback."""
        return _FakeStream(self, kw)


class _FakeStream(ThreadStream):
    def run(self) -> None:
        dev, n = self.dev, self.kw["blocksize"]
        i = 0
        while not self._stop.is_set():
            block = dev.audio[i * n : (i + 1) * n]
            if block.size < n:
                block = np.concatenate([block, np.zeros(n - block.size, np.float32)])
            if dev.fail_after is not None and i >= dev.fail_after:
                self.kw["finished_callback"]()  # the device is gone
                return
            flag = bool(dev.overflow_every) and i % dev.overflow_every == dev.overflow_every - 1
            dev.flagged += flag
            dev.delivered.append(block.copy())
            self.kw["callback"](block.reshape(-1, 1), n, None, _Status(flag))
            i += 1
            time.sleep(0.0005)  # faster than real time, but lets the reader keep up


@pytest.fixture
def fake_mic(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """``practice`` reads a real MicSource whose PortAudio is a FakeSoundDevice."""
    from voice_coach.audio import devices
    from voice_coach.audio.record import MicSource

    state: dict[str, Any] = {"dev": None, "mic": None}
    monkeypatch.setattr(devices, "sounddevice", lambda: state["dev"])

    def open_source(device: Any) -> Any:
        state["mic"] = MicSource(None)
        return state["mic"]

    monkeypatch.setattr(practice, "open_source", open_source)
    yield state


def the_recording(home: Path) -> Path:
    """The one recording in the data dir."""
    wavs = sorted((home / "audio").glob("*.wav"))
    assert len(wavs) == 1, wavs
    return wavs[0]


def delivered_pcm(dev: FakeSoundDevice) -> np.ndarray:
    """What MicSource handed on: every delivered block minus the settle time."""
    return pcm(np.concatenate(dev.delivered))[SETTLE:]


# ---------------------------------------------------------------- the faults


def test_device_fails_mid_stream(fake_mic: dict[str, Any], fake_model: FakeTranscriber, isolated_home: Path,
                                 capfd: pytest.CaptureFixture[str], speech: np.ndarray) -> None:
    """The microphone vanishes 3 s into the answer: exit 5, and that answer is analysed and saved."""
    fail_after = int((0.5 + 3.0) * SR / BLOCK) + SETTLE // BLOCK
    fake_mic["dev"] = FakeSoundDevice(speech, fail_after=fail_after)
    code = main(["practice", "--yes", "--no-tts", "--question-id", QUESTION])
    _out, err = capfd.readouterr()
    lines = one_error_line(err)
    assert code == 5
    assert "the partial answer was analysed and saved as session" in lines[0]
    rec = the_recording(isolated_home)
    got, given = read_wav(rec), delivered_pcm(fake_mic["dev"])
    start = locate(got, given)
    assert start >= 0 and start + got.size == given.size  # every sample up to the failure
    with Store.open() as store:
        (session,) = store.list_sessions()
        full = store.get(session.id)
    assert full.audio_path == rec and full.report is not None
    assert full.report["transcript"]["words"] and full.report["meta"]["end_reason"] == "device_lost"
    record_row("input device fails mid-stream", "the PortAudio stream stops and reports itself finished 3 s in",
               lines, code, f"all {got.size / SR:.0f} s up to the failure, analysed and saved as a session")


def test_input_overflow_flags(fake_mic: dict[str, Any], fake_model: FakeTranscriber, isolated_home: Path,
                              capfd: pytest.CaptureFixture[str], speech: np.ndarray) -> None:
    """Overflow flags on every 10th callback: counted, and the recording goes on untouched."""
    fake_mic["dev"] = FakeSoundDevice(speech, overflow_every=10)
    code = main(["practice", "--yes", "--no-tts", "--question-id", QUESTION])
    _out, err = capfd.readouterr()
    assert code == 0 and "Traceback" not in err and not err.strip(), err
    dev, mic = fake_mic["dev"], fake_mic["mic"]
    assert dev.flagged > 10 and mic.overflows == dev.flagged
    rec = the_recording(isolated_home)
    got, given = read_wav(rec), delivered_pcm(dev)
    start = locate(got, given)
    assert start >= 0
    # the whole answer is there: the file reaches past the last speech in what was given
    speech_end = int(np.flatnonzero(np.abs(given) > 300)[-1])
    assert start + got.size > speech_end
    with Store.open() as store:
        assert store.count() == 1
    record_row("PortAudio input overflow", "`input_overflow` set on every 10th callback",
               [], code, "the whole answer; overflows are counted (`MicSource.overflows`)")


def test_disk_full_while_recording(monkeypatch: pytest.MonkeyPatch, fake_mic: dict[str, Any],
                                   fake_model: FakeTranscriber, isolated_home: Path,
                                   capfd: pytest.CaptureFixture[str], speech: np.ndarray) -> None:
    """ENOSPC 2 s into the answer: exit 6, one line, the 2 s on disk are a valid WAV; then recovered."""
    from voice_coach.audio import record

    limit = 44 + 2 * SR * 2  # header + 2 s of 16-bit audio
    real_open = record.WavWriter._open

    def open_on_small_disk(self: Any) -> None:
        real_open(self)
        self._fh = _FullDisk(self._fh, limit)

    monkeypatch.setattr(record.WavWriter, "_open", open_on_small_disk)
    fake_mic["dev"] = FakeSoundDevice(speech)
    code = main(["practice", "--yes", "--no-tts", "--question-id", QUESTION])
    _out, err = capfd.readouterr()
    lines = one_error_line(err)
    assert code == 6
    assert "No space left on device" in lines[0] and "kept" in lines[0]
    rec = the_recording(isolated_home)
    got = read_wav(rec)
    assert got.size <= 2 * SR and got.size > 2 * SR - BLOCK * 2  # every whole block that fitted
    given = delivered_pcm(fake_mic["dev"])
    assert locate(got, given) >= 0
    monkeypatch.setattr(record.WavWriter, "_open", real_open)  # space is free again
    assert _recover(rec) == 0
    record_row("disk full while recording", "the WAV file's writes fail with ENOSPC after 2 s of audio",
               lines, code, "the 2 s that fitted, as a valid WAV; `practice --recover` analyses it")


class _FullDisk:
    """A file object whose disk fills up after ``limit`` bytes, as the kernel reports it."""

    def __init__(self, fh: Any, limit: int) -> None:
        self._fh, self._limit = fh, limit

    def write(self, data: bytes) -> int:
        room = self._limit - self._fh.tell()
        if len(data) > room:
            if room > 0:
                self._fh.write(data[:room])  # a short write first, then the error
                self._fh.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return int(self._fh.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)


def _recover(rec: Path) -> int:
    """Run ``practice --recover`` on the leftover recording; returns its exit code."""
    past = time.time() - 60
    os.utime(rec, (past, past))  # leftovers younger than 2 s may still be being written
    code = main(["practice", "--recover", "--yes"])
    with Store.open() as store:
        sessions = store.list_sessions()
        assert len(sessions) == 1
        full = store.get(sessions[0].id)
    assert full.audio_path is not None and full.audio_path.read_bytes() == rec.read_bytes()
    assert full.report is not None
    assert full.report["meta"].get("recovered") is True
    return code


# ---------------------------------------------------------------- real signals, real process

SIGNAL_RUNNER = r"""
import contextlib, sys
from pathlib import Path
import numpy as np
from tests.conftest import FakeTranscriber
from voice_coach import cli
from voice_coach.audio.record import FileSource
import voice_coach.commands.practice as practice

audio = np.load(sys.argv[1])
practice.find_device = lambda spec: None
practice.open_source = lambda device: contextlib.nullcontext(FileSource(audio, speed=1.0))
practice.transcriber_factory = lambda settings: (lambda: FakeTranscriber())
sys.exit(cli.main(["practice", "--yes", "--no-tts", "--question-id", sys.argv[2]]))
"""


@pytest.mark.parametrize(("fault", "signum", "how"), [
    ("Ctrl-C (SIGINT)", signal.SIGINT, "SIGINT sent to a `practice` process replaying an answer in real time"),
    ("SIGTERM", signal.SIGTERM, "SIGTERM sent to a `practice` process replaying an answer in real time"),
])
def test_signal_mid_answer(fault: str, signum: int, how: str, isolated_home: Path, tmp_path: Path,
                           fake_model: FakeTranscriber, speech: np.ndarray) -> None:
    """A real signal 1.5 s into the answer: exit 130, one line, the audio so far kept and recoverable."""
    audio_file = tmp_path / "answer.npy"
    np.save(audio_file, speech)
    proc = subprocess.Popen([sys.executable, "-c", SIGNAL_RUNNER, str(audio_file), QUESTION],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "VOICE_COACH_HOME": str(isolated_home), "TERM": "dumb"})
    audio_dir = isolated_home / "audio"
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            wavs = list(audio_dir.glob("*.wav")) if audio_dir.exists() else []
            if wavs and wavs[0].stat().st_size > 44 + int(1.5 * SR) * 2:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "practice ended before the signal: " + proc.communicate()[1][-2000:]
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    lines = one_error_line(err)
    assert proc.returncode == 130 and lines == ["voice-coach: error: interrupted"]
    assert "offers to analyse it" in " ".join(out.split())  # the user is told where the answer is
    rec = the_recording(isolated_home)
    got = read_wav(rec)  # the header was fixed on the way out: no repair needed
    start = locate(got, pcm(speech))
    assert start >= 0 and got.size >= int(1.5 * SR)
    assert _recover(rec) == 0
    record_row(fault, how, lines, 130,
               "everything up to the signal, as a valid WAV; `practice --recover` analyses it")


# ---------------------------------------------------------------- the document


def test_faults_doc_lists_every_fault() -> None:
    """``docs/reliability.md`` has one row per fault, in ``FAULTS`` order (each test checks its own row)."""
    TABLE.check_layout()


@pytest.fixture(autouse=True)
def _quiet_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test here depends on a terminal's width or colours."""
    monkeypatch.setenv("TERM", "dumb")
    yield

