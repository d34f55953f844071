"""Privacy: nothing leaves the machine, the data dir is private, pages escape text, forget forgets.

The network check runs the real CLI in a fresh interpreter whose ``sitecustomize`` (put first
on ``PYTHONPATH``) replaces every way Python opens a connection or resolves a name with a
function that RECORDS the attempt and then fails. A control run proves the trap catches a
real attempt, so an empty record means something. The commands run are the ones that touch
user data: ``analyze`` of a recording (loading the bundled Whisper model), ``practice`` with
a recorded answer replayed through the recorder path instead of a microphone, ``note``,
``report --html`` and ``forget``.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests import fixtures_bad as fb

ROOT = Path(__file__).resolve().parent.parent

SITECUSTOMIZE = r'''
"""Test harness: every network attempt is recorded, then refused."""
import json, os, socket

_LOG = os.environ["VC_NET_LOG"]


def _record(kind, detail):
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"kind": kind, "detail": repr(detail)[:200]}) + "\n")


def _refuse(kind):
    def blocked(*args, **kwargs):
        _record(kind, args[1:] if kind.startswith("socket.") else args)
        raise OSError(101, "network blocked by the voice-coach privacy test")
    return blocked


socket.socket.connect = _refuse("socket.connect")
socket.socket.connect_ex = _refuse("socket.connect_ex")
socket.socket.sendto = _refuse("socket.sendto")
socket.create_connection = _refuse("create_connection")
socket.getaddrinfo = _refuse("getaddrinfo")
socket.gethostbyname = _refuse("gethostbyname")
socket.gethostbyname_ex = _refuse("gethostbyname_ex")
_record("loaded", os.getpid())
'''

HOSTILE_QUESTION = 'Rank <script>alert("q")</script> results " onload="alert(1)'
HOSTILE_NOTE = "<img src=x onerror=alert('note')> and </textarea><script>alert(2)</script>"

RUNNER = r'''
import contextlib, json, sys
from pathlib import Path
import numpy as np
from voice_coach import cli
from voice_coach.audio.decode import load_audio
from voice_coach.audio.record import FileSource
import voice_coach.commands.practice as practice

answer, bank, page, out = (Path(a) for a in sys.argv[1:5])
steps = {}
steps["analyze"] = cli.main(["analyze", str(answer), "--format", "json", "--out", str(out / "analyze.json")])

# practice: the recorded answer replayed through the recorder instead of a microphone
audio = np.concatenate([np.zeros(8000, np.float32), load_audio(answer), np.zeros(16000 * 5, np.float32)])
practice.find_device = lambda spec: None
practice.open_source = lambda device: contextlib.nullcontext(FileSource(audio))
steps["practice"] = cli.main(["practice", "--yes", "--no-tts", "--bank", str(bank), "--question-id",
                              "privacy-01", "--report-json", str(out / "practice.json")])
steps["note"] = cli.main(["note", "last", NOTE, "--at", "1.0"])
steps["report"] = cli.main(["report", "last", "--html", str(page)])
print(json.dumps(steps))
'''.replace("NOTE", repr(HOSTILE_NOTE))


def _blocked_env(tmp_path: Path, home: Path) -> tuple[dict[str, str], Path]:
    site = tmp_path / "netblock"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "net.log"
    log.write_text("")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)]), "VC_NET_LOG": str(log),
           "VOICE_COACH_HOME": str(home), "TERM": "dumb"}
    env.pop("HF_HUB_OFFLINE", None)  # the product must set it itself around the local load
    return env, log


def _attempts(log: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in log.read_text().splitlines() if x.strip()]


def test_the_trap_catches_a_real_attempt(tmp_path: Path) -> None:
    """Control: with the same harness, a plain HTTP request is recorded and refused."""
    env, log = _blocked_env(tmp_path, tmp_path / "home")
    code = ("import urllib.request\ntry:\n urllib.request.urlopen('http://example.com', timeout=5)\n"
            "except OSError:\n pass")
    subprocess.run([sys.executable, "-c", code], env=env, timeout=60, check=True)
    kinds = [a["kind"] for a in _attempts(log)]
    assert kinds[0] == "loaded"
    assert any(k in ("getaddrinfo", "create_connection", "socket.connect") for k in kinds[1:]), kinds


class _Dom(HTMLParser):
    """Collects script bodies and every attribute name, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.tags: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


