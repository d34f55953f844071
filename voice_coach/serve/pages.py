"""The app's pages as Python string templates (no template engine needed for five pages).

Every piece of stored or request text passes through :func:`e` (HTML escaping); scripts and
styles are files under ``voice_coach/data/serve`` served from our own origin, never inline
and never from a CDN (the Content-Security-Policy of :mod:`.security` enforces both).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from voice_coach.report.figures import format_value
from voice_coach.report.model import fmt_time, signal_title
from voice_coach.store import ArchivePage, ArchiveQuery, Session
from voice_coach.store.archive import VERDICTS

VERDICT_ICON = {"strength": "✔", "ok": "•", "work_on": "✘", "n/a": "·"}
SHOWN_SIGNALS = ("framing", "fillers", "pauses", "pace", "tradeoffs", "closing_summary")
"""The verdict columns of the list (all signals are filterable; these fit on a laptop)."""


def e(text: Any) -> str:
    """Escape for HTML text and attribute values."""
    return html.escape(str(text), quote=True)


def layout(title: str, body: str, csrf: str, scripts: Sequence[str] = ("app.js",)) -> str:
    """A full page: our stylesheet, the CSRF token for our scripts, the navigation."""
    tags = "".join(f'<script src="/static/{e(s)}" defer></script>' for s in scripts)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="csrf-token" content="{e(csrf)}"><title>{e(title)}</title>'
            f'<link rel="stylesheet" href="/static/app.css">{tags}</head><body>'
            '<nav class="top"><a href="/">Archive</a> <a href="/progress">Progress</a> '
            '<a href="/practice">Practise</a> <span class="brand">voice-coach</span></nav>'
            f'<main class="app">{body}</main></body></html>\n')


def addon(session: Session, answers: int = 0) -> str:
    """What the served session page adds to the review page: actions and the notes editor.

    An answer of an interview links back to it; an interview's forget says it takes its
    ``answers`` with it (the store deletes them with it).
    """
    sid = e(session.id)
    up = (f'<p class="parent" id="parent-interview">One answer of <a href="/session/{e(session.parent)}">'
          "the interview</a>.</p>" if session.parent else "")
    takes = f" (and its {answers} answer{'s' if answers != 1 else ''})" if answers else ""
    notes = "".join(
        f'<li class="edit-note" data-note-id="{n.id}" data-at="{"" if n.at is None else n.at}">'
        f'<button type="button" class="note-at"{_seek(n.at)}>{e(fmt_time(n.at) if n.at is not None else "overall")}'
        f'</button> <span class="note-text">{e(n.text)}</span> '
        '<button type="button" class="note-edit">Edit</button> '
        '<button type="button" class="note-delete">Delete</button></li>' for n in session.notes)
    return (f'<section class="serve-tools" id="serve-tools" data-session="{sid}">'
            f'{up}<h2>Coach notes</h2>'
            f'<ul class="notes-list" id="notes-list">{notes}</ul>'
            '<form id="note-form" class="note-form"><label>Note at <output id="note-time">0:00.0</output> '
            '<input id="note-text" name="text" maxlength="4000" autocomplete="off" '
            'placeholder="Type a note for the current moment"></label> <button type="submit">Add note</button></form>'
            f'<p class="actions"><a class="button" href="/session/{sid}/export" download>Export bundle</a> '
            f'<button type="button" id="forget" class="danger">Forget this session{takes}…</button> '
            '<a href="/">Back to the archive</a></p></section>'
            '<script src="/static/session.js" defer></script>')


def _seek(at: float | None) -> str:
    return "" if at is None else f' data-start="{at:.3f}"'


def archive(page: ArchivePage, q: ArchiveQuery) -> str:
    """The archive: filters, search, the page of sessions, pagination, compare, import."""
    def opt(value: str, label: str, current: str) -> str:
        return f'<option value="{e(value)}"{" selected" if value == current else ""}>{e(label)}</option>'

    cats = opt("", "any category", q.category) + "".join(opt(c, c, q.category) for c in page.categories)
    kinds = opt("", "any kind", q.kind) + "".join(opt(k, k, q.kind) for k in page.kinds)
    sigs = opt("", "any signal", q.signal) + "".join(opt(s, signal_title(s), q.signal) for s in page.signals)
    verdicts = opt("", "any verdict", q.verdict) + "".join(opt(v, v.replace("_", " "), q.verdict) for v in VERDICTS)
    form = ('<form class="filters" id="filters" method="get" action="/">'
            f'<input type="search" name="q" id="search" value="{e(q.text)}" placeholder="Search transcripts and notes">'
            f'<input name="question" value="{e(q.question)}" placeholder="Question id or text">'
            f'<select name="category">{cats}</select><select name="kind">{kinds}</select>'
            f'<label>from <input type="date" name="since" value="{e(q.since)}"></label>'
            f'<label>to <input type="date" name="until" value="{e(q.until)}"></label>'
            f'<select name="signal">{sigs}</select><select name="verdict">{verdicts}</select>'
            '<button type="submit">Filter</button> <a href="/">Clear</a></form>')
    head = "".join(f"<th>{e(signal_title(s))}</th>" for s in SHOWN_SIGNALS)
    rows = []
    for s in page.sessions:
        v = page.verdicts.get(s.id, {})
        cells = "".join(f'<td class="v v-{e(v.get(n, "n/a"))}" title="{e(v.get(n, "n/a"))}">'
                        f'{VERDICT_ICON.get(v.get(n, "n/a"), "·")}</td>' for n in SHOWN_SIGNALS)
        length = fmt_time(s.duration_s) if s.duration_s is not None else "-"
        rows.append(f'<tr class="session-row" data-id="{e(s.id)}"><td><input type="checkbox" name="id" '
                    f'value="{e(s.id)}" form="compare" aria-label="select {e(s.id)}"></td>'
                    f'<td><a href="/session/{e(s.id)}">{e(s.minute)}</a></td><td>{e(s.kind)}</td>'
                    f'<td class="q">{e(s.question_text or s.question_id or s.source or "")}</td>'
                    f'<td>{e(s.category or "")}</td><td>{e(length)}</td>{cells}</tr>')
    table = ('<table class="sessions" id="sessions"><thead><tr><th></th><th>When (UTC)</th><th>Kind</th>'
             f'<th>Question</th><th>Category</th><th>Length</th>{head}</tr></thead><tbody>{"".join(rows)}'
             '</tbody></table>') if rows else '<p class="empty" id="sessions">No session matches.</p>'
    return (f"<h1>Archive</h1>{form}"
            f'<p class="count" id="count">{page.total} session{"s" if page.total != 1 else ""}'
            f"{' · page ' + str(page.page) + ' of ' + str(page.pages) if page.pages > 1 else ''}</p>"
            '<form id="compare" method="get" action="/compare"><button type="submit" id="compare-btn">'
            'Compare the two selected</button> <a href="' + e("/progress?" + _filters(q, page=None)) +
            '">Progress of these sessions</a></form>'
            f"{table}{_pager(page, q)}"
            '<section class="import" id="import-zone"><h2>Import bundles</h2><p>Drop bundle files here, or '
            '<input type="file" id="import-file" accept=".zip" multiple></p><p id="import-status" role="status">'
            "</p></section>")


def _filters(q: ArchiveQuery, page: int | None) -> str:
    fields = {"q": q.text, "question": q.question, "category": q.category, "since": q.since, "until": q.until,
              "kind": q.kind, "signal": q.signal, "verdict": q.verdict}
    if page is not None:
        fields["page"] = str(page)
    return urlencode({k: v for k, v in fields.items() if v})


def _pager(page: ArchivePage, q: ArchiveQuery) -> str:
    if page.pages <= 1:
        return ""
    links = []
    if page.page > 1:
        links.append(f'<a rel="prev" href="/?{e(_filters(q, page.page - 1))}">← newer</a>')
    links.append(f"page {page.page} of {page.pages}")
    if page.page < page.pages:
        links.append(f'<a rel="next" href="/?{e(_filters(q, page.page + 1))}">older →</a>')
    return f'<nav class="pager">{" ".join(links)}</nav>'


def compare(a: Session, b: Session, rows: Iterable[dict[str, Any]]) -> str:
    """Two sessions side by side, the rows of :func:`voice_coach.commands.compare.comparison`."""
    marks = {"better": "▲ better", "worse": "▼ worse", "same": "= same"}

    def cell(name: str, value: Any, verdict: str) -> str:
        return (f'<td class="v-{e(verdict)}">{VERDICT_ICON.get(verdict, "·")} '
                f"{e(format_value(name, value))}</td>")

    def head(label: str, s: Session) -> str:
        length = fmt_time(s.duration_s) if s.duration_s is not None else "-"
        return (f'<p><b>{label}</b> <a href="/session/{e(s.id)}">{e(s.id)}</a> · {e(s.minute)} · {e(length)} · '
                f"{e(s.question_text or s.question_id or '')}</p>")

    body = "".join(f'<tr data-signal="{e(r["signal"])}"><td>{e(signal_title(r["signal"]))}</td>'
                   f'{cell(r["signal"], r["first"], r["first_verdict"])}'
                   f'{cell(r["signal"], r["second"], r["second_verdict"])}'
                   f'<td class="change c-{e(r["change"] or "none")}">{e(marks.get(r["change"] or "", ""))}</td></tr>'
                   for r in rows)
    return (f"<h1>Compare</h1>{head('A', a)}{head('B', b)}"
            f'<table class="compare" id="comparison"><thead><tr><th>Signal</th><th>A</th><th>B</th><th>Change</th>'
            f"</tr></thead><tbody>{body}</tbody></table>")


def progress(svg: str, n: int, q: ArchiveQuery) -> str:
    """The progress chart (the same SVG as ``voice-coach progress --plot``)."""
    if not n:
        return '<h1>Progress</h1><p class="empty">No sessions match.</p>'
    what = _filters(q, page=None)
    return (f'<h1>Progress</h1><p class="count">over {n} session{"s" if n != 1 else ""}'
            f'{" (" + e(what.replace("&", ", ")) + ")" if what else ""}</p>'
            f'<div class="chart" id="progress-chart">{svg}</div>')


def practice(questions: Sequence[Any], focus: str = "", skill: str = "", why: str = "", picked: str = "",
             goals: dict[str, str] | None = None) -> str:
    """Pick a question (or a focus, which picks one as ``practice --focus`` does), hear it,
    record the answer in the browser, get the report.

    With a focus the list holds only the questions that exercise ``skill``, ``picked`` is
    selected, and each option carries its goal (the time limit depends on the question).
    """
    from voice_coach.skills import SKILLS

    goals = goals or {}
    opts = "".join(f'<option value="{e(q.id)}"{" selected" if q.id == picked else ""}'
                   + (f' data-goal="{e(goals[q.id])}"' if q.id in goals else "")
                   + f'>{e(q.category or "")}: {e(q.text)}</option>' for q in questions)
    choices = "".join(f'<option value="{e(v)}"{" selected" if v == focus else ""}>{e(label)}</option>'
                      for v, label in (("", "none (any question)"), ("auto", "auto (my weakest skill)"),
                                       *((s, s) for s in SKILLS)))
    goal = ""
    if skill:
        goal = (f'<p class="goal" id="goal" data-skill="{e(skill)}" data-why="{e(why)}">'
                f'<strong id="goal-text">{e(goals.get(picked, ""))}</strong> '
                f'<span class="why">Focus {e(skill)}: {e(why)}</span></p>')
    return ('<h1>Practise</h1><form id="focus-form" class="focus" method="get" action="/practice">'
            f'<label>Focus <select id="focus" name="focus">{choices}</select></label> '
            '<button type="submit">Pick a question</button></form>'
            f'{goal}<form id="practice" class="practice">'
            f'<label>Question <select id="question" name="question">{opts}</select></label>'
            '<p><button type="button" id="play-question">Hear the question</button> '
            '<audio id="question-audio" preload="none"></audio></p>'
            '<p><button type="button" id="record">Start answering</button> '
            '<button type="button" id="stop" disabled>Stop and get feedback</button> '
            '<span id="practice-status" role="status"></span></p></form>')
