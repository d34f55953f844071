"""Markdown renderer: a report a coach can paste into notes or a pull request."""

from __future__ import annotations

from typing import Any

from voice_coach.report.model import fmt_time, goal_line, signal_title

ICONS = {"strength": "✅ strength", "ok": "➖ ok", "work_on": "⚠️ work on", "n/a": "· n/a"}


def render_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown."""
    lines = ["# voice-coach report", ""]
    goal = goal_line(report)
    if goal is not None:
        lines += [f"**Drill goal {goal[0]}:** {_cell(goal[1])}", ""]
    q = report.get("question") or {}
    if q.get("text"):
        lines += [f"**Question:** {q['text']}", ""]
    if report.get("duration_s") is not None:
        lines += [f"**Length:** {fmt_time(report['duration_s'])}", ""]
    if report.get("summary"):
        lines += ["## Summary", "", report["summary"], ""]
    lines += ["## Signals", "", "| Signal | Verdict | Finding | Advice |", "|---|---|---|---|"]
    for name, sig in report["signals"].items():
        if name == "overall":
            continue
        lines.append(
            f"| {signal_title(name)} | {ICONS.get(sig['verdict'], sig['verdict'])} | "
            f"{_cell(sig.get('headline', ''))} | {_cell(sig.get('advice', ''))} |"
        )
    lines += ["", "## Evidence", ""]
    for name, sig in report["signals"].items():
        ev = sig.get("evidence") or []
        if not ev or name == "overall":
            continue
        lines.append(f"**{signal_title(name)}**")
        lines.append("")
        for e in ev[:8]:
            when = f"`{fmt_time(e.get('start'))}` " if e.get("start") is not None else ""
            lines.append(f"- {when}{_cell(e['text'])}")
        lines.append("")
    nudges = report.get("nudges") or []
    if nudges:
        lines += ["## Live nudges", ""]
        lines += [f"- `{fmt_time(n.get('at'))}` **{_cell(n.get('cue', ''))}** {_cell(n.get('evidence', ''))}"
                  for n in nudges]
        lines.append("")
    fu = report.get("follow_up") or {}
    if fu:
        lines += ["## Follow-up", "", f"**{_cell(fu.get('question', ''))}** ({_cell(fu.get('reason', ''))})", ""]
        if fu.get("answered"):
            met = "met" if fu.get("met") is True else "missed" if fu.get("met") is False else "not judged"
            lines += ["> " + (fu.get("transcript") or "(no words)"), "",
                      f"{signal_title(fu['signal']['name'])}: {_cell(fu['signal'].get('headline') or '')} ({met})", ""]
        else:
            lines += ["No answer was heard.", ""]
    lines += ["## Transcript", "", "> " + (report["transcript"]["text"] or "(no speech detected)"), ""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
