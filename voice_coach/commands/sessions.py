"""``voice-coach sessions``: list saved sessions, filtered by question, category and date."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TERMINAL_LIMIT = 50
"""Sessions shown in the terminal table when no --limit is given."""

QUESTION_MIN = 24
"""The question column narrows to this before any column is dropped."""

QUESTION_MAX = 48
"""Longer questions are clipped with an ellipsis in the table (JSON has them whole)."""

GAP = 3
"""Characters between two columns of the table."""


@dataclass(frozen=True)
class Column:
    """A column of the terminal table.

    Attributes:
        name: its header, and the key of its cell in a row.
        rank: 0 for columns always shown; otherwise the highest rank drops first.
        wrap_min: 0 for a column shown whole on one line, else the narrowest it wraps to.
    """

    name: str
    rank: int
    wrap_min: int = 0


COLUMNS = (Column("id", 0), Column("date", 3), Column("kind", 4), Column("question", 0, QUESTION_MIN),
           Column("length", 2), Column("work on", 1, 14))
"""Display order; kind drops first, then date, length and work on."""


def register(sub: Any) -> None:
    """Add the ``sessions`` sub-command."""
    p = sub.add_parser("sessions", help="list saved sessions",
                       description="List saved practice and analyze sessions, oldest first.")
    add_filter_args(p)
    p.add_argument("--kind", choices=("analyze", "practice", "import", "interview", "answer"),
                   help="only this kind of session (interview: whole interviews; answer: their answers)")
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

    console = Console()
    if not sessions:
        console.print("No sessions match. Practise (`voice-coach practice`) or analyse a file to create one.")
        return 0
    console.print(session_table([table_row(s) for s in sessions], console.width))
    if total > len(sessions):
        console.print(f"Showing the newest {len(sessions)} of {total} sessions; use --limit N or filters for more.")
    return 0


def table_row(s: Any) -> dict[str, str]:
    """A session as the table's plain-text cells, by column name."""
    from voice_coach.report.figures import report_values
    from voice_coach.report.model import fmt_time

    weak = [n for n, (_v, verdict) in report_values(s.report or {}).items() if verdict == "work_on"]
    q = s.question_text or s.question_id or (Path(s.source).name if s.source else "")
    return {"id": s.id, "date": s.minute, "kind": s.kind, "question": _clip(q, QUESTION_MAX),
            "length": fmt_time(s.duration_s) if s.duration_s is not None else "-",
            "work on": ", ".join(weak) or "-"}


def layout(rows: list[dict[str, str]], width: int) -> dict[str, int]:
    """The columns that fit a terminal ``width`` characters wide, in display order, with widths.

    Like ``gh``: each column gets the width its cells need; when they do not all fit, the
    wrappable ones (question, work on) narrow to their minimum, then whole columns drop,
    least important first (kind, date, length, work on). The id (whole, to copy) and the
    question always stay, the question at least :data:`QUESTION_MIN` wide when it can be.
    """
    from rich.cells import cell_len  # terminal cells: a CJK character or an emoji takes two

    natural = {c.name: max([len(c.name), *(cell_len(r[c.name]) for r in rows)]) for c in COLUMNS}

    def narrowest(c: Column) -> int:
        return min(natural[c.name], c.wrap_min) if c.wrap_min else natural[c.name]

    def needed(cols: list[Column]) -> int:
        return sum(narrowest(c) for c in cols) + GAP * (len(cols) - 1)

    shown = list(COLUMNS)
    while any(c.rank for c in shown) and needed(shown) > width:
        shown.remove(max(shown, key=lambda c: c.rank))
    widths = {c.name: narrowest(c) for c in shown}
    spare = width - needed(shown)
    if spare < 0:  # narrower than id + question: squeeze the question, never the id
        widths["question"] = max(8, widths["question"] + spare)
    for c in sorted((c for c in shown if c.wrap_min), key=lambda c: c.rank):
        extra = max(0, min(spare, natural[c.name] - widths[c.name]))
        widths[c.name] += extra
        spare -= extra
    return widths


def session_table(rows: list[dict[str, str]], width: int) -> Any:
    """The sessions as a borderless rich table that fits ``width`` (see :func:`layout`)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    widths = layout(rows, width)
    table = Table(show_header=True, header_style="bold", box=box.SIMPLE_HEAD, show_edge=False,
                  pad_edge=False, padding=(0, 1))
    wrap = {c.name for c in COLUMNS if c.wrap_min}
    for name, w in widths.items():
        table.add_column(name, width=w, no_wrap=name not in wrap, overflow="fold")
    for r in rows:
        table.add_row(*(Text(r[name]) for name in widths))
    return table


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
