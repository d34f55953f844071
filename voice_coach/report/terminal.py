"""Terminal renderer (rich): short and readable at a glance."""

from __future__ import annotations

from typing import Any

from voice_coach.report.model import fmt_time, goal_line, signal_title

STYLE = {"strength": ("✔", "green"), "ok": ("•", "yellow"), "work_on": ("✘", "red"), "n/a": ("·", "dim")}


GOAL_STYLE = {"met": ("✔ Goal met", "green"), "missed": ("✘ Goal missed", "red"),
              "not judged": ("· Goal not judged", "dim")}


def render_terminal(report: dict[str, Any], console: Any = None, only: str | None = None) -> None:
    """Print the report to ``console`` (a rich Console; stdout by default).

    A drill goal (``meta.goal``) leads; ``only`` (a signal name) limits the table and the
    evidence to that signal, for drills scored on one skill.
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    console = console or Console()
    goal = goal_line(report)
    if goal is not None:
        label, colour = GOAL_STYLE[goal[0]]
        console.print(Panel(f"[bold {colour}]{label}[/bold {colour}]: {escape(goal[1])}", expand=False))
    q = report.get("question") or {}
    head = Text()
    if q.get("text"):
        head.append("Question: ", style="bold")
        head.append(q["text"] + "\n")
    if report.get("duration_s") is not None:
        head.append("Length: ", style="bold")
        head.append(fmt_time(report["duration_s"]) + "   ")
    words = report["transcript"]["words"]
    head.append("Words: ", style="bold")
    head.append(str(len(words)))
    console.print(Panel(head, title="voice-coach", expand=False))
    if not words:
        console.print("[yellow]No speech detected.[/yellow] Check the microphone or the file, then try again.")
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("")
    table.add_column("Signal")
    table.add_column("Finding")
    table.add_column("Advice", overflow="fold")
    shown_signals = {k: v for k, v in report["signals"].items() if only is None or k == only}
    for name, sig in shown_signals.items():
        if name == "overall":
            continue
        icon, colour = STYLE.get(sig["verdict"], ("?", "white"))
        table.add_row(f"[{colour}]{icon}[/{colour}]", signal_title(name), sig.get("headline", ""),
                      sig.get("advice", ""))
    console.print(table)
    for name, sig in shown_signals.items():
        ev = [e for e in sig.get("evidence") or [] if e.get("text")]
        if not ev or name == "overall" or sig["verdict"] == "n/a":
            continue
        shown = "; ".join(
            (f"[cyan]{fmt_time(e['start'])}[/cyan] " if e.get("start") is not None else "") + _clip(e["text"])
            for e in ev[:3]
        )
        console.print(f"[bold]{signal_title(name)}:[/bold] {shown}", highlight=False)
    if report.get("summary") and only is None:
        console.print(Panel(report["summary"], title="Practise next", expand=False))


def _clip(text: str, n: int = 70) -> str:
    from rich.markup import escape

    text = " ".join(str(text).split())
    return escape(text if len(text) <= n else text[: n - 1] + "…")
