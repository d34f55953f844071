"""``voice-coach analyze PATH``: a coaching report for a recorded or typed answer.

One file gives one report (on stdout as exactly one JSON object with ``--format json``).
Several paths, a directory or a glob pattern make a batch (see :mod:`voice_coach.batch`):
files analysed in parallel, a progress bar, a summary table. Every analysed file is saved
as a session in the local store unless ``--no-save``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from voice_coach.commands.common import (
    FORMATS,
    add_model_args,
    emit,
    emit_interview,
    progress_bar,
    save_interview,
    settings_from_args,
)
from voice_coach.errors import UsageError


def register(sub: Any) -> None:
    """Add the ``analyze`` sub-command."""
    p = sub.add_parser(
        "analyze",
        help="analyse an audio file or transcript",
        description="Analyse a spoken answer: audio (wav, flac, mp3, m4a, ogg, webm, mp4, mov, "
        "mkv ...), a plain .txt transcript, or a .json transcript with word timings.",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                   help="audio file, .txt or .json transcript; several paths, directories or glob "
                   "patterns ('archive/**/*.m4a') make a batch")
    add_question_args(p)
    add_model_args(p)
    p.add_argument("--format", choices=FORMATS, default="terminal",
                   help="report format (default: terminal); html is the self-contained review page")
    p.add_argument("--out", type=Path,
                   help="write the report to FILE instead of stdout (batch: a directory, one report per file)")
    p.add_argument("--no-save", action="store_true", help="do not save the run as a session")
    batch = p.add_argument_group("batch (several files)")
    batch.add_argument("--workers", type=int, default=None, metavar="N",
                       help="parallel worker processes, each loading the model once (default: 1)")
    batch.add_argument("--summary", type=Path, metavar="DIR",
                       help="write summary.csv and summary.json (one row per file, one column per signal)")
    batch.add_argument("--interview", action="store_true",
                       help="each file is a whole recorded interview (as `voice-coach interview`): one "
                       "interview report per file, a summary row per answer")
    batch.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on a Dask cluster, e.g. tcp://host:8786 (needs voice-coach[dask]; files "
                       "must be readable by the workers)")
    p.set_defaults(func=run)


def add_question_args(p: argparse.ArgumentParser) -> None:
    """``--question``, ``--question-id`` and ``--bank``, shared with other commands."""
    p.add_argument("--question", metavar="TEXT", help="the question that was answered")
    p.add_argument("--question-id", metavar="ID", help="a question id from the banks (see `questions`)")
    p.add_argument("--bank", type=Path, action="append", default=[], metavar="FILE",
                   help="an extra question bank file (repeatable)")


def resolve_question(args: argparse.Namespace) -> Any:
    """The :class:`~voice_coach.question.Question` the arguments name, or ``None``."""
    from voice_coach.question import Question

    if getattr(args, "question_id", None):
        from voice_coach import bank

        q = bank.find_question(args.question_id, extra=list(args.bank or []))
        if args.question:
            return Question(q.id, args.question, q.category, q.difficulty, q.target_s, q.focus, q.source, q.skills)
        return q
    if getattr(args, "question", None):
        return Question(None, args.question)
    return None


def is_batch(args: argparse.Namespace) -> bool:
    """Whether the arguments ask for a batch rather than one report."""
    import glob

    paths = list(getattr(args, "paths", None) or [args.path])
    if len(paths) != 1 or getattr(args, "workers", None) or getattr(args, "summary", None) \
            or getattr(args, "scheduler", None) or getattr(args, "interview", False):
        return True
    p = paths[0]
    return p.is_dir() or (not p.exists() and glob.has_magic(str(p)))


def run(args: argparse.Namespace) -> int:
    """Analyse one file and print its report, or run a batch."""
    if getattr(args, "paths", None) is not None:
        if is_batch(args):
            return run_batch(args)
        args.path = args.paths[0]
    from voice_coach.pipeline import input_kind
    from voice_coach.service import analyze_path

    question = resolve_question(args)
    settings = settings_from_args(args)
    prog, update = progress_bar()
    if prog is not None:
        with prog:
            transcript, report = analyze_path(args.path, question, settings, progress=update)
    else:
        transcript, report = analyze_path(args.path, question, settings)
    from voice_coach.checks import print_warnings

    print_warnings(report)
    audio = args.path if input_kind(args.path) == "audio" else None
    emit(report, args.format, args.out, audio_path=audio)
    if not getattr(args, "no_save", False):
        sid = save_session(report, transcript.to_dict(), audio, question, settings, str(args.path))
        # A hint for people, never an extra stderr line for scripts: stderr carries one
        # line per problem, and JSON/markdown on stdout must stay exactly the report.
        if sid and args.format == "terminal" and args.out is None:
            print(f"Saved as session {sid} (voice-coach report {sid} --html page.html; --no-save to skip)")
        elif sid and sys.stderr.isatty():
            print(f"Saved as session {sid}", file=sys.stderr)
    return 0


def save_session(report: dict[str, Any], transcript: dict[str, Any] | None, audio: Path | None,
                 question: Any, settings: Any, source: str, store: Any = None) -> str | None:
    """Save one analysed file as a session; returns its id, or ``None`` with a warning.

    The report has already been printed, so a store problem (a corrupt database, a full
    disk) must not turn a good analysis into a failure: it is one warning line on stderr.
    """
    from voice_coach.errors import VoiceCoachError
    from voice_coach.store import Store

    meta = report.get("meta") if isinstance(report.get("meta"), dict) else {}
    try:
        own = store is None
        store = store or Store.open()
        try:
            return str(store.save_session(kind="analyze", report=report, transcript=transcript, audio_path=audio,
                                          question=question, model=(meta or {}).get("model"),
                                          settings=settings.describe(), source=source))
        finally:
            if own:
                store.close()
    except VoiceCoachError as err:
        print(f"voice-coach: warning: not saved as a session: {' '.join(str(err).split())}", file=sys.stderr)
        return None


def run_batch(args: argparse.Namespace) -> int:
    """Analyse many files: progress bar, per-file outputs, sessions and a summary table."""
    from voice_coach import batch
    from voice_coach.errors import InputError
    from voice_coach.interview.archive import summary_rows
    from voice_coach.pipeline import input_kind

    workers = args.workers if args.workers is not None else 1
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out}: a batch writes one report per file, so --out must be a directory")
    paths, problems = batch.expand_inputs([str(p) for p in args.paths])
    if not paths:
        raise InputError("; ".join(problems) or "nothing to analyse")
    for problem in problems:
        print(f"voice-coach: warning: {problem}", file=sys.stderr)
    question = resolve_question(args)
    settings = settings_from_args(args)
    interview = bool(getattr(args, "interview", False))
    options = batch.BatchOptions(workers=workers, scheduler=args.scheduler, interview=interview)
    writer = batch.SummaryWriter(args.summary) if args.summary else None
    store = None
    if not args.no_save:
        from voice_coach.store import Store

        store = Store.open()
    out_fmt = "json" if args.format == "terminal" else args.format
    suffix = {"json": ".json", "markdown": ".md", "html": ".html"}[out_fmt]
    used: set[str] = set()
    rows: list[dict[str, Any]] = []
    failures = 0
    try:
        with batch.progress(len(paths), sys.stderr.isatty()) as advance:
            for outcome in batch.run_batch(paths, question, settings, options):
                sid = None
                if outcome.ok and interview:
                    assert outcome.report is not None
                    if store is not None:
                        sid = save_interview(outcome.report, (outcome.transcript or {}).get("answers") or [],
                                             settings, Path(outcome.path), store)
                    if args.out is not None:
                        target = args.out / batch.output_name(outcome.path, suffix, used)
                        emit_interview(outcome.report, out_fmt, target, audio_path=Path(outcome.path),
                                       session_id=sid)
                elif outcome.ok:
                    assert outcome.report is not None
                    audio = Path(outcome.path) if input_kind(Path(outcome.path)) == "audio" else None
                    if store is not None:
                        sid = save_session(outcome.report, outcome.transcript, audio, question, settings,
                                           outcome.path, store)
                    if args.out is not None:
                        target = args.out / batch.output_name(outcome.path, suffix, used)
                        emit(outcome.report, out_fmt, target, audio_path=audio, session_id=sid)
                else:
                    failures += 1
                    print(f"voice-coach: skipped {outcome.path}: {outcome.error}", file=sys.stderr)
                for row in summary_rows(outcome, sid):
                    rows.append(row)
                    if writer is not None:
                        writer.add(row)
                advance(outcome, failures)
    finally:
        if store is not None:
            store.close()
        if writer is not None:
            csv_path, json_path = writer.close()
            if sys.stderr.isatty():
                print(f"Summary: {csv_path} and {json_path}", file=sys.stderr)
    rows.sort(key=lambda r: r["index"])
    if args.format == "json":
        print(json.dumps({"schema": "voice-coach.batch-summary/1", "rows": rows}, ensure_ascii=False, indent=1))
    else:
        print_summary(rows)
    if failures:
        print(f"voice-coach: {failures} of {len(paths)} files failed (see the lines above)", file=sys.stderr)
        return InputError.exit_code
    return 0


def print_summary(rows: list[dict[str, Any]]) -> None:
    """The batch summary as a terminal table: one row per file, one column per contract signal."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from voice_coach.report.figures import format_value
    from voice_coach.report.model import fmt_time
    from voice_coach.report.terminal import STYLE
    from voice_coach.signals import SIGNALS

    names = [s.name for s in SIGNALS if s.contract]
    short = {"clarifying_questions": "clarify", "tradeoffs": "tradeoff", "fillers": "fillers/100w",
             "pauses": "long pauses"}
    table = Table(show_header=True, header_style="bold", title="Batch summary")
    table.add_column("file", overflow="fold", min_width=14)
    table.add_column("length", min_width=6)
    for n in names:
        table.add_column(short.get(n, n), overflow="fold")
    for r in rows:
        if r["status"] != "ok":
            table.add_row(escape(Path(r["path"]).name), "[red]failed[/red]", *[""] * len(names))
            continue
        cells = []
        for n in names:
            icon, colour = STYLE.get(r.get(f"{n}_verdict") or "n/a", ("?", "white"))
            value = format_value(n, r.get(n)).split(" ")[0].replace("/100", "")
            cells.append(f"[{colour}]{icon}[/{colour}] {escape(value)}")
        length = fmt_time(r["duration_s"]) if r.get("duration_s") is not None else "-"
        table.add_row(escape(Path(r["path"]).name), length, *cells)
    Console().print(table)
