"""``voice-coach plan``: which skills are due for a drill, why, and how they have been going.

One row per skill (see :mod:`voice_coach.skills`): whether it is due in the spaced-repetition
schedule (:mod:`voice_coach.schedule`), why, the recent record from the saved answers, the
drill goals met or missed, and the interval and ease. The first line names the skill
``practice --focus auto`` would drill next.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

TREND_GOALS = 10
"""How many of the latest drill goals the trend column shows per skill."""


def register(sub: Any) -> None:
    """Add the ``plan`` sub-command."""
    p = sub.add_parser("plan", help="which skills are due for a drill, why, and the recent trend",
                       description="Show each skill's place in the spaced-repetition schedule: due or not, "
                       "why, the recent record and the drill goals met or missed.")
    p.add_argument("--format", choices=("terminal", "json"), default="terminal")
    p.set_defaults(func=run)


def rows(store: Any, now: dt.datetime) -> dict[str, Any]:
    """The plan as plain data (the ``--format json`` object)."""
    from voice_coach import coach

    status = coach.statuses_from_store(store)
    skill, why = coach.choose_focus(status, now)
    out = []
    for s in status:
        goals = [r.met for r in store.skill_reviews(s.skill, TREND_GOALS)]
        st = s.state
        out.append({
            "skill": s.skill, "due": s.is_due(now),
            "due_at": st.due.isoformat(timespec="seconds") if st is not None and st.due is not None else None,
            "why": s.why(now), "weakness": s.weakness, "recent": list(s.record), "goals": goals,
            "interval_d": st.interval_d if st else None, "ease": st.ease if st else None,
            "streak": st.streak if st else 0, "reviews": st.reviews if st else 0, "lapses": st.lapses if st else 0,
        })
    return {"now": now.isoformat(timespec="seconds"), "next": {"skill": skill, "why": why}, "skills": out}


def run(args: argparse.Namespace) -> int:
    """Print the plan."""
    from voice_coach.store import Store

    now = dt.datetime.now(dt.timezone.utc)
    with Store.open() as store:
        plan = rows(store, now)
    if args.format == "json":
        print(json.dumps(plan, indent=1))
        return 0
    render(plan, now)
    return 0


def _marks(values: list[bool | None]) -> str:
    return "".join("[green]✔[/]" if v else "[red]✘[/]" if v is False else "[dim]·[/]" for v in values) or "[dim]-[/]"


def _when(row: dict[str, Any], now: dt.datetime) -> str:
    if row["due_at"] is None:
        return "[bold]due[/] (new)"
    days = (dt.datetime.fromisoformat(row["due_at"]) - now).total_seconds() / 86400
    if days <= 0:
        return f"[bold]due[/] ({-days:.1f} d ago)" if days < -0.05 else "[bold]due[/]"
    return f"in {days:.1f} d"


def render(plan: dict[str, Any], now: dt.datetime) -> None:
    """The plan table (rich)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    nxt = plan["next"]
    console.print(f"Next drill ([bold]practice --focus auto[/]): [bold magenta]{nxt['skill']}[/] "
                  f"[dim]({escape(nxt['why'])})[/dim]")
    table = Table(title="Skills: schedule and trend", show_header=True, header_style="bold")
    for col in ("skill", "when", "why", "recent answers", "drill goals", "interval", "ease"):
        table.add_column(col, overflow="fold" if col == "why" else "ellipsis")
    for r in plan["skills"]:
        table.add_row(r["skill"], _when(r, now), escape(r["why"]), _marks(r["recent"]), _marks(r["goals"]),
                      f"{r['interval_d']:g} d" if r["interval_d"] is not None else "-",
                      f"{r['ease']:.2f}" if r["ease"] is not None else "-")
    console.print(table)
    console.print("[dim]recent answers: the last 10 saved, oldest first (✔ done, ✘ missed, · not judged); "
                  "drill goals: the last 10 --focus goals on the skill[/dim]")
