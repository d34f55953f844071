"""Data before model: is the data discussed before a model is named?

In ML interviews the most common weak answer names an algorithm in the first sentence
("I'd use a neural network") and never asks where the labels come from, whether they leak,
drift or go missing. Strong candidates reason about the data first, because the data
decides which models are even possible. This finds the first mention of the data (labels,
features, leakage, drift, missingness, sampling, annotation ...) and the first named model
or algorithm, and reports which came first.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.lexicon import lexicon
from voice_coach.signals.base import Context, SignalResult, Verdict
from voice_coach.signals.phrases import Hit, text_of
from voice_coach.transcript import Transcript


@dataclass(frozen=True)
class Config:
    """Thresholds for data before model.

    Attributes:
        min_answer_words: shorter answers are not judged (``n/a``).
    """

    min_answer_words: int = 12


DATA = lexicon("data_before_model.data")
MODEL = lexicon("data_before_model.model")


def _first(hits: list[Hit]) -> Hit | None:
    return min(hits, key=lambda h: h.first) if hits else None


def compute(transcript: Transcript, config: Config, context: Context) -> SignalResult:
    """Compare the first data mention with the first named model."""
    verdict: Verdict
    text = text_of(context.language)
    if text.n_words < config.min_answer_words:
        return SignalResult("data_before_model", {"data_first": None}, "n/a",
                            "Too short to judge.", headline="short answer")
    data_hits = [h for s in text.sentences for h in s.find(DATA)]
    model_hits = [h for s in text.sentences for h in s.find(MODEL)]
    d, m = _first(data_hits), _first(model_hits)
    values = {
        "data_first": None if m is None else (d is not None and d.first < m.first),
        "first_data": d.text if d else None,
        "first_model": m.text if m else None,
        "data_mentions": len(data_hits),
    }
    evidence = tuple(text.hit_evidence(h) for h in (d, m) if h is not None)
    if m is None:
        verdict, headline = "ok", "no model named"
        advice = "No model named; when you do name one, say what the data allows first."
    elif d is not None and d.first < m.first:
        verdict, headline = "strength", f"data (\u201c{d.text}\u201d) before model (\u201c{m.text}\u201d)"
        advice = "Good: you reasoned about the data before choosing a model."
    else:
        verdict, headline = "work_on", f"model (\u201c{m.text}\u201d) before any data"
        advice = ("Before naming a model, say a sentence about the data: where labels come from, "
                  "leakage, drift, missing values, how much there is.")
    return SignalResult("data_before_model", values, verdict, advice, evidence, headline)
