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
"""

from __future__ import annotations

import base64
import bisect
import html
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voice_coach.report.model import fmt_time, signal_title
from voice_coach.transcript import normalise_token

EMBED_LIMIT_BYTES = 40_000_000
"""Audio larger than this is written next to the page instead of embedded: base64 grows it
by a third and a browser holds the whole page in memory (40 MB is ~20 min of 16 kHz WAV)."""

# Browsers play these as they are; anything else (m4a, mkv, mov ...) is re-encoded to a
# 16 kHz mono WAV, which every browser plays and which is small enough for speech.
PLAYABLE = {".wav": "audio/wav", ".flac": "audio/flac", ".mp3": "audio/mpeg", ".ogg": "audio/ogg",
            ".oga": "audio/ogg", ".opus": "audio/ogg", ".webm": "audio/webm"}

# Signals whose evidence marks a stretch of the transcript, with the label shown on it.
MARKS: dict[str, str] = {
    "framing": "framing",
    "tradeoffs": "tradeoff",
    "clarifying_questions": "clarifying question",
}

VERDICT_LABEL = {"strength": "✔ strength", "ok": "• ok", "work_on": "✘ work on", "n/a": "· n/a"}
# Values shown in a card's figures; lists and bookkeeping fields are left out.
_HIDDEN_FIGURES = {"verdict", "advice", "headline", "evidence", "items", "long", "top", "word", "words"}


@dataclass(frozen=True)
class AudioSource:
    """Where the page's audio comes from: a data URI to embed, or a relative link."""

    src: str
    mime: str


def audio_source(path: Path, page: Path | None = None, embed_limit: int = EMBED_LIMIT_BYTES) -> AudioSource:
    """Make ``path`` playable from the page: embedded, or written next to ``page`` if large.

    Formats browsers cannot play are re-encoded to 16 kHz mono WAV, streamed block by block,
    so a two-hour call recording never sits in memory whole. Raises
    :class:`~voice_coach.errors.InputError` when the audio cannot be read or decoded.
    """
    import shutil
    from urllib.parse import quote

    from voice_coach.errors import InputError

    suffix = path.suffix.lower()
    playable = suffix in PLAYABLE
    mime = PLAYABLE.get(suffix, "audio/wav")
    try:
        if playable:
            size = path.stat().st_size
        else:
            from voice_coach.audio.decode import SAMPLE_RATE, probe

            duration = probe(path).duration
            size = 44 + int((duration or 0.0) * SAMPLE_RATE * 2)  # 16-bit mono WAV
    except OSError as err:
        raise InputError(f"{path}: cannot read the recording ({err.strerror or err})") from None
    if size > embed_limit and page is not None:
        # Too big to embed: put the audio beside the page, linked relatively, so the pair
        # still works offline when moved together.
        beside = page.with_name(page.stem + (suffix if playable else ".wav"))
        try:
            if playable:
                shutil.copyfile(path, beside)
            else:
                with beside.open("wb") as fh:
                    _write_wav(path, fh)
        except OSError as err:
            raise InputError(f"{beside}: cannot write the audio ({err.strerror or err})") from None
        return AudioSource(quote(beside.name), mime)
    if playable:
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InputError(f"{path}: cannot read the recording ({err.strerror or err})") from None
    else:
        buf = io.BytesIO()
        _write_wav(path, buf)
        data = buf.getvalue()
    return AudioSource(f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}", mime)


def _write_wav(path: Path, fh: Any) -> None:
    """Decode any input into ``fh`` as a 16 kHz mono 16-bit WAV, one block at a time."""
    import wave

    import numpy as np

    from voice_coach.audio.decode import SAMPLE_RATE, iter_pcm

    with wave.open(fh, "wb") as wf:
        wf.setnchannels(1)
        wf.setsampwidth(2)
        wf.setframerate(SAMPLE_RATE)
        for block in iter_pcm(path):
            wf.writeframes((np.clip(block, -1.0, 1.0) * 32767).astype("<i2").tobytes())


