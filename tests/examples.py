"""The examples table: snippets each signal should flag or pass, in the spirit of proselint.

Each row says: for this answer text, the signal's report object must contain these values.
``tests/test_signal_examples.py`` runs every row; a meta-test checks every registered signal
has rows that flag and rows that pass. Delivery signals (fillers, pauses, pace) keep their
rows in ``tests/examples_delivery.py``.

Text may carry ``[pause N]`` marks: the row then becomes a *timed* transcript (see
:func:`transcript_for`), with N seconds of silence between speech regions at that point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from voice_coach.transcript import Segment, SpeechRegion, Transcript, Word, transcript_from_text

_PAUSE = re.compile(r"\[pause\s+([0-9.]+)\]")


@dataclass(frozen=True)
class Example:
    """One row.

    Attributes:
        signal: registry name of the signal under test.
        text: the answer.
        expect: values the signal's report object must have (``{"count": 0}``); a value
            may be a callable taking the actual value and returning bool.
        flag: True when the row is a "should flag" case, False for "should pass" (for the
            meta-test's balance check).
        why: what the row pins down.
        timed: build a timed transcript even without pause marks.
        question: optional question info as a dict of Question fields.
    """

    signal: str
    text: str
    expect: dict[str, Any]
    flag: bool
    why: str = ""
    timed: bool = False
    question: dict[str, Any] = field(default_factory=dict)


WORD_S = 0.32  # a spoken word takes about a third of a second
GAP_S = 0.08


def transcript_for(ex: Example) -> Transcript:
    """The transcript a row stands for: plain text, or timed when it has pause marks."""
    if not ex.timed and not _PAUSE.search(ex.text):
        return transcript_from_text(ex.text)
    return timed_transcript(ex.text)


def timed_transcript(text: str, lead_s: float = 0.5, tail_s: float = 0.5) -> Transcript:
    """A synthetic timed transcript: regular word times, speech regions split at ``[pause N]``."""
    t = lead_s
    words: list[Word] = []
    regions: list[SpeechRegion] = []
    for i, part in enumerate(_PAUSE.split(text)):
        if i % 2 == 1:
            t += float(part)
            continue
        tokens = part.split()
        if not tokens:
            continue
        start = t
        for tok in tokens:
            words.append(Word(tok, round(t, 3), round(t + WORD_S, 3)))
            t += WORD_S + GAP_S
        regions.append(SpeechRegion(round(start, 3), round(t - GAP_S, 3)))
    duration = round(t + tail_s, 3)
    seg = Segment(" ".join(w.text for w in words), 0.0, duration, tuple(words))
    return Transcript(tuple(words), (seg,), duration, tuple(regions), source="audio")


# Rows for the language signals (framing, ramble, tradeoffs, clarifying questions, ...).
TEXT_EXAMPLES: list[Example] = []

try:
    from tests.examples_delivery import DELIVERY_EXAMPLES
except ImportError:  # the delivery rows live in their own module
    DELIVERY_EXAMPLES = []

EXAMPLES: list[Example] = TEXT_EXAMPLES + DELIVERY_EXAMPLES


def matches(expected: Any, actual: Any) -> bool:
    """Whether an actual report value satisfies an expected value or predicate."""
    if callable(expected):
        return bool(expected(actual))
    return bool(expected == actual)
