"""Framing: does the opening say how the answer will proceed before diving in?

Interviewers can only follow (and give credit for) reasoning they can see coming. An answer
that opens with a plan ("Let me pin down the goal, then the data, then the model"), a
structure ("There are three parts to this"), or an explicit first step ("Before I design
anything, what is the primary metric?") lets the listener file every later sentence in the
right place. An answer that opens with "I'd use XGBoost" asks them to reverse-engineer the
thinking, and usually means the requirements were never examined.

The opening is the first two *substantive* sentences (acknowledgements such as "Okay." or
"Great question." and stray filler sentences are skipped), cut to the first ``opening_s``
seconds and ``max_opening_words`` words so a framing phrase buried in a long ramble does not
count. The opening is classified as:

* ``plan``: a stated plan or sequence ("I'll define it, then ...", "let me first ...",
  "I'd approach this in two steps", "at a high level");
* ``structure``: an enumerated structure ("There are three layers: ...");
* ``clarify_first``: the first step is clarifying (a clarifying question, or "Before I
  choose ...", "I'd start by asking ...");
* ``definition`` (not framing): it opens by defining the term and carries on;
* ``jumps_to_solution`` (not framing): it opens by naming a model, tool or fix;
* ``dives_in`` (not framing): anything else.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.learned import model_rule, second_opinion, span_probabilities
from voice_coach.lexicon import FILLED_PAUSE, lexicon
from voice_coach.signals.base import Context, SignalResult, Verdict, no_words
from voice_coach.signals.clarifying_questions import find_clarifying
from voice_coach.signals.phrases import Hit, Sent, Text, quote, text_of
from voice_coach.transcript import Transcript


@dataclass(frozen=True)
class Config:
    """Thresholds for framing.

    Attributes:
        opening_sentences: how many substantive sentences make up the opening.
        opening_s: for timed transcripts, the opening ends this many seconds after the
            first word, even within a long sentence.
        max_opening_words: the opening never runs past this many words (a text-mode
            stand-in for ``opening_s``: about 20 s of speech at 150 words per minute).
        min_unit_opening_words: in text with few full stops, the opening takes further units
            until it has this many words (two spoken sentences; units are clauses).
        min_sentence_words: sentences with fewer content words than this ("Okay.",
            "Hmm, right.") are skipped when finding the opening.
    """

    opening_sentences: int = 2
    min_unit_opening_words: int = 25
    opening_s: float = 20.0
    max_opening_words: int = 50
    min_sentence_words: int = 3


# Words that carry no content at the start of an answer (besides filled pauses: see opening()).
NON_CONTENT = frozenset({
    "oh", "okay", "ok", "so",
    "well", "right", "alright", "yeah", "yes", "sure", "great", "good", "question", "thanks",
    "thank", "you", "like", "and", "done", "cool", "interesting", "",
})

# An enumerated structure: "there are three layers", "in two steps".
STRUCTURE = lexicon("framing.structure")

NUM_STRUCT = lexicon("framing.num_struct")

# Always framing: stated structures and ways of proceeding.
PLAN = lexicon("framing.plan")

# Framing only with a sequence ("..., then ...") or a process object: "I'd start with the
# goal, then ..." frames the answer, "I'd start with a gradient boosted ranker" does not.
WEAK_PLAN = lexicon("framing.weak_plan")
SEQUENCE = lexicon("framing.sequence")
PROCESS_OBJECT = lexicon("framing.process_object")

# Naming a model, an algorithm or a tool: the hallmark of jumping to a solution.
SOLUTION = lexicon("framing.solution")
# What follows "I'd start with": a model or tool makes it a solution, not a plan.
SOLUTION_AFTER_START = lexicon("framing.solution_after_start")
# "..., then maybe try a neural net": a sequence of models to try is not a plan for the answer.
SOLUTION_STEP = lexicon("framing.solution_step")
DEFINITION = lexicon("framing.definition")
# A sentence that only buys time ("that's a tough one", "let me think"), and what may precede it.
STALL = lexicon("framing.stall")
STALL_LEAD = lexicon("framing.stall_lead")


@dataclass(frozen=True)
class Opening:
    """The opening of an answer: word range and the sentences it covers."""

    first: int
    last: int
    sentences: tuple[Sent, ...]


def _stall(s: Sent) -> bool:
    """The sentence only buys time ("Oh, that's a nice one.", "Let me think for a second."):
    a stall, and after it nothing but leading words and fillers."""
    hit = s.starts_with(STALL, skip=STALL_LEAD)
    return hit is not None and all(not n or STALL_LEAD.fullmatch(n) for n in s.norms[hit.last - s.first:])


def _is_content(word: str) -> bool:
    """Whether a lower-case word carries content: not an acknowledgement, not a filled pause."""
    return word not in NON_CONTENT and not FILLED_PAUSE.fullmatch(word)


def opening(text: Text, config: Config) -> Opening | None:
    """The first ``opening_sentences`` substantive sentences, capped in words and seconds."""
    chosen: list[Sent] = []
    for s in text.sentences:
        content = [n for n in s.norms if _is_content(n)]
        if (len(content) < config.min_sentence_words and not (s.is_question and content)) or _stall(s):
            continue
        chosen.append(s)
        # Units of text with few full stops are clauses, shorter than the sentences the
        # opening counts; they make up at least the words of two spoken sentences.
        if len(chosen) >= config.opening_sentences and (
                not text.units or chosen[-1].last - chosen[0].first >= config.min_unit_opening_words):
            break
    if not chosen:
        return None
    first, last = chosen[0].first, chosen[-1].last
    last = min(last, first + config.max_opening_words)
    t0 = next((w.start for w in text.words[first:last] if w.start is not None), None)
    if t0 is not None:
        limit = t0 + config.opening_s
        cut = next((i for i in range(first, last)
                    if text.words[i].start is not None and (text.words[i].start or 0.0) > limit), last)
        last = max(first + 1, cut)
    return Opening(first, last, tuple(s for s in chosen if s.first < last))


# What may follow a sequence word in a plan that names its steps as topics ("then the model",
# "then how I'd ship it"), as opposed to one that narrates actions ("then label it", "then we'd").
_TOPIC_POS = frozenset({"NOUN", "PROPN", "DET", "ADJ", "NUM"})
_TOPIC_WORDS = frozenset({"how", "what", "why", "where", "which", "who", "whether", "when"})
_SKIP_POS = frozenset({"PUNCT", "INTJ", "CCONJ"})


def _names_steps(text: Text, s: Sent) -> bool:
    """Whether ``s`` orders its steps as topics: a sequence word ("then", "next", "finally")
    followed by a noun phrase or a wh-clause, or a counted structure ("in three stages", "two
    parts").

    What makes the learned model's plan a plan rather than a confident first sentence ("You'd
    monitor it with some dashboards.", "I'd look at how much the data has changed") or a dive
    into the solution ("I'd collect data, and then label it and train the model"). Measured on
    blind rounds: docs/signals.md, "The model's plan"."""
    if s.search(NUM_STRUCT) is not None:
        return True
    for q in s.find(SEQUENCE):
        after = [t for t in text.tokens(q.last, s.last) if t.pos not in _SKIP_POS and _is_content(t.lower)]
        if after and (after[0].pos in _TOPIC_POS or after[0].lower in _TOPIC_WORDS):
            return True
    return False


# In text with few full stops the units cut a spoken plan across clauses ("so i'll give you
# the | setup the call | i made | and then what i'd change"), and no unit alone reads as one.
# The model's plan over the whole opening counts from this probability, above the model's own
# threshold, which was set on sentence-sized inputs (docs/signals.md, "The opening read whole").
WHOLE_OPENING_P = 0.97


def _whole_opening_plan(text: Text, op: Opening) -> Hit | None:
    """The model's plan over the opening of text with few full stops, read as one span: it
    must name its steps (:func:`_names_steps`) and no solution."""
    if not text.units or len(op.sentences) < 2:
        return None
    whole = Sent(-1, op.first, op.last, text.words[op.first:op.last], forms=text.language.forms[op.first:op.last])
    if whole.search(SOLUTION) is not None or not _names_steps(text, whole):
        return None
    ps = span_probabilities(text.language, "plan", [(op.first, op.last)])
    if not ps or ps[0] < WHOLE_OPENING_P:
        return None
    return Hit(op.first, op.last, "", model_rule("plan"), ps[0])


def _in_opening(hit: Hit, op: Opening) -> bool:
    return op.first <= hit.first < op.last


def classify(text: Text, config: Config) -> tuple[str, Hit | None, Opening | None]:
    """The kind of opening, the phrase that decided it, and the opening itself.

    The ramble model asks too (``ramble_model.structure``), so results are memoised on the
    shared :class:`Text` per config, as :func:`find_clarifying` does.
    """
    memo: dict[Config, tuple[str, Hit | None, Opening | None]] = text.__dict__.setdefault("_framing_memo", {})
    if config not in memo:
        memo[config] = _classify(text, config)
    return memo[config]


def _classify(text: Text, config: Config) -> tuple[str, Hit | None, Opening | None]:
    op = opening(text, config)
    if op is None:
        return "none", None, None
    # Every framing move in the opening; the earliest one names the kind.
    found: list[tuple[int, str, Hit]] = []
    for f in find_clarifying(text):
        if op.first <= f.first < op.last:
            found.append((f.first, "clarify_first", Hit(f.first, f.last, "", f.rule, f.p)))
    for s in op.sentences:
        found += [(h.first, "structure", h) for h in s.find(STRUCTURE) if _in_opening(h, op)]
        # "I see two risks: leakage and drift." A counted noun introducing a list is a structure.
        found += [(h.first, "structure", h) for h in s.find(NUM_STRUCT)
                  if _in_opening(h, op) and text.words[h.last - 1].text.endswith(":")]
        for h in s.find(PLAN):
            if _in_opening(h, op):
                clarify = h.text.startswith("before") or "clarif" in h.text
                found.append((h.first, "clarify_first" if clarify else "plan", h))
        for h in s.find(WEAK_PLAN):
            if not _in_opening(h, op):
                continue
            after = " ".join(s.norms[h.last - s.first:h.last - s.first + 6])
            if SOLUTION_AFTER_START.match(after):
                continue
            if s.search(PROCESS_OBJECT) is not None or any(
                not SOLUTION_STEP.match(s.text, s.word_offset(q.last))
                for q in s.find(SEQUENCE, start_word=h.last - s.first) if q.last < s.last
            ):
                found.append((h.first, "plan", h))
    # The model's plan counts in a sentence that names its steps (learned.NOT_ALONE), and never
    # in one that names a solution ("I'd use a cache.").
    found += [(s.first, "plan", Hit(s.first, min(s.last, op.last), "", model_rule("plan"), p))
              for s, p in second_opinion(text, "plan", [(f[2].first, f[2].last) for f in found],
                                         op.sentences, corroborated=lambda s: _names_steps(text, s))
              if s.search(SOLUTION) is None]
    first_s = op.sentences[0]
    # An answer whose first sentence names a solution has jumped to it, whatever the second
    # sentence then says ("I'd use XGBoost. Is this real-time?"), unless that sentence states
    # a plan or structure outright, in a lexicon's words ("I'll pick Spotify. So I want to
    # talk about who the users are, then ...").
    if found and not any(f[0] < first_s.last for f in found) and first_s.search(SOLUTION) is not None \
            and first_s.starts_with(DEFINITION, skip=_LEAD) is None \
            and not any(f[1] in {"plan", "structure"} and f[2].rule != model_rule("plan") for f in found):
        found = []
    if found:
        _, kind, hit = min(found, key=lambda f: f[0])
        return kind, hit, op
    whole = _whole_opening_plan(text, op)
    if whole is not None:
        return "plan", whole, op
    if first_s.starts_with(DEFINITION, skip=_LEAD) is not None:
        return "definition", None, op
    sol = first_s.search(SOLUTION)
    if sol is not None:
        return "jumps_to_solution", sol, op
    return "dives_in", None, op


# voice_coach.lexicon's leading words and the fillers that open a first sentence.
_LEAD = lexicon("framing.lead")
FRAMING_KINDS = frozenset({"plan", "structure", "clarify_first"})

KIND_HEADLINE = {
    "plan": "opens with a plan",
    "structure": "opens with a stated structure",
    "clarify_first": "opens by clarifying first",
}

ADVICE = {
    "jumps_to_solution": "You named a solution first. Open with one sentence of plan instead: "
                         "\"First I'll pin down the goal and constraints, then the data, then the model.\"",
    "definition": "You opened with a definition and kept going. Add one sentence saying what comes "
                  "next: \"I'll define it, then say when I'd use it and what it costs.\"",
    "dives_in": "Open with a roadmap before the details: \"There are three parts to this: ...\" or "
                "\"Let me clarify the goal first, then ...\".",
}


def compute(transcript: Transcript, config: Config, context: Context) -> SignalResult:
    """Classify the opening of the answer and quote it."""
    verdict: Verdict
    text = text_of(context.language, units=True)
    kind, hit, op = classify(text, config)
    if op is None:
        return no_words("framing", {"present": False, "kind": "none", "opening": ""})
    opening_ev = text.evidence(op.first, op.last)
    present = kind in FRAMING_KINDS
    values = {
        "present": present,
        "kind": kind,
        "opening": quote(opening_ev.text, 240),
        "phrase": hit.text if hit is not None and hit.text else None,
    }
    evidence = [opening_ev]
    if hit is not None:
        phrase_ev = text.hit_evidence(hit)
        if phrase_ev.text != opening_ev.text:
            evidence.insert(0, phrase_ev)
    if present:
        verdict, headline = "strength", KIND_HEADLINE[kind]
        advice = "Good opening: the listener knows where the answer is going. Keep it to one sentence."
    else:
        verdict, headline = "work_on", f"no framing ({kind.replace('_', ' ')})"
        advice = ADVICE.get(kind, ADVICE["dives_in"])
    return SignalResult("framing", values, verdict, advice, tuple(evidence), headline)
