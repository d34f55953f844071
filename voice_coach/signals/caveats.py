"""Open-vocabulary tradeoffs: a choice, then what it costs, in the speaker's own words.

"Caching makes reads instant, though every write now has to invalidate it": costs are too
varied to list, so instead of a cost word these rules ask for the *shape* of a weighing (see
below). :mod:`voice_coach.signals.tradeoffs` asks them after its explicit and word-list rules;
the learned model may veto what they find there.
"""

from __future__ import annotations

from voice_coach.lexicon import lexicon
from voice_coach.signals.phrases import Hit, Sent, Text

# The markers after which an open-vocabulary cost clause may follow (:func:`open_caveat`),
# and what follows them that is no cost ("but then what happens", "but I think").
CONCESSIVE = lexicon("tradeoffs.concessive")
NOT_A_COST = lexicon("tradeoffs.not_a_cost")
# Admissions of not knowing ("but I'm not sure how much") never count.
NOT_KNOWING = lexicon("tradeoffs.not_knowing")
# The leading words before a contrast; not "but", which is the contrast itself.
CONTRAST_LEAD = lexicon("tradeoffs.contrast_lead")

# --- A choice, then what it costs, in the speaker's own words ("caching makes reads instant,
# though every write now has to invalidate it"). Costs are open vocabulary, so instead of a
# cost word the rule asks for the *shape*: a short present-tense clause (the option and
# what it buys), a contrast or concessive marker, then a clause with its own subject and a
# present or modal verb (what the same option does wrong). Long stretches before the marker
# are run-on description, past tense is a story ("I wanted tests, but the testers were
# worried"), and "but I'd ..." is the speaker's next step, not a cost; none of them count.
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
_PRESENT_OR_MODAL = frozenset({"VBZ", "VBP", "MD"})
# The option-and-benefit clause before the marker: at least this many words, and (in
# punctuated text) at most MAX_LEFT, counted from the sentence or clause start.
MIN_LEFT, MAX_LEFT = 4, 22
# How far after the marker its clause's subject and verb must come.
RIGHT_WINDOW = 12


def clause_start(text: Text, s: Sent, word: int) -> int:
    """Where the clause holding ``word`` starts: the sentence start, or in text with few full
    stops the start of the unit (:attr:`Language.units`) holding it."""
    if not text.language.sparse:
        return s.first
    return max([s.first, *(u.first for u in text.language.units if u.first <= word)])


def clause_end(text: Text, s: Sent, word: int) -> int:
    """Where the clause holding ``word`` ends (the sentence end in punctuated text)."""
    if not text.language.sparse:
        return s.last
    return min([s.last, *(u.last for u in text.language.units if u.last > word)])


def _is_past(text: Text, first: int, last: int) -> bool:
    """The clause just before ``last`` is in the past tense: its last finite verb is."""
    finite = [t for t in text.tokens(first, last) if t.tag in _PRESENT_OR_MODAL or t.tag == "VBD"]
    return bool(finite) and finite[-1].tag == "VBD"


def _existential(text: Text, first: int, last: int) -> bool:
    """ "there are datasets for that, but ...": the clause introduces a thing, it chooses nothing."""
    return any(t.dep == "expl" for t in text.tokens(first, last))


def _cost_clause(text: Text, first: int, last: int) -> bool:
    """Words ``[first, last)`` hold a clause with its own subject (not "I", not a relative
    pronoun) whose verb is present or modal."""
    toks = text.tokens(first, last)
    finite = [k for k, t in enumerate(toks) if t.tag in _PRESENT_OR_MODAL or t.tag == "VBD"]
    # The clause's own verb is the first finite one; a past tense later on belongs to a
    # clause inside it ("you can't explain why it fired").
    if not finite or toks[finite[0]].tag == "VBD":
        return False
    # A relative pronoun heads no clause of its own: "not the model but the data that matters".
    subjects = [t for t in toks if t.dep in _SUBJECT_DEPS and t.tag not in {"WDT", "WP"}]
    if not subjects:
        # Without punctuation the parser often misses the subject ("though logged in users
        # would see ..."): a noun or pronoun right before the first finite verb stands in.
        k = finite[0]
        subjects = [toks[k - 1]] if k > 0 and toks[k - 1].pos in {"NOUN", "PRON", "PROPN"} \
            and toks[k - 1].tag not in {"WDT", "WP"} else []
    # "..., but I'd weight behaviour more": the speaker's next step, not a cost.
    return bool(subjects) and subjects[0].lower != "i"


def marker_is_conjunction(text: Text, marker: Hit) -> bool:
    """ "yet" joins clauses as a conjunction after a comma ("fast, yet every user waits"); without
    one it is usually the adverb ("no training data yet a heuristic ...")."""
    return marker.text != "yet" or (marker.first > 0 and text.words[marker.first - 1].text.endswith(","))


def open_caveat(text: Text, s: Sent) -> tuple[Hit, int, int] | None:
    """A choice, a concessive or contrast marker, and a clause saying what it costs:
    ``(marker, first word, last word)`` of the stretch to quote, or ``None``."""
    for marker in s.find(CONCESSIVE):
        start = clause_start(text, s, marker.first - 1)
        left = marker.first - start
        # In text with few full stops the clause start is a guess; the marker's neighbourhood
        # is what counts there.
        if left < MIN_LEFT or (left > MAX_LEFT and not text.language.sparse):
            continue
        start = max(start, marker.first - MAX_LEFT)
        if _is_past(text, start, marker.first) or _existential(text, start, marker.first) \
                or not marker_is_conjunction(text, marker):
            continue
        right = " ".join(s.norms[marker.last - s.first:])
        if NOT_A_COST.match(right) or NOT_KNOWING.search(right):
            continue
        if _cost_clause(text, marker.last, min(s.last, marker.last + RIGHT_WINDOW)):
            return marker, start, clause_end(text, s, marker.last)
    return None


def story(text: Text, s: Sent, marker: Hit) -> bool:
    """Both sides of the contrast are in the past tense: something that happened ("I was
    frustrated at first, but it worked out"), not a choice weighed."""
    if marker.first <= s.first:
        return False
    start = max(clause_start(text, s, marker.first - 1), marker.first - MAX_LEFT)
    after = [t for t in text.tokens(marker.last, min(s.last, marker.last + RIGHT_WINDOW))
             if t.tag in _PRESENT_OR_MODAL or t.tag == "VBD"]
    return _is_past(text, start, marker.first) and bool(after) and after[0].tag == "VBD"


def paired_caveat(text: Text, s: Sent, nxt: Sent) -> Hit | None:
    """ "Imputing is tidy. But it pretends new users look average.": a short present-tense
    choice, then a sentence opening with the contrast and saying what it costs."""
    lead = nxt.starts_with(CONCESSIVE, skip=CONTRAST_LEAD)
    if lead is None or lead.text not in {"but", "though", "yet"}:
        return None
    if not MIN_LEFT <= s.n_words <= MAX_LEFT or _is_past(text, s.first, s.last) \
            or _existential(text, s.first, s.last):
        return None
    right = " ".join(nxt.norms[lead.last - nxt.first:])
    if NOT_A_COST.match(right) or NOT_KNOWING.search(right):
        return None
    return lead if _cost_clause(text, lead.last, min(nxt.last, lead.last + RIGHT_WINDOW)) else None
