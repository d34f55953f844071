"""Tradeoffs: does the speaker weigh a benefit against a cost, out loud?

Every engineering choice buys something and pays for it. Interviewers listen for the
candidate naming both sides ("a longer test gives more power, but it delays the launch",
"tight thresholds catch problems early, at the cost of false alarms"), because that is what
separates judgement from recall. Saying the word is not enough: "What's the tradeoff? I
don't know" or "there's a tradeoff there" weighs nothing.

A sentence states a tradeoff when it has

* an explicit cost construction: "at the cost/expense of", "the downside/drawback/catch
  is", "on the other hand", "in exchange for", "trade X for Y", "a trade-off between A and
  B", "sacrificing X"; or
* a contrast ("but", "while", "whereas", "although", "however", "though", "yet") with a
  benefit on one side and a cost on the other ("X is faster, but less accurate"), two
  options each winning or each paying on one side of "while"/"whereas", or a benefit
  followed by a caveat clause about the same thing ("..., a safe bet, but they bury the long
  tail"), since costs are too varied to list. A sentence that opens with "But ..." pairs
  with the benefit in the sentence before it, because Whisper often puts a full stop where
  the speaker only breathed;
* the word itself with both sides linked ("It's a trade-off: more recall means more false
  alarms");
* a caveat in the speaker's own words: a short present-tense choice, "but"/"though"/
  "although"/", yet", then a clause with its own subject and a present or modal verb
  ("caching makes reads instant, though every write now has to invalidate it"), found from
  spaCy's parse rather than a cost list (:func:`voice_coach.signals.caveats.open_caveat`). The learned model may veto
  one it is nearly sure of (:func:`_vetoed`).

The model's own tradeoffs count at its trained threshold, or lower where the sentence weighs
inside itself (:func:`weighed_within`). Questions and admissions of not knowing never count.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from voice_coach.learned import CORROBORATED_THRESHOLD, model_rule, second_opinion, span_probabilities, vetoed
from voice_coach.lexicon import lexicon
from voice_coach.signals.base import Context, SignalResult, Verdict, no_words
from voice_coach.signals.caveats import (
    CONTRAST_LEAD,
    NOT_KNOWING,
    clause_end,
    clause_start,
    marker_is_conjunction,
    open_caveat,
    paired_caveat,
    story,
)
from voice_coach.signals.phrases import Hit, Sent, Text, plural, quote, text_of
from voice_coach.transcript import Transcript


@dataclass(frozen=True)
class Config:
    """Thresholds for tradeoffs.

    Attributes:
        strength_at: this many stated tradeoffs make the verdict ``strength``.
        min_answer_words: below this many words, stating none is ``ok`` (too short to
            judge) rather than ``work_on``.
        pair_sentences: let a sentence opening with "But"/"However" complete a tradeoff
            whose benefit is in the sentence before (see the module docstring).
    """

    strength_at: int = 1
    min_answer_words: int = 40
    pair_sentences: bool = True


EXPLICIT = lexicon("tradeoffs.explicit")

CONTRAST = lexicon("tradeoffs.contrast")
WEIGHING = lexicon("tradeoffs.weighing")

BENEFIT = lexicon("tradeoffs.benefit")

COST = lexicon("tradeoffs.cost")

# "trade of" is how Whisper sometimes spells a spoken "trade-off".
TRADEOFF_WORD = lexicon("tradeoffs.tradeoff_word")
# How the two sides of a named trade-off are linked ("more X means more Y").
CONSEQUENCE = lexicon("tradeoffs.consequence")

RISK_CLAUSE = lexicon("tradeoffs.risk_clause")
CAVEAT_MARKERS = frozenset({"but", "though", "although", "yet", "however"})
CAVEAT_CLAUSE = lexicon("tradeoffs.caveat_clause")

# The clause after "but" that names what the choice costs.
PRICE_CLAUSE = lexicon("tradeoffs.price_clause")


@dataclass(frozen=True)
class Found:
    """One stated tradeoff: the word range quoted and how it was recognised."""

    first: int
    last: int
    how: str  # "explicit", "contrast", "caveat" (open_caveat) or "model"
    phrase: str
    rule: str | None = None  # the lexicon row that recognised it, or "model:tradeoff"
    p: float | None = None  # the learned model's probability, when only the model found it


def _sides(s: Sent, marker: Hit) -> tuple[str, str]:
    """The text before and after a contrast marker (or the sentence-initial clause split)."""
    rel = marker.first - s.first
    if rel == 0:
        # "While X is faster, it costs more": the first clause against the rest.
        clauses = s.clauses()
        if len(clauses) > 1:
            cut = clauses[0][1] - s.first
            return " ".join(s.norms[1:cut]), " ".join(s.norms[cut:])
    return " ".join(s.norms[:rel]), " ".join(s.norms[marker.last - s.first:])


def _weighs(left: str, right: str, marker: str = "but") -> bool:
    """A benefit on one side of a contrast and a cost on the other.

    With "whereas"/"while", two options each winning (or each losing) on something ("batch
    is cheaper, whereas streaming reacts faster") is also a weighing.
    """
    if (BENEFIT.search(left) and COST.search(right)) or (COST.search(left) and BENEFIT.search(right)):
        return True
    # "I'd use a bigger encoder, but it triples the serving cost": a choice, then its price.
    if len(left.split()) >= 4 and PRICE_CLAUSE.match(right) and COST.search(right):
        return True
    # "Optimizing watch time rewards long videos, but it can push clickbait": a choice, then
    # what it can do wrong.
    if len(left.split()) >= 4 and marker in CAVEAT_MARKERS and RISK_CLAUSE.match(right):
        return True
    # "Popular items are a safe bet, but they bury the long tail": a benefit, then what the
    # same thing does wrong. The cost side is open vocabulary, so any caveat clause counts.
    if marker in CAVEAT_MARKERS and BENEFIT.search(left) and CAVEAT_CLAUSE.match(right) \
            and not NOT_KNOWING.search(right):
        return True
    # Two options each paying a different price ("a high-bias model misses patterns, while a
    # high-variance model chases noise") weighs them just as well.
    return marker in {"whereas", "while"} and bool(
        (BENEFIT.search(left) and BENEFIT.search(right)) or (COST.search(left) and COST.search(right))
    )


def _temporal(s: Sent, marker: Hit) -> bool:
    """Mid-sentence "while" without a comma: usually temporal ("goes up while the loss falls")."""
    rel = marker.first - s.first
    return marker.text == "while" and rel > 0 and not s.words[rel - 1].text.endswith((",", ";", "\u2014"))


def contrast_tradeoff(s: Sent) -> Hit | None:
    """The contrast marker of a sentence that weighs a benefit against a cost, if any."""
    for marker in s.find(CONTRAST):
        if _temporal(s, marker):
            continue
        left, right = _sides(s, marker)
        if _weighs(left, right, marker.text):
            return marker
    return None


def weighed_within(text: Text, s: Sent) -> bool:
    """A contrast or concession after words it can weigh ("X is fast at serving time, but it can't
    model interactions"): the model's tradeoff counts lower here (learned.CORROBORATED_THRESHOLD)."""
    lead = s.starts_with(WEIGHING, skip=CONTRAST_LEAD)
    return any((lead is None or h.first > lead.first) and not _temporal(s, h) and marker_is_conjunction(text, h)
               for h in s.find(WEIGHING))


def _continued(text: Text, k: int, found: list[Found]) -> Sent | None:
    """The unit before sentence ``k`` when ``k`` only continues it: in restored text, a unit
    the restorer (not a written full stop) started with "and"/"so" ("click labels are cheap |
    and there's lots of them | but they're biased"), the earlier unit no question and no
    tradeoff of its own."""
    s = text.sentences[k]
    if k == 0 or s.marked or not text.language.sparse or not s.norms or not CONTRAST_LEAD.fullmatch(s.norms[0]):
        return None
    before = text.sentences[k - 1]
    if before.is_question or any(f.first < before.last and before.first < f.last for f in found):
        return None
    return before


# The model learned from answers of four sentences or more, and its position features ("first
# sentence", "one of the last two") make a shorter answer look unlike any it saw: a one-line
# tradeoff scored p < 0.01. It gets no veto there.
VETO_MIN_UNITS = 4


def _vetoed(text: Text, found: list[Found]) -> list[Found]:
    """``found`` without the caveats the model is nearly sure are no tradeoff (the model's veto,
    :func:`voice_coach.learned.vetoed`). Explicit constructions and the benefit/cost word-list
    contrasts are never vetoed."""
    weak = [f for f in found if f.how == "caveat"]
    if not weak or len(text.language.units) < VETO_MIN_UNITS:
        return found
    no = vetoed(text.language, "tradeoff", [(f.first, f.last) for f in weak])
    drop = {id(f) for f, v in zip(weak, no, strict=True) if v}
    return [f for f in found if id(f) not in drop]


def find_tradeoffs(text: Text, config: Config | None = None) -> list[Found]:
    """Every stated tradeoff, at most one per sentence (or sentence pair), in order."""
    config = config or Config()
    found: list[Found] = []
    used: set[int] = set()
    for k, s in enumerate(text.sentences):
        if k in used or s.search(NOT_KNOWING) is not None:
            continue
        if s.is_question:
            # A question weighs nothing, but Whisper sometimes runs the end of a tradeoff into
            # the next question ("... precision. At the expense of recall, why would you care?").
            q_first = s.clauses()[-1][0]
            hit = next((h for h in s.find(EXPLICIT) if h.last <= q_first), None)
            if hit is not None:
                found.append(Found(s.first, q_first, "explicit", hit.text, hit.rule))
            continue
        hit = s.search(EXPLICIT)
        if hit is not None:
            found.append(Found(s.first, s.last, "explicit", hit.text, hit.rule))
            continue
        if TRADEOFF_WORD.search(s.text) and BENEFIT.search(s.text) and COST.search(s.text) \
                and s.search(CONSEQUENCE) is not None:
            # "It's a trade-off: more recall means more false alarms."
            found.append(Found(s.first, s.last, "explicit", "trade-off", "tradeoffs.tradeoff_word.0"))
            continue
        marker = contrast_tradeoff(s)
        if marker is not None and story(text, s, marker):
            marker = None
        if marker is not None:
            first, last = s.first, s.last
            if text.language.sparse and marker.first > s.first:
                # A run-on caption: quote (and let the model judge) the clauses around the marker.
                first, last = clause_start(text, s, marker.first - 1), clause_end(text, s, marker.last)
            found.append(Found(first, last, "contrast", marker.text, marker.rule))
            continue
        caveat = open_caveat(text, s)
        if caveat is not None:
            found.append(Found(caveat[1], caveat[2], "caveat", caveat[0].text, caveat[0].rule))
            continue
        # "X is faster. But it needs twice the memory." across a (possibly spurious) full stop.
        nxt = text.sentences[k + 1] if k + 1 < len(text.sentences) else None
        if (config.pair_sentences and nxt is not None and not nxt.is_question
                and nxt.search(NOT_KNOWING) is None):
            lead = nxt.starts_with(CONTRAST, skip=CONTRAST_LEAD)
            if lead is not None:
                right = " ".join(nxt.norms[lead.last - nxt.first:])
                before = _continued(text, k, found)
                start = s.first if _weighs(s.text, right) else before.first if before is not None \
                    and _weighs(f"{before.text} {s.text}", right) else None
                if start is not None:
                    found.append(Found(start, nxt.last, "contrast", lead.text, lead.rule))
                    used.add(k + 1)
                    continue
            lead = paired_caveat(text, s, nxt)
            if lead is not None:
                # In a restored caption the choice is the clause before the break, not everything
                # the restorer ran into that sentence ("right so the page is slow | um we could
                # cache the whole page ... | though logged in users ...").
                found.append(Found(clause_start(text, s, s.last - 1), nxt.last, "caveat", lead.text, lead.rule))
                used.add(k + 1)
    found = _vetoed(text, found)
    # The model reads whole sentences. Without full stops those are the restorer's sentence-sized
    # units; without the restorer they are the parser's 30-40-word stretches, unlike the
    # clause-sized sentences it learned from, where its tradeoffs were more often wrong than
    # right (docs/signals.md, "tradeoffs"), and it is not asked.
    if not text.language.sparse or text.language.restored is not None:
        found += [Found(s.first, s.last, "model", "", model_rule("tradeoff"), p)
                  for s, p in second_opinion(text, "tradeoff", [(f.first, f.last) for f in found],
                                             corroborated=lambda s: weighed_within(text, s))
                  if not s.is_question and s.search(NOT_KNOWING) is None]
        found += _model_pairs(text, found)
    return sorted(found, key=lambda f: f.first)


def _model_pairs(text: Text, found: list[Found]) -> list[Found]:
    """Restored captions: the model's tradeoff over a unit and the next one the restorer
    started with a contrast ("vertical scaling is easy, no code change, | but there is a
    limit"), read as the one sentence they would be in writing, from the corroborated bar."""
    if not text.language.sparse:
        return []
    sents = text.sentences
    cands: list[tuple[int, int]] = []
    for s, nxt in pairwise(sents):
        if nxt.is_question or nxt.marked or nxt.search(NOT_KNOWING) is not None:
            continue
        if cands and cands[-1][1] > s.first:
            continue
        lead = nxt.starts_with(WEIGHING, skip=CONTRAST_LEAD)
        if lead is None or any(f.first < nxt.last and s.first < f.last for f in found):
            continue
        cands.append((s.first, nxt.last))
    probs = span_probabilities(text.language, "tradeoff", cands) if cands else None
    bar = CORROBORATED_THRESHOLD["tradeoff"]
    return [Found(a, b, "model", "", model_rule("tradeoff"), p)
            for (a, b), p in zip(cands, probs or [], strict=False) if p >= bar]


def compute(transcript: Transcript, config: Config, context: Context) -> SignalResult:
    """Count sentences that weigh a benefit against a cost; quote each one."""
    verdict: Verdict
    text = text_of(context.language)
    if not text.sentences:
        return no_words("tradeoffs", {"count": 0, "items": []})
    found = find_tradeoffs(text, config)
    evidence = tuple(text.evidence(f.first, f.last, rule=f.rule, p=f.p) for f in found)
    items = [{"text": quote(e.text), "how": f.how, "phrase": f.phrase, "start": e.start}
             for f, e in zip(found, evidence, strict=True)]
    n = len(found)
    mentions = sum(1 for s in text.sentences if "trade" in s.text and "off" in s.text)
    if n >= config.strength_at:
        verdict, advice = "strength", (
            "You weighed costs against benefits. Tie each one to the decision it drives "
            "(\"..., so I'd start with the simpler model\")."
        )
    else:
        verdict = "work_on" if text.n_words >= config.min_answer_words else "ok"
        advice = (
            "Name what your choice costs, not just what it buys: \"X is faster, but it needs "
            "more labelled data\" or \"..., at the cost of higher latency\"."
        )
        if mentions:
            advice = "You said \"tradeoff\" but did not spell it out. " + advice
    headline = plural(n, "tradeoff") + " stated" if n else "no tradeoff stated"
    return SignalResult("tradeoffs", {"count": n, "items": items, "mentions_without_weighing":
                                      mentions if n == 0 else 0},
                        verdict, advice, evidence, headline)
