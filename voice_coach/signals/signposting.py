"""Signposting: does the speaker mark the parts of the answer out loud?

On a whiteboard the structure is visible; in speech it exists only if the speaker says it.
Ordinals and transitions ("first", "second", "the other side is", "finally", "to sum up")
let the interviewer keep their place and notice each point earned. An answer of more than a
few sentences with no signposts sounds like one long thought, even when it is well ordered.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.learned import model_rule, second_opinion
from voice_coach.lexicon import SIGNPOST_LEAD, SIGNPOSTS
from voice_coach.signals.base import Context, SignalResult, Verdict, no_words
from voice_coach.signals.phrases import Hit, plural, text_of
from voice_coach.transcript import Transcript


@dataclass(frozen=True)
class Config:
    """Thresholds for signposting.

    Attributes:
        min_answer_words: shorter answers are not judged (``ok`` whatever they do).
        strength_at: this many distinct signposts make the verdict ``strength``.
        work_on_words: an answer this long with no signpost at all is ``work_on``.
    """

    min_answer_words: int = 40
    strength_at: int = 2
    work_on_words: int = 100




def compute(transcript: Transcript, config: Config, context: Context) -> SignalResult:
    """Count signposts at the start of sentences and clauses."""
    verdict: Verdict
    text = text_of(context.language)
    if not text.words:
        return no_words("signposting", {"count": 0, "items": []})
    hits: list[Hit] = []
    for s in text.sentences:
        for clause_first, _ in s.clauses():
            h = s.starts_with(SIGNPOSTS, skip=SIGNPOST_LEAD, at=clause_first)
            if h is not None:
                hits.append(h)
    # A model signpost quotes its sentence's first three words, where a signpost stands.
    hits += [Hit(s.first, min(s.last, s.first + 3), " ".join(s.norms[:3]), model_rule("signpost"), p)
             for s, p in second_opinion(text, "signpost", [(h.first, h.last) for h in hits])]
    hits.sort(key=lambda h: h.first)
    distinct = sorted({h.text for h in hits})
    evidence = tuple(text.hit_evidence(h) for h in hits[:6])
    n = len(hits)
    values = {"count": n, "distinct": distinct, "items": [h.text for h in hits]}
    if n >= config.strength_at and len(distinct) >= 2:
        verdict, advice = "strength", "Clear signposts: the listener can follow the parts of your answer."
    elif text.n_words < config.min_answer_words:
        verdict, advice = "ok", "Short answer; in longer ones, number your points out loud."
    elif n == 0 and text.n_words >= config.work_on_words:
        verdict, advice = "work_on", ("Say the structure out loud: \"First ..., second ..., finally ...\" "
                                      "so the interviewer can keep their place.")
    else:
        verdict, advice = "ok", "Mark each new part with a signpost (\"first\", \"the second risk is\")."
    return SignalResult("signposting", values, verdict, advice, evidence,
                        plural(n, "signpost") if n else "no signposts")
