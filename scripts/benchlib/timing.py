"""Timing and memory of benchmark processes: the one place every ``scripts/bench*.py`` uses.

A benchmark times fresh child processes (``run_process``) or a stretch of code in its own
process (``timed``), and reads peak memory from ``/proc``'s ``VmHWM`` (``vm_hwm_kb``,
``own_peak_rss_mb``) rather than ``ru_maxrss``, which Linux carries across ``fork`` and
``exec`` so that a child started from a big parent reports the parent's size.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
# The entry point the timed children are started through (its helper modes: ``_bare``, ...).
BENCH_SCRIPT = ROOT / "scripts" / "bench.py"


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
            hwm_kb = vm_hwm_kb(proc.pid) or hwm_kb
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


def vm_hwm_kb(pid: int | str = "self") -> int:
    """The peak RSS so far of a running process (``"self"``: this one), from ``/proc`` (0 when
    unreadable)."""
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


def own_peak_rss_mb() -> float:
    """This process's own peak RSS (``ru_maxrss`` only where ``/proc`` is unreadable: see the
    module docstring for why it is not the first choice)."""
    return (vm_hwm_kb() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024.0


def last_json(run: ProcRun) -> Any:
    """The JSON a child mode prints as its last line of output (earlier lines may be logs)."""
    return json.loads(run.stdout.strip().splitlines()[-1])


@dataclass
class Timed:
    """What :func:`timed` measured: wall and CPU seconds (this process, all its threads)."""

    wall_s: float = 0.0
    cpu_s: float = 0.0


@contextmanager
def timed() -> Iterator[Timed]:
    """Time the ``with`` block; the figures are filled in when it ends."""
    took = Timed()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield took
    finally:
        took.wall_s = time.perf_counter() - wall
        took.cpu_s = time.process_time() - cpu
