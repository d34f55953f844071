"""The interview as text: a terminal view and Markdown. Each answer reuses the single-answer
renderers, so an answer reads exactly like ``voice-coach analyze`` would show it."""

from __future__ import annotations

from typing import Any

from voice_coach.report.model import fmt_time


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.0f}%"


def summary_lines(interview: dict[str, Any]) -> list[str]:
    """The summary as plain lines (shared by the terminal and Markdown views)."""
    s = interview["summary"]
    roles = {sp["id"]: sp["role"] for sp in interview["speakers"]}
    talk = ", ".join(f"{spk} ({roles.get(spk, '?')}) {_pct(share)}" for spk, share in s["talk_share"].items())
    lines = [
        f"Answers: {s['answers']}   framed: {_pct(s['framed_share'])}   clarified: "
        f"{_pct(s['clarified_share'])}   tradeoffs: {_pct(s['tradeoff_share'])}",
        f"Fillers: {_num(s['mean_fillers_per_100_words'])} per 100 words   "
        f"pace: {_num(s['mean_wpm'])} wpm (means over answers)",
        f"Talk time: {talk}   interruptions: {s['interruptions']['count']}"
        + "".join(f", {k} {v}" for k, v in s["interruptions"]["by"].items() if v),
    ]
    again = s.get("practise_again")
    if again:
        lines.append(f"Practise again: answer {again['index']}. {again.get('advice') or ''}".strip())
    return lines


def _num(v: float | None) -> str:
    return "-" if v is None else f"{v:.1f}"


def _question_label(item: dict[str, Any]) -> str:
    q = item["question"]
    bank = f" [{q['bank_id']}]" if q.get("bank_id") else ""
    return f"{q['text']}{bank}"


def render_interview_terminal(interview: dict[str, Any], console: Any = None) -> None:
    """The questions table, the summary, then each answer's own report."""
    from rich.console import Console
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    from voice_coach.report.terminal import STYLE, render_terminal

    console = console or Console()
    table = Table(title=f"Interview · {fmt_time(interview['duration_s'])}", show_header=True,
                  header_style="bold", expand=False)
    for col in ("#", "question", "answer", "length", "first word", "practise next"):
        table.add_column(col, overflow="fold")
    for it in interview["answers"]:
        rep = it["report"]
        ov = rep["signals"]["overall"]
        icon, colour = STYLE.get(ov["verdict"], ("?", "white"))
        ttfw = rep["signals"]["pauses"].get("time_to_first_word_s")
        table.add_row(str(it["index"]), escape(_question_label(it)),
                      f"{fmt_time(it['start'])}–{fmt_time(it['end'])}",
                      fmt_time(rep.get("duration_s")), "-" if ttfw is None else f"{ttfw:.1f} s",
                      f"[{colour}]{icon}[/{colour}] {escape(ov.get('headline') or '')}")
    console.print(table)
    if not interview["answers"]:
        console.print("[yellow]No question and answer found.[/yellow] Is the interviewer in the "
                      "recording? (--candidate names the candidate's side)")
    console.print(Panel(escape("\n".join(summary_lines(interview))), title="Interview summary", expand=False))
    for it in interview["answers"]:
        console.rule(f"Answer {it['index']} · from {fmt_time(it['start'])} (times below: after the question)")
        render_terminal(it["report"], console)


def render_interview_markdown(interview: dict[str, Any]) -> str:
    """The interview as Markdown: summary, questions, then each answer's report one level down."""
    from voice_coach.report.markdown import render_markdown

    lines = ["# voice-coach interview", "", f"**Length:** {fmt_time(interview['duration_s'])}", "",
             "## Summary", ""]
    lines += [f"- {line}" for line in summary_lines(interview)]
    lines += ["", "## Questions", ""]
    for it in interview["answers"]:
        lines.append(f"{it['index']}. `{fmt_time(it['question']['start'])}` {_question_label(it)} "
                     f"(answer {fmt_time(it['start'])}–{fmt_time(it['end'])})")
    for it in interview["answers"]:
        body = render_markdown(it["report"]).splitlines()
        body = [("#" + ln if ln.startswith("#") else ln) for ln in body]
        body[0] = f"## Answer {it['index']} (times: seconds after the question ended)"
        lines += ["", *body]
    return "\n".join(lines) + "\n"
