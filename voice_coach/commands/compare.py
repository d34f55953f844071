"""``voice-coach compare ID ID``: two attempts side by side, signal by signal."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(sub: Any) -> None:
    """Add the ``compare`` sub-command."""
    p = sub.add_parser("compare", help="compare two sessions signal by signal",
                       description="Show two attempts side by side: each signal's figure and verdict, "
                       "and whether it got better.")
    p.add_argument("first", help="the earlier session id (or prefix)")
    p.add_argument("second", help="the later session id (or prefix)")
    p.add_argument("--format", choices=("terminal", "json"), default="terminal")
    p.set_defaults(func=run)


def comparison(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per signal present in either report: values, verdicts and the change.

    ``change`` is ``better``, ``worse``, ``same`` or ``None`` (not comparable). The verdict
    decides first (it knows each signal's target); when it is unchanged, the figure's
    direction does, for signals where lower or higher is plainly better.
    """
    from voice_coach.report.figures import VERDICT_SCORE, figure, report_values

    va, vb = report_values(a), report_values(b)
    rows = []
    for name in list(va) + [n for n in vb if n not in va]:
        (x, xv), (y, yv) = va.get(name, (None, "n/a")), vb.get(name, (None, "n/a"))
        change: str | None = None
        if xv in VERDICT_SCORE and yv in VERDICT_SCORE and xv != yv:
            change = "better" if VERDICT_SCORE[yv] > VERDICT_SCORE[xv] else "worse"
        elif x is not None and y is not None:
            lower = figure(name).lower_is_better
            if x == y:
                change = "same"
            elif lower is not None:
                change = "better" if (y < x) == lower else "worse"
        rows.append({"signal": name, "first": x, "first_verdict": xv, "second": y, "second_verdict": yv,
                     "change": change})
    return rows


def run(args: argparse.Namespace) -> int:
    """Print the comparison."""
    from voice_coach.store import Store

    with Store.open() as store:
        a, b = store.get(args.first), store.get(args.second)
    if args.format == "json":
        rows = comparison(a.report or {}, b.report or {})
        print(json.dumps({"first": a.id, "second": b.id, "signals": rows}, indent=2))
        return 0
    from rich.console import Console
    from rich.markup import escape

    from voice_coach.report.model import fmt_time

    console = Console()
    for label, s in (("A", a), ("B", b)):
        q = s.question_text or s.question_id or s.source or ""
        length = fmt_time(s.duration_s) if s.duration_s is not None else "-"
        console.print(f"[bold]{label}[/bold] {s.id}  {s.created[:16].replace('T', ' ')}  {length}  {escape(q)}",
                      highlight=False)
    console.print(comparison_table(a.report or {}, b.report or {}, (f"A {a.id}", f"B {b.id}")))
    return 0


def comparison_table(a: dict[str, Any], b: dict[str, Any], labels: tuple[str, str] = ("A", "B"),
                     title: str | None = None) -> Any:
    """Two reports side by side as a rich table: length, words, then :func:`comparison`'s rows.

    Shared by ``compare`` and practice's *try again*, so both judge "better" the same way.
    """
    from rich.markup import escape
    from rich.table import Table

    from voice_coach.report.figures import format_value
    from voice_coach.report.model import fmt_time, signal_title
    from voice_coach.report.terminal import STYLE

    def cell(v: float | None, verdict: str, name: str) -> str:
        icon, colour = STYLE.get(verdict, ("?", "white"))
        return f"[{colour}]{icon}[/{colour}] {escape(format_value(name, v))}"

    def words(report: dict[str, Any]) -> str:
        transcript = report.get("transcript")
        return str(len(transcript.get("words") or [])) if isinstance(transcript, dict) else "-"

    def length(report: dict[str, Any]) -> str:
        d = report.get("duration_s")
        return fmt_time(d) if isinstance(d, int | float) else "-"

    table = Table(title=title, show_header=True, header_style="bold")
    table.add_column("signal")
    table.add_column(labels[0], overflow="fold")
    table.add_column(labels[1], overflow="fold")
    table.add_column("change")
    table.add_row("Length", length(a), length(b), "")
    table.add_row("Words", words(a), words(b), "")
    marks = {"better": "[green]▲ better[/green]", "worse": "[red]▼ worse[/red]", "same": "= same"}
    for r in comparison(a, b):
        table.add_row(signal_title(r["signal"]), cell(r["first"], r["first_verdict"], r["signal"]),
                      cell(r["second"], r["second_verdict"], r["signal"]), marks.get(r["change"] or "", ""))
    return table