@pytest.fixture(scope="module")
def answer_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short spoken English answer (espeak-ng) as a WAV."""
    audio = fb.espeak("Let me first clarify the goal. I would start with a simple baseline.", "en-us")
    return fb.write_wav(tmp_path_factory.mktemp("priv") / "answer.wav", audio)


@pytest.mark.slow
def test_no_network_private_files_escaped_page_and_forget(tmp_path: Path, answer_wav: Path) -> None:
    """The whole private path with every socket blocked; then the files, the page and forget."""
    home = tmp_path / "data home"  # created by the tool itself
    env, log = _blocked_env(tmp_path, home)
    bank = tmp_path / "bank.toml"
    bank.write_text(textwrap.dedent(f"""\
        [[question]]
        id = "privacy-01"
        text = {json.dumps(HOSTILE_QUESTION)}
        category = "system_design"
        difficulty = "medium"
        target_s = 60
        focus = ["framing"]
        """))
    page, out = tmp_path / "page.html", tmp_path / "out"
    out.mkdir()
    old_umask = os.umask(0o022)  # a typical user umask: the tool must not rely on a strict one
    try:
        proc = subprocess.run([sys.executable, "-c", RUNNER, str(answer_wav), str(bank), str(page), str(out)],
                              env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    finally:
        os.umask(old_umask)
    assert proc.returncode == 0, proc.stderr[-3000:]
    steps = json.loads(proc.stdout.strip().splitlines()[-1])
    assert steps == {"analyze": 0, "practice": 0, "note": 0, "report": 0}, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr

    # 1. nothing tried to connect or even resolve a name
    attempts = _attempts(log)
    assert attempts and attempts[0]["kind"] == "loaded", "the network trap did not load"
    assert [a for a in attempts if a["kind"] != "loaded"] == []

    # the runs really did their work
    assert json.loads((out / "practice.json").read_text())["transcript"]["words"]
    assert json.loads((out / "analyze.json").read_text())["transcript"]["words"]

    # 2. the data dir is 0700, and everything in it private (dirs 0700, files 0600)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    recordings = []
    for p in home.rglob("*"):
        mode = stat.S_IMODE(p.stat().st_mode)
        if p.is_dir():
            assert mode == 0o700, (p, oct(mode))
        else:
            assert mode == 0o600, (p, oct(mode))
            if p.suffix in (".wav", ".flac", ".mp3", ".m4a", ".ogg"):
                recordings.append(p)
    assert len(recordings) == 2  # the analysed copy and the practice recording

    # 3. the page shows the hostile texts as text: no script or handler of theirs survives
    html = page.read_text(encoding="utf-8")
    dom = _Dom()
    dom.feed(html)
    for body in dom.scripts:
        assert 'alert("q")' not in body and "alert(2)" not in body and "alert('note')" not in body
    assert not [name for name, _v in dom.attrs if name.lower().startswith("on")], "event handler attribute"
    assert "img" not in dom.tags
    assert "&lt;script&gt;" in html or "\\u003cscript" in html

    # 4. forget deletes the recordings from disk, not only the rows
    listing = subprocess.run([sys.executable, "-m", "voice_coach", "sessions", "--format", "json"],
                             env=env, capture_output=True, text=True, timeout=120)
    assert listing.returncode == 0, listing.stderr
    ids = [s["id"] for s in json.loads(listing.stdout)["sessions"]] if isinstance(
        json.loads(listing.stdout), dict) else [s["id"] for s in json.loads(listing.stdout)]
    assert len(ids) == 2
    gone = subprocess.run([sys.executable, "-m", "voice_coach", "forget", "--yes", *ids],
                          env=env, capture_output=True, text=True, timeout=120)
    assert gone.returncode == 0, gone.stderr
    for rec in recordings:
        assert not rec.exists(), f"{rec} survived forget"
    assert not [p for p in home.rglob("*") if p.suffix in (".wav", ".flac", ".mp3", ".m4a", ".ogg")]
    # and no words of the answer linger in the database or its journal
    for p in home.rglob("*"):
        if p.is_file():
            assert b"baseline" not in p.read_bytes().lower(), f"transcript text left in {p}"
    assert [a for a in _attempts(log) if a["kind"] != "loaded"] == []


def test_data_home_is_created_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``data_home`` creates the directory 0700 even under a permissive umask."""
    from voice_coach.paths import data_home

    target = tmp_path / "fresh" / "vc"
    monkeypatch.setenv("VOICE_COACH_HOME", str(target))
    old = os.umask(0)
    try:
        assert data_home() == target
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o700


def test_recorder_file_is_private_from_the_first_byte(tmp_path: Path) -> None:
    """The recording is created 0600: no window in which another user could read it."""
    from voice_coach.audio.record import WavWriter

    old = os.umask(0)
    try:
        w = WavWriter(tmp_path / "a.wav")
        w.write(np.zeros(160, np.float32))
        mode = stat.S_IMODE((tmp_path / "a.wav").stat().st_mode)
        w.close()
    finally:
        os.umask(old)
    assert mode == 0o600


def test_data_home_that_cannot_be_created_is_a_store_error(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``VOICE_COACH_HOME`` under a regular file is a one-line store error (exit 6), not a crash."""
    from voice_coach.errors import StoreError
    from voice_coach.paths import data_home

    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("VOICE_COACH_HOME", str(blocker / "home"))
    with pytest.raises(StoreError, match="cannot create the data directory") as caught:
        data_home()
    assert caught.value.exit_code == 6
