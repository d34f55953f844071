"""``voice-coach sessions``: list saved sessions, filtered by question, category and date."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

TERMINAL_LIMIT = 50
"""Sessions shown in the terminal table when no --limit is given."""


def register(sub: Any) -> None:
    """Add the ``sessions`` sub-command."""
    p = sub.add_parser("sessions", help="list saved sessions",
                       description="List saved practice and analyze sessions, oldest first.")
    add_filter_args(p)
    p.add_argument("--kind", choices=("analyze", "practice", "import"), help="only this kind of session")
    p.add_argument("--limit", type=int, metavar="N", help="only the newest N sessions")
    p.add_argument("--orphans", action="store_true",
                   help="list recordings that belong to no session (an interrupted practice run)")
    p.add_argument("--format", choices=("terminal", "json"), default="terminal")
    p.set_defaults(func=run)


def add_filter_args(p: argparse.ArgumentParser) -> None:
    """``--question``, ``--category``, ``--since`` and ``--until``, shared with ``progress``."""
    p.add_argument("--question", metavar="ID_OR_TEXT", help="a question id, or words from the question")
    p.add_argument("--category", help="the question's category (e.g. system_design)")
    p.add_argument("--since", metavar="DATE", help="sessions on or after DATE (YYYY-MM-DD)")
    p.add_argument("--until", metavar="DATE", help="sessions on or before DATE (YYYY-MM-DD)")


def session_row(s: Any) -> dict[str, Any]:
    """A session as a JSON-ready summary row (no report payload)."""
    return {
        "id": s.id, "created": s.created, "kind": s.kind, "question_id": s.question_id,
        "question": s.question_text, "category": s.category, "duration_s": s.duration_s,
        "audio": str(s.audio_path) if s.audio_path else None, "model": s.model, "source": s.source,
    }


def run(args: argparse.Namespace) -> int:
    """Print the matching sessions."""
    from voice_coach.report.figures import report_values
    from voice_coach.report.model import fmt_time
    from voice_coach.store import Store

    if args.limit is not None and args.limit < 1:
        from voice_coach.errors import UsageError

        raise UsageError("--limit must be at least 1")
    with Store.open() as store:
        if args.orphans:
            orphans = store.orphan_recordings()
            if args.format == "json":
                print(json.dumps([str(p) for p in orphans]))
            else:
                for p in orphans:
                    print(p)
                if not orphans:
                    print("No orphan recordings.", file=sys.stderr)
            return 0
        # The terminal table reads every report (for "work on"), so it shows the newest
        # TERMINAL_LIMIT unless asked for more; JSON lists everything that matches.
        limit = args.limit
        if limit is None and args.format == "terminal":
            limit = TERMINAL_LIMIT
        sessions = store.list_sessions(question=args.question, category=args.category, since=args.since,
                                       until=args.until, kind=args.kind, limit=limit,
                                       with_reports=args.format == "terminal")
        total = store.count() if args.limit is None and len(sessions) == TERMINAL_LIMIT else len(sessions)
    if args.format == "json":
        print(json.dumps([session_row(s) for s in sessions], ensure_ascii=False, indent=1))
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not sessions:
        console.print("No sessions match. Practise (`voice-coach practice`) or analyse a file to create one.")
        return 0
    table = Table(show_header=True, header_style="bold")
    table.add_column("id", no_wrap=True)  # whole, so it can be copied
    table.add_column("date", no_wrap=True)
    for col in ("kind", "question", "length", "work on"):
        table.add_column(col, overflow="fold")
    for s in sessions:
        weak = [n for n, (_v, verdict) in report_values(s.report or {}).items() if verdict == "work_on"]
        q = s.question_text or s.question_id or (Path(s.source).name if s.source else "")
        table.add_row(s.id, s.created[:16].replace("T", " "), s.kind, _clip(q, 48),
                      fmt_time(s.duration_s) if s.duration_s is not None else "-", ", ".join(weak) or "-")
    console.print(table)
    if total > len(sessions):
        console.print(f"Showing the newest {len(sessions)} of {total} sessions; use --limit N or filters for more.")
    return 0


def _clip(text: str, n: int) -> str:
    from rich.markup import escape

    text = " ".join(text.split())
    return escape(text if len(text) <= n else text[: n - 1] + "…")
