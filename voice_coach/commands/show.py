"""``voice-coach show ID``: one saved session, its report and its coach notes."""

from __future__ import annotations

import argparse
import json
from typing import Any

from voice_coach.interview import SCHEMA as INTERVIEW_SCHEMA


def register(sub: Any) -> None:
    """Add the ``show`` sub-command."""
    p = sub.add_parser("show", help="show one saved session",
                       description="Show a saved session: its report and coach notes. ID may be a unique "
                       "prefix, or `last`.")
    p.add_argument("id", help="session id (or a unique prefix, or `last`)")
    p.add_argument("--format", choices=("terminal", "json", "markdown"), default="terminal")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the session."""
    from voice_coach.commands.sessions import session_row
    from voice_coach.report.model import fmt_time
    from voice_coach.store import Store

    with Store.open() as store:
        s = store.get(args.id)
    report = s.report or {}
    if report.get("schema") == INTERVIEW_SCHEMA and args.format != "json":
        from voice_coach.commands.common import emit_interview

        print(f"Session {s.id} (interview, {s.minute}); its answers: voice-coach sessions --kind answer")
        emit_interview(report, args.format, None)
        return 0
    if args.format == "json":
        print(json.dumps({**session_row(s), "settings": s.settings, "notes": [n.to_dict() for n in s.notes],
                          "report": report}, ensure_ascii=False, indent=2))
        return 0
    if args.format == "markdown":
        from voice_coach.report.markdown import render_markdown

        text = f"Session `{s.id}` ({s.kind}, {s.created})\n\n" + render_markdown(report)
        if s.notes:
            text += "\n## Coach notes\n\n" + "".join(
                f"- {fmt_time(n.at) if n.at is not None else 'overall'}: {n.text}\n" for n in s.notes)
        print(text, end="" if text.endswith("\n") else "\n")
        return 0
    from rich.console import Console
    from rich.markup import escape

    from voice_coach.report.terminal import render_terminal

    console = Console()
    console.print(f"[bold]Session {s.id}[/bold]  {s.kind}, {s.minute}"
                  + (f"  model {escape(s.model)}" if s.model else ""), highlight=False)
    if s.audio_path:
        console.print(f"Audio: {escape(str(s.audio_path))}", highlight=False)
    if "signals" in report and "transcript" in report:
        render_terminal(report, console)
    if s.notes:
        console.print("[bold]Coach notes[/bold]")
        for n in s.notes:
            at = fmt_time(n.at) if n.at is not None else "overall"
            who = f"{escape(n.author)}: " if n.author else ""
            console.print(f"  [cyan]{at}[/cyan] {who}{escape(n.text)}", highlight=False)
    return 0
