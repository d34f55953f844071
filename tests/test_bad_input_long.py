"""Bad input at scale: a 2-hour file in bounded memory, the progress bar, a batch with bad files.

Part of the bad-input matrix (see ``tests/test_bad_input_matrix.py``): each case checks its
own row of ``docs/reliability.md``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests import fixtures_bad as fb
from tests.bad_input import ROOT, Outcome, display, record, run_cli


@pytest.fixture(scope="module")
def answer_audio() -> np.ndarray:
    """A short English answer in espeak-ng's voice."""
    return fb.espeak(fb.ANSWER_SCRIPT, "en-us")


# ---------------------------------------------------------------- long files and batches

LONG_S = 7200.0
# Measured ~75 MB for 15 min and for 2 h alike (it does not grow with length); decoding
# the whole file at once would take 7200 s * 16 kHz * 4 B = 461 MB on its own.
PEAK_GROWTH_LIMIT_MB = 250.0

# Runs in its own process so its peak memory (ru_maxrss) is its own. The recogniser is a
# FakeTranscriber: real recognition of 2 h is too slow for the suite, and what is measured
# here is the streaming decode + VAD + windowing, which is the same code either way.
LONG_SCRIPT = r"""
import json, resource, sys
from pathlib import Path
import numpy as np
import psutil
from tests.conftest import FakeTranscriber
from voice_coach.analysis import run_signals
from voice_coach.service import analyze_path
from voice_coach.transcript import transcript_from_text

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

run_signals(transcript_from_text("warm up the language model first."))
try:  # reset the peak, so loading spaCy and friends (a transient peak) is not counted
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
except OSError:
    pass
base = psutil.Process().memory_info().rss
words = [(w, t + 0.5 + 0.4 * i, t + 0.8 + 0.4 * i) for t in json.loads(sys.argv[2])
         for i, w in enumerate("so first I would clarify the goal".split())]
fake = FakeTranscriber(words)
ticks = []
_t, report = analyze_path(Path(sys.argv[1]), transcriber_factory=lambda: fake,
                          progress=lambda done, total: ticks.append((done, total)))
peak = hwm()
print(json.dumps({"growth_mb": (peak - base) / 1e6, "duration": report["duration_s"],
                  "words": len(report["transcript"]["words"]), "calls": fake.calls, "ticks": ticks,
                  "warnings": report["warnings"]}))
"""


@pytest.fixture(scope="module")
def long_wav(tmp_path_factory: pytest.TempPathFactory, answer_audio: np.ndarray) -> tuple[Path, list[float]]:
    """A sparse 2-hour 8 kHz WAV: silence, with the spoken answer three times and music once."""
    speech8k = fb.telephone(answer_audio)
    at = [5.0, 3600.0, LONG_S - 20.0]
    inserts = (*tuple((t, speech8k) for t in at), (1800.0, fb.music(6)[::2]))
    path = fb.write_sparse_wav(tmp_path_factory.mktemp("long") / "long.wav", LONG_S, 8000, inserts)
    return path, at


