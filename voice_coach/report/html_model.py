"""The review page's model of a report: its words, with fillers and marked stretches found.

Reports are read defensively (``.get``): signals gain fields over time, and a page must
still render from an older or newer report. :mod:`voice_coach.report.html` renders the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from voice_coach.transcript import normalise_token

# Signals whose evidence marks a stretch of the transcript, with the label shown on it.
MARKS: dict[str, str] = {
    "framing": "framing",
    "tradeoffs": "tradeoff",
    "clarifying_questions": "clarifying question",
}


@dataclass
class PageWord:
    """One transcript word as the page shows it: times, confidence, filler kind, marks."""

    text: str
    start: float | None
    end: float | None
    prob: float
    filler: str | None = None  # "filled_pause" | "discourse"
    marks: tuple[str, ...] = ()


def as_dict(v: Any) -> dict[str, Any]:
    """``v`` if it is a JSON object, else an empty one (reports are read defensively)."""
    return v if isinstance(v, dict) else {}


def num(v: Any) -> float | None:
    """``v`` as a finite float, else ``None`` (booleans and NaN are not numbers here)."""
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        return None
    return float(v)


def page_words(report: dict[str, Any]) -> list[PageWord]:
    """The report's transcript words (malformed entries skipped)."""
    out = []
    for w in (report.get("transcript") or {}).get("words") or []:
        if not isinstance(w, dict) or not isinstance(w.get("text"), str):
            continue
        prob = num(w.get("probability"))
        out.append(PageWord(w["text"], num(w.get("start")), num(w.get("end")), 1.0 if prob is None else prob))
    return out


def _norms(text: str) -> list[str]:
    return [t for t in (normalise_token(x) for x in text.replace("[", " ").replace("]", " ").split()) if t]


def _find_text(words: list[PageWord], text: str, start_at: int = 0) -> tuple[int, int] | None:
    """Index range of the first run of words equal (normalised) to ``text``."""
    want = _norms(text)
    if not want:
        return None
    norms = [normalise_token(w.text) for w in words]
    for i in range(start_at, len(words) - len(want) + 1):
        if norms[i : i + len(want)] == want:
            return i, i + len(want)
    return None


def _time_range(words: list[PageWord], start: float, end: float) -> tuple[int, int] | None:
    """Index range of the timed words inside ``[start, end]`` (with a little slack)."""
    slack = 0.05
    idx = [i for i, w in enumerate(words)
           if w.start is not None and w.end is not None and w.start >= start - slack and w.end <= end + slack]
    if not idx:
        # Evidence shorter than a word: take the words it overlaps.
        idx = [i for i, w in enumerate(words)
               if w.start is not None and w.end is not None and w.start < end and w.end > start]
    return (idx[0], idx[-1] + 1) if idx else None


def mark_fillers(words: list[PageWord], fillers: dict[str, Any]) -> None:
    """Set ``filler`` on the words the fillers signal found (by word index, time, or text)."""
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
        elif num(item.get("start")) is not None:
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


def _word_span(words: list[PageWord], v: Any) -> tuple[int, int] | None:
    """Evidence's ``"words": [first, last]`` as a range inside ``words``, if it is one."""
    if not isinstance(v, list) or len(v) != 2 or not all(isinstance(i, int) and not isinstance(i, bool) for i in v):
        return None
    first, last = v
    return (first, last) if 0 <= first < last <= len(words) else None


def mark_evidence(words: list[PageWord], signals: dict[str, Any]) -> None:
    """Add a mark to the words each :data:`MARKS` signal's evidence covers: by its word
    indices; in reports from before evidence carried them, by time, or by text."""
    for name in MARKS:
        sig = signals.get(name)
        if not isinstance(sig, dict):
            continue
        for ev in sig.get("evidence") or []:
            if not isinstance(ev, dict):
                continue
            s, e = num(ev.get("start")), num(ev.get("end"))
            span = _word_span(words, ev.get("words"))
            if span is None and s is not None and e is not None:
                span = _time_range(words, s, e)
            if span is None and isinstance(ev.get("text"), str):
                span = _find_text(words, ev["text"])
            if span is None:
                continue
            for i in range(*span):
                if name not in words[i].marks:
                    words[i].marks = (*words[i].marks, name)


def note_fields(note: Any) -> tuple[float | None, str, str | None]:
    """``(at, text, author)`` of a coach note: a :class:`voice_coach.store.Note` or a dict."""
    if isinstance(note, dict):
        return num(note.get("at")), str(note.get("text") or ""), note.get("author")
    return num(getattr(note, "at", None)), str(getattr(note, "text", "")), getattr(note, "author", None)
