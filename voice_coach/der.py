"""Diarization error rate (DER): how far hypothesis speaker turns are from a reference.

DER = (missed speech + false alarm + speaker confusion) / scored reference speech, the NIST
md-eval definition that pyannote.metrics also follows:

* time is cut into elementary segments at every turn boundary; in each segment with
  ``n_ref`` reference and ``n_hyp`` hypothesis speakers active, missed speech is
  ``max(0, n_ref - n_hyp)``, false alarm ``max(0, n_hyp - n_ref)`` and confusion
  ``min(n_ref, n_hyp) - n_correct`` (all times the segment length), so overlapped speech
  counts once per speaker;
* hypothesis labels are arbitrary, so they are first mapped one-to-one onto reference
  labels, choosing the mapping that maximises the time both are active together;
* a ``collar`` of seconds either side of every reference turn boundary is not scored,
  since hand-marked boundaries are themselves uncertain by about that much.

Pure Python over :class:`~voice_coach.turns.SpeakerTurn`; RTTM reading lives here too so the
tests and the evaluation read references one way.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from voice_coach.turns import SpeakerTurn

# Beyond this many hypothesis speakers trying every mapping gets slow; a greedy pick of
# the largest overlaps is used instead (exact for the two- or three-speaker calls we score).
_EXHAUSTIVE_MAX = 7


@dataclass(frozen=True)
class DerResult:
    """The three error kinds and the scored reference speech, all in seconds."""

    missed: float
    false_alarm: float
    confusion: float
    total: float
    mapping: dict[str, str]

    @property
    def der(self) -> float:
        """The error rate (0 is perfect; it can exceed 1 with many false alarms)."""
        if self.total <= 0:
            return 0.0 if self.missed + self.false_alarm + self.confusion == 0 else float("inf")
        return (self.missed + self.false_alarm + self.confusion) / self.total


def read_rttm(path: Path) -> list[SpeakerTurn]:
    """Turns from an RTTM file (``SPEAKER uri chan start dur <NA> <NA> speaker ...``), sorted."""
    turns: list[SpeakerTurn] = []
    for line in path.read_text().splitlines():
        fields = line.split()
        if len(fields) >= 8 and fields[0] == "SPEAKER":
            start, dur = float(fields[3]), float(fields[4])
            if dur > 0:
                turns.append(SpeakerTurn(fields[7], start, start + dur))
    return sorted(turns, key=lambda t: (t.start, t.end))


def _merge(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _segments(reference: Sequence[SpeakerTurn], hypothesis: Sequence[SpeakerTurn],
              collar: float) -> list[tuple[float, frozenset[str], frozenset[str]]]:
    """Scored elementary segments: (length, reference speakers, hypothesis speakers)."""
    no_score = _merge((t - collar, t + collar) for turn in reference for t in (turn.start, turn.end)) \
        if collar > 0 else []
    cuts = {t for turn in [*reference, *hypothesis] for t in (turn.start, turn.end)}
    cuts |= {t for span in no_score for t in span}
    edges = sorted(cuts)
    out = []
    for a, b in itertools.pairwise(edges):
        mid = (a + b) / 2
        if b <= a or any(lo <= mid < hi for lo, hi in no_score):
            continue
        ref = frozenset(t.speaker for t in reference if t.start <= mid < t.end)
        hyp = frozenset(t.speaker for t in hypothesis if t.start <= mid < t.end)
        if ref or hyp:
            out.append((b - a, ref, hyp))
    return out


def _best_mapping(overlap: dict[tuple[str, str], float], refs: list[str], hyps: list[str]) -> dict[str, str]:
    """hypothesis label -> reference label, one-to-one, maximising co-active time."""
    if not refs or not hyps:
        return {}
    if len(hyps) <= _EXHAUSTIVE_MAX:
        best: dict[str, str] = {}
        best_score = -1.0
        # Pad with None so hypothesis speakers can also stay unmapped when they outnumber refs.
        slots: list[str | None] = [*refs, *([None] * max(0, len(hyps) - len(refs)))]
        for perm in itertools.permutations(slots, len(hyps)):
            score = sum(overlap.get((h, r), 0.0) for h, r in zip(hyps, perm, strict=True) if r is not None)
            if score > best_score:
                best_score = score
                best = {h: r for h, r in zip(hyps, perm, strict=True) if r is not None}
        return best
    mapping: dict[str, str] = {}
    for (h, r), _ in sorted(overlap.items(), key=lambda kv: -kv[1]):
        if h not in mapping and r not in mapping.values():
            mapping[h] = r
    return mapping


def diarization_error(reference: Sequence[SpeakerTurn], hypothesis: Sequence[SpeakerTurn],
                      collar: float = 0.25) -> DerResult:
    """Score ``hypothesis`` against ``reference`` (both lists of turns, any order)."""
    segs = _segments(reference, hypothesis, collar)
    overlap: dict[tuple[str, str], float] = {}
    for dur, ref, hyp in segs:
        for h in hyp:
            for r in ref:
                overlap[(h, r)] = overlap.get((h, r), 0.0) + dur
    mapping = _best_mapping(overlap, sorted({t.speaker for t in reference}),
                            sorted({t.speaker for t in hypothesis}))
    missed = false_alarm = confusion = total = 0.0
    for dur, ref, hyp in segs:
        n_ref, n_hyp = len(ref), len(hyp)
        correct = sum(1 for h in hyp if mapping.get(h) in ref)
        total += n_ref * dur
        missed += max(0, n_ref - n_hyp) * dur
        false_alarm += max(0, n_hyp - n_ref) * dur
        confusion += (min(n_ref, n_hyp) - correct) * dur
    return DerResult(missed, false_alarm, confusion, total, mapping)
