"""``voice-coach interview PATH``: a whole recorded mock interview, coached answer by answer.

The recording is split into questions and the candidate's answers (see
:mod:`voice_coach.interview`); each answer gets the full report, computed on the candidate's
words only, and the interview a summary. ``--format json`` prints exactly one
``voice-coach.interview/1`` object.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from voice_coach.commands.common import add_model_args, progress_bar, settings_from_args, write_output

FORMATS = ("terminal", "json", "markdown")


def register(sub: Any) -> None:
    """Add the ``interview`` sub-command."""
    p = sub.add_parser(
        "interview",
        help="analyse a whole recorded mock interview, question by question",
        description="Split a recorded interview (audio or video; stereo with one speaker per "
        "channel, or mono) into questions and the candidate's answers, and coach each answer.",
    )
    p.add_argument("path", type=Path, metavar="PATH", help="the recording (audio or video)")
    p.add_argument("--candidate", metavar="SPEAKER",
                   help="who the candidate is: left or right for a stereo recording, a speaker "
                   "label (S0, S1 ...) for a mono one (default: who talks most after the questions)")
    p.add_argument("--bank", type=Path, action="append", default=[], metavar="FILE",
                   help="an extra question bank file to match questions against (repeatable)")
    add_model_args(p)
    p.add_argument("--format", choices=FORMATS, default="terminal", help="output format (default: terminal)")
    p.add_argument("--out", type=Path, help="write the output to FILE instead of stdout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Analyse the interview and print it."""
    from voice_coach import bank
    from voice_coach.interview.service import analyze_interview

    settings = settings_from_args(args)
    questions = bank.load_banks(list(args.bank or []))
    prog, update = progress_bar()
    if prog is not None:
        with prog:
            result = analyze_interview(args.path, settings, questions, args.candidate, progress=update)
    else:
        result = analyze_interview(args.path, settings, questions, args.candidate)
    emit_interview(result.data, args.format, args.out)
    return 0


def emit_interview(data: dict[str, Any], fmt: str, out: Path | None) -> None:
    """Render the interview object in ``fmt`` to ``out`` (or stdout)."""
    import io

    from voice_coach.interview.render import render_interview_markdown, render_interview_terminal
    from voice_coach.report.json_out import render_json

    if fmt == "json":
        text = render_json(data) + "\n"
    elif fmt == "markdown":
        text = render_interview_markdown(data)
    else:
        if out is None:
            render_interview_terminal(data)
            return
        from rich.console import Console

        console = Console(record=True, width=100, file=io.StringIO())
        render_interview_terminal(data, console)
        text = console.export_text()
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_output(out, text)
