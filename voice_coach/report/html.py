"""The review page: one self-contained HTML file a coach opens offline and clicks through.

Why a single file: a coach gets it by mail or in a bundle and opens it on a train. So the
audio is embedded as a ``data:`` URI (or, for very long recordings, placed next to the page),
the CSS and the little JavaScript are inline, and a Content-Security-Policy forbids every
network request, so nothing on the page can call home even by accident.

What is on it:

* one ``<audio>`` element; every word, filler, pause, note and evidence item carries
  ``data-start`` (seconds) and clicking it seeks the audio there;
* the transcript with fillers highlighted (DOM contract: each is an element with class
  ``filler`` and ``data-start``), long pauses inline with their length, and the framing
  sentence, tradeoff statements and clarifying questions marked from those signals' evidence;
* an inline SVG timeline of speech, silence, long pauses, fillers and notes;
* one card per signal: verdict, headline, clickable evidence, advice, figures;
* coach notes (``voice-coach note``) inline at their moment.

Reports are read defensively (``.get``): signals gain fields over time, and a page must
still render from an older or newer report. Every piece of text from a transcript, a
question or a note is HTML-escaped; nothing user-supplied reaches the script.

This module renders the page; :mod:`~voice_coach.report.html_audio` prepares the recording,
:mod:`~voice_coach.report.html_model` finds the words, fillers and marked stretches, and
:mod:`~voice_coach.report.html_assets` holds the inline CSS and script.
"""

from __future__ import annotations

import bisect
import html
import math
from collections.abc import Iterable
from typing import Any

from voice_coach.report.html_assets import CSS, SCRIPT
from voice_coach.report.html_audio import EMBED_LIMIT_BYTES, PLAYABLE, AudioSource, audio_source
from voice_coach.report.html_model import (
    MARKS,
    PageWord,
    as_dict,
    mark_evidence,
    mark_fillers,
    note_fields,
    num,
    page_words,
)
from voice_coach.report.model import fmt_time, goal_line, signal_title

__all__ = ["EMBED_LIMIT_BYTES", "MARKS", "PLAYABLE", "AudioSource", "audio_source", "render_html"]

VERDICT_LABEL = {"strength": "✔ strength", "ok": "• ok", "work_on": "✘ work on", "n/a": "· n/a"}
# Values shown in a card's figures; lists and bookkeeping fields are left out.
_HIDDEN_FIGURES = {"verdict", "advice", "headline", "evidence", "items", "long", "top", "word", "words"}


# ---------------------------------------------------------------------------- rendering
def _e(text: Any) -> str:
    """Escape anything for HTML text and attribute values."""
    return html.escape(str(text), quote=True)


def _t(x: float | None) -> str:
    """A time as a ``data-start`` value: plain decimal seconds (``7.1``, ``0``)."""
    if x is None:
        return ""
    return f"{x:.3f}".rstrip("0").rstrip(".") or "0"


