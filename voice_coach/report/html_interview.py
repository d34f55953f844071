"""The review page for a whole interview: one recording, every answer on one page.

It keeps the single-answer page's DOM contract (:mod:`voice_coach.report.html`): one
``<audio id="audio">`` (the whole recording), words ``.w[data-start][data-end]`` inside
``#transcript``, fillers ``.filler[data-start]``, long pauses ``.pause``, evidence ``.ev``,
and clicking anything with ``data-start`` seeks there. An answer's report counts time from
the end of its question, so its times are moved by ``offset_s`` first: on this page every
``data-start`` is seconds into the recording. On top of that:

* a timeline coloured by speaker (interviewer, candidate), with the questions marked;
* the list of questions, each a link to its answer (and a ▶ that plays the question);
* per answer: the question, the answer's transcript and its signal cards.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from voice_coach.report.html import _cards, _e, _head, _t, _tick_step, _transcript
from voice_coach.report.html_assets import SCRIPT
from voice_coach.report.html_audio import AudioSource
from voice_coach.report.html_model import as_dict, mark_evidence, mark_fillers, num, page_words
from voice_coach.report.model import fmt_time

# The speaker colours; everything else is the single-answer page's CSS.
_CSS = (".tl-candidate{fill:var(--speech)}.tl-interviewer{fill:#8c96a8}.tl-question{fill:#c0392b}"
        ".k-candidate{background:var(--speech)}.k-interviewer{background:#8c96a8}"
        ".answer{border-top:2px solid var(--line);margin-top:2rem;padding-top:1rem}"
        ".questions li{margin:.3rem 0}.play{border:0;background:none;cursor:pointer}")
_TIME_KEYS = frozenset(("start", "end", "at"))


def shifted(value: Any, offset: float) -> Any:
    """A copy of a report (or part of one) with every ``start``/``end``/``at`` moved by ``offset``."""
    if isinstance(value, dict):
        return {k: (v + offset if k in _TIME_KEYS and isinstance(v, int | float) and not isinstance(v, bool)
                    else shifted(v, offset)) for k, v in value.items()}
    if isinstance(value, list):
        return [shifted(v, offset) for v in value]
    return value


def render_interview_html(interview: dict[str, Any], *, audio: AudioSource | None = None,
                          session_id: str | None = None, csp: str | None = None, addon: str = "",
                          answer_links: Mapping[int, str] | None = None) -> str:
    """The review page for a ``voice-coach.interview/1`` object as one HTML string.

    ``csp`` and ``addon`` are as for :func:`voice_coach.report.html.render_html` (``serve``
    passes its policy and its notes/actions); ``answer_links`` maps an answer's index to the
    URL of that answer's own page, which the list of questions then links to.
    """
    answers = [a for a in interview.get("answers") or [] if isinstance(a, dict)]
    duration = num(interview.get("duration_s")) or 0.0
    parts = [_head("Review: mock interview", csp), f"<body><style>{_CSS}</style><main class=\"page\">"]
    parts.append(_header(interview, duration, session_id))
    if audio is not None:
        parts.append(f'<div class="player" role="region" aria-label="Recording"><audio id="audio" controls '
                     f'preload="auto" src="{_e(audio.src)}"></audio>'
                     '<span class="hint">Click any word, turn, pause or evidence to jump there.</span></div>')
    parts.append(_speaker_timeline(interview, answers, duration))
    parts.append(_questions(answers, answer_links or {}))
    parts.append('<div id="transcript">')  # the script's word index spans every answer
    for a in answers:
        parts.append(_answer(a))
    parts.append("</div>")
    parts.append(addon)
    # Served (with its own CSP), the page loads audio and scripts from the local server.
    where = ("Served from this machine; nothing on this page calls any other." if csp is not None else
             "This page is self-contained and makes no network requests.")
    parts.append(f'<footer class="foot">Made by voice-coach on this machine. {where} '
                 "Each answer is coached on the candidate's words only.</footer>")
    parts.append(f"</main><script>{SCRIPT}</script></body></html>\n")
    return "".join(parts)


def _header(interview: dict[str, Any], duration: float, session_id: str | None) -> str:
    summary = as_dict(interview.get("summary"))
    speakers = [s for s in interview.get("speakers") or [] if isinstance(s, dict)]
    bits = [f"length {fmt_time(duration)}", f"{len(interview.get('answers') or [])} answers"]
    bits += [f"{s.get('id')} ({s.get('role')}) {fmt_time(num(s.get('talk_s')))}" for s in speakers]
    if session_id:
        bits.append(f"session {session_id}")
    out = ['<header class="head"><p class="brand">voice-coach · interview review</p><h1>Mock interview</h1>',
           f'<p class="meta">{" · ".join(_e(b) for b in bits)}</p>']
    shares = [("framed", "framed_share"), ("asked a clarifying question", "clarified_share"),
              ("stated a tradeoff", "tradeoff_share")]
    got = [f"{label} {100 * v:.0f}%" for label, key in shares
           for v in [num(summary.get(key))] if v is not None]
    if got:
        out.append(f'<p class="meta">Answers that {_e(", ".join(got))}; interruptions '
                   f'{_e(as_dict(summary.get("interruptions")).get("count", 0))}</p>')
    again = as_dict(summary.get("practise_again"))
    if again.get("index") is not None:
        out.append(f'<p class="summary"><strong>Practise again:</strong> <a href="#answer-{_e(again["index"])}">'
                   f'answer {_e(again["index"])}</a>. {_e(again.get("advice") or "")}</p>')
    out.append("</header>")
    return "".join(out)


def _speaker_timeline(interview: dict[str, Any], answers: list[dict[str, Any]], duration: float) -> str:
    width, top, bar_h = 1000.0, 18.0, 26.0
    dur = max(duration, 0.1)
    roles = {s.get("id"): s.get("role") for s in interview.get("speakers") or [] if isinstance(s, dict)}

    def x(t: float) -> str:
        return f"{max(0.0, min(width, t / dur * width)):.1f}"

    g = [f'<svg class="timeline" id="timeline" viewBox="0 0 {width:.0f} 64" preserveAspectRatio="none" '
         f'data-duration="{_t(dur)}" role="img" aria-label="Timeline of who speaks when">',
         f'<rect class="tl-silence" x="0" y="{top}" width="{width:.0f}" height="{bar_h}"/>']
    for turn in interview.get("turns") or []:
        s, e = num(as_dict(turn).get("start")), num(as_dict(turn).get("end"))
        if s is None or e is None:
            continue
        role = "candidate" if roles.get(turn.get("speaker")) == "candidate" else "interviewer"
        g.append(f'<rect class="tl-{role}" data-start="{_t(s)}" x="{x(s)}" y="{top}" '
                 f'width="{max(0.8, (e - s) / dur * width):.1f}" height="{bar_h}"><title>{_e(turn.get("speaker"))} '
                 f"{fmt_time(s)}–{fmt_time(e)}</title></rect>")
    for a in answers:
        qs = num(as_dict(a.get("question")).get("start"))
        if qs is not None:
            g.append(f'<path class="tl-question" data-start="{_t(qs)}" d="M{x(qs)} 10 l-6 -9 h12 z">'
                     f"<title>question {_e(a.get('index'))}</title></path>")
    step, t = _tick_step(dur), 0.0
    while t <= dur + 1e-9:
        anchor = "start" if t == 0 else ("end" if t > dur - step / 2 else "middle")
        g.append(f'<text class="tl-tick" x="{x(t)}" y="60" text-anchor="{anchor}">{fmt_time(t)[:-2]}</text>')
        t += step
    g.append(f'<line id="playhead" class="tl-playhead" x1="0" x2="0" y1="4" y2="{top + bar_h + 6}"/></svg>')
    return ('<section class="timeline-wrap"><h2>Who speaks when</h2>' + "".join(g) +
            '<p class="tl-key"><i class="k-interviewer"></i> interviewer <i class="k-candidate"></i> candidate '
            '<i class="k-silence"></i> silence ▼ question</p></section>')


def _questions(answers: list[dict[str, Any]], links: Mapping[int, str]) -> str:
    out = ['<section class="questions-wrap"><h2>Questions</h2><ol class="questions">']
    for a in answers:
        q = as_dict(a.get("question"))
        bank = f' <span class="bank">[{_e(q["bank_id"])}]</span>' if q.get("bank_id") else ""
        out.append(f'<li><button type="button" class="play" data-start="{_t(num(q.get("start")))}" '
                   f'title="play the question">▶</button> <a href="#answer-{_e(a.get("index"))}">'
                   f'{_e(q.get("text") or "")}</a>{bank} <span class="at">{fmt_time(num(a.get("start")))}</span>'
                   + _own_page(links.get(a["index"]) if isinstance(a.get("index"), int) else None) + "</li>")
    out.append("</ol></section>")
    return "".join(out)


def _own_page(url: str | None) -> str:
    return f' <a class="answer-page" href="{_e(url)}">its own page</a>' if url else ""


def _answer(a: dict[str, Any]) -> str:
    report = shifted(as_dict(a.get("report")), num(a.get("offset_s")) or 0.0)
    signals = as_dict(report.get("signals"))
    words = page_words(report)
    mark_fillers(words, as_dict(signals.get("fillers")))
    mark_evidence(words, signals)
    long_pauses = [(s, e) for p in as_dict(signals.get("pauses")).get("long") or [] if isinstance(p, dict)
                   for s, e in [(num(p.get("start")), num(p.get("end")))] if s is not None and e is not None]
    q = as_dict(a.get("question"))
    ttfw = num(as_dict(as_dict(a.get("report")).get("signals")).get("pauses", {}).get("time_to_first_word_s"))
    head = (f'<section class="answer" id="answer-{_e(a.get("index"))}"><h2>Answer {_e(a.get("index"))}</h2>'
            f'<p class="question"><button type="button" class="play" data-start="{_t(num(q.get("start")))}">▶'
            f'</button> <strong>Question:</strong> {_e(q.get("text") or "")}</p>'
            f'<p class="meta">{fmt_time(num(a.get("start")))}–{fmt_time(num(a.get("end")))}'
            + (f" · first word {ttfw:.1f} s after the question" if ttfw is not None else "") + "</p>")
    if isinstance(report.get("summary"), str):
        head += f'<p class="summary"><strong>Practise next:</strong> {_e(report["summary"])}</p>'
    # No "before the first word" marker (its data-start would be the answer's 0, not the recording's).
    return head + _transcript(words, long_pauses, [], None, element_id=None) + _cards(signals) + "</section>"
