"""Quick checks that scripts/bench.py's building blocks work, on tiny inputs.

The benchmark itself is slow and its numbers are machine-dependent, so no timing is
asserted here: these tests check that answers are built to the exact length without
cutting a clip, that child processes are timed and their own memory read, and that the
report renders every measure with a verdict. Nothing here runs the Whisper model.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

BENCH_PATH = Path(__file__).resolve().parent.parent / "scripts" / "bench.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """scripts/bench.py imported as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("vc_bench", BENCH_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["vc_bench"] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


def _tone(seconds: float, freq: float = 220.0) -> np.ndarray:
    t = np.arange(int(seconds * 16000)) / 16000
    return (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _loud_runs(audio: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lengths (in 10 ms frames) of the loud runs, and each frame's RMS."""
    frames = audio[: audio.size // 160 * 160].reshape(-1, 160)
    rms = np.sqrt(np.mean(np.square(frames), axis=1))
    edges = np.diff(np.concatenate([[0], (rms > 0.05).astype(np.int8), [0]]))
    return np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1), rms


def test_build_answer_has_exact_length_and_whole_clips(bench: ModuleType) -> None:
    clips = [_tone(1.0), _tone(0.5, 440.0)]
    audio = bench.build_answer(clips, 4.0, gaps_s=(0.25,), seed=1)
    assert audio.dtype == np.float32
    assert audio.size == 4 * 16000
    runs, rms = _loud_runs(audio)
    # Every clip that went in went in whole: 1.0 s, 0.5 s, 1.0 s, 0.5 s (100 or 50 frames).
    assert len(runs) == 4
    assert all(abs(r - 100) <= 2 or abs(r - 50) <= 2 for r in runs)
    # The silences carry room tone, never digital zero.
    quiet = rms[rms < 0.05]
    assert quiet.size > 0 and np.all(quiet > 0.0)


def test_build_answer_skips_a_clip_that_would_overrun(bench: ModuleType) -> None:
    long_clip, short_clip = _tone(3.0), _tone(0.5, 440.0)
    audio = bench.build_answer([long_clip, short_clip], 2.0, gaps_s=(0.1,))
    assert audio.size == 2 * 16000
    runs, _ = _loud_runs(audio)
    assert len(runs) == 3 and all(abs(r - 50) <= 2 for r in runs)  # only the short clip fits


def test_build_answer_refuses_no_clips(bench: ModuleType) -> None:
    with pytest.raises(ValueError):
        bench.build_answer([], 1.0)


def test_run_process_times_a_child_and_reads_its_own_peak_rss(bench: ModuleType) -> None:
    grow = ("import time; b = bytearray(80 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); "
            "time.sleep(0.3)")
    small = bench.run_process([sys.executable, "-c", "print('ok')"])
    big = bench.run_process([sys.executable, "-c", grow])
    assert small.returncode == 0 and small.stdout.strip() == "ok"
    assert big.returncode == 0
    assert small.wall_s > 0
    # The 80 MB the child touched, measured on the child alone (not this big test process).
    assert big.peak_rss_mb > small.peak_rss_mb + 60
    assert small.peak_rss_mb < 40
    failed = bench.run_process([sys.executable, "-c", "import sys; sys.exit(3)"])
    assert failed.returncode == 3
    with pytest.raises(RuntimeError, match="exit code 3"):
        bench.checked(failed, "the child")


def test_verdicts(bench: ModuleType) -> None:
    assert bench.verdict(0.9, 1.0) == "met"
    assert bench.verdict(1.25, 1.0) == "short by 25%"
    assert bench.verdict(12.0, 10.0, lower_is_better=False) == "met"
    assert bench.verdict(8.0, 10.0, lower_is_better=False) == "short by 20%"
    assert bench.verdict(float("nan"), 1.0) == "not measured"


def test_markdown_holds_every_measure_and_keeps_notes(bench: ModuleType, tmp_path: Path) -> None:
    inp = bench.BenchInput("10min", tmp_path / "a.wav", 600.0, "tones")
    res = bench.Results({"cpu": "Test CPU", "cores": "2", "date": "2026-01-01 00:00 UTC", "load": "0.1",
                         "python": "3.11", "commit": "abc"}, ".venv/bin/python scripts/bench.py", [inp])
    res.overhead = [bench.Overhead("10min", (2.0, 2.2, 2.1), (3.0, 3.1, 2.9), (300.0,), (350.0,), 10, 11)]
    res.live = [bench.Live("10min", 0.8, 600.0, "replay")]
    res.batch = [bench.Batch(1, 360.0, 60.0, 100.0), bench.Batch(2, 360.0, 30.0, 100.0)]
    res.startup = bench.Startup((0.05, 0.06, 0.07), (), (0.9,), (0.3,))
    res.load_after = "0.2"
    old = tmp_path / "benchmarks.md"
    old.write_text(f"stale table\n{bench.NOTES_BEGIN}\nmy analysis\n{bench.NOTES_END}\n")
    text = bench.render_markdown(res, bench.existing_notes(old))
    assert "Test CPU" in text and "scripts/bench.py" in text
    assert "overhead ratio, 10min | 0.70" in text  # 2.1 / 3.0
    assert "12.0x real time" in text  # 360 s of audio in 30 s with 2 workers
    assert "600 MB" in text and "300 MB" in text
    assert "my analysis" in text and "stale table" not in text
    rows = bench.summary_rows(res)
    assert {r[3] for r in rows if r[0].startswith(("overhead", "live", "peak"))} == {"met"}


def test_inputs_are_built_from_a_dev_folder(bench: ModuleType, tmp_path: Path) -> None:
    from voice_coach.audio.decode import write_wav

    dev = tmp_path / "dev"
    dev.mkdir()
    write_wav(dev / "c1.wav", _tone(2.0))
    write_wav(dev / "c2.wav", _tone(1.5, 330.0))
    inputs, batch_dir, source = bench.prepare_inputs(dev, tmp_path / "work", {"30s": 30.0}, 2, 5.0)
    assert [i.name for i in inputs] == ["30s"]
    assert "2 clips of dev/" in source
    from voice_coach.audio.decode import load_audio

    assert load_audio(inputs[0].path).size == 30 * 16000
    assert sorted(p.name for p in batch_dir.iterdir()) == ["b00.wav", "b01.wav"]
    # A second call reuses the files instead of rebuilding them.
    mtime = inputs[0].path.stat().st_mtime_ns
    again, _, _ = bench.prepare_inputs(dev, tmp_path / "work", {"30s": 30.0}, 2, 5.0)
    assert again[0].path.stat().st_mtime_ns == mtime
