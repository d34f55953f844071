"""Quick checks that the benchmarks' building blocks (scripts/benchlib/) work, on tiny inputs.

The benchmark itself is slow and its numbers are machine-dependent, so no timing is
asserted here: these tests check that answers are built to the exact length without
cutting a clip, that child processes and blocks are timed and their own memory read (the
helpers bench.py, bench_diarize.py and bench_serve.py share), that the report renders every
measure with a verdict, and that the thin entry point still parses its options. Nothing
here runs the Whisper model.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
sys.path.append(str(SCRIPTS))  # scripts/ is not a package; appended, so its scripts shadow nothing

from benchlib import inputs, measures, report, timing  # noqa: E402


def _tone(seconds: float, freq: float = 220.0) -> np.ndarray:
    t = np.arange(int(seconds * 16000)) / 16000
    return (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _loud_runs(audio: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lengths (in 10 ms frames) of the loud runs, and each frame's RMS."""
    frames = audio[: audio.size // 160 * 160].reshape(-1, 160)
    rms = np.sqrt(np.mean(np.square(frames), axis=1))
    edges = np.diff(np.concatenate([[0], (rms > 0.05).astype(np.int8), [0]]))
    return np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1), rms


def test_build_answer_has_exact_length_and_whole_clips() -> None:
    clips = [_tone(1.0), _tone(0.5, 440.0)]
    audio = inputs.build_answer(clips, 4.0, gaps_s=(0.25,), seed=1)
    assert audio.dtype == np.float32
    assert audio.size == 4 * 16000
    runs, rms = _loud_runs(audio)
    # Every clip that went in went in whole: 1.0 s, 0.5 s, 1.0 s, 0.5 s (100 or 50 frames).
    assert len(runs) == 4
    assert all(abs(r - 100) <= 2 or abs(r - 50) <= 2 for r in runs)
    # The silences carry room tone, never digital zero.
    quiet = rms[rms < 0.05]
    assert quiet.size > 0 and np.all(quiet > 0.0)


def test_build_answer_skips_a_clip_that_would_overrun() -> None:
    long_clip, short_clip = _tone(3.0), _tone(0.5, 440.0)
    audio = inputs.build_answer([long_clip, short_clip], 2.0, gaps_s=(0.1,))
    assert audio.size == 2 * 16000
    runs, _ = _loud_runs(audio)
    assert len(runs) == 3 and all(abs(r - 50) <= 2 for r in runs)  # only the short clip fits


def test_build_answer_refuses_no_clips() -> None:
    with pytest.raises(ValueError):
        inputs.build_answer([], 1.0)


def test_run_process_times_a_child_and_reads_its_own_peak_rss() -> None:
    grow = ("import time; b = bytearray(80 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); "
            "time.sleep(0.3)")
    small = timing.run_process([sys.executable, "-c", "print('ok')"])
    big = timing.run_process([sys.executable, "-c", grow])
    assert small.returncode == 0 and small.stdout.strip() == "ok"
    assert big.returncode == 0
    assert small.wall_s > 0
    # The 80 MB the child touched, measured on the child alone (not this big test process).
    assert big.peak_rss_mb > small.peak_rss_mb + 60
    assert small.peak_rss_mb < 40
    failed = timing.run_process([sys.executable, "-c", "import sys; sys.exit(3)"])
    assert failed.returncode == 3
    with pytest.raises(RuntimeError, match="exit code 3"):
        timing.checked(failed, "the child")


def test_verdicts() -> None:
    assert report.verdict(0.9, 1.0) == "met"
    assert report.verdict(1.25, 1.0) == "short by 25%"
    assert report.verdict(12.0, 10.0, lower_is_better=False) == "met"
    assert report.verdict(8.0, 10.0, lower_is_better=False) == "short by 20%"
    assert report.verdict(float("nan"), 1.0) == "not measured"


def test_markdown_holds_every_measure_and_keeps_notes(tmp_path: Path) -> None:
    inp = inputs.BenchInput("10min", tmp_path / "a.wav", 600.0, "tones")
    res = report.Results({"cpu": "Test CPU", "cores": "2", "date": "2026-01-01 00:00 UTC", "load": "0.1",
                         "python": "3.11", "commit": "abc"}, ".venv/bin/python scripts/bench.py", [inp])
    res.overhead = [measures.Overhead("10min", (2.0, 2.2, 2.1), (3.0, 3.1, 2.9), (300.0,), (350.0,), 10, 11)]
    res.live = [measures.Live("10min", 0.8, 600.0, "replay")]
    res.batch = [measures.Batch(1, 360.0, 60.0, 100.0), measures.Batch(2, 360.0, 30.0, 100.0)]
    res.startup = measures.Startup((0.05, 0.06, 0.07), (), (0.9,), (0.3,))
    res.load_after = "0.2"
    old = tmp_path / "benchmarks.md"
    old.write_text(f"stale table\n{report.NOTES_BEGIN}\nmy analysis\n{report.NOTES_END}\n")
    text = report.render_markdown(res, report.existing_notes(old))
    assert "Test CPU" in text and "scripts/bench.py" in text
    assert "overhead ratio, 10min | 0.70" in text  # 2.1 / 3.0
    assert "12.0x real time" in text  # 360 s of audio in 30 s with 2 workers
    assert "600 MB" in text and "300 MB" in text
    assert "my analysis" in text and "stale table" not in text
    rows = report.summary_rows(res)
    assert {r[3] for r in rows if r[0].startswith(("overhead", "live", "peak"))} == {"met"}


