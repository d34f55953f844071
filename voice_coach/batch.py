"""Batch analysis for coaches: many recordings, in parallel, with one summary table.

``voice-coach analyze DIR_OR_GLOB... --workers N`` lands here. The design follows from a
coach's archive being large and messy:

* **Model once per worker.** Each worker process keeps its recogniser in a process-global
  cache (:mod:`voice_coach.model_cache`), so a 500-file batch loads Whisper ``N`` times, not 500.
* **Bounded memory.** Files are fed to the workers through a small window of in-flight
  tasks (:attr:`BatchOptions.window`); results are written out and dropped as they arrive.
  Only the list of paths and one summary row per file are held.
* **A bad file never stops the batch.** Any error in one file becomes a failed
  :class:`Outcome` with a one-line reason. A worker process that dies outright (a decoder
  crash) breaks the pool; the pool is rebuilt and the files that were in flight are re-run
  one at a time, so only the guilty file is marked failed.
* **The same code on a cluster.** With ``--scheduler tcp://host:8786`` the same task
  function runs on a Dask cluster (``pip install voice-coach[dask]``); paths must be visible
  to the workers (a shared filesystem).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import csv
import glob
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voice_coach.errors import UsageError, VoiceCoachError
from voice_coach.question import Question

AUDIO_SUFFIXES = frozenset(
    (".wav", ".flac", ".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".webm",
     ".mp4", ".mov", ".mkv", ".wma", ".aiff", ".aif")
)
"""File types a directory scan picks up as audio (explicitly named files may be anything)."""

TEXT_SUFFIXES = frozenset((".txt", ".json"))

CONNECT_TIMEOUT_S = 15.0
"""How long to wait for a Dask scheduler before saying it cannot be reached."""


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs.

    Attributes:
        workers: parallel worker processes (1: run in this process, one file at a time).
        scheduler: a Dask scheduler address (``tcp://host:8786``); overrides ``workers``.
        window: tasks in flight at once; ``0`` means twice the workers. Bounds memory:
            each in-flight task may hold one report.
        interview: each file is a whole interview (``voice-coach interview``), not one answer.
    """

    workers: int = 1
    scheduler: str | None = None
    window: int = 0
    interview: bool = False

    @property
    def in_flight(self) -> int:
        """The effective window."""
        return self.window if self.window > 0 else max(2, 2 * self.workers)