def render_html(
    report: dict[str, Any],
    *,
    audio: AudioSource | None = None,
    notes: Iterable[Any] = (),
    session_id: str | None = None,
    title: str | None = None,
    csp: str | None = None,
    addon: str = "",
) -> str:
    """The review page for ``report`` as one HTML string.

    Args:
        report: a ``voice-coach.report/1`` object (extra or missing fields are tolerated).
        audio: the recording (see :func:`audio_source`); without it the page has no player.
        notes: coach notes (:class:`voice_coach.store.Note` or dicts with ``at``/``text``).
        session_id: shown in the header so a coach can refer to the session.
        title: the page title (default: the question, or "voice-coach review").
        csp: the Content-Security-Policy (default: no network at all; ``voice-coach serve``
            allows its own origin for the audio, notes and scripts).
        addon: HTML placed after the signal cards (``serve``'s note editor and actions).
    """
    signals = as_dict(report.get("signals"))
    words = page_words(report)
    fillers = as_dict(signals.get("fillers"))
    mark_fillers(words, fillers)
    mark_evidence(words, signals)
    pauses_sig = as_dict(signals.get("pauses"))
    long_pauses = [(s, e) for p in pauses_sig.get("long") or [] if isinstance(p, dict)
                   for s, e in [(num(p.get("start")), num(p.get("end")))] if s is not None and e is not None]
    note_list = [n for n in (note_fields(n) for n in notes) if n[1].strip()]
    duration = num(report.get("duration_s"))
    if duration is None:
        ends = [w.end for w in words if w.end is not None]
        duration = max(ends) if ends else None
    question = as_dict(report.get("question"))
    qtext = question.get("text") if isinstance(question.get("text"), str) else None
    page_title = title or (f"Review: {qtext}" if qtext else "voice-coach review")

    parts: list[str] = []
    parts.append(_head(page_title, csp))
    parts.append('<body><main class="page">')
    parts.append(_header(report, qtext, duration, session_id))
    if audio is not None:
        parts.append(f'<div class="player" role="region" aria-label="Recording"><audio id="audio" controls '
                     f'preload="auto" src="{_e(audio.src)}"></audio>'
                     '<span class="hint">Click any word, filler, pause or evidence to jump there.</span></div>')
    if (duration and any(w.start is not None for w in words)) or long_pauses:
        parts.append(_timeline(report, words, long_pauses, note_list, duration or 0.0))
    parts.append(_legend())
    general = [n for n in note_list if n[0] is None]
    if general:
        parts.append('<section class="notes-general"><h2>Coach notes</h2>' + "".join(
            f'<p class="note">{_note_author(a)}{_e(t)}</p>' for _at, t, a in general) + "</section>")
    parts.append(_transcript(words, long_pauses, [n for n in note_list if n[0] is not None],
                             num(pauses_sig.get("time_to_first_word_s"))))
    parts.append(_cards(signals))
    parts.append(_nudges(report.get("nudges")))
    parts.append(_follow_up(as_dict(report.get("follow_up"))))
    parts.append(addon)
    parts.append(_footer(report, served=csp is not None))
    parts.append("</main>")
    parts.append(f"<script>{SCRIPT}</script></body></html>\n")
    return "".join(parts)


def _head(title: str, csp: str | None = None) -> str:
    # The CSP is the guarantee behind "no network request": even a stray URL cannot load.
    csp = csp or ("default-src 'none'; media-src data: blob: file: 'self'; img-src data:; "
                  "style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head>"
    )


def _header(report: dict[str, Any], qtext: str | None, duration: float | None, session_id: str | None) -> str:
    meta = as_dict(report.get("meta"))
    bits = []
    if duration is not None:
        bits.append(f"length {fmt_time(duration)}")
    n_words = len((report.get("transcript") or {}).get("words") or [])
    bits.append(f"{n_words} words")
    if meta.get("created"):
        bits.append(str(meta["created"]).replace("T", " ")[:16])
    if meta.get("model"):
        bits.append(f"model {meta['model']}")
    if session_id:
        bits.append(f"session {session_id}")
    out = ['<header class="head"><p class="brand">voice-coach · review</p>']
    goal = goal_line(report)
    if goal is not None:
        out.append(f'<p class="goal goal-{goal[0].replace(" ", "-")}"><strong>Drill goal {_e(goal[0])}:</strong> '
                   f'{_e(goal[1])}</p>')
    out.append(f'<h1>{_e(qtext) if qtext else "Spoken answer"}</h1>')
    out.append(f'<p class="meta">{" · ".join(_e(b) for b in bits)}</p>')
    summary = report.get("summary")
    if isinstance(summary, str) and summary.strip():
        out.append(f'<p class="summary"><strong>Practise next:</strong> {_e(summary)}</p>')
    out.append("</header>")
    return "".join(out)


def _nudges(nudges: Any) -> str:
    """The cues shown while the candidate spoke; each one plays from its evidence."""
    items = [as_dict(n) for n in nudges] if isinstance(nudges, list) else []
    if not items:
        return ""
    rows = []
    for n in items:
        at = num(n.get("at"))
        when = f'<span class="t">{_e(fmt_time(at))}</span> ' if at is not None else ""
        start = f' data-start="{at:.2f}"' if at is not None else ""
        rows.append(f'<li class="nudge nudge-{_e(n.get("kind") or "")}"{start}>{when}<strong>{_e(n.get("cue") or "")}'
                    f'</strong> <span class="hint">{_e(n.get("evidence") or "")}</span></li>')
    return '<section class="nudges" id="nudges"><h2>Live nudges</h2><ul>' + "".join(rows) + "</ul></section>"


