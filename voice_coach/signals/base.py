"""The shape every signal shares: its result, its evidence, its context.

A signal is a pure function ``compute(transcript, config, context) -> SignalResult``. It
never loads a model or touches a file; the shared language analysis (sentences, spaCy
tokens) comes in through :class:`Context`, built once per transcript.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from voice_coach.transcript import Transcript, Word

if TYPE_CHECKING:
    from voice_coach.language import Language
    from voice_coach.question import Question

Verdict = Literal["strength", "ok", "work_on", "n/a"]
VERDICTS: tuple[Verdict, ...] = ("strength", "ok", "work_on", "n/a")


@dataclass(frozen=True)
class Evidence:
    """The words (and their times) that made a signal say what it says."""

    text: str
    start: float | None = None
    end: float | None = None
    rule: str | None = None  # the lexicon row that matched ("shared.signposts.ordinal"), if any
    words: tuple[int, int] | None = None  # the transcript words [first, last) it quotes, if known
    p: float | None = None  # the learned model's probability, when only the model fired (rule "model:<label>")

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``{"text", "start", "end"}``, plus ``"rule"`` when a lexicon row fired
        and ``"words": [first, last]`` (transcript word indices) when the words are known."""
        d: dict[str, Any] = {"text": self.text, "start": self.start, "end": self.end}
        if self.rule is not None:
            d["rule"] = self.rule
        if self.words is not None:
            d["words"] = list(self.words)
        if self.p is not None:
            d["p"] = self.p
        return d

    @classmethod
    def from_words(cls, words: list[Word] | tuple[Word, ...], text: str | None = None,
                   rule: str | None = None, span: tuple[int, int] | None = None) -> Evidence:
        """Evidence spanning ``words``; times are ``None`` when the words are untimed."""
        timed = [w for w in words if w.timed]
        return cls(
            text if text is not None else " ".join(w.text for w in words),
            min((w.start for w in timed), default=None),  # type: ignore[type-var]
            max((w.end for w in timed), default=None),  # type: ignore[type-var]
            rule,
            span,
        )


@dataclass(frozen=True)
class SignalResult:
    """What one signal found.

    Attributes:
        name: the signal's registry name (``"fillers"``).
        values: the signal's figures; these keys go straight into the report's
            ``signals.<name>`` object (the contract fields live here, e.g. ``count``).
        verdict: ``strength``, ``ok``, ``work_on`` or ``n/a`` (not measurable here,
            e.g. pauses in a text transcript).
        advice: one line of concrete advice.
        evidence: what triggered the verdict, with times when the input had them.
        headline: a short human summary of the value for the terminal ("4 fillers, 2.1/min").
    """

    name: str
    values: dict[str, Any]
    verdict: Verdict
    advice: str
    evidence: tuple[Evidence, ...] = ()
    headline: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The report's ``signals.<name>`` object."""
        return {
            **self.values,
            "verdict": self.verdict,
            "advice": self.advice,
            "evidence": [e.to_dict() for e in self.evidence],
            "headline": self.headline,
        }


NO_WORDS = "No words to analyse."
"""The advice of a language signal when the answer has no words (silence, noise)."""


def no_words(name: str, values: dict[str, Any]) -> SignalResult:
    """What a language signal says about an answer with no words: ``n/a``, headline "no speech"."""
    return SignalResult(name, values, "n/a", NO_WORDS, headline="no speech")


@dataclass(frozen=True)
class Context:
    """Everything a signal may read besides the transcript and its own config.

    Attributes:
        language: sentences and spaCy tokens for the transcript (built once, shared).
        question: the question answered, if known (target duration, signals that matter).
        results: results of signals registered earlier (the overall summary reads them).
    """

    language: Language
    question: Question | None = None
    results: dict[str, SignalResult] = field(default_factory=dict)


@dataclass(frozen=True)
class Signal:
    """A registry entry: name, pure function, and its config dataclass."""

    name: str
    compute: Callable[[Transcript, Any, Context], SignalResult]
    config_type: type
    title: str
    contract: bool = False  # one of the seven signals the report contract names
