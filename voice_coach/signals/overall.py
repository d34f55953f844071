"""Overall: the single most useful thing to practise next, in one paragraph.

A report with a dozen findings invites the reader to fix none of them. Coaches give one
focus per session, so this signal picks one: the most important signal the answer needs
work on, with the question's own focus (``Question.focus``) weighing double, because a
design question that goes unclarified matters more than a filler or two. It names what
already works, so the advice lands as a next step rather than a verdict. Its ``advice``
becomes the report's ``summary``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from voice_coach.signals.base import Context, Evidence, SignalResult, Verdict
from voice_coach.transcript import Transcript


def _default_weights() -> dict[str, float]:
    return {
        "framing": 5.0, "clarifying_questions": 4.5, "tradeoffs": 4.0, "ramble": 4.0,
        "fillers": 3.5, "justification": 3.0, "data_before_model": 3.0, "pauses": 2.5,
        "hedging": 2.5, "signposting": 2.0, "pace": 2.0, "closing_summary": 1.5,
    }


@dataclass(frozen=True)
class Config:
    """How the next thing to practise is chosen.

    Attributes:
        weights: importance of each signal when it needs work (higher wins). Signals not
            listed weigh 1.
        focus_multiplier: weight multiplier for signals the question lists in its focus.
        max_strengths: how many strengths the paragraph names.
    """

    weights: dict[str, float] = field(default_factory=_default_weights)
    focus_multiplier: float = 2.0
    max_strengths: int = 2


TITLES = {
    "framing": "opening with a plan", "clarifying_questions": "asking clarifying questions",
    "tradeoffs": "stating tradeoffs", "ramble": "shorter sentences", "fillers": "cutting filler words",
    "justification": "giving reasons for choices", "data_before_model": "discussing the data before the model",
    "pauses": "handling pauses", "hedging": "committing instead of hedging",
    "signposting": "signposting the structure", "pace": "pace", "closing_summary": "closing with a summary",
}


def compute(transcript: Transcript, config: Config, context: Context) -> SignalResult:
    """Pick the highest-weighted signal that needs work and write the paragraph."""
    verdict: Verdict
    results = {k: v for k, v in context.results.items() if k != "overall"}
    if not transcript.words:
        return SignalResult("overall", {"focus": None}, "n/a",
                            "No speech detected: check the microphone or the file and try again.",
                            headline="no speech")
    focus = set(context.question.focus) if context.question is not None else set()

    def weight(name: str) -> float:
        w = float(config.weights.get(name, 1.0))
        return w * config.focus_multiplier if name in focus else w

    needs = sorted((r for r in results.values() if r.verdict == "work_on"), key=lambda r: -weight(r.name))
    strengths = sorted((r for r in results.values() if r.verdict == "strength"), key=lambda r: -weight(r.name))
    strong_names = [TITLES.get(r.name, r.name.replace("_", " ")) for r in strengths[: config.max_strengths]]
    praise = f"What works: {' and '.join(strong_names)}. " if strong_names else ""
    evidence: tuple[Evidence, ...] = ()
    if needs:
        top = needs[0]
        title = TITLES.get(top.name, top.name.replace("_", " "))
        advice = f"{praise}Practise next: {title}. {top.advice}"
        if len(needs) > 1:
            advice += f" After that: {TITLES.get(needs[1].name, needs[1].name)}."
        evidence = top.evidence[:1]
        verdict = "work_on"
        values: dict[str, Any] = {"focus": top.name, "needs_work": [r.name for r in needs],
                  "strengths": [r.name for r in strengths]}
        headline = f"practise {title}"
    else:
        advice = (f"{praise}Nothing stands out as a problem. Practise the same structure on a harder "
                  "question, and time yourself against the target length.")
        verdict = "strength" if strengths else "ok"
        values = {"focus": None, "needs_work": [], "strengths": [r.name for r in strengths]}
        headline = "no major issue"
    return SignalResult("overall", values, verdict, advice, evidence, headline)