def test_inputs_are_built_from_a_dev_folder(tmp_path: Path) -> None:
    from voice_coach.audio.decode import write_wav

    dev = tmp_path / "dev"
    dev.mkdir()
    write_wav(dev / "c1.wav", _tone(2.0))
    write_wav(dev / "c2.wav", _tone(1.5, 330.0))
    built, batch_dir, source = inputs.prepare_inputs(dev, tmp_path / "work", {"30s": 30.0}, 2, 5.0)
    assert [i.name for i in built] == ["30s"]
    assert "2 clips of dev/" in source
    from voice_coach.audio.decode import load_audio

    assert load_audio(built[0].path).size == 30 * 16000
    assert sorted(p.name for p in batch_dir.iterdir()) == ["b00.wav", "b01.wav"]
    # A second call reuses the files instead of rebuilding them.
    mtime = built[0].path.stat().st_mtime_ns
    again, _, _ = inputs.prepare_inputs(dev, tmp_path / "work", {"30s": 30.0}, 2, 5.0)
    assert again[0].path.stat().st_mtime_ns == mtime


def test_own_peak_rss_and_a_timed_block_are_the_processs_own() -> None:
    # In a fresh child (as bench_diarize.py uses them), so the peak starts small and the
    # 80 MB it touches must show; the timed block's CPU is that child's alone.
    child = f"""
import json, sys
sys.path.insert(0, {str(SCRIPTS)!r})
from benchlib.timing import own_peak_rss_mb, timed
before = own_peak_rss_mb()
with timed() as took:
    b = bytearray(80 * 1024 * 1024)
    b[::4096] = b"x" * len(b[::4096])
    sum(range(300_000))
print(json.dumps({{"before": before, "after": own_peak_rss_mb(), "wall": took.wall_s, "cpu": took.cpu_s}}))
"""
    run = timing.checked(timing.run_process([sys.executable, "-c", child]), "the child")
    out = timing.last_json(run)
    assert out["before"] < 40
    assert out["after"] > out["before"] + 70
    assert 0 < out["cpu"] <= out["wall"] * 1.5 + 0.01  # one busy thread: CPU about the wall time
    assert out["wall"] < run.wall_s


def test_a_child_modes_last_json_line_and_a_median() -> None:
    run = timing.run_process([sys.executable, "-c", "print('loading...'); print('{\"words\": 7}')"])
    assert timing.last_json(run) == {"words": 7}
    assert timing.median([3.0, 1.0, 2.0]) == 2.0
    assert timing.median([]) != timing.median([])  # NaN: nothing measured


def test_room_tone_is_the_products_room_noise_at_the_bench_level() -> None:
    from voice_coach.audio.synth import room_noise

    tone = inputs.room_tone(16000, seed=4)
    assert np.array_equal(tone, room_noise(16000, inputs.ROOM_TONE_DB, seed=4))
    assert tone.dtype == np.float32
    level_db = 20 * np.log10(np.sqrt(np.mean(np.square(tone.astype(np.float64)))))
    assert abs(level_db - inputs.ROOM_TONE_DB) < 0.5
    assert not np.array_equal(tone, inputs.room_tone(16000, seed=5))


def test_the_entry_point_keeps_its_options_and_refuses_a_bad_length() -> None:
    bench = [sys.executable, str(SCRIPTS / "bench.py")]
    helped = subprocess.run([*bench, "--help"], capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0
    for option in ("--dev", "--repeat", "--lengths", "--only", "--live-speed", "--live-tail", "--batch-files",
                   "--batch-len", "--cmd", "--workdir", "--out", "--no-write", "--quick"):
        assert option in helped.stdout
    bad = subprocess.run([*bench, "--lengths", "5min", "--no-write"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
    assert bad.stderr.strip() == "bench: unknown length '5min' (choose from 30s, 3min, 10min)"


@pytest.mark.parametrize("script", ["bench_diarize.py", "bench_serve.py"])
def test_the_sibling_benchmarks_load_the_shared_helpers(script: str) -> None:
    # --help imports the script (and so benchlib.timing) without running the benchmark.
    run = subprocess.run([sys.executable, str(SCRIPTS / script), "--help"], capture_output=True, text=True,
                         timeout=60, cwd=SCRIPTS.parent)
    assert run.returncode == 0, run.stderr
    assert "usage:" in run.stdout


def test_answers_are_built_in_a_child_through_the_entry_point(tmp_path: Path) -> None:
    import argparse

    from voice_coach.audio.decode import write_wav

    dev = tmp_path / "dev"
    dev.mkdir()
    write_wav(dev / "c1.wav", _tone(2.0))
    args = argparse.Namespace(workdir=tmp_path / "work", batch_files=1, batch_len=4.0, dev=dev)
    built, batch_dir = inputs.prepare_in_child(args, {"30s": 30.0})
    assert [(i.name, i.duration_s) for i in built] == [("30s", 30.0)]
    assert built[0].path.is_file() and "1 clips of dev/" in built[0].source
    assert [p.name for p in batch_dir.iterdir()] == ["b00.wav"]
