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


def mark_fillers(words: list[PageWord], fillers: dict[str, Any]) -> None:
    """Set ``filler`` on the words the fillers signal found, by each item's word index.

    The page never searches the transcript for a filler's text or time: an item without an
    index (a report from before items carried one) is listed but not marked.
    """
    for item in fillers.get("items") or []:
        if not isinstance(item, dict):
            continue
        kind = item.get("kind") if item.get("kind") in ("filled_pause", "discourse") else "discourse"
        n = max(1, len(_norms(str(item.get("text") or ""))))
        wi = item.get("word")
        if not isinstance(wi, int) or isinstance(wi, bool) or not 0 <= wi < len(words):
            continue
        for i in range(wi, min(len(words), wi + n)):
            words[i].filler = kind


def _word_span(words: list[PageWord], v: Any) -> tuple[int, int] | None:
    """Evidence's ``"words": [first, last]`` as a range inside ``words``, if it is one."""
    if not isinstance(v, list) or len(v) != 2 or not all(isinstance(i, int) and not isinstance(i, bool) for i in v):
        return None
    first, last = v
    return (first, last) if 0 <= first < last <= len(words) else None


def mark_evidence(words: list[PageWord], signals: dict[str, Any]) -> None:
    """Add a mark to the words each :data:`MARKS` signal's evidence covers, by its ``words``
    indices (evidence from before it carried them is listed, not marked: re-finding a quote
    by its text or time could mark the wrong words)."""
    for name in MARKS:
        sig = signals.get(name)
        if not isinstance(sig, dict):
            continue
        for ev in sig.get("evidence") or []:
            if not isinstance(ev, dict):
                continue
            span = _word_span(words, ev.get("words"))
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