# ---------------------------------------------------------------------------- page model
@dataclass
class _Word:
    text: str
    start: float | None
    end: float | None
    prob: float
    filler: str | None = None  # "filled_pause" | "discourse"
    marks: tuple[str, ...] = ()


def _dict(v: Any) -> dict[str, Any]:
    """``v`` if it is a JSON object, else an empty one (reports are read defensively)."""
    return v if isinstance(v, dict) else {}


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        return None
    return float(v)


def _words(report: dict[str, Any]) -> list[_Word]:
    out = []
    for w in (report.get("transcript") or {}).get("words") or []:
        if not isinstance(w, dict) or not isinstance(w.get("text"), str):
            continue
        prob = _num(w.get("probability"))
        out.append(_Word(w["text"], _num(w.get("start")), _num(w.get("end")), 1.0 if prob is None else prob))
    return out


def _norms(text: str) -> list[str]:
    return [t for t in (normalise_token(x) for x in text.replace("[", " ").replace("]", " ").split()) if t]


def _find_text(words: list[_Word], text: str, start_at: int = 0) -> tuple[int, int] | None:
    """Index range of the first run of words equal (normalised) to ``text``."""
    want = _norms(text)
    if not want:
        return None
    norms = [normalise_token(w.text) for w in words]
    for i in range(start_at, len(words) - len(want) + 1):
        if norms[i : i + len(want)] == want:
            return i, i + len(want)
    return None


def _time_range(words: list[_Word], start: float, end: float) -> tuple[int, int] | None:
    """Index range of the timed words inside ``[start, end]`` (with a little slack)."""
    slack = 0.05
    idx = [i for i, w in enumerate(words)
           if w.start is not None and w.end is not None and w.start >= start - slack and w.end <= end + slack]
    if not idx:
        # Evidence shorter than a word: take the words it overlaps.
        idx = [i for i, w in enumerate(words)
               if w.start is not None and w.end is not None and w.start < end and w.end > start]
    return (idx[0], idx[-1] + 1) if idx else None


def _mark_fillers(words: list[_Word], fillers: dict[str, Any]) -> None:
    cursor = 0
    for item in fillers.get("items") or []:
        if not isinstance(item, dict):
            continue
        kind = item.get("kind") if item.get("kind") in ("filled_pause", "discourse") else "discourse"
        n = max(1, len(_norms(str(item.get("text") or ""))))
        span: tuple[int, int] | None = None
        wi = item.get("word")
        if isinstance(wi, int) and not isinstance(wi, bool) and 0 <= wi < len(words):
            span = (wi, min(len(words), wi + n))
        elif _num(item.get("start")) is not None:
            s = float(item["start"])
            near = [i for i, w in enumerate(words) if w.start is not None and abs(w.start - s) < 0.15]
            if near:
                span = (near[0], min(len(words), near[0] + n))
        if span is None:
            span = _find_text(words, str(item.get("text") or ""), cursor)
        if span is None:
            continue
        cursor = span[1]
        for i in range(*span):
            words[i].filler = kind


def _mark_evidence(words: list[_Word], signals: dict[str, Any]) -> None:
    for name in MARKS:
        sig = signals.get(name)
        if not isinstance(sig, dict):
            continue
        for ev in sig.get("evidence") or []:
            if not isinstance(ev, dict):
                continue
            s, e = _num(ev.get("start")), _num(ev.get("end"))
            span = _time_range(words, s, e) if s is not None and e is not None else None
            if span is None and isinstance(ev.get("text"), str):
                span = _find_text(words, ev["text"])
            if span is None:
                continue
            for i in range(*span):
                if name not in words[i].marks:
                    words[i].marks = (*words[i].marks, name)