@dataclass(frozen=True)
class Outcome:
    """What happened to one file.

    Attributes:
        index: the file's position in the batch (results arrive out of order).
        path: the file.
        error: a one-line reason when it failed, else ``None``.
        report: the report (``None`` on failure).
        transcript: the transcript as a dict (``None`` on failure).
        seconds: wall time spent on it in the worker.
    """

    index: int
    path: str
    error: str | None = None
    report: dict[str, Any] | None = None
    transcript: dict[str, Any] | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether the file was analysed."""
        return self.error is None


# ---------------------------------------------------------------------------- inputs
def expand_inputs(specs: Sequence[str | Path]) -> tuple[list[Path], list[str]]:
    """Turn files, directories and glob patterns into a sorted, de-duplicated file list.

    Directories are scanned recursively for audio and transcript files (hidden files and
    directories are skipped). Returns the files and a list of problems (a pattern matching
    nothing, a path that does not exist), which the caller reports without stopping.
    """
    files: list[Path] = []
    problems: list[str] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve() if p.exists() else p
        if key not in seen:
            seen.add(key)
            files.append(p)

    for spec in specs:
        text = str(spec)
        p = Path(text).expanduser()
        if p.is_dir():
            found = sorted(_scan_dir(p))
            if not found:
                problems.append(f"{p}: is a directory with no audio or transcript files in it")
            for f in found:
                add(f)
        elif p.exists():
            add(p)
        elif glob.has_magic(text):
            matches = sorted(Path(m) for m in glob.glob(os.path.expanduser(text), recursive=True))
            matches = [m for m in matches if m.is_file()]
            if not matches:
                problems.append(f"{text}: no files match")
            for m in matches:
                add(m)
        else:
            # Kept in the list: it fails like any bad file, with its own row in the summary.
            add(p)
    return files, problems


def _scan_dir(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith("."):
                continue
            suffix = Path(name).suffix.lower()
            if suffix in AUDIO_SUFFIXES or suffix in TEXT_SUFFIXES:
                yield Path(dirpath) / name


# ---------------------------------------------------------------------------- the task
def _transcriber(settings: Any) -> Any:
    """This process's recogniser for ``settings`` (see :mod:`voice_coach.model_cache`).

    One instance per thread as well: a Dask worker may run tasks on several threads, and one
    model instance per thread avoids sharing a decoder between concurrent calls.
    """
    from voice_coach.model_cache import shared_transcriber

    return shared_transcriber(settings.model, settings.asr, per_thread=True)


def analyze_file(
    index: int,
    path: str,
    question: Question | None,
    settings: Any,
    transcriber_factory: Callable[[], Any] | None = None,
) -> Outcome:
    """Analyse one file; never raises for a bad file (the error goes in the outcome).

    This is the unit of work for local worker processes and Dask workers alike.
    """
    from voice_coach.service import analyze_path

    def work() -> tuple[dict[str, Any], dict[str, Any]]:
        factory = transcriber_factory or (lambda: _transcriber(settings))
        transcript, report = analyze_path(Path(path), question, settings, transcriber_factory=factory)
        return report, transcript.to_dict()

    return guarded(index, path, work)


def guarded(index: int, path: str, work: Callable[[], tuple[dict[str, Any], dict[str, Any]]]) -> Outcome:
    """Run one file's ``work``; any error becomes a failed :class:`Outcome` with one line."""
    t0 = time.perf_counter()
    try:
        report, transcript = work()
        return Outcome(index, path, None, report, transcript, time.perf_counter() - t0)
    except VoiceCoachError as err:
        return Outcome(index, path, " ".join(str(err).split()), seconds=time.perf_counter() - t0)
    except MemoryError:
        return Outcome(index, path, "out of memory", seconds=time.perf_counter() - t0)
    except Exception as err:  # one strange file must not end a 500-file batch
        msg = " ".join(str(err).split())[:200]
        return Outcome(index, path, f"internal error: {type(err).__name__}: {msg}",
                       seconds=time.perf_counter() - t0)


# Worker-process state, set once by the pool initializer so each task ships only a path.
_WORKER: dict[str, Any] = {}


def _init_worker(question: Question | None, settings: Any) -> None:
    _WORKER["question"] = question
    _WORKER["settings"] = settings


def worker_settings() -> Any:
    """The settings a pool worker was started with (for task functions in other modules)."""
    return _WORKER["settings"]


def _pool_task(index: int, path: str) -> Outcome:
    return analyze_file(index, path, _WORKER.get("question"), _WORKER["settings"])


# ---------------------------------------------------------------------------- runners
def run_batch(
    paths: Sequence[Path],
    question: Question | None,
    settings: Any,
    options: BatchOptions,
    transcriber_factory: Callable[[], Any] | None = None,
) -> Iterator[Outcome]:
    """Analyse ``paths``; yields one :class:`Outcome` per file, in completion order.

    ``transcriber_factory`` (in-process runs only) lets tests and callers supply a
    recogniser; worker processes always build their own.
    """
    from voice_coach.interview import archive

    tasks = ((i, str(p)) for i, p in enumerate(paths))
    if options.scheduler:
        yield from _run_dask(tasks, question, settings, options)
    elif options.workers <= 1:
        factory = transcriber_factory or (lambda: _transcriber(settings))
        for i, p in tasks:
            if options.interview:
                yield archive.analyze_interview_file(i, p, settings, factory)
            else:
                yield analyze_file(i, p, question, settings, factory)
    else:
        yield from _run_pool(tasks, question, settings, options,
                             archive.pool_task if options.interview else _pool_task)


