"""End to end through a real audio server, with no mock below sounddevice.

A private PulseAudio server is started inside the fixture with a null sink; its ``.monitor``
source is the virtual microphone. ``voice-coach practice`` records from it through
sounddevice -> PortAudio -> ALSA's ``pulse`` plugin (libasound2-plugins), while ``paplay``
plays a rendered spoken answer into the sink. The real Whisper model transcribes it. The
test then checks what a user would: the session was saved, and the transcript and signals
match the answer that was spoken.

Skipped, with the reason, only where PulseAudio itself cannot start.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.practice_audio import ANSWER_SCRIPT, THINKING_PAUSE_S, answer
from voice_coach.audio.decode import probe, write_wav

pytestmark = [pytest.mark.slow, pytest.mark.audio_server]

SINK = "vc_sink"


@pytest.fixture(scope="module")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A private PulseAudio server with a null sink; yields the environment to reach it."""
    exe = shutil.which("pulseaudio")
    if exe is None or shutil.which("paplay") is None or shutil.which("pactl") is None:
        pytest.skip("PulseAudio is not installed (scripts/setup.sh --dev installs pulseaudio pulseaudio-utils)")
    root = tmp_path_factory.mktemp("pulse")
    runtime = root / "runtime"
    runtime.mkdir(mode=0o700)
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
    log = (root / "pulseaudio.log").open("w")
    # -n: no default.pa (no hardware probing); per-user mode works as root with a warning.
    proc = subprocess.Popen(
        [exe, "--daemonize=no", "-n", "--exit-idle-time=-1", "--disallow-exit", "--use-pid-file=no",
         "--disable-shm", "--log-target=stderr",
         f"--load=module-null-sink sink_name={SINK} rate=16000 channels=1",
         f"--load=module-native-protocol-unix auth-anonymous=1 socket={socket}"],
        env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
    )
    client = {
        **env,
        "PULSE_SERVER": f"unix:{socket}",
        "PULSE_SINK": SINK,
        "PULSE_SOURCE": f"{SINK}.monitor",
    }
    try:
        deadline = time.monotonic() + 15
        while True:
            ok = subprocess.run(["pactl", "info"], env=client, capture_output=True, timeout=10).returncode == 0
            if ok:
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                tail = (root / "pulseaudio.log").read_text()[-400:].replace("\n", " | ")
                pytest.skip(f"PulseAudio could not start here: {tail}")
            time.sleep(0.2)
        subprocess.run(["pactl", "set-default-source", f"{SINK}.monitor"], env=client, check=True, timeout=10)
        subprocess.run(["pactl", "set-default-sink", SINK], env=client, check=True, timeout=10)
        yield client
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


def test_devices_lists_the_virtual_microphone(pulse: dict[str, str]) -> None:
    run = subprocess.run([sys.executable, "-m", "voice_coach", "devices", "--format", "json"],
                         env=pulse, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    names = [d["name"] for d in json.loads(run.stdout) if d["inputs"] > 0]
    assert "pulse" in names


def _norm(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower().replace("-", " "))


def test_practice_records_the_spoken_answer_from_the_virtual_mic(pulse: dict[str, str], tmp_path: Path,
                                                                 isolated_home: Path) -> None:
    rendered = answer()
    wav = tmp_path / "answer.wav"
    write_wav(wav, rendered.audio)
    report_path = tmp_path / "report.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "voice_coach", "practice", "--yes", "--no-tts", "--device", "pulse",
         "--question-id", "sys-search-ranking", "--max-duration", "90", "--report-json", str(report_path)],
        env={**pulse, "VOICE_COACH_HOME": str(isolated_home), "COLUMNS": "100"},
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines: list[str] = []
    cue = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "Recording" in line:
                cue.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert cue.wait(90), "no start cue: " + "".join(lines) + (proc.stderr.read() if proc.poll() is not None
                                                                    and proc.stderr else "")
        time.sleep(0.5)  # the stream is open right after the cue; leave a little lead-in
        subprocess.run(["paplay", "--device", SINK, str(wav)], env=pulse, check=True, timeout=60)
        _out, err = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            proc.kill()
    reader.join(5)
    printed = "".join(lines)
    assert proc.returncode == 0, err + printed
    assert "answer recorded" in printed and "saved as session" in printed

    report = json.loads(report_path.read_text())
    # The answer ended on silence, and its length is the spoken answer's (not the 4 s wait).
    assert report["meta"]["end_reason"] == "silence"
    assert abs(report["duration_s"] - (rendered.duration - 0.3)) < 1.5
    # The transcript is the answer that was played: most of its words, in order.
    said = _norm(ANSWER_SCRIPT.replace("[pause 2.5]", "").replace("[pause 1.5]", ""))
    heard = _norm(report["transcript"]["text"])
    assert sum(1 for w in set(said) if w in heard) >= 0.75 * len(set(said)), heard
    for key in ("users", "click", "latency", "accuracy", "summarize"):
        assert key in heard, heard
    # Speech regions come from the recorder's VAD: the thinking pause is a gap between them.
    regions = report["transcript"]["speech_regions"]
    gaps = [b["start"] - a["end"] for a, b in itertools.pairwise(regions)]
    assert any(abs(g - THINKING_PAUSE_S) < 0.5 for g in gaps), regions
    # Signals that this answer must trigger.
    signals = report["signals"]
    assert signals["clarifying_questions"]["count"] >= 1
    assert any(abs((p["end"] - p["start"]) - THINKING_PAUSE_S) < 0.6 for p in signals["pauses"]["long"])
    assert report["question"]["id"] == "sys-search-ranking"

    # The session is in the store with its recording.
    from voice_coach.store import Store

    with Store.open(isolated_home) as store:
        (session,) = store.list_sessions()
        assert session.question_id == "sys-search-ranking" and session.kind == "practice"
        assert session.id == report["meta"]["session_id"]
        full = store.get(session.id)
        assert full.audio_path is not None and full.audio_path.is_file()
        info = probe(full.audio_path)
        assert info.sample_rate == 16000 and abs((info.duration or 0) - report["duration_s"]) < 0.05
        assert full.transcript is not None and full.transcript["speech_regions"] == regions