def _follow_up(fu: dict[str, Any]) -> str:
    """The follow-up question the coach asked, the second answer's words and how it did."""
    if not fu:
        return ""
    met = fu.get("met")
    status = "met" if met is True else "missed" if met is False else "not-judged"
    sig = as_dict(fu.get("signal"))
    out = ['<section class="follow-up" id="follow-up"><h2>Follow-up</h2>',
           f'<p><strong>{_e(fu.get("question") or "")}</strong> <span class="hint">(asked because: '
           f'{_e(fu.get("reason") or "")})</span></p>']
    if fu.get("answered"):
        out.append(f'<blockquote class="fu-answer">{_e(fu.get("transcript") or "(no words)")}</blockquote>')
        out.append(f'<p class="goal goal-{status}"><strong>{_e(signal_title(str(sig.get("name") or "")))}:</strong> '
                   f'{_e(sig.get("headline") or "")} ({status.replace("-", " ")})</p>')
        if fu.get("session_id"):
            out.append(f'<p class="meta">saved as session {_e(fu["session_id"])}</p>')
    else:
        out.append('<p class="meta">No answer was heard.</p>')
    return "".join(out) + "</section>"


def _legend() -> str:
    # The legend reuses the look, not the classes: only real fillers carry class "filler".
    return ('<p class="legend" aria-hidden="true"><span class="fl filled_pause">um</span> filled pause '
            '<span class="fl discourse">like</span> discourse filler '
            '<span class="pause">‖ 2.1 s</span> long pause '
            '<span class="m-framing">framing</span> '
            '<span class="m-tradeoffs">tradeoff</span> '
            '<span class="m-clarifying_questions">clarifying question</span> '
            '<span class="note-chip">✎</span> coach note</p>')


def _note_author(author: Any) -> str:
    return f'<b class="author">{_e(author)}:</b> ' if isinstance(author, str) and author.strip() else ""


def _transcript(
    words: list[PageWord],
    long_pauses: list[tuple[float, float]],
    notes: list[tuple[float | None, str, Any]],
    first_word_s: float | None,
    element_id: str | None = "transcript",
) -> str:
    # The interview page shows several transcripts inside one #transcript (element_id None).
    ident = f' id="{element_id}"' if element_id else ""
    out = [f'<section class="transcript-wrap"><h2>Transcript</h2><div class="transcript"{ident}>']
    if not words:
        out.append('<p class="empty">No speech detected.</p></div></section>')
        return "".join(out)
    starts = [w.start if w.start is not None else math.inf for w in words]
    # Where each inline item goes: before the first word that starts at or after it.
    inserts: dict[int, list[str]] = {}
    timed = any(w.start is not None for w in words)
    for s, e in long_pauses:
        i = bisect.bisect_left(starts, s) if timed else 0
        inserts.setdefault(i, []).append(
            f'<button type="button" class="pause" data-start="{_t(s)}" title="silence {fmt_time(s)}–'
            f'{fmt_time(e)}">‖ {e - s:.1f} s</button>')
    if first_word_s is not None and first_word_s >= 3.0 and not any(s < 0.5 for s, _ in long_pauses):
        inserts.setdefault(0, []).insert(0, f'<button type="button" class="pause" data-start="0">‖ '
                                            f'{first_word_s:.1f} s before the first word</button>')
    for at, text, author in notes:
        if at is None:  # whole-answer notes are shown above the transcript
            continue
        i = bisect.bisect_left(starts, at) if timed else len(words)
        inserts.setdefault(i, []).append(
            f'<aside class="note" data-start="{_t(at)}"><span class="note-chip">✎ {fmt_time(at)}</span> '
            f"{_note_author(author)}{_e(text)}</aside>")
    prev_marks: tuple[str, ...] = ()
    for i, w in enumerate(words):
        for item in inserts.get(i, []):
            out.append(item)
        new = [m for m in w.marks if m not in prev_marks]
        for m in new:
            out.append(f'<span class="tag t-{m}">{_e(MARKS[m])}</span>')
        prev_marks = w.marks
        cls = ["w"] + [f"m-{m}" for m in w.marks]
        if w.filler:
            cls += ["filler", w.filler]
        if w.prob < 0.5:
            cls.append("unsure")
        attrs = f' class="{" ".join(cls)}"'
        if w.start is not None:
            attrs += f' data-start="{_t(w.start)}"'
            if w.end is not None:
                attrs += f' data-end="{_t(w.end)}"'
        title = []
        if w.filler:
            title.append("filled pause" if w.filler == "filled_pause" else "discourse filler")
        if w.prob < 0.5:
            title.append(f"recogniser unsure ({w.prob:.0%})")
        if w.start is not None:
            title.append(fmt_time(w.start))
        if title:
            attrs += f' title="{_e(", ".join(title))}"'
        out.append(f"<span{attrs}>{_e(w.text)}</span>")
        # The space between two words of one marked stretch carries the mark too, so the
        # stretch reads as one highlighted phrase rather than a row of boxes.
        shared = [m for m in w.marks if i + 1 < len(words) and m in words[i + 1].marks]
        out.append(f'<span class="{" ".join(f"m-{m}" for m in shared)}"> </span>' if shared else " ")
    for item in inserts.get(len(words), []):
        out.append(item)
    out.append("</div></section>")
    return "".join(out)


