"""Pace: words per minute over the whole answer and in 30-second windows.

Why it matters: nerves speed people up, and an interviewer cannot follow a design at 200
words per minute; a very slow, halting pace loses them the other way. Conversational
English runs at about 120-160 words per minute, so the default band flags windows faster
than ``fast_wpm`` (180) or slower than ``slow_wpm`` (100). Windows show *where* the pace
ran away (often when the speaker reaches familiar material), which an overall average hides.

The rate counts every recognised word (fillers too: they take time) over the answer's span,
from the first to the last speech, pauses included: that is the pace a listener hears.
Text input has no timings, so the signal is ``n/a`` there and ``wpm`` is null.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from voice_coach.signals.base import Context, Evidence, SignalResult, Verdict
from voice_coach.transcript import Transcript, Word


@dataclass(frozen=True)
class Config:
    """Thresholds for the pace signal.

    Attributes:
        slow_wpm: below this many words per minute a window (or the answer) is too slow.
        fast_wpm: above this it is too fast. 100-180 wraps the 120-160 of conversation with
            room for individual style; outside it listeners notice.
        window_s: length of the pace windows.
        min_window_s: a final window shorter than this is merged into the previous one
            (a few seconds hold too few words for a rate).
        min_span_s: answers shorter than this get no verdict (too few words to judge).
    """

    slow_wpm: float = 100.0
    fast_wpm: float = 180.0
    window_s: float = 30.0
    min_window_s: float = 10.0
    min_span_s: float = 5.0


def _span(transcript: Transcript, words: list[Word]) -> tuple[float, float] | None:
    """First and last moment of speech: VAD regions when present, else word times."""
    if transcript.speech_regions:
        return transcript.speech_regions[0].start, transcript.speech_regions[-1].end
    if words:
        return words[0].start or 0.0, words[-1].end or 0.0
    return None


def windows(words: list[Word], start: float, end: float, config: Config) -> list[dict[str, Any]]:
    """Words per minute in consecutive windows of ``window_s`` from ``start`` to ``end``."""
    edges = []
    t = start
    while t < end:
        edges.append([t, min(end, t + config.window_s)])
        t += config.window_s
    if len(edges) > 1 and edges[-1][1] - edges[-1][0] < config.min_window_s:
        # Merge a short last window into the one before (pop first: the list shrinks).
        last = edges.pop()
        edges[-1][1] = last[1]
    out = []
    for a, b in edges:
        # A word belongs to the window holding its midpoint, so none is counted twice.
        n = sum(1 for w in words if a <= ((w.start or 0.0) + (w.end or 0.0)) / 2 < b
                or (b == end and ((w.start or 0.0) + (w.end or 0.0)) / 2 >= end))
        wpm = round(60.0 * n / (b - a), 1) if b > a else None
        label = "ok"
        if wpm is not None and wpm > config.fast_wpm:
            label = "fast"
        elif wpm is not None and wpm < config.slow_wpm:
            label = "slow"
        out.append({"start": round(a, 2), "end": round(b, 2), "words": n, "wpm": wpm, "label": label})
    return out


def compute(transcript: Transcript, config: Config, context: Context) -> SignalResult:
    """Words per minute overall and per window, against the documented band."""
    band = {"slow_wpm": config.slow_wpm, "fast_wpm": config.fast_wpm}
    words = [w for w in transcript.words if w.timed and w.norm]
    span = _span(transcript, words) if transcript.timed else None
    if span is None or not words:
        why = ("Pace needs audio; a text transcript has no timings." if not transcript.timed
               else "No words recognised, so no pace to measure.")
        return SignalResult("pace", {"wpm": None, "windows": [], "band": band}, "n/a", why,
                            headline="n/a")
    start, end = span
    minutes = (end - start) / 60.0
    wpm = round(len(words) / minutes, 1) if minutes > 0 else None
    wins = windows(words, start, end, config)
    values: dict[str, Any] = {"wpm": wpm, "windows": wins, "band": band,
                              "words": len(words), "span_s": round(end - start, 2)}
    if wpm is None or end - start < config.min_span_s:
        return SignalResult("pace", values, "n/a", "The answer is too short to judge its pace.",
                            headline=f"{wpm or 0:.0f} wpm (too short to judge)")
    off = [w for w in wins if w["label"] != "ok"]
    verdict: Verdict
    if wpm > config.fast_wpm or wpm < config.slow_wpm:
        verdict = "work_on"
    elif off:
        verdict = "ok"
    else:
        verdict = "strength"
    evidence = tuple(
        Evidence(f"{w['wpm']:.0f} wpm ({w['label']})", w["start"], w["end"]) for w in off
    ) or (Evidence(f"{wpm:.0f} wpm overall", start, end),)
    if wpm > config.fast_wpm:
        advice = (f"At {wpm:.0f} words per minute you are hard to follow: slow down and "
                  "pause after each main point.")
    elif wpm < config.slow_wpm:
        advice = (f"At {wpm:.0f} words per minute the answer drags: say the outline first so "
                  "you know where each sentence is going.")
    elif off:
        w0 = off[0]
        advice = (f"Your pace drifts {'up' if w0['label'] == 'fast' else 'down'} to "
                  f"{w0['wpm']:.0f} wpm around {w0['start']:.0f}-{w0['end']:.0f} s; keep it even.")
    else:
        advice = f"A steady {wpm:.0f} words per minute is easy to follow; keep it."
    return SignalResult("pace", values, verdict, advice, evidence,
                        headline=f"{wpm:.0f} wpm ({config.slow_wpm:.0f}-{config.fast_wpm:.0f} is comfortable)")