def _run_pool(
    tasks: Iterable[tuple[int, str]],
    question: Question | None,
    settings: Any,
    options: BatchOptions,
    task_fn: Callable[[int, str], Outcome] = _pool_task,
) -> Iterator[Outcome]:
    """Run tasks in worker processes; ``task_fn`` must be a module-level (picklable) function."""
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    # spawn, not fork: the parent may hold threads (the progress bar) and native libraries.
    ctx = multiprocessing.get_context("spawn")

    def make_pool() -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(max_workers=options.workers, mp_context=ctx,
                                      initializer=_init_worker, initargs=(question, settings))

    pool = make_pool()
    it = iter(tasks)
    pending: dict[cf.Future[Outcome], tuple[int, str]] = {}
    suspects: list[tuple[int, str]] = []
    # Tasks that never ran: a worker died between two submits, so the pool refused them. They
    # are nobody's suspects; they go to the next pool (the dead worker's future says which).
    held: list[tuple[int, str]] = []

    def fill() -> None:
        while len(pending) < options.in_flight:
            task = held.pop(0) if held else next(it, None)
            if task is None:
                return
            try:
                pending[pool.submit(task_fn, *task)] = task
            except BrokenProcessPool:
                held.insert(0, task)
                return

    try:
        fill()
        while pending or held:
            if not pending:  # the pool broke with nothing in flight to say so
                pool.shutdown(wait=False, cancel_futures=True)
                pool = make_pool()
                fill()
                continue
            done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            broken = False
            for fut in done:
                task = pending.pop(fut)
                try:
                    outcome = fut.result()
                except BrokenProcessPool:
                    suspects.append(task)
                    broken = True
                    continue
                except Exception as err:  # e.g. an unpicklable result
                    outcome = Outcome(task[0], task[1], f"internal error: {type(err).__name__}: {err}")
                yield outcome
            if broken:
                # Every task in flight died with the pool; which one killed it is unknown.
                suspects.extend(pending.values())
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = make_pool()
            fill()
        # Re-run the suspects alone, so an innocent file is not blamed for its neighbour.
        for task in suspects:
            try:
                yield pool.submit(task_fn, *task).result()
            except BrokenProcessPool:
                yield Outcome(task[0], task[1], "the worker process died on this file (decoder crash?)")
                pool.shutdown(wait=False, cancel_futures=True)
                pool = make_pool()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_dask(
    tasks: Iterable[tuple[int, str]], question: Question | None, settings: Any, options: BatchOptions
) -> Iterator[Outcome]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'voice-coach[dask]'") from None
    try:
        client = Client(options.scheduler, timeout=f"{CONNECT_TIMEOUT_S}s", set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise UsageError(f"cannot reach the Dask scheduler at {options.scheduler} ({err})") from None
    with client:
        n_threads = sum(client.nthreads().values()) or 1
        window = options.window if options.window > 0 else 2 * n_threads
        it = iter(tasks)
        pending: dict[Any, tuple[int, str]] = {}
        ac = as_completed(loop=client.loop)

        def submit() -> bool:
            task = next(it, None)
            if task is None:
                return False
            if options.interview:
                from voice_coach.interview.archive import analyze_interview_file

                fut = client.submit(analyze_interview_file, task[0], task[1], settings, pure=False)
            else:
                fut = client.submit(analyze_file, task[0], task[1], question, settings, pure=False)
            pending[fut] = task
            ac.add(fut)
            return True

        for _ in range(window):
            if not submit():
                break
        for fut in ac:
            task = pending.pop(fut)
            try:
                outcome = fut.result()
            except Exception as err:  # the worker died or the task could not run
                outcome = Outcome(task[0], task[1], f"dask: {type(err).__name__}: {str(err)[:200]}")
            fut.release()
            submit()
            yield outcome


# ---------------------------------------------------------------------------- the summary
def signal_columns() -> list[str]:
    """The registered signals, one summary column each (``overall`` has no figure)."""
    from voice_coach.signals import SIGNALS

    return [s.name for s in SIGNALS if s.name != "overall"]


BASE_COLUMNS = ("index", "path", "status", "error", "session", "duration_s", "words", "seconds")


def summary_row(outcome: Outcome, session_id: str | None = None) -> dict[str, Any]:
    """One summary row: the file, its status, and each signal's figure and verdict."""
    from voice_coach.report.figures import report_values

    report = outcome.report or {}
    row: dict[str, Any] = {
        "index": outcome.index,
        "path": outcome.path,
        "status": "ok" if outcome.ok else "failed",
        "error": outcome.error,
        "session": session_id,
        "duration_s": report.get("duration_s"),
        "words": len((report.get("transcript") or {}).get("words") or []) if outcome.ok else None,
        "seconds": round(outcome.seconds, 3),
    }
    values = report_values(report)
    for name in signal_columns():
        v, _verdict = values.get(name, (None, "n/a"))
        row[name] = v
    for name in signal_columns():
        row[f"{name}_verdict"] = values[name][1] if name in values else None
    return row


class SummaryWriter:
    """Writes ``summary.csv`` as rows arrive (a crash keeps what was done) and
    ``summary.json`` at the end, sorted by input order."""

    def __init__(self, directory: Path) -> None:
        """Create ``directory`` and open the CSV."""
        from voice_coach.errors import InputError

        self.directory = directory
        self.rows: list[dict[str, Any]] = []
        self.columns = [*BASE_COLUMNS, *signal_columns(), *(f"{n}_verdict" for n in signal_columns())]
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._fh = (directory / "summary.csv").open("w", newline="", encoding="utf-8")
        except OSError as err:
            raise InputError(f"{directory}: cannot write the summary ({err.strerror or err})") from None
        self._csv = csv.DictWriter(self._fh, fieldnames=self.columns, extrasaction="ignore")
        self._csv.writeheader()

    def add(self, row: dict[str, Any]) -> None:
        """Append one row."""
        self.rows.append(row)
        self._csv.writerow({k: ("" if v is None else v) for k, v in row.items()})
        self._fh.flush()

    def close(self) -> tuple[Path, Path]:
        """Finish both files; returns their paths."""
        from voice_coach.errors import InputError
        from voice_coach.fsutil import atomic_write_text

        self._fh.close()
        rows = sorted(self.rows, key=lambda r: r["index"])
        path = self.directory / "summary.json"
        text = json.dumps({"schema": "voice-coach.batch-summary/1", "columns": self.columns, "rows": rows},
                          indent=1, ensure_ascii=False)
        try:
            atomic_write_text(path, text)
        except OSError as err:
            raise InputError(f"{path}: cannot write the summary ({err.strerror or err})") from None
        return self.directory / "summary.csv", path


def output_name(path: str, suffix: str, used: set[str]) -> str:
    """A per-file output name (``answer.json``) that no other file in the batch has taken."""
    stem = Path(path).stem or "answer"
    name = f"{stem}{suffix}"
    n = 2
    while name in used:
        name = f"{stem}-{n}{suffix}"
        n += 1
    used.add(name)
    return name


@contextlib.contextmanager
def progress(total: int, enabled: bool) -> Iterator[Callable[[Outcome, int], None]]:
    """A rich progress bar on stderr; yields ``advance(outcome, failures)``."""
    if not enabled:
        yield lambda _o, _f: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    prog = Progress(TextColumn("[bold]analysing[/bold]"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[failed]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                    TextColumn("{task.fields[last]}", style="dim"), console=Console(stderr=True))
    task = prog.add_task("batch", total=total, failed="", last="")

    def advance(outcome: Outcome, failures: int) -> None:
        prog.update(task, advance=1, last=Path(outcome.path).name[:40],
                    failed=f"[red]{failures} failed[/red]" if failures else "")

    with prog:
        yield advance
