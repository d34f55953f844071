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

from voice_coach.learned import model_rule, second_opinion
from voice_coach.lexicon import compile_lexicon, lead
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
        min_sentence_words: sentences with fewer content words than this ("Okay.",
            "Hmm, right.") are skipped when finding the opening.
    """

    opening_sentences: int = 2
    opening_s: float = 20.0
    max_opening_words: int = 50
    min_sentence_words: int = 3


# Words that carry no content at the start of an answer.
NON_CONTENT = frozenset({
    "um", "umm", "uh", "uhh", "er", "erm", "hmm", "hm", "mm", "ah", "oh", "okay", "ok", "so",
    "well", "right", "alright", "yeah", "yes", "sure", "great", "good", "question", "thanks",
    "thank", "you", "like", "and", "done", "cool", "interesting", "",
})

STRUCT = (r"(?:main |key |big |broad |different |separate |core |major |distinct |important |"
          r"high-level |high level |quick |simple )?"
          r"(?:steps|parts|things|layers|areas|stages|phases|components|pieces|points|aspects|"
          r"angles|dimensions|pillars|buckets|considerations|factors|sides|levels|questions|ways|"
          r"sections|topics|concerns|pieces|categories|options|approaches|strategies|checks|"
          r"issues|reasons|ideas|halves|lenses|families|kinds|types)")

# An enumerated structure: "there are three layers", "in two steps".
STRUCTURE = compile_lexicon("framing.structure", [
    r"there (?:are|is|'re) {NUM} " + STRUCT,
    r"(?:in|into|across|along|with) {NUM} " + STRUCT,
    r"{WOULD} (?:\w+ )?(?:cover|discuss|talk about|go over|go through|look at|focus on|walk through|"
    r"mention|address|consider|touch on|split|organi[sz]e|structure|answer|do|explain|describe|give|show|"
    r"list|compare|name|outline|separate) (?:this |it |my answer )?(?:in |into |as )?(?:the |my )?{NUM} " + STRUCT,
    r"{NUM} " + STRUCT + r" (?:that )?(?:matter|stand out|come to mind|worth|to consider|i'd|i would|i'll|i see)",
    r"{NUM} " + STRUCT + r" (?:here|to (?:this|it|consider|cover|think about|look at)|i'd|i would|"
                         r"i'll|i want|we need|that matter|worth)",
])

NUM_STRUCT = compile_lexicon("framing.num_struct", [r"{NUM} " + STRUCT])

# Always framing: stated structures and ways of proceeding.
PLAN = compile_lexicon("framing.plan", [
    r"{WOULDI} (?:first |quickly |briefly )?(?:walk (?:you )?through|go through|break (?:this|it|that|the \w+|"
    r"my \w+|things)(?: down| into| up)?|structure (?:this|it|my|the)|outline|lay out|"
    r"frame (?:this|it|the)|approach (?:this|it|the)|tackle (?:this|it|the)|split (?:this|it|that|the \w+|my \w+)|"
    r"organi[sz]e|divide (?:this|it)|sketch|answer (?:this|it|that) in|think (?:out loud|aloud)|"
    r"reason (?:out loud|aloud|through)|cover (?:this|it) in|take (?:this|it) in)",
    r"let me (?:first|start|begin|think about how|break|walk|outline|frame|set up|lay out|structure|"
    r"step back|take a step back|clarify|pin down|nail down|make sure i understand)",
    r"let's (?:first|start|begin|break|walk|outline|frame|structure|step back)",
    r"i(?:'d| would) (?:think about|look at|split|group) (?:this|it) (?:in|as|along|from)",
    r"my (?:plan|approach|answer|strategy|structure|framework|outline) (?:is|would be|will be|has|here)",
    r"(?:the|my) way (?:i'd|i would|i'll|i will|i) (?:approach|think about|tackle|structure|answer)",
    r"(?:at|from) a high(?:-| )level",
    r"(?:the )?big picture (?:first|is)",
    r"step (?:one|1)|(?:the )?first step (?:is|would be|i'd|i would)",
    r"before (?:i|we) (?:design|choose|pick|dive|jump|get into|go|start|answer|propose|decide|build|"
    r"commit|settle|recommend|suggest|model|talk|pick|select|sketch|write|code|solve)",
    r"(?:clarify|clarifying|understand|understanding|pin down|nail down|define|defining|scope|scoping) "
    r"(?:the |our |what |a few |some )?(?:goal|goals|requirements|problem|constraints|objective|"
    r"question|scope|use case|success|metric|setting|context|task|we're|we are|the interviewer)",
    r"to answer (?:this|that|the question)",
    # Announcing what the answer will cover ("I'll cover when to use it and what it costs").
    r"(?:i'll|i will|let me|let's|i'm going to|i am going to|i want to|i'd like to) (?:first |briefly |quickly )?"
    r"(?:cover|go over|discuss|talk (?:about|through)|touch on|walk through|explain|describe|outline|define|"
    r"compare|contrast|lay out|sketch|summari[sz]e)",
    r"here's (?:how|what) (?:i'd|i would|i'll|i will|i|we'd|we)|here's my (?:plan|approach|thinking|outline)",
    r"{WOULD} (?:\w+ )?(?:\w+ )?(?:step by step|in (?:that|this) order|one (?:step|piece|part) at a time)",
    r"(?:the )?first thing (?:i'd|i would|i'll|i will|i want|i do|we do|to do|we need|i need|"
    r"to (?:figure|understand|settle))",
    r"(?:starting|beginning) (?:with|by|from) (?:the |a |some |our )?(?:goal|problem|requirements|constraints|"
    r"objective|data|question|questions|use case|business|metric|metrics|definition|basics|big picture|"
    r"assumptions|context|clarifying|understanding|asking|defining)",
    r"{WOULDI} (?:think|talk) (?:about|of|through) (?:this|it) (?:in terms of|as|along|from)",
    r"i (?:see|treat|frame|view) (?:this|it) as (?:a|an) \w+ (?:problem|question)",
    r"the (?:key|main|big|first) (?:questions|steps|parts|things|pieces) (?:are|is|here)",
    r"(?:i'd|i would|i'll|let me|i want to|i'd like to) (?:first )?(?:want to )?(?:understand|know|ask about) "
    r"(?:the )?(?:goal|requirements|constraints|objective|use case|context|scale|latency|data)",
    r"i(?:'ll| will) (?:explain|show|argue|walk|cover|go) (?:why|how|what|through)",
    r"(?:the )?short answer is .* (?:then|and i'll|i'll|let me)",
])

# Framing only with a sequence ("..., then ...") or a process object: "I'd start with the
# goal, then ..." frames the answer, "I'd start with a gradient boosted ranker" does not.
WEAK_PLAN = compile_lexicon("framing.weak_plan", [
    r"{WOULDI} (?:first |quickly |briefly |probably )?(?:start|begin|kick off|open|lead) (?:with|by|from)",
    r"{WOULDI} (?:first )?(?:define|explain|describe|cover|talk about|discuss|look at|say|give|think about|"
    r"summari[sz]e|go over|mention|compare|review|list)",
    r"(?:i'd|i would|i'll|i will|i want to|let me|we'd|we'll) (?:first|initially)",
    # "First, I'd ..." frames only what follows it: "First, I'd use a CNN" is a solution.
    r"(?:first|firstly),? (?:i'd|i would|i'll|we'd|we'll|let's|let me|i want to|we need to|i need to|i'm going to)",
])
SEQUENCE = compile_lexicon("framing.sequence", [
    r"then|and then|after that|afterwards|next|followed by|finally|lastly|before (?:moving|going|getting)",
    r"second|secondly|later|eventually|once (?:that's|that is|i|we)",
])
PROCESS_OBJECT = compile_lexicon("framing.process_object", [
    r"(?:start|begin|kick off|open|lead) (?:with|by|from) (?:asking|clarifying|understanding|defining|"
    r"framing|pinning|figuring|scoping|checking|confirming|outlining|laying|exploring|thinking|"
    r"looking at (?:the )?(?:data|problem|requirements|goal|question|labels|metrics?)|"
    r"(?:a |the |some |our |my )?(?:goal|problem|requirements|constraints|objective|data|question|"
    r"questions|use case|business|metric|metrics|definition|basics|intuition|big picture|"
    r"assumptions|context|setup|framing|labels|where|what|why|how|which|whether|who))",
])

# Naming a model, an algorithm or a tool: the hallmark of jumping to a solution.
SOLUTION = compile_lexicon("framing.solution", [
    r"(?:i'd|i would|i'll|i will|we'd|we would|you'd|you would|you could|you can|we can|i can|just|"
    r"i'm going to|i) (?:just |probably |simply |definitely )?(?:use|train|build|go with|pick|choose|"
    r"try|apply|throw|fit|deploy|add|do)",
    r"you (?:split|use|train|add|take|compute|check|put|run|just)",
    r"xgboost|lightgbm|catboost|gradient[- ]boost\w*|random forests?|neural (?:network|net)s?|"
    r"logistic regression|linear regression|transformers?|bert|cnns?|lstms?|rnns?|svms?|k-?means|"
    r"two[- ]tower|deep learning|dashboard|t-?test|a robust loss|decision trees?",
])
# What follows "I'd start with": a model or tool makes it a solution, not a plan.
SOLUTION_AFTER_START = compile_lexicon("framing.solution_after_start", [
    r"(?:like |maybe |just |probably |um |uh )*(?:use|train|try|fit|deploy|go with|pick|choose|throw|build) ",
    r"(?:like |maybe |just |probably |um |uh )*(?:a |an |the |some )?(?:simple |basic |big |small |deep |"
    r"standard |quick |pretrained |fine-tuned |gradient |boosted |linear |logistic )*"
    r"(?:model|network|neural|xgboost|lightgbm|random|forest|logistic|linear|transformer|bert|cnn|lstm|svm|"
    r"tree|trees|ranker|classifier|regression|dashboard|gbm|gbdt|deep|two[- ]tower|boosting|embedding)",
])
# "..., then maybe try a neural net": a sequence of models to try is not a plan for the answer.
SOLUTION_STEP = compile_lexicon("framing.solution_step", [
    r"(?:maybe |probably |just |we |i |i'd |you )*(?:try|use|train|switch to|fit|add|tune|deploy|"
    r"fine-tune|fine tune|swap|throw|go with|compare it)",
])
DEFINITION = compile_lexicon("framing.definition", [
    r"(?:it|it's|it is|this|that|they|\w+(?: \w+)?) (?:is|are|'s|means|refers to|basically is) "
    r"(?:a|an|the|kind of|sort of|basically|just|when|how|where)",
    r"it's|it is|they're|they are",
])


@dataclass(frozen=True)
class Opening:
    """The opening of an answer: word range and the sentences it covers."""

    first: int
    last: int
    sentences: tuple[Sent, ...]


def opening(text: Text, config: Config) -> Opening | None:
    """The first ``opening_sentences`` substantive sentences, capped in words and seconds."""
    chosen: list[Sent] = []
    for s in text.sentences:
        content = [n for n in s.norms if n not in NON_CONTENT]
        if len(content) < config.min_sentence_words and not (s.is_question and content):
            continue
        chosen.append(s)
        if len(chosen) >= config.opening_sentences:
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


def _in_opening(hit: Hit, op: Opening) -> bool:
    return op.first <= hit.first < op.last


def classify(text: Text, config: Config) -> tuple[str, Hit | None, Opening | None]:
    """The kind of opening, the phrase that decided it, and the opening itself."""
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
    # The model's plan never overrides a sentence that names a solution ("I'd use a cache.").
    found += [(s.first, "plan", Hit(s.first, min(s.last, op.last), "", model_rule("plan"), p))
              for s, p in second_opinion(text, "plan", [(f[2].first, f[2].last) for f in found], op.sentences)
              if s.search(SOLUTION) is None]
    first_s = op.sentences[0]
    # An answer whose first sentence names a solution has jumped to it, whatever the second
    # sentence then says ("I'd use XGBoost. Is this real-time?").
    if found and not any(f[0] < first_s.last for f in found) and first_s.search(SOLUTION) is not None \
            and first_s.starts_with(DEFINITION, skip=_LEAD) is None:
        found = []
    if found:
        _, kind, hit = min(found, key=lambda f: f[0])
        return kind, hit, op
    if first_s.starts_with(DEFINITION, skip=_LEAD) is not None:
        return "definition", None, op
    sol = first_s.search(SOLUTION)
    if sol is not None:
        return "jumps_to_solution", sol, op
    return "dives_in", None, op


# voice_coach.lexicon's leading words and the fillers that open a first sentence.
_LEAD = lead("framing.lead", r"basically|yeah")
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
    text = text_of(context.language)
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
