"""Hedging, kept apart from stated assumptions.

"I guess maybe we could sort of try ..." tells the interviewer the speaker does not stand
behind the answer. "Assuming the labels arrive daily, I'd retrain weekly" is the opposite:
it names the uncertainty, commits to a position, and invites correction. Both admit that
something is unknown, so a naive hedge counter punishes the strong habit. This signal
counts them separately: hedges (per 100 words) are the thing to cut, stated assumptions are
a strength.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.lexicon import HEDGES, NOT_HEDGE, lexicon
from voice_coach.signals.base import Context, SignalResult, Verdict, no_words
from voice_coach.signals.phrases import plural, text_of
from voice_coach.transcript import Transcript


@dataclass(frozen=True)
class Config:
    """Thresholds for hedging.

    Attributes:
        work_on_per_100: hedges per 100 words at or above which the verdict is ``work_on``.
        work_on_min: ... and at least this many hedges (one "maybe" in a short answer is fine).
        min_answer_words: shorter answers are never judged ``work_on``.
    """

    work_on_per_100: float = 3.0
    work_on_min: int = 2
    min_answer_words: int = 12


ASSUMPTIONS = lexicon("hedging.assumptions")


def compute(transcript: Transcript, config: Config, context: Context) -> SignalResult:
    """Count hedges and stated assumptions separately."""
    verdict: Verdict
    text = text_of(context.language)
    if not text.words:
        return no_words("hedging", {"count": 0, "assumptions": 0})
    hedges, assumptions = [], []
    for s in text.sentences:
        skip = {(h.first, h.last) for h in s.find(NOT_HEDGE)}
        for h in s.find(HEDGES):
            if any(a <= h.first < b for a, b in skip):
                continue
            hedges.append(h)
        assumptions += s.find(ASSUMPTIONS)
    n, n_words = len(hedges), text.n_words
    per_100 = round(100.0 * n / n_words, 2) if n_words else 0.0
    values = {
        "count": n,
        "per_100_words": per_100,
        "hedges": [h.text for h in hedges],
        "assumptions": len(assumptions),
        "assumption_items": [h.text for h in assumptions],
    }
    evidence = tuple(text.hit_evidence(h) for h in (hedges[:4] + assumptions[:2]))
    if n_words >= config.min_answer_words and n >= config.work_on_min and per_100 >= config.work_on_per_100:
        verdict = "work_on"
        advice = ("Replace hedges (\"I guess\", \"maybe\", \"sort of\") with a stated assumption: "
                  "\"Assuming X, I'd do Y\" sounds decisive and still invites correction.")
    elif assumptions:
        verdict = "strength"
        advice = "Good: you stated your assumptions instead of hedging. Keep committing to a position."
    else:
        verdict = "ok"
        advice = "When something is unknown, say \"I'll assume ...\" and commit, rather than hedging."
    headline = f"{plural(n, 'hedge')}, {plural(len(assumptions), 'stated assumption')}"
    return SignalResult("hedging", values, verdict, advice, evidence, headline)
