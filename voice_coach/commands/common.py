"""Helpers the sub-commands share: model options, settings, and writing a report out.

``analyze``, ``practice``, ``report``, ``progress`` and ``try`` all render or write reports
the same way; keeping that here means no command imports another command's module.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from voice_coach.errors import UsageError

FORMATS = ("terminal", "json", "markdown", "html")
"""What ``--format`` accepts where a report (or an interview) is rendered: ``emit``/``emit_interview``."""


def add_model_args(p: argparse.ArgumentParser) -> None:
    """``--model`` and ``--config``, shared with other commands."""
    p.add_argument("--model", metavar="NAME_OR_DIR",
                   help="CTranslate2 model dir, models/<name>, or a faster-whisper size name "
                   "(default: $VOICE_COACH_MODEL or the bundled tiny.en)")
    p.add_argument("--config", type=Path, metavar="FILE",
                   help="TOML file overriding signal thresholds (default: the user config.toml)")


def settings_from_args(args: argparse.Namespace) -> Any:
    """:class:`~voice_coach.service.Settings` from ``--model`` and ``--config``."""
    from voice_coach.config import build_configs, load_overrides
    from voice_coach.service import Settings

    return Settings(model=args.model, configs=build_configs(load_overrides(args.config)))


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


def emit(report: dict[str, Any], fmt: str, out: Path | None, audio_path: Path | None = None,
         session_id: str | None = None) -> None:
    """Render ``report`` in ``fmt`` to ``out`` (or stdout).

    ``audio_path`` and ``session_id`` are used by the HTML page only (its player and header).
    """
    from voice_coach.report.json_out import render_json
    from voice_coach.report.markdown import render_markdown

    if fmt == "json":
        text = render_json(report) + "\n"
    elif fmt == "html":
        from voice_coach.report.html import audio_source, render_html

        audio = audio_source(audio_path, out) if audio_path is not None else None
        text = render_html(report, audio=audio, session_id=session_id)
    elif fmt == "markdown":
        text = render_markdown(report)
    elif fmt == "terminal":
        from voice_coach.report.terminal import render_terminal

        if out is None:
            render_terminal(report)
            return
        text = _terminal_text(render_terminal, report)
    else:  # pragma: no cover - argparse restricts choices
        raise UsageError(f"unknown format {fmt}")
    _deliver(text, out)


def _terminal_text(render: Callable[[Any, Any], None], obj: Any) -> str:
    """What ``render(obj, console)`` prints to a terminal, as plain text for a file."""
    from rich.console import Console

    console = Console(record=True, width=100, file=io.StringIO())
    render(obj, console)
    return console.export_text()


def _deliver(text: str, out: Path | None) -> None:
    """``text`` to stdout, or atomically to ``out``."""
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_output(out, text)


def emit_interview(data: dict[str, Any], fmt: str, out: Path | None, audio_path: Path | None = None,
                   session_id: str | None = None) -> None:
    """Render the interview object in ``fmt`` to ``out`` (or stdout); ``audio_path`` is the
    recording for the HTML page's player."""
    from voice_coach.interview.render import render_interview_markdown, render_interview_terminal
    from voice_coach.report.json_out import render_json

    if fmt == "json":
        text = render_json(data) + "\n"
    elif fmt == "html":
        from voice_coach.report.html import audio_source
        from voice_coach.report.html_interview import render_interview_html

        audio = audio_source(audio_path, out) if audio_path is not None else None
        text = render_interview_html(data, audio=audio, session_id=session_id)
    elif fmt == "markdown":
        text = render_interview_markdown(data)
    else:
        if out is None:
            render_interview_terminal(data)
            return
        text = _terminal_text(render_interview_terminal, data)
    _deliver(text, out)


def save_interview(data: dict[str, Any], transcripts: Sequence[dict[str, Any] | None], settings: Any,
                   path: Path, store: Any = None) -> str | None:
    """Save an interview as one session (with the recording) and a child session per answer.

    ``transcripts`` are the answers' transcripts, in order. The answers are ``answer``
    sessions holding their own report (whose question they are filed under), so
    ``progress`` and ``compare`` work on them; forgetting the interview forgets them. As
    for ``analyze``, a store problem after the output is printed is one warning line.
    """
    from voice_coach.errors import VoiceCoachError
    from voice_coach.store import Store

    model = (data.get("meta") or {}).get("model")
    try:
        own = store is None
        store = store or Store.open()
        try:
            parent = store.save_session(kind="interview", report=data, transcript=None, audio_path=path,
                                        question=None, model=model, settings=settings.describe(),
                                        source=str(path))
            for item, transcript in zip(data["answers"], transcripts, strict=True):
                store.save_session(kind="answer", report=item["report"], transcript=transcript,
                                   audio_path=None, question=None, model=model, settings=settings.describe(),
                                   source=f"{path} (answer {item['index']})", parent=parent)
            return str(parent)
        finally:
            if own:
                store.close()
    except VoiceCoachError as err:
        print(f"voice-coach: warning: not saved as a session: {' '.join(str(err).split())}", file=sys.stderr)
        return None


def write_output(out: Path, text: str) -> None:
    """Write ``text`` to ``out`` atomically (0600), with a clear error if that fails."""
    from voice_coach.errors import InputError
    from voice_coach.fsutil import atomic_write_text

    try:
        atomic_write_text(out, text)
    except OSError as err:
        blocker = next((p for p in out.parents if p.exists() and not p.is_dir()), None)
        why = f"{blocker} is a file, not a directory" if blocker else (err.strerror or str(err))
        raise InputError(f"{out}: cannot write ({why})") from None