def _timeline(
    report: dict[str, Any],
    words: list[PageWord],
    long_pauses: list[tuple[float, float]],
    notes: list[tuple[float | None, str, Any]],
    duration: float,
) -> str:
    width, top, bar_h = 1000.0, 18.0, 26.0
    dur = max(duration, max((e for _, e in long_pauses), default=0.0), 0.1)

    def x(t: float) -> str:
        return f"{max(0.0, min(width, t / dur * width)):.1f}"

    regions = [(s, e) for r in (report.get("transcript") or {}).get("speech_regions") or [] if isinstance(r, dict)
               for s, e in [(num(r.get("start")), num(r.get("end")))] if s is not None and e is not None]
    if not regions:
        # No VAD regions (a JSON transcript): the words themselves stand in for speech.
        regions = [(w.start, w.end) for w in words if w.start is not None and w.end is not None]
    g = [f'<svg class="timeline" id="timeline" viewBox="0 0 {width:.0f} 64" preserveAspectRatio="none" '
         f'data-duration="{_t(dur)}" role="img" aria-label="Timeline of speech, silence and fillers">',
         f'<rect class="tl-silence" x="0" y="{top}" width="{width:.0f}" height="{bar_h}"/>']
    for s, e in regions:
        g.append(f'<rect class="tl-speech" x="{x(s)}" y="{top}" width="{max(0.8, (e - s) / dur * width):.1f}" '
                 f'height="{bar_h}"/>')
    for s, e in long_pauses:
        g.append(f'<rect class="tl-pause" data-start="{_t(s)}" x="{x(s)}" y="{top}" '
                 f'width="{max(1.0, (e - s) / dur * width):.1f}" height="{bar_h}"><title>pause {e - s:.1f} s at '
                 f"{fmt_time(s)}</title></rect>")
    for w in words:
        if w.filler and w.start is not None:
            g.append(f'<rect class="tl-filler" data-start="{_t(w.start)}" x="{x(w.start)}" y="{top - 6}" '
                     f'width="4" height="{bar_h + 12}"><title>{_e(w.text)} at {fmt_time(w.start)}</title></rect>')
    for n in (as_dict(n) for n in report.get("nudges") or [] if isinstance(n, dict)):
        at, shown = num(n.get("at")), num(n.get("shown_at"))
        if at is not None:  # drawn where the cue appeared; it plays from its evidence
            g.append(f'<circle class="tl-nudge" data-start="{_t(at)}" cx="{x(shown if shown is not None else at)}" '
                     f'cy="{top + bar_h + 4}" r="4"><title>{_e(str(n.get("cue") or ""))}</title></circle>')
    for at, text, _a in notes:
        if at is not None:
            g.append(f'<path class="tl-note" data-start="{_t(at)}" d="M{x(at)} 10 l-6 -9 h12 z">'
                     f"<title>{_e(text[:80])}</title></path>")
    step = _tick_step(dur)
    t = 0.0
    while t <= dur + 1e-9:
        anchor = "start" if t == 0 else ("end" if t > dur - step / 2 else "middle")
        g.append(f'<text class="tl-tick" x="{x(t)}" y="60" text-anchor="{anchor}">{fmt_time(t)[:-2]}</text>')
        t += step
    g.append(f'<line id="playhead" class="tl-playhead" x1="0" x2="0" y1="4" y2="{top + bar_h + 6}"/></svg>')
    return ('<section class="timeline-wrap"><h2>Timeline</h2>' + "".join(g) +
            '<p class="tl-key"><i class="k-speech"></i> speech <i class="k-silence"></i> silence '
            '<i class="k-pause"></i> long pause <i class="k-filler"></i> filler '
            '<i class="k-note"></i> note</p></section>')