def _note_fields(note: Any) -> tuple[float | None, str, str | None]:
    if isinstance(note, dict):
        return _num(note.get("at")), str(note.get("text") or ""), note.get("author")
    return _num(getattr(note, "at", None)), str(getattr(note, "text", "")), getattr(note, "author", None)


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
) -> str:
    """The review page for ``report`` as one HTML string.

    Args:
        report: a ``voice-coach.report/1`` object (extra or missing fields are tolerated).
        audio: the recording (see :func:`audio_source`); without it the page has no player.
        notes: coach notes (:class:`voice_coach.store.Note` or dicts with ``at``/``text``).
        session_id: shown in the header so a coach can refer to the session.
        title: the page title (default: the question, or "voice-coach review").
    """
    signals = _dict(report.get("signals"))
    words = _words(report)
    fillers = _dict(signals.get("fillers"))
    _mark_fillers(words, fillers)
    _mark_evidence(words, signals)
    pauses_sig = _dict(signals.get("pauses"))
    long_pauses = [(s, e) for p in pauses_sig.get("long") or [] if isinstance(p, dict)
                   for s, e in [(_num(p.get("start")), _num(p.get("end")))] if s is not None and e is not None]
    note_list = [n for n in (_note_fields(n) for n in notes) if n[1].strip()]
    duration = _num(report.get("duration_s"))
    if duration is None:
        ends = [w.end for w in words if w.end is not None]
        duration = max(ends) if ends else None
    question = _dict(report.get("question"))
    qtext = question.get("text") if isinstance(question.get("text"), str) else None
    page_title = title or (f"Review: {qtext}" if qtext else "voice-coach review")

    parts: list[str] = []
    parts.append(_head(page_title))
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
                             _num(pauses_sig.get("time_to_first_word_s"))))
    parts.append(_cards(signals))
    parts.append(_footer(report))
    parts.append("</main>")
    parts.append(f"<script>{_SCRIPT}</script></body></html>\n")
    return "".join(parts)


def _head(title: str) -> str:
    # The CSP is the guarantee behind "no network request": even a stray URL cannot load.
    csp = ("default-src 'none'; media-src data: blob: file: 'self'; img-src data:; "
           "style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>"
    )


def _header(report: dict[str, Any], qtext: str | None, duration: float | None, session_id: str | None) -> str:
    meta = _dict(report.get("meta"))
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
    out.append(f'<h1>{_e(qtext) if qtext else "Spoken answer"}</h1>')
    out.append(f'<p class="meta">{" · ".join(_e(b) for b in bits)}</p>')
    summary = report.get("summary")
    if isinstance(summary, str) and summary.strip():
        out.append(f'<p class="summary"><strong>Practise next:</strong> {_e(summary)}</p>')
    out.append("</header>")
    return "".join(out)


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
    words: list[_Word],
    long_pauses: list[tuple[float, float]],
    notes: list[tuple[float | None, str, Any]],
    first_word_s: float | None,
) -> str:
    out = ['<section class="transcript-wrap"><h2>Transcript</h2><div class="transcript" id="transcript">']
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
    words: list[_Word],
    long_pauses: list[tuple[float, float]],
    notes: list[tuple[float | None, str, Any]],
    duration: float,
) -> str:
    width, top, bar_h = 1000.0, 18.0, 26.0
    dur = max(duration, max((e for _, e in long_pauses), default=0.0), 0.1)

    def x(t: float) -> str:
        return f"{max(0.0, min(width, t / dur * width)):.1f}"

    regions = [(s, e) for r in (report.get("transcript") or {}).get("speech_regions") or [] if isinstance(r, dict)
               for s, e in [(_num(r.get("start")), _num(r.get("end")))] if s is not None and e is not None]
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
                s = _num(ev.get("start"))
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


def _footer(report: dict[str, Any]) -> str:
    meta = _dict(report.get("meta"))
    return (f'<footer class="foot">Made by voice-coach {_e(meta.get("voice_coach", ""))} on this machine. '
            "This page is self-contained and makes no network requests. Verdicts are about how the answer "
            "is structured and delivered, not whether it is correct.</footer>")


