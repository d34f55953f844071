"""Closing summary: does the answer land?

Spoken answers that stop mid-thought ("... and then the optimizer, yeah.") leave the
interviewer to decide what the answer was. One closing sentence that restates the
recommendation ("So overall: blend clicks and purchases, start with a boosted ranker, and
watch calibration") gives them the line they will write in their notes. This checks the
last sentences for a summarising move and only asks for one when the answer is long enough
to need it.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.learned import model_rule, second_opinion
from voice_coach.lexicon import lexicon
from voice_coach.signals.base import Context, SignalResult, Verdict
from voice_coach.signals.phrases import Hit, Sent, Text, quote, text_of
from voice_coach.transcript import Transcript


@dataclass(frozen=True)
class Config:
    """Thresholds for the closing summary.

    Attributes:
        last_sentences: how many final sentences are searched.
        expect_words: an answer at least this long without a summary is ``work_on``.
        min_answer_words: shorter answers are not judged (``n/a``).
    """

    last_sentences: int = 2
    expect_words: int = 120
    min_answer_words: int = 25


SUMMARY = lexicon("closing_summary.summary")
# Whisper's closing hallucinations and sign-offs are not summaries.
SIGN_OFF = lexicon("closing_summary.sign_off")


def closing(text: Text, config: Config) -> list[Sent]:
    """The last ``config.last_sentences`` sentences, sign-offs ("Thank you.") left out."""
    sents = [s for s in text.sentences if s.starts_with(SIGN_OFF) is None or s.n_words > 4]
    return sents[-config.last_sentences:]


def find_summary(text: Text, tail: list[Sent]) -> Hit | None:
    """The summarising move in ``tail`` (:func:`closing`): a lexicon row, or the learned
    second opinion (ramble's model asks too)."""
    return next((h for s in tail for h in s.find(SUMMARY)), None) or next(
        (Hit(s.first, s.last, "", model_rule("summary"), p) for s, p in second_opinion(text, "summary", [], tail)),
        None)


def compute(transcript: Transcript, config: Config, context: Context) -> SignalResult:
    """Look for a summarising move in the last sentences."""
    verdict: Verdict
    text = text_of(context.language)
    tail = closing(text, config)
    if text.n_words < config.min_answer_words or not tail:
        return SignalResult("closing_summary", {"present": False}, "n/a",
                            "Too short to need a closing summary.", headline="short answer")
    hit = find_summary(text, tail)
    last = tail[-1]
    values = {"present": hit is not None, "closing": quote(last.raw, 200),
              "phrase": hit.text if hit is not None else None}
    if hit is not None:
        s = next(s for s in tail if s.first <= hit.first < s.last)
        return SignalResult("closing_summary", values, "strength",
                            "Good: you closed by restating the answer.",
                            (text.evidence(s.first, s.last, rule=hit.rule, p=hit.p),), "ends with a summary")
    verdict = "work_on" if text.n_words >= config.expect_words else "ok"
    advice = ("End with one sentence that restates your recommendation: \"So overall, I'd ... "
              "because ...\".")
    return SignalResult("closing_summary", values, verdict, advice, (text.evidence(last.first, last.last),),
                        "no closing summary")
