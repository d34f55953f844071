"""Clarifying questions: does the speaker ask the interviewer about requirements first?

Open ML and system-design questions are deliberately under-specified. Interviewers want to
hear the candidate find the missing facts (the metric, the latency budget, real-time or
batch, how labels are produced, how much data or traffic there is) before committing to a
design. A candidate who never asks is solving a problem they invented.

What counts:

* a question put to the interviewer about the problem setting ("Is this real-time or
  batch?", "Do you know whether the labels come from annotators?", "Can I assume ...?");
* the statement form of the same request ("Before I choose, I'd want to know the latency
  budget", "My first question would be ...", "I'd ask whether ...");
* asking the interviewer to confirm a stated assumption ("I'm assuming a year of logs. Is
  that fair?").

What does not count:

* rhetorical questions the speaker answers at once ("Why does this matter? Because ...",
  "What could go wrong? Novelty effects ..."): recognised by self-directed wording and by
  the next sentence opening with an answer ("Because", "Well", "The reason");
* tag questions ("..., right?"), wrap-up check-ins ("Does that answer your question?")
  and questions about the speaker's own solution ("Which model should I use? I'd go with
  ...", "What's the first metric I'd look at?").

A question without a question mark (Whisper sometimes drops it) is recognised from its
word order: an auxiliary before a pronoun subject ("are we ...", "do you ..."), confirmed by
spaCy's parse when the English model is present, or where the parse starts a question
(:attr:`voice_coach.language.Language.question_starts`). In text with few full stops
(captions, run-ons) the signal reads the clause units of ``Language.units``, and a question
without its mark counts only when the speaker takes in a reply after it ("... one off
purchases right", "... okay so ..."): one they go straight on from was asked of no one.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.learned import model_rule, second_opinion, vetoed
from voice_coach.lexicon import FILLED_PAUSE, lexicon
from voice_coach.signals.base import Context, Evidence, SignalResult, Verdict, no_words
from voice_coach.signals.phrases import Hit, Sent, Text, plural, quote, text_of
from voice_coach.signals.question_form import LEAD, is_question
from voice_coach.signals.replies import ANSWER_START, taken_in
from voice_coach.transcript import Transcript


@dataclass(frozen=True)
class Config:
    """Thresholds for clarifying questions.

    Attributes:
        min_question_words: a question shorter than this ("Right?", "OK?") is never a
            clarifying question.
        strength_at: this many clarifying questions make the verdict ``strength``.
        expect_for_categories: question categories (see ``prompts/``) where asking is
            expected, so asking none is ``work_on`` rather than ``ok``.
        min_answer_words: below this many words, asking nothing is not held against the
            speaker (a very short answer is judged on other signals).
        late_question_sentences: a question from this sentence on (0-based) counts only when
            the speaker takes in a reply after it: clarifying comes before the solution, and
            a later question nobody answers is the speaker's own checklist.
    """

    min_question_words: int = 3
    strength_at: int = 1
    expect_for_categories: tuple[str, ...] = (
        "system_design", "deployment", "data", "metrics", "ml_system_design", "product", "case",
        "experimentation",
    )
    min_answer_words: int = 25
    late_question_sentences: int = 3


# Questions about the speaker's own reasoning: rhetorical, or thinking aloud.
SELF_DIRECTED = lexicon("clarifying_questions.self_directed")

# Asking the interviewer to confirm what was just assumed.
CONFIRM = lexicon("clarifying_questions.confirm")
CONFIRM_STATEMENT = lexicon("clarifying_questions.confirm_statement")
ASSUMPTION = lexicon("clarifying_questions.assumption")

# The speaker as the subject of their own question.
SPEAKER_SUBJECT = lexicon("clarifying_questions.speaker_subject")
PERMISSION = lexicon("clarifying_questions.permission")

# What a unit without question form must hold to ask anything (see _answered_ask).
ASK_CUE = lexicon("clarifying_questions.ask_cue")

# A question aimed at the interviewer (second person, the team, or permission to assume).
DIRECTED = lexicon("clarifying_questions.directed")

# What clarifying questions are about: the problem's requirements, constraints and data.
TOPIC = lexicon("clarifying_questions.topic")

# Statement-form requests for information ("I'd want to know the latency budget").
STATEMENT = lexicon("clarifying_questions.statement")

# The end of a unit announcing the question the next unit asks ("... I'd want to know").
ASK_NEXT = lexicon("clarifying_questions.ask_next")

NEGATED_STATEMENT = lexicon("clarifying_questions.negated_statement")


# A comma clause opening with an auxiliary before its subject: a question (see above).
CLAUSE_QUESTION = lexicon("clarifying_questions.clause_question")
# How many of the restorer's sentences open an answer, for a question they hear whole
# (_whole_opening_questions): the first two, as framing reads the opening.
OPENING_SENTENCES = 2


@dataclass(frozen=True)
class Found:
    """One clarifying question and how it was recognised."""

    first: int
    last: int
    form: str  # "question" or "statement"
    rule: str | None = None  # the lexicon row that recognised it, when one did, or "model:clarifying"
    p: float | None = None  # the learned model's probability, when only the model found it


def _fragment_answer(text: Text, s: Sent) -> bool:
    """A short verbless sentence right after a question ("Recall.", "Novelty, mostly."):
    the speaker answering their own question."""
    content = [n for n in s.norms if n]
    if not content or len(content) > 4 or s.is_question or not text.language.tagged:
        return False
    toks = text.tokens(s.first, s.last)
    return not any(t.pos in {"VERB", "AUX"} for t in toks) and not any(t.lower in {"thanks", "thank", "okay", "ok"}
                                                                        for t in toks)


def rhetorical(text: Text, k: int) -> bool:
    """A question the speaker asks themself: self-directed wording, or answered at once."""
    s = text.sentences[k]
    if s.starts_with(SELF_DIRECTED, skip=LEAD) is not None:
        return True
    # "What's the first metric I'd look at?": the speaker is the subject, so it is thinking
    # aloud, unless it asks permission ("Can I assume ...?", "Should I focus on ...?").
    # Only the question's own clause: "I'd like to clarify the setting: is it email or chat?"
    # is a question to the interviewer even though it opens with "I'd".
    q_first = s.clauses()[-1][0]
    if any(h.first >= q_first for h in s.find(SPEAKER_SUBJECT)) and s.search(PERMISSION) is None:
        return True
    nxt = text.sentences[k + 1] if k + 1 < len(text.sentences) else None
    # An answer the speaker then takes in ("Mostly anonymous, okay.", "Dozens, or hundreds.
    # About fifty. Right.") is the interviewer's reply echoed, not the speaker's own answer.
    # So is one to a question asking the interviewer's leave ("Could I ask what it's for
    # first? Operational reporting.").
    replied = nxt is not None and (taken_in(text, k) or s.search(PERMISSION) is not None)
    # The answer may open with a word the leading words also step over ("Yes, the validation
    # loss goes up"), so it is looked for before them as well as after.
    if nxt is not None and not replied and (nxt.starts_with(ANSWER_START) or nxt.starts_with(ANSWER_START, skip=LEAD)):
        return True
    if nxt is not None and not replied and _fragment_answer(text, nxt):
        return True
    # A bare tag question ("..., right?") at the end of a statement. Not in a unit the parse
    # opened as a question: there a closing "right" takes in the interviewer's reply
    # ("is it subscription or one off purchases | one off purchases right").
    if text.units and s.first in text.language.question_starts:
        return False
    tail = [n for n in s.norms if n][-2:]
    return bool(tail) and (tail[-1] in {"right", "yeah", "okay", "ok", "huh", "no"}
                           or bool(FILLED_PAUSE.fullmatch(tail[-1]))
                           or tail in (["you", "know"], ["you", "see"], ["i", "mean"], ["or", "something"]))


def _embedded_question(text: Text, s: Sent, config: Config) -> tuple[int, int] | None:
    """A question clause inside a sentence that lost its "?" (", is the priority X or Y, ...").

    Whisper often runs a spoken question into the next sentence with commas. A clause that
    starts with an auxiliary before its subject is a question, since a statement clause does
    not open that way; it counts when it is about the problem setting.
    """
    clauses = s.clauses()
    for k, (a, b) in enumerate(clauses):
        if k == 0 or b - a < config.min_question_words + 1:
            continue
        words = " ".join(s.norms[a - s.first:b - s.first])
        if SELF_DIRECTED.match(words):
            continue
        if not CLAUSE_QUESTION.match(words) and not _inverted_clause(text, a, b):
            continue
        if _continues_subject(text, s, a, b):
            continue
        # "X, or Y" alternatives often run on into the next comma clause.
        end = b
        if k + 1 < len(clauses) and s.norms[clauses[k + 1][0] - s.first] == "or":
            end = clauses[k + 1][1]
        # The topic may sit in the sentence around the clause ("..., the labels we have,
        # or do analysts review cases too").
        if DIRECTED.search(words) or TOPIC.search(words) or TOPIC.search(s.text):
            return a, end
    return None


def _continues_subject(text: Text, s: Sent, a: int, b: int) -> bool:
    """spaCy: the clause opens "is that" + a clause, and that "is" has its subject earlier in the
    sentence ("My guess, before seeing any data, | is that the new downloads ..."): the rest of
    a statement, not a question."""
    if not text.language.tagged:
        return False
    toks = [t for t in text.tokens(a, b) if t.pos not in {"PUNCT", "CCONJ", "INTJ"}]
    if len(toks) < 2 or toks[0].lemma != "be" or toks[1].dep != "mark":
        return False
    head = toks[0].i
    return any(t.head == head and t.dep in {"nsubj", "csubj", "nsubjpass"} and s.first <= t.word < a
               for t in text.tokens(s.first, a))


def _after_like(s: Sent, first: int) -> bool:
    """The clause at transcript word ``first`` is introduced by "like" ("..., like, is it ...")."""
    i = first - s.first
    return "like" in s.norms[max(0, i - 1):i + 1]


def _inverted_clause(text: Text, a: int, b: int) -> bool:
    """spaCy: the clause opens with an auxiliary followed by its nominal subject."""
    if not text.language.tagged:
        return False
    toks = [t for t in text.tokens(a, b) if t.pos not in {"PUNCT", "CCONJ", "INTJ"}]
    return (len(toks) >= 3 and toks[0].pos == "AUX" and toks[0].lemma in {"be", "do", "have", "can", "will"}
            and toks[1].pos in {"PRON", "NOUN", "PROPN", "DET"} and toks[1].dep in {"nsubj", "nsubjpass", "det",
                                                                                   "expl", "compound"})


def _checks_assumption(text: Text, k: int) -> bool:
    """A check-in question ("is that fair?") right after a stated assumption."""
    s = text.sentences[k]
    tail = s.find(CONFIRM)
    if not tail:
        return False
    return _assumed_before(text, k, tail[-1])


def _hands_over_assumption(text: Text, k: int) -> Hit | None:
    """A check-in in statement form ("tell me if that's wrong"), or a check-in question that
    lost its mark and ends the sentence ("i assume we have some labels is this correct"),
    after an assumption earlier in the sentence or in the sentence before."""
    s = text.sentences[k]
    hit = s.search(CONFIRM_STATEMENT)
    if hit is None:
        tail = s.find(CONFIRM)
        hit = tail[-1] if tail and tail[-1].last == s.last else None
    return hit if hit is not None and _assumed_before(text, k, hit) else None


def _assumed_before(text: Text, k: int, check_in: Hit) -> bool:
    """An assumption in sentence ``k`` before its check-in, or in the sentence before."""
    s = text.sentences[k]
    before = " ".join(s.norms[:check_in.first - s.first])
    prev = text.sentences[k - 1].text if k > 0 else ""
    return bool(ASSUMPTION.search(before) or ASSUMPTION.search(prev))


def find_clarifying(text: Text, config: Config | None = None) -> list[Found]:
    """Every clarifying question (or statement-form request) in the answer, in order.

    Framing asks too (a clarifying question can open an answer), so results are memoised on
    the shared :class:`Text` per config.
    """
    config = config or Config()
    memo: dict[Config, list[Found]] = text.__dict__.setdefault("_clarifying_memo", {})
    if config not in memo:
        memo[config] = _find_clarifying(text, config)
    return memo[config]


def _unheard(text: Text, k: int, config: Config) -> bool:
    """A question put to no one: the speaker takes in no reply after it and it is either
    without its "?" in text with few full stops, or past the opening (the speaker's own
    checklist, "Do they store their card details? Do they connect real accounts?")."""
    s = text.sentences[k]
    late = not text.units and k >= config.late_question_sentences
    return ((text.units and not s.is_question) or late) and not taken_in(text, k) and not _announced(text, k)


def _announced(text: Text, k: int) -> bool:
    """The unit before question ``k`` ends by announcing it to the interviewer ("... I guess
    I'd want to know | is this a b2b product or is it consumer"): captions split the line there."""
    if k == 0:
        return False
    prev = text.sentences[k - 1]
    return any(h.last == prev.last for h in prev.find(ASK_NEXT))


def _find_clarifying(text: Text, config: Config) -> list[Found]:
    found: list[Found] = []
    for k, s in enumerate(text.sentences):
        content = [n for n in s.norms if n]
        if is_question(text, k) and _checks_assumption(text, k):
            # "Assuming a year of logs, is that fair?": the speaker asks the interviewer to
            # confirm an assumption, which is exactly a clarifying question.
            found.append(Found(s.first, s.last, "question"))
            continue
        unheard = _unheard(text, k, config)
        if is_question(text, k):
            if len(content) < config.min_question_words or rhetorical(text, k) or unheard:
                continue
            asks = s.search(DIRECTED) or s.search(TOPIC)
            if asks is not None:
                found.append(Found(s.first, s.last, "question", asks.rule))
                continue
        embedded = _embedded_question(text, s, config)
        # "..., like, is it everything or just some products, and then ...": an example of
        # what the speaker would check, unless it ends the sentence and a reply is taken in.
        if embedded is not None and _after_like(s, embedded[0]) and (
                embedded[1] < s.last or not taken_in(text, k)):
            embedded = None
        # "I'd want to know, is it all instances or just some, which I'd get from the dashboards".
        if embedded is not None and not unheard and s.search(NEGATED_STATEMENT) is None:
            found.append(Found(embedded[0], embedded[1], "question"))
            continue
        # "I'm assuming millions of users, so stop me if that's wrong": the assumption handed
        # to the interviewer to correct.
        hit = s.search(STATEMENT) or _hands_over_assumption(text, k)
        if hit is not None and s.search(NEGATED_STATEMENT) is None:
            found.append(Found(s.first, s.last, "statement", hit.rule))
    # The model vetoes a rule's hit it gives almost no chance (learned.VETO_P): a question
    # quoted from someone else, the speaker's own checks, an apology.
    found = [f for f, no in zip(found, vetoed(text.language, "clarifying", [(f.first, f.last) for f in found]),
                                strict=True) if not no]
    # The model may add a question the lexicons missed, never a statement, a rhetorical question
    # or one with self-directed wording anywhere in it ("So what matters most here? I'd say ...").
    found += [Found(s.first, s.last, "question", model_rule("clarifying"), p)
              for s, p in second_opinion(text, "clarifying", [(f.first, f.last) for f in found])
              if (is_question(text, s.index) or _answered_ask(text, s.index))
              and not rhetorical(text, s.index) and s.search(SELF_DIRECTED) is None
              and not _unheard(text, s.index, config)]
    found += _whole_opening_questions(text, found)
    return sorted(found, key=lambda f: f.first)


def _answered_ask(text: Text, k: int) -> bool:
    """In text with few full stops, a unit without question form that asks the interviewer all
    the same ("ok good and which city or whole country", "real time or batch", "i wanted to
    check if there was a launch"): it holds an alternative or a wh-word, and a reply to it is
    taken in. Only the model may find these (the rules look for question form)."""
    return text.units and k + 1 < len(text.sentences) \
        and any(ASK_CUE.fullmatch(n) for n in text.sentences[k].norms) and taken_in(text, k)


def _whole_opening_questions(text: Text, found: list[Found]) -> list[Found]:
    """In text with few full stops, an opening question the restorer heard whole.

    The clause units cut a question where its parse restarts ("how many daily users | are we
    talking about right say | 10 million ..."), and neither half then reads as asked of
    anyone. The learned restorer (:mod:`voice_coach.boundaries`) keeps such a question in one
    sentence and marks it asked; one of the first :data:`OPENING_SENTENCES` restored
    sentences that it marks asked, and the model calls clarifying at its trained threshold,
    counts, unless it is self-directed, rhetorical or an example there.
    """
    if not text.units:
        return []
    whole = text_of(text.language)
    opening = whole.sentences[:OPENING_SENTENCES]
    return [Found(s.first, s.last, "question", model_rule("clarifying"), p)
            for s, p in second_opinion(whole, "clarifying", [(f.first, f.last) for f in found], opening)
            if s.is_question and s.search(SELF_DIRECTED) is None and not rhetorical(whole, s.index)
            and not _example_question(s)]


def _example_question(s: Sent) -> bool:
    """A question introduced by "like" ("..., like, is it at sign up or after a week"): an
    example of what the speaker would check, as in :func:`_after_like`."""
    content = [n for n in s.norms if n and not FILLED_PAUSE.fullmatch(n)]
    return bool(content) and content[0] == "like"


def compute(transcript: Transcript, config: Config, context: Context) -> SignalResult:
    """Count clarifying questions put to the interviewer; quote each one."""
    verdict: Verdict
    text = text_of(context.language, units=True)
    if not text.sentences:
        return no_words("clarifying_questions", {"count": 0, "items": []})
    found = find_clarifying(text, config)
    items = [
        {"text": quote(text.evidence(f.first, f.last).text), "form": f.form,
         "start": text.evidence(f.first, f.last).start}
        for f in found
    ]
    evidence: tuple[Evidence, ...] = tuple(text.evidence(f.first, f.last, rule=f.rule, p=f.p) for f in found)
    n = len(found)
    q = context.question
    expected = bool(q is not None and (
        "clarifying_questions" in q.focus or (q.category or "") in config.expect_for_categories
    ))
    if n >= config.strength_at:
        verdict, advice = "strength", (
            "Good: you checked the requirements before solving. Keep asking one or two targeted "
            "questions, then state the assumption you will work with."
        )
    elif text.n_words < config.min_answer_words and not expected:
        verdict, advice = "ok", "Short answer; for open design questions, ask about the goal or constraints first."
    else:
        verdict = "work_on" if expected else "ok"
        advice = (
            "Ask one or two questions about the goal, the constraints or the data before solving "
            "(\"Is this real-time or batch?\", \"What latency budget do we have?\"), or state the "
            "assumption you will make."
        )
    headline = plural(n, "clarifying question") if n else "no clarifying questions"
    return SignalResult("clarifying_questions", {"count": n, "items": items}, verdict, advice,
                        evidence, headline)