_CSS = """
:root{--ink:#1d2330;--muted:#5b6475;--line:#d9dee7;--bg:#fbfbfd;--card:#fff;--speech:#8cc7a1;
--silence:#eceff4;--pause:#e7a3a3;--filler:#f0a030;--note:#4a7bd0;--framing:#dcebff;--tradeoff:#efe1ff;
--question:#ddf5e6;--strength:#1e8a4c;--ok:#9a7a12;--work:#c0392b;--na:#8a93a3}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.55 system-ui,-apple-system,"Segoe UI",
Roboto,"Helvetica Neue",Arial,sans-serif}
.page{max-width:1040px;margin:0 auto;padding:20px 24px 40px}
h1{font-size:1.45rem;line-height:1.3;margin:.1em 0 .2em}
h2{font-size:1.05rem;margin:1.4em 0 .5em;color:var(--muted);text-transform:uppercase;letter-spacing:.06em}
.brand{margin:0;color:var(--muted);font-size:.85rem;letter-spacing:.08em;text-transform:uppercase}
.meta{margin:0;color:var(--muted);font-size:.9rem}
.summary{background:#fff7e0;border-left:4px solid #e0b020;padding:.6em .9em;margin:.8em 0 0;border-radius:4px}
.player{position:sticky;top:0;z-index:5;background:var(--bg);padding:10px 0;display:flex;gap:14px;
align-items:center;flex-wrap:wrap;border-bottom:1px solid var(--line)}
.player audio{width:min(520px,100%)}
.hint{color:var(--muted);font-size:.85rem}
.timeline{width:100%;height:76px;display:block;cursor:pointer;background:#fff;border:1px solid var(--line);
border-radius:6px}
.tl-silence{fill:var(--silence)}.tl-speech{fill:var(--speech)}.tl-pause{fill:var(--pause)}
.tl-filler{fill:var(--filler)}.tl-note{fill:var(--note)}.tl-playhead{stroke:#222;stroke-width:2}
.tl-tick{font-size:11px;fill:var(--muted)}
.tl-key{font-size:.82rem;color:var(--muted);margin:.3em 0}
.tl-key i{display:inline-block;width:.9em;height:.9em;border-radius:2px;vertical-align:-.1em;margin-left:.6em}
.k-speech{background:var(--speech)}.k-silence{background:var(--silence);border:1px solid var(--line)}
.k-pause{background:var(--pause)}.k-filler{background:var(--filler)}.k-note{background:var(--note)}
.legend{font-size:.85rem;color:var(--muted)}
.transcript{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 18px;
font-size:1.06rem;line-height:2.05}
.w[data-start]{cursor:pointer;border-radius:3px}
.w[data-start]:hover{background:#eef2f8;outline:1px solid #c9d3e3}
.w.current{background:#ffe58a}
.filler,.fl{background:#ffe1b0;color:#7a4300;border-radius:3px;padding:0 2px;font-weight:600}
.filler.discourse,.fl.discourse{background:#fff0c8;color:#7a5a00;font-style:italic}
.m-framing{background:var(--framing)}.m-tradeoffs{background:var(--tradeoff)}
.m-clarifying_questions{background:var(--question)}
.unsure{text-decoration:underline dotted #999}
.tag{display:inline-block;font-size:.68rem;line-height:1.2;text-transform:uppercase;letter-spacing:.05em;
padding:1px 5px;margin-right:4px;border-radius:3px;vertical-align:.25em;color:#fff}
.t-framing{background:#3d6fc4}.t-tradeoffs{background:#7d4cc0}.t-clarifying_questions{background:#2e8b57}
button{font:inherit;color:inherit}
.pause{display:inline-block;font-size:.8rem;line-height:1.4;background:var(--pause);color:#5a1010;border:0;
border-radius:10px;padding:0 8px;margin:0 4px;cursor:pointer;vertical-align:.1em}
.note{display:block;margin:6px 0;padding:4px 10px;border-left:4px solid var(--note);background:#eef3fc;
font-size:.95rem;line-height:1.5;border-radius:0 4px 4px 0;cursor:pointer}
.notes-general .note{cursor:default}
.note-chip{font-weight:600;color:var(--note);font-size:.85rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:14px;align-items:start}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;
border-top:4px solid var(--na);break-inside:avoid}
.card header{display:flex;justify-content:space-between;align-items:baseline;gap:8px}
.card h3{margin:0;font-size:1.02rem}
.v-strength{border-top-color:var(--strength)}.v-ok{border-top-color:var(--ok)}.v-work_on{border-top-color:var(--work)}
.verdict{font-size:.8rem;font-weight:600;white-space:nowrap}
.v-strength .verdict{color:var(--strength)}.v-ok .verdict{color:var(--ok)}.v-work_on .verdict{color:var(--work)}
.v-n\\/a .verdict{color:var(--na)}
.headline{margin:.35em 0;font-weight:500}
.advice{margin:.5em 0 .2em;color:#24324a}
.evidence{list-style:none;margin:.3em 0;padding:0}
.evidence li{margin:2px 0}
.ev{display:block;width:100%;text-align:left;background:#f5f7fb;border:1px solid #e3e8f0;border-radius:5px;
padding:3px 8px;font-size:.9rem;cursor:pointer}
.ev:hover{background:#e9eef7}.ev.untimed{cursor:default}
.at{font-variant-numeric:tabular-nums;color:var(--note);font-weight:600;margin-right:4px}
.figures{display:grid;grid-template-columns:auto 1fr;gap:0 10px;font-size:.8rem;color:var(--muted);margin:.5em 0 0}
.figures dt{margin:0}.figures dd{margin:0;font-variant-numeric:tabular-nums}
.foot{margin-top:28px;color:var(--muted);font-size:.8rem;border-top:1px solid var(--line);padding-top:10px}
.empty{color:var(--muted)}
@media (max-width:640px){.page{padding:12px}.transcript{font-size:1rem}}
@media print{.player,.hint,.tl-playhead{display:none}body{background:#fff;font-size:11pt}
.page{max-width:none;padding:0}.transcript,.card{border-color:#bbb}.cards{grid-template-columns:1fr 1fr}
.timeline-wrap,.card,.note{break-inside:avoid}.w.current{background:none}}
"""