def test_two_hour_file_bounded_memory_and_progress(long_wav: tuple[Path, list[float]], tmp_path: Path,
                                                   answer_audio: np.ndarray) -> None:
    """2 h streams through decode, VAD and windowed recognition in bounded memory.

    Also checks the recogniser is only handed windows that contain sound (the rest of the
    two hours never reaches it), that no window exceeds the configured size, and that the
    progress callback (what drives the bar on a terminal) climbs to the end.
    """
    from voice_coach.pipeline import PipelineOptions

    path, at = long_wav
    proc = subprocess.run([sys.executable, "-c", LONG_SCRIPT, str(path), json.dumps(at)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["duration"] == pytest.approx(LONG_S, abs=0.1)
    assert result["words"] == 3 * 7
    assert result["growth_mb"] < PEAK_GROWTH_LIMIT_MB, result["growth_mb"]
    window = int(PipelineOptions().window_s * fb.SR)
    calls = result["calls"]
    assert all(size <= window for size, _ in calls)
    heard_s = sum(size for size, _ in calls) / fb.SR
    # Only windows with sound, plus the sound the fake left without words decoded once
    # more (voice_coach.coverage): three answers and 6 s of music.
    sound_s = 3 * answer_audio.size / fb.SR + 6
    assert heard_s <= 4 * PipelineOptions().window_s + sound_s < LONG_S / 5
    done = [d for d, _ in result["ticks"]]
    assert done == sorted(done) and done[-1] == pytest.approx(LONG_S, abs=0.1)
    assert all(t == pytest.approx(LONG_S, abs=0.1) for _, t in result["ticks"])
    outcome = Outcome(0, "", ())
    record("2-hour file", "analyze long.wav (2 h)", outcome, tmp_path,
           f"the report; memory stays bounded (peak growth under {PEAK_GROWTH_LIMIT_MB:.0f} MB, where "
           "decoding it whole would take 461 MB); only windows with sound reach the recogniser; "
           "a progress bar on a terminal")


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    """With stderr on a terminal (a pty), `analyze` draws a progress bar; off a terminal it does not."""
    import pty
    import select

    path = fb.write_sparse_wav(tmp_path / "silent.wav", 600.0, 8000)
    argv = [sys.executable, "-m", "voice_coach", "analyze", str(path), "--format", "json", "--no-save"]
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=slave, cwd=ROOT, env=env)
        os.close(slave)
        seen = b""
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the pty
                break
            if not chunk:
                break
            seen += chunk
        out = proc.communicate(timeout=120)[0]
    finally:
        os.close(master)
    assert proc.returncode == 0
    assert b"transcribing" in seen
    assert json.loads(out)["duration_s"] == pytest.approx(600.0, abs=0.1)
    plain = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert "transcribing" not in plain.stderr
    assert [x for x in plain.stderr.splitlines() if x.strip()] == [
        "voice-coach: warning: no speech detected: the audio is silent"]


def test_batch_goes_on_past_bad_files(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """A batch with broken files in it: one line per bad file, the good ones are analysed, exit 3."""
    good1, good2 = tmp_path / "a-good.txt", tmp_path / "d-good.txt"
    good1.write_text("Let me clarify the goal first. I would start with a simple baseline.")
    good2.write_text("There is a tradeoff: recall against latency. I would pick recall here.")
    bad1 = fb.write_zero_bytes(tmp_path)
    bad2 = fb.write_pdf_as_mp3(tmp_path)
    outdir = tmp_path / "reports"
    outcome = run_cli(capfd, "analyze", str(good1), str(bad1), str(bad2), str(good2),
                      "--format", "json", "--out", str(outdir), "--no-save")
    assert outcome.code == 3
    joined = "\n".join(outcome.err_lines)
    assert "Traceback" not in joined
    skipped = [x for x in outcome.err_lines if x.startswith("voice-coach: skipped")]
    assert len(skipped) == 2 and "empty.wav" in skipped[0] + skipped[1] and "answer.mp3" in skipped[0] + skipped[1]
    assert len(outcome.err_lines) == 3 and "2 of 4 files failed" in outcome.err_lines[-1]
    rows = json.loads(outcome.out)["rows"]
    assert [r["status"] == "ok" for r in sorted(rows, key=lambda r: r["index"])] == [True, False, False, True]
    assert len(list(outdir.glob("*.json"))) == 2
    record("batch with bad files in it", "analyze a-good.txt empty.wav answer.mp3 d-good.txt", outcome, tmp_path,
           "one `voice-coach: skipped FILE: reason` line per bad file, the good files' reports are written, "
           f"then “{display(outcome.err_lines[-1], tmp_path)}”")


@pytest.fixture(autouse=True)
def _no_progress_bar(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Only the pty test draws a bar; no other test depends on a TTY."""
    monkeypatch.setenv("TERM", "dumb")
    yield