def _tick_step(dur: float) -> float:
    for step in (5, 10, 15, 30, 60, 120, 300, 600, 900, 1800):
        if dur / step <= 10:
            return float(step)
    return 3600.0


def _figures(sig: dict[str, Any]) -> str:
    rows = []
    for k, v in sig.items():
        # Figures are the small facts (numbers, flags, short labels); quotes belong in evidence.
        if k in _HIDDEN_FIGURES or isinstance(v, dict | list) or v is None or (isinstance(v, str) and len(v) > 30):
            continue
        if isinstance(v, bool):
            v = "yes" if v else "no"
        elif isinstance(v, float):
            v = f"{v:.2f}".rstrip("0").rstrip(".")
        rows.append(f"<dt>{_e(k.replace('_', ' '))}</dt><dd>{_e(v)}</dd>")
    return f'<dl class="figures">{"".join(rows)}</dl>' if rows else ""


def _cards(signals: dict[str, Any]) -> str:
    out = ['<section class="cards-wrap"><h2>Signals</h2><div class="cards">']
    for name, sig in signals.items():
        if not isinstance(sig, dict) or name == "overall":
            continue
        verdict = str(sig.get("verdict")) if sig.get("verdict") in VERDICT_LABEL else "n/a"
        out.append(f'<article class="card v-{verdict}" id="signal-{_e(name)}"><header><h3>{_e(signal_title(name))}'
                   f'</h3><span class="verdict">{_e(VERDICT_LABEL[verdict])}</span></header>')
        if sig.get("headline"):
            out.append(f'<p class="headline">{_e(sig["headline"])}</p>')
        evidence = [ev for ev in sig.get("evidence") or [] if isinstance(ev, dict) and ev.get("text")]
        if evidence:
            out.append('<ul class="evidence">')
            for ev in evidence[:12]:
                s = num(ev.get("start"))
                if s is not None:
                    out.append(f'<li><button type="button" class="ev" data-start="{_t(s)}"><span class="at">'
                               f"{fmt_time(s)}</span> {_e(ev['text'])}</button></li>")
                else:
                    out.append(f'<li><span class="ev untimed">{_e(ev["text"])}</span></li>')
            if len(evidence) > 12:
                out.append(f'<li class="more">and {len(evidence) - 12} more</li>')
            out.append("</ul>")
        if sig.get("advice"):
            out.append(f'<p class="advice">{_e(sig["advice"])}</p>')
        out.append(_figures(sig))
        out.append("</article>")
    out.append("</div></section>")
    return "".join(out)


def _footer(report: dict[str, Any], served: bool = False) -> str:
    meta = as_dict(report.get("meta"))
    # A page with its own CSP is served (``voice-coach serve``): it loads its audio and
    # scripts from the local server, so "self-contained" would not be true there.
    where = ("Served from this machine; nothing on this page calls any other." if served else
             "This page is self-contained and makes no network requests.")
    return (f'<footer class="foot">Made by voice-coach {_e(meta.get("voice_coach", ""))} on this machine. '
            f"{where} Verdicts are about how the answer is structured and delivered, not whether it is "
            "correct.</footer>")
