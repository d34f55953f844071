"""``voice-coach analyze PATH``: a coaching report for a recorded or typed answer."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

from voice_coach.errors import UsageError

FORMATS = ("terminal", "json", "markdown")


def register(sub: Any) -> None:
    """Add the ``analyze`` sub-command."""
    p = sub.add_parser(
        "analyze",
        help="analyse an audio file or transcript",
        description="Analyse a spoken answer: audio (wav, flac, mp3, m4a, ogg, webm, mp4, mov, "
        "mkv ...), a plain .txt transcript, or a .json transcript with word timings.",
    )
    p.add_argument("path", type=Path, help="audio file, .txt or .json transcript")
    add_question_args(p)
    add_model_args(p)
    p.add_argument("--format", choices=FORMATS, default="terminal", help="report format (default: terminal)")
    p.add_argument("--out", type=Path, help="write the report to FILE instead of stdout")
    p.set_defaults(func=run)


def add_question_args(p: argparse.ArgumentParser) -> None:
    """``--question``, ``--question-id`` and ``--bank``, shared with other commands."""
    p.add_argument("--question", metavar="TEXT", help="the question that was answered")
    p.add_argument("--question-id", metavar="ID", help="a question id from the banks (see `questions`)")
    p.add_argument("--bank", type=Path, action="append", default=[], metavar="FILE",
                   help="an extra question bank file (repeatable)")


def add_model_args(p: argparse.ArgumentParser) -> None:
    """``--model`` and ``--config``, shared with other commands."""
    p.add_argument("--model", metavar="NAME_OR_DIR",
                   help="CTranslate2 model dir, models/<name>, or a faster-whisper size name "
                   "(default: $VOICE_COACH_MODEL or the bundled tiny.en)")
    p.add_argument("--config", type=Path, metavar="FILE",
                   help="TOML file overriding signal thresholds (default: the user config.toml)")


def resolve_question(args: argparse.Namespace) -> Any:
    """The :class:`~voice_coach.question.Question` the arguments name, or ``None``."""
    from voice_coach.question import Question

    if getattr(args, "question_id", None):
        from voice_coach import bank

        q = bank.find_question(args.question_id, extra=list(args.bank or []))
        if args.question:
            return Question(q.id, args.question, q.category, q.difficulty, q.target_s, q.focus, q.source)
        return q
    if getattr(args, "question", None):
        return Question(None, args.question)
    return None


def settings_from_args(args: argparse.Namespace) -> Any:
    """:class:`~voice_coach.service.Settings` from ``--model`` and ``--config``."""
    from voice_coach.config import build_configs, load_overrides
    from voice_coach.service import Settings

    return Settings(model=args.model, configs=build_configs(load_overrides(args.config)))


def emit(report: dict[str, Any], fmt: str, out: Path | None) -> None:
    """Render ``report`` in ``fmt`` to ``out`` (or stdout)."""
    from voice_coach.report.json_out import render_json
    from voice_coach.report.markdown import render_markdown

    if fmt == "json":
        text = render_json(report) + "\n"
    elif fmt == "markdown":
        text = render_markdown(report)
    elif fmt == "terminal":
        if out is None:
            from voice_coach.report.terminal import render_terminal

            render_terminal(report)
            return
        from rich.console import Console

        from voice_coach.report.terminal import render_terminal

        console = Console(record=True, width=100, file=io.StringIO())
        render_terminal(report, console)
        text = console.export_text()
    else:  # pragma: no cover - argparse restricts choices
        raise UsageError(f"unknown format {fmt}")
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_output(out, text)


def write_output(out: Path, text: str) -> None:
    """Write ``text`` to ``out`` atomically, with a clear error if that fails."""
    import os
    import tempfile

    from voice_coach.errors import InputError

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, out)
    except OSError as err:
        raise InputError(f"{out}: cannot write ({err.strerror or err})") from None


def progress_bar() -> Any:
    """A rich progress callback on stderr for long files (silent when stderr is not a terminal)."""
    if not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    prog = Progress(TextColumn("transcribing"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                    TimeRemainingColumn(), console=Console(stderr=True), transient=True)
    task = prog.add_task("t", total=None)

    def update(done: float, total: float | None) -> None:
        prog.update(task, completed=done, total=total)

    return prog, update


def run(args: argparse.Namespace) -> int:
    """Analyse one file and print its report."""
    from voice_coach.service import analyze_path

    question = resolve_question(args)
    settings = settings_from_args(args)
    prog, update = progress_bar()
    if prog is not None:
        with prog:
            _t, report = analyze_path(args.path, question, settings, progress=update)
    else:
        _t, report = analyze_path(args.path, question, settings)
    from voice_coach.checks import print_warnings

    print_warnings(report)
    emit(report, args.format, args.out)
    return 0
