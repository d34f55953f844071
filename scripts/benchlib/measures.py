"""The measures: each runs fresh child processes and returns what it timed.

Overhead (analyze against bare faster-whisper), live latency, batch throughput, start-up,
the labelled set's accuracy and a profile. The children are ``voice-coach`` itself or the
helper modes of ``scripts/bench.py`` (see :mod:`benchlib.children`).
"""

from __future__ import annotations

import json
import re
import shlex
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .inputs import BenchInput
from .timing import BENCH_SCRIPT, checked, last_json, median, python_exe, run_process

# Modules that must not load for ``voice-coach --help`` (each costs 0.1-1 s to import).
HEAVY_MODULES: tuple[str, ...] = (
    "faster_whisper", "ctranslate2", "spacy", "sounddevice", "numpy", "av", "webrtcvad", "rich",
)


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
                run = checked(run_process([python_exe(), str(BENCH_SCRIPT), "_bare",
                                           str(inp.path)], env=env), "bare faster-whisper")
                b_s.append(run.wall_s)
                b_rss.append(run.peak_rss_mb)
                b_cpu.append(run.cpu_s)
                b_words = int(last_json(run)["words"])
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
    run = checked(run_process([python_exe(), str(BENCH_SCRIPT), "_live", str(inp.path),
                               "--speed", str(speed), "--tail", str(tail_s)], env=env), "live replay")
    data = last_json(run)
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
        run = checked(run_process([python_exe(), str(BENCH_SCRIPT), "_load"], env=env),
                      "model load")
        data = last_json(run)
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
    run = run_process([python_exe(), str(BENCH_SCRIPT), "_profile", str(inp.path), *extra],
                      env=env)
    return run.stdout if run.returncode == 0 else f"(profile failed: {run.stderr[-300:]})"
