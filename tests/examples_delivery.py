"""Examples-table rows for the delivery signals: fillers, pauses and pace.

Rows with ``[pause N]`` marks become timed transcripts (regular word times, speech regions
split at the marks; see :func:`tests.examples.timed_transcript`), which is what the pause and
pace signals need. The filler rows pin down the literal uses that must NOT count.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.examples import Example


def fillers_are(*expected: str) -> Callable[[Any], bool]:
    """Predicate: the filler items' texts, in order, are exactly ``expected``."""
    return lambda items: [i["text"] for i in items] == list(expected)


def long_pauses(n: int, kinds: tuple[str, ...] | None = None) -> Callable[[Any], bool]:
    """Predicate: ``n`` long pauses (with these kinds, in order, when given)."""
    return lambda long: len(long) == n and (kinds is None or tuple(p["kind"] for p in long) == kinds)


F = "fillers"
DELIVERY_EXAMPLES: list[Example] = [
    # --- fillers: should flag ---
    Example(F, "Um, I would start with the data. Uh, then a baseline.",
            {"items": fillers_are("um", "uh"), "count": 2}, True, "plain filled pauses"),
    Example(F, "Hmm. Umm, and then, er, we ship it. Mm-hmm.",
            {"items": fillers_are("hmm", "umm", "er")}, True,
            "Whisper's spellings of filled pauses; the backchannel 'mm-hmm' is not one"),
    Example(F, "Mm-hmm. Uh-huh, we ship it on Friday.",
            {"count": 0}, False, "backchannels answer someone else; they are not fillers"),
    Example(F, "You could use, like, a robust loss.", {"items": fillers_are("like")}, True,
            "'like' set off by commas is a filler"),
    Example(F, "The latency was like really bad.", {"items": fillers_are("like")}, True,
            "'like' before an adverb is a filler"),
    Example(F, "Then, you know, we retrain it every week.", {"items": fillers_are("you know")}, True,
            "parenthetical 'you know'"),
    Example(F, "I mean, maybe the latency matters too.", {"items": fillers_are("i mean")}, True,
            "clause-initial 'I mean'"),
    Example(F, "Basically it normalizes the activations.", {"items": fillers_are("basically")}, True,
            "'basically'"),
    Example(F, "It is kind of a penalty, and we sort of tune it by hand.",
            {"items": fillers_are("kind of", "sort of")}, True, "hedging 'kind of' / 'sort of'"),
    Example(F, "The model is fast, right? And it is cheap.", {"items": fillers_are("right")}, True,
            "tag question 'right?'"),
    Example(F, "So the model overfits. Um, and so we regularize it.",
            {"items": fillers_are("so", "um"), "filled_pauses": 1, "discourse": 1}, True,
            "sentence-initial 'so' counts, mid-sentence 'so' does not"),
    Example(F, "Um, uh, you know, like, basically it works, um, I mean, kind of.",
            {"verdict": "work_on", "per_100_words": lambda v: v > 4}, True,
            "a filler-dense answer gets work_on"),
    # --- fillers: should pass (literal uses) ---
    Example(F, "I'd like to start by asking about the latency budget.", {"count": 0}, False,
            "'I'd like to' is a verb"),
    Example(F, "Tree ensembles like XGBoost handle tabular data well.", {"count": 0}, False,
            "'models like X' is a preposition"),
    Example(F, "Do you know whether the labels arrive daily?", {"count": 0}, False,
            "'do you know whether' is a real question"),
    Example(F, "What I mean by drift is a change in the inputs.", {"count": 0}, False,
            "'what I mean by' is a definition"),
    Example(F, "Label smoothing is a kind of regularization.", {"count": 0}, False,
            "'a kind of' is a noun phrase"),
    Example(F, "What sort of traffic do we expect?", {"count": 0}, False,
            "'what sort of' is a noun phrase"),
    Example(F, "It looks like a leak in the features.", {"count": 0}, False,
            "'looks like' is a comparison"),
    Example(F, "Like I said, the labels arrive late.", {"count": 0}, False,
            "'like I said' is a conjunction"),
    Example(F, "Tree models like, uh, XGBoost are strong.", {"items": fillers_are("uh")}, False,
            "a hesitation after 'models like' does not make 'like' a filler"),
    Example(F, "The model is, like, really big.", {"items": fillers_are("like")}, True,
            "comma-bounded 'like' after a verb"),
    Example(F, "Is that right? I want to be sure.", {"count": 0}, False,
            "'is that right?' is a real question"),
    Example(F, "So that the model generalizes, we hold out a week.", {"count": 0}, False,
            "'so that' is purpose, not a filler"),
    Example(F, "You know the answer already, so I will be brief.", {"count": 0}, False,
            "'you know the answer' has an object"),
    Example(F, "First I define the metric, then I pick a baseline model.",
            {"count": 0, "verdict": "strength"}, False, "clean answer"),
    # --- pauses ---
    Example("pauses", "Let me think about the metric. [pause 3] I would use recall at ten.",
            {"long": long_pauses(1, ("deliberate",)), "hesitations": 0}, True,
            "a long pause between sentences is deliberate"),
    Example("pauses", "I would train the [pause 2.5] gradient boosted model on clicks.",
            {"long": long_pauses(1, ("hesitation",)), "hesitations": 1}, True,
            "a long pause in mid-sentence is a hesitation"),
    Example("pauses", "[pause 6] Okay. I would start with the data.",
            {"time_to_first_word_s": lambda v: v is not None and v > 5, "verdict": "work_on"},
            True, "a slow start is flagged"),
    Example("pauses", "We split the [pause 2.2] users and then the [pause 2.4] sessions.",
            {"long": long_pauses(2), "verdict": "work_on", "longest_s": lambda v: 2.3 < v < 2.5},
            True, "two mid-sentence freezes"),
    Example("pauses", "I would start with the data. [pause 1.2] Then a simple baseline.",
            {"long": long_pauses(0), "verdict": "strength"}, False,
            "a short pause is not a long one"),
    Example("pauses", "I would start with the data and then build a baseline.",
            {"long": [], "threshold_s": 2.0}, False, "no pauses, timed", timed=True),
    Example("pauses", "Text only, um, no timings here.",
            {"long": [], "time_to_first_word_s": None, "verdict": "n/a"}, False,
            "text input has no pause list"),
    # --- pace ---
    Example("pace", "Data. [pause 1.5] Labels. [pause 1.5] Then. [pause 1.5] A model. "
            "[pause 1.5] Maybe. [pause 1.5] Trees. [pause 1.5] Then. [pause 1.5] Ship it.",
            {"wpm": lambda v: v is not None and v < 100, "verdict": "work_on"}, True,
            "a halting answer is too slow"),
    Example("pace", "I would start with the data, check the labels for leakage, then fit a "
            "simple baseline and compare it against the current system on last month's traffic.",
            {"wpm": lambda v: v is not None and 100 <= v <= 180, "verdict": "strength"}, False,
            "a steady conversational pace", timed=True),
    Example("pace", "Text only, no timings.", {"wpm": None, "verdict": "n/a"}, False,
            "text input has no pace"),
]
