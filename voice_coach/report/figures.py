"""One number per signal, for tables and trends: batch summaries, ``compare`` and ``progress``.

A signal's report object holds many fields and they grow over time, so comparing sessions
needs one agreed figure per signal. For the contract signals it is the contract field
a coach thinks in (fillers per 100 words, long pauses, words per minute ...). For any other
signal it falls back to ``count``, then ``present``, then its first numeric field, so a new
signal shows up in the tables without anyone editing this module.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from voice_coach.report.model import signal_title

VERDICT_SCORE = {"work_on": 0.0, "ok": 1.0, "strength": 2.0}
"""Verdicts as numbers, so a trend of verdicts can be drawn and averaged."""


@dataclass(frozen=True)
class Figure:
    """How one signal is summarised as a number.

    Attributes:
        keys: fields tried in order; the first numeric (or boolean) one is the value.
        unit: shown next to the value.
        lower_is_better: the direction of improvement (``None``: neither, e.g. pace).
    """

    keys: tuple[str, ...]
    unit: str = ""
    lower_is_better: bool | None = None


FIGURES: dict[str, Figure] = {
    # Per 100 words rather than a raw count: answers differ in length, and a text
    # transcript has no minutes.
    "fillers": Figure(("per_100_words", "count"), "/100 words", True),
    "pauses": Figure(("long",), "long", True),
    "pace": Figure(("wpm",), "wpm", None),
    "framing": Figure(("present",), "", False),
    "ramble": Figure(("present",), "", True),
    "tradeoffs": Figure(("count",), "", False),
    # One or two good questions beat five: more is not plainly better.
    "clarifying_questions": Figure(("count",), "", None),
}
_FALLBACK = Figure(("count", "present", "score"))


def figure(name: str) -> Figure:
    """The :class:`Figure` for signal ``name``."""
    return FIGURES.get(name, _FALLBACK)


def signal_value(name: str, sig: Any) -> float | None:
    """The one number that stands for signal ``name`` in a report, or ``None``.

    Booleans count as 1/0 and lists (``pauses.long``) by their length. A signal whose
    verdict is ``n/a`` has no value: it was not measurable (pauses in a text transcript).
    """
    if not isinstance(sig, dict) or sig.get("verdict") == "n/a":
        return None
    for key in figure(name).keys:
        v = _as_number(sig.get(key))
        if v is not None:
            return v
    if name not in FIGURES:
        for key, raw in sig.items():
            if key not in ("verdict", "advice", "headline", "evidence"):
                v = _as_number(raw)
                if v is not None and not isinstance(raw, list):
                    return v
    return None


def _as_number(v: Any) -> float | None:
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, int | float) and math.isfinite(v):
        return float(v)
    if isinstance(v, list):
        return float(len(v))
    return None


def format_value(name: str, v: float | None) -> str:
    """A value as a table cell: ``3.9/100 words``, ``yes``, ``-``."""
    if v is None:
        return "-"
    keys = figure(name).keys
    if keys == ("present",):
        return "yes" if v else "no"
    text = f"{v:.1f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))
    unit = figure(name).unit
    return f"{text} {unit}".strip() if unit and not unit.startswith("/") else f"{text}{unit}"


def report_values(report: dict[str, Any]) -> dict[str, tuple[float | None, str]]:
    """``{signal: (value, verdict)}`` for every signal in a report, ``overall`` excluded."""
    signals = report.get("signals") if isinstance(report.get("signals"), dict) else {}
    out: dict[str, tuple[float | None, str]] = {}
    for name, sig in (signals or {}).items():
        if name == "overall" or not isinstance(sig, dict):
            continue
        verdict = str(sig["verdict"]) if isinstance(sig.get("verdict"), str) else "n/a"
        out[name] = (signal_value(name, sig), verdict)
    return out


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float | None]) -> str:
    """Values as a row of block characters (gaps as spaces), scaled to their own range."""
    nums = [v for v in values if v is not None]
    if not nums:
        return " " * len(values)
    lo, hi = min(nums), max(nums)
    span = hi - lo
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        elif span == 0:
            out.append(SPARKS[len(SPARKS) // 2])
        else:
            out.append(SPARKS[round((v - lo) / span * (len(SPARKS) - 1))])
    return "".join(out)


@dataclass(frozen=True)
class Series:
    """One signal's values across sessions, oldest first, for a chart."""

    name: str
    labels: tuple[str, ...]  # one per session (a date)
    values: tuple[float | None, ...]
    verdicts: tuple[str, ...]


