"""``voice-coach questions``: list and filter the question banks.

The ids it prints are what ``practice --question-id`` and ``analyze --question-id`` take.
``--format json`` gives tools the full records; ``--format ids`` one id a line for scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from voice_coach.bank import DIFFICULTIES


def register(sub: Any) -> None:
    """Add the ``questions`` sub-command."""
    p = sub.add_parser("questions", help="list and filter the practice questions",
                       description="List the questions in the shipped banks, your own banks "
                       "(<config dir>/banks/*.toml) and any --bank files.")
    p.add_argument("--category", metavar="C", help="only this category (e.g. system_design, metrics)")
    p.add_argument("--difficulty", choices=DIFFICULTIES, help="only this difficulty")
    p.add_argument("--search", metavar="TEXT", help="only questions whose text or id contains TEXT")
    p.add_argument("--bank", type=Path, action="append", default=[], metavar="FILE",
                   help="an extra question bank file (repeatable)")
    p.add_argument("--format", choices=("table", "json", "ids"), default="table",
                   help="output format (default: table)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the matching questions; exit 0 even when none match (the table says so)."""
    from voice_coach import bank

    questions = bank.load_banks(args.bank)
    bank.check_category(args.category, questions)
    chosen = bank.filter_questions(questions, args.category, args.difficulty, args.search)
    if args.format == "json":
        rows = [{**q.to_dict(), "source": q.source} for q in chosen]
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return 0
    if args.format == "ids":
        sys.stdout.write("".join(f"{q.id}\n" for q in chosen))
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not chosen:
        console.print("No questions match those filters.")
        return 0
    table = Table(show_header=True, header_style="bold", title=f"{len(chosen)} questions")
    table.add_column("id", no_wrap=True)
    table.add_column("category")
    table.add_column("level")
    table.add_column("target", justify="right")
    table.add_column("question", overflow="fold")
    for q in chosen:
        table.add_row(q.id, q.category, q.difficulty, f"{(q.target_s or 0) / 60:.1f} min", q.text)
    console.print(table)
    return 0