# Delegated: one listener handles every element with data-start, so the DOM contract holds
# for fillers, words, pauses, notes and evidence alike. No user text ever reaches here.
_SCRIPT = """
(function(){
  "use strict";
  var audio = document.getElementById("audio");
  var words = Array.prototype.slice.call(document.querySelectorAll("#transcript .w[data-start]"));
  var starts = words.map(function(w){ return parseFloat(w.getAttribute("data-start")); });
  var tl = document.getElementById("timeline");
  var head = document.getElementById("playhead");
  var dur = tl ? parseFloat(tl.getAttribute("data-duration")) : 0;
  var current = null;
  function seek(t){
    if (!audio || !isFinite(t)) return;
    audio.currentTime = Math.max(0, t);
    var p = audio.play();
    if (p && p.catch) p.catch(function(){});
    show(t);
  }
  function show(t){
    if (head && dur > 0) {
      var x = Math.min(1000, t / dur * 1000);
      head.setAttribute("x1", x); head.setAttribute("x2", x);
    }
    var lo = 0, hi = starts.length - 1, i = -1;  // the last word starting at or before t
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= t) { i = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    var w = i >= 0 ? words[i] : null;
    if (w !== current) {
      if (current) current.classList.remove("current");
      if (w) w.classList.add("current");
      current = w;
    }
  }
  document.addEventListener("click", function(ev){
    var el = ev.target.closest ? ev.target.closest("[data-start]") : null;
    if (el) { ev.preventDefault(); seek(parseFloat(el.getAttribute("data-start"))); return; }
    if (tl && dur > 0 && tl.contains(ev.target)) {
      var r = tl.getBoundingClientRect();
      seek((ev.clientX - r.left) / r.width * dur);
    }
  });
  if (audio) audio.addEventListener("timeupdate", function(){ show(audio.currentTime); });
})();
"""
