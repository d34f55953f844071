"""A private PulseAudio server with a null sink: the speaker and the microphone of the audio tests.

The sink's ``.monitor`` source is the virtual microphone: what is played into the sink (the
question read aloud, an answer played with ``paplay``) is what a program recording from it
hears, through sounddevice -> PortAudio -> ALSA's ``pulse`` plugin (libasound2-plugins).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

SINK = "vc_sink"


def sound_seconds(raw: Path) -> float:
    """Seconds of sound (above -40 dBFS in 30 ms frames) in 16 kHz s16 mono raw audio (``parec --raw``)."""
    pcm = np.frombuffer(raw.read_bytes(), dtype="<i2").astype(np.float32) / 32768.0
    n = pcm.size // 480
    if n == 0:
        return 0.0
    rms = np.sqrt((pcm[: n * 480].reshape(n, 480) ** 2).mean(axis=1))
    return float((rms > 0.01).sum() * 0.03)


def low_latency_monitor(env: dict[str, str], out: Path) -> subprocess.Popen[bytes]:
    """Record the sink's monitor to ``out`` with 30 ms latency, for as long as the test runs.

    A null sink that no client asks for low latency renders in 2 s blocks, so a microphone
    opened on its monitor right after something was played into it (the question read
    aloud) gets its first audio about 2 s late; this reader keeps the sink responsive and
    records what the speaker played.
    """
    return subprocess.Popen(["parec", f"--device={SINK}.monitor", "--format=s16le", "--rate=16000",
                             "--channels=1", "--latency-msec=30", "--raw", str(out)], env=env)


class PulseServer:
    """A private PulseAudio server (per-user mode, own HOME and runtime dir) with a null sink."""

    def __init__(self, root: Path) -> None:
        exe = shutil.which("pulseaudio")
        if exe is None or shutil.which("paplay") is None or shutil.which("pactl") is None:
            pytest.skip("PulseAudio is not installed (scripts/setup.sh --dev installs pulseaudio pulseaudio-utils)")
        runtime = root / "runtime"
        runtime.mkdir(mode=0o700, parents=True)
        socket = runtime / "native"
        env = {
            **os.environ,
            # A private home and runtime dir: the server never touches a real user's sound setup.
            "HOME": str(root),
            "XDG_RUNTIME_DIR": str(runtime),
            "PULSE_RUNTIME_PATH": str(runtime / "pulse"),
            "PULSE_STATE_PATH": str(root / "state"),
        }
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        self.log_path = root / "pulseaudio.log"
        self._log = self.log_path.open("w")
        # -n: no default.pa (no hardware probing); per-user mode works as root with a warning.
        self.proc = subprocess.Popen(
            [exe, "--daemonize=no", "-n", "--exit-idle-time=-1", "--disallow-exit", "--use-pid-file=no",
             "--disable-shm", "--log-target=stderr",
             f"--load=module-null-sink sink_name={SINK} rate=16000 channels=1",
             f"--load=module-native-protocol-unix auth-anonymous=1 socket={socket}"],
            env=env, stdout=self._log, stderr=self._log, stdin=subprocess.DEVNULL,
        )
        self.env = {**env, "PULSE_SERVER": f"unix:{socket}", "PULSE_SINK": SINK, "PULSE_SOURCE": f"{SINK}.monitor"}
        deadline = time.monotonic() + 15
        while subprocess.run(["pactl", "info"], env=self.env, capture_output=True, timeout=10).returncode != 0:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = self.log_path.read_text()[-400:].replace("\n", " | ")
                pytest.skip(f"PulseAudio could not start here: {tail}")
            time.sleep(0.2)
        for cmd in (["set-default-source", f"{SINK}.monitor"], ["set-default-sink", SINK]):
            subprocess.run(["pactl", *cmd], env=self.env, check=True, timeout=10)

    def stop(self) -> None:
        """Stop the server (as a pulled plug would, from the client's side)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._log.close()
