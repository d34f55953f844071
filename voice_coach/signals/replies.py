"""Replies: how the interviewer's answer to a question shows in a one-voice transcript.

Only the candidate is transcribed, so a reply is seen in what the speaker does next: takes it
in ("okay", "got it", "grand"), echoes it ("Only Android, okay"), or settles the question by
assuming an answer ("i'll assume one region"). In text without question marks this is what
tells a question put to the interviewer from the speaker's own checklist
(:mod:`voice_coach.signals.clarifying_questions`).
"""

from __future__ import annotations

from voice_coach.lexicon import FILLED_PAUSE, lexicon
from voice_coach.signals.phrases import Sent, Text
from voice_coach.signals.question_form import is_question

# The next sentence opens with the speaker's own answer.
ANSWER_START = lexicon("clarifying_questions.answer_start")
# The speaker taking in the interviewer's reply (see taken_in).
TAKEN_IN = lexicon("clarifying_questions.taken_in")
# The speaker settling the question themself when no reply comes (see assumes_reply).
ASSUMED_REPLY = lexicon("clarifying_questions.assumed_reply")
# What may close a reply echoed inside its question's unit (see reply_in_unit).
REPLY_TAIL = lexicon("clarifying_questions.reply_tail")


def ends_taken_in(s: Sent) -> bool:
    """The sentence ends by taking in a reply ("... mostly anonymous, okay", "... got it")."""
    tail = [n for n in s.norms if n and not FILLED_PAUSE.fullmatch(n)][-2:]
    return bool(tail) and (TAKEN_IN.fullmatch(tail[-1]) is not None or TAKEN_IN.fullmatch(" ".join(tail)) is not None)


# The most words a sentence that only echoes the interviewer's reply has ("Yeah.", "No?",
# "Yes, okay.").
BARE_REPLY_WORDS = 2
# How far into a following unit the reply may show: the words of it a speaker echoes before
# taking it in ("Only Android, okay, ..."), or the words before an assumption that settles it.
REPLY_WORDS = 3


def echo_taken_in(text: Text, s: Sent) -> bool:
    """The sentence opens by echoing a reply in a few verbless words and taking it in ("Only
    Android, okay, this is very interesting.", "Subscriptions, grand.")."""
    content = [(i, n) for i, n in enumerate(s.norms) if n and not FILLED_PAUSE.fullmatch(n)]
    for i, n in content[1:REPLY_WORDS + 1]:
        if TAKEN_IN.fullmatch(n):
            return text.language.tagged and not any(
                t.pos in {"VERB", "AUX", "PRON"} for t in text.tokens(s.first, s.first + i))
    return False


def reply_in_unit(text: Text, s: Sent) -> bool:
    """An either/or question's own unit ends with the interviewer's reply, which the restorer
    did not split off: taken in, then echoed in a few verbless words ("is it analysts or more
    the business people okay daily analysts"), or echoed alone, repeating words of the first
    side ("are the seats assigned or it is general admission assigned seats")."""
    if not text.language.tagged:
        return False
    toks = [t for t in text.tokens(s.first, s.last) if t.pos != "PUNCT"]
    while toks and (REPLY_TAIL.fullmatch(toks[-1].lower) or TAKEN_IN.fullmatch(toks[-1].lower)):
        toks.pop()
    ors = [i for i, t in enumerate(toks) if t.lower == "or"]
    if not ors:
        return False
    for i in range(max(ors[-1] + 2, len(toks) - REPLY_WORDS - 1), len(toks)):
        if TAKEN_IN.fullmatch(toks[i].lower) and not any(t.pos in {"VERB", "AUX", "PRON"} for t in toks[i + 1:]):
            return True
    # Not a condition on the question ("is it one dependency or everywhere if it's everywhere").
    first_side = {t.lemma for t in toks[:ors[-1]]}
    for k in (3, 2):
        tail, head = toks[-k:], toks[:-k]
        if len(head) > ors[-1] + 1 and head[-1].lower != "if" and not any(t.lower in {"or", "if"} for t in tail) \
                and all(t.lemma in first_side for t in tail if t.pos not in {"DET", "ADP", "INTJ"}):
            return True
    return False


def assumes_reply(s: Sent) -> bool:
    """The sentence opens by assuming the answer the interviewer did not give ("... or is it a
    platform | i will assume one product for now"): the question was put, then settled."""
    return any(h.first - s.first <= REPLY_WORDS for h in s.find(ASSUMED_REPLY))


def taken_in(text: Text, k: int, lookahead: int = 3) -> bool:
    """Whether the speaker takes in a reply after question ``k`` ("... one off items | one off
    purchases right", "... a small batch | maybe a few hundred | okay so ..."): at the end of
    the question's own unit, or at the start or end of one of the short units after it (the
    echoed reply), after a few echoed words ("Only Android, okay"), or by assuming the answer
    ("i'll assume ..."), across a run of further questions; or nothing follows the question."""
    s = text.sentences[k]
    if (not s.is_question and (ends_taken_in(s) or reply_in_unit(text, s))) or k + 1 >= len(text.sentences):
        return True  # (a closing question: nothing follows that could be its own answer)
    for n in text.sentences[k + 1:k + 1 + lookahead]:
        if n.starts_with(TAKEN_IN, skip=FILLED_PAUSE) is not None or ends_taken_in(n) or echo_taken_in(text, n) \
                or assumes_reply(n):
            return True
        content = [w for w in n.norms if w and not FILLED_PAUSE.fullmatch(w)]
        # A bare "Yeah." or "No?" after the question: the interviewer's reply, echoed.
        if 0 < len(content) <= BARE_REPLY_WORDS and all(ANSWER_START.fullmatch(w) or TAKEN_IN.fullmatch(w)
                                                         for w in content):
            return True
        if len(content) > 8 and not is_question(text, n.index):
            return False
    return False