_VERDICT_COLOUR = {"strength": "#1e8a4c", "ok": "#c49a12", "work_on": "#c0392b"}


def svg_chart(series: Sequence[Series], title: str = "voice-coach progress") -> str:
    """Small multiples: one panel per signal, values as a line, points coloured by verdict.

    Hand-written SVG (no plotting library): it opens in any browser and embeds in docs.
    """
    cols = 2 if len(series) > 1 else 1
    pw, ph, pad = 460, 170, 16
    rows = max(1, math.ceil(len(series) / cols))
    width, height = cols * (pw + pad) + pad, rows * (ph + pad) + 44
    e = html.escape
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="#fbfbfd"/>',
           f'<text x="{pad}" y="26" font-size="16" font-weight="600" fill="#1d2330">{e(title)}</text>']
    for i, s in enumerate(series):
        ox = pad + (i % cols) * (pw + pad)
        oy = 40 + (i // cols) * (ph + pad)
        out.append(f'<g transform="translate({ox},{oy})">')
        out.append(f'<rect width="{pw}" height="{ph}" rx="6" fill="#fff" stroke="#d9dee7"/>')
        unit = figure(s.name).unit
        out.append(f'<text x="10" y="18" font-weight="600" fill="#1d2330">{e(signal_title(s.name))}'
                   f'{" (" + e(unit) + ")" if unit else ""}</text>')
        nums = [v for v in s.values if v is not None]
        left, right, top, bottom = 44, pw - 12, 30, ph - 26
        if not nums:
            out.append(f'<text x="{pw / 2}" y="{ph / 2}" text-anchor="middle" fill="#8a93a3">not measured</text></g>')
            continue
        # Figures are counts, rates and flags: anchor the axis at zero so a change of one
        # filler does not look like a cliff.
        lo, hi = min(0.0, min(nums)), max(nums)
        if hi == lo:
            hi = lo + 1
        n = len(s.values)

        def px(j: int, left: float = left, right: float = right, n: int = n) -> float:
            return left + (right - left) * (j / (n - 1) if n > 1 else 0.5)

        def py(v: float, lo: float = lo, hi: float = hi, top: float = top, bottom: float = bottom) -> float:
            return bottom - (v - lo) / (hi - lo) * (bottom - top)

        for v in (lo, hi):
            out.append(f'<line x1="{left}" x2="{right}" y1="{py(v):.1f}" y2="{py(v):.1f}" stroke="#eceff4"/>')
            out.append(f'<text x="{left - 6}" y="{py(v) + 4:.1f}" text-anchor="end" fill="#5b6475">'
                       f"{_short(v)}</text>")
        pts = [(px(j), py(v)) for j, v in enumerate(s.values) if v is not None]
        if len(pts) > 1:
            out.append('<polyline fill="none" stroke="#4a7bd0" stroke-width="2" points="' +
                       " ".join(f"{x:.1f},{y:.1f}" for x, y in pts) + '"/>')
        for j, value in enumerate(s.values):
            if value is None:
                continue
            colour = _VERDICT_COLOUR.get(s.verdicts[j], "#8a93a3")
            out.append(f'<circle cx="{px(j):.1f}" cy="{py(value):.1f}" r="4" fill="{colour}">'
                       f"<title>{e(s.labels[j])}: {_short(value)} ({e(s.verdicts[j])})</title></circle>")
        for j in sorted({0, n - 1}):
            anchor = "start" if j == 0 else "end"  # keep the dates inside the panel
            x = left - 20 if j == 0 else right + 8
            out.append(f'<text x="{x:.1f}" y="{ph - 8}" text-anchor="{anchor}" fill="#5b6475">'
                       f"{e(s.labels[j])}</text>")
        out.append("</g>")
    out.append("</svg>\n")
    return "".join(out)


def _short(v: float) -> str:
    return str(int(v)) if v == int(v) else f"{v:.1f}"
