"""Whether an interviewer's words ask something, and which bank question they are.

An interview is split where the interviewer *asks*: a sentence that ends in a question mark,
or opens the way spoken interview prompts do ("how would you ...", "walk me through ...",
"tell me about ..."). Whisper does not always punctuate a spoken question, so the openings
matter as much as the ``?``. Replies that ask nothing ("yes, assume a million users") and
backchannels ("mm-hmm", "right") never start a question, and neither does small talk
("how are you?", "can you hear me?"), which has no answer worth coaching.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from voice_coach.question import Question
from voice_coach.transcript import normalise_token

# How a spoken interview prompt opens. Matched on the lower-cased sentence, after a short
# lead-in ("okay so", "great, next one:") has been skipped.
_OPENINGS = re.compile(
    r"^(?:how|what|why|which|when|where|who|whom|whose|"
    r"(?:can|could|would|will|do|does|did|is|are|was|were|have|has|should) (?:you|we|i|it|they|there|this|that)|"
    r"tell me|walk me|talk me|take me|talk (?:about|through)|explain|describe|design|estimate|"
    r"imagine|suppose|say you|let's say|give me|show me|compare|define|outline|sketch)\b"
)
_LEAD_IN = re.compile(
    r"^(?:(?:okay|ok|alright|all right|right|great|good|cool|nice|thanks|thank you|so|and|now|"
    r"next|then|let's move on|moving on|another one|my|the|first|second|third|last|final|"
    r"question is|question|one)[\s,.:;!-]+)+"
)
_SMALL_TALK = re.compile(
    r"\b(?:how are you|how's it going|how is it going|how are things|can you hear me|"
    r"are you ready|shall we (?:start|begin|get started)|any questions for (?:me|us)|"
    r"is (?:this|now) (?:a good time|okay)|are you there|"
    r"how was your (?:day|weekend|morning))\b"
)
# Words that only acknowledge; "got it" and "I see" are two of them.
BACKCHANNELS = frozenset((
    "mm-hmm", "mhm", "mm", "hmm", "uh-huh", "yeah", "yep", "yes", "right", "okay", "ok", "sure",
    "got", "it", "i", "see", "cool", "nice", "great", "good", "ah", "oh", "alright", "gotcha",
    "true", "exactly", "interesting",
))
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences at ``. ! ?`` (Whisper's punctuation)."""
    return [s for s in _SENTENCE_END.split(" ".join(text.split())) if s]


def _plain(sentence: str) -> str:
    return " ".join(normalise_token(t) for t in sentence.split() if normalise_token(t))


def is_small_talk(sentence: str) -> bool:
    """Whether a sentence is small talk ("How are you doing?", "Can you hear me?")."""
    return bool(_SMALL_TALK.search(_plain(sentence)))


def sentence_asks(sentence: str) -> bool:
    """Whether one sentence asks something: a ``?``, or a question's or prompt's opening.

    Without a ``?`` it takes three words or more: the recogniser's fragments ("How time.")
    open like questions too.
    """
    plain = _plain(sentence)
    if not plain or is_small_talk(sentence):
        return False
    if sentence.rstrip().endswith("?"):
        return True
    body = _LEAD_IN.sub("", plain + " ").strip()
    return len(body.split()) >= 3 and bool(_OPENINGS.match(body))


def asks(text: str, min_words: int = 4) -> bool:
    """Whether an interviewer's turn asks a question worth an answer.

    A turn of fewer than ``min_words`` words ("Why?", "And then?") is a prompt to go on,
    not a new question, so it does not split an answer. What the turn ends on decides: its
    last sentence that asks or makes small talk ("That's all, thanks. Hi, how are you?"
    ends on small talk, so it is no question).
    """
    if len(text.split()) < min_words:
        return False
    for sentence in reversed(sentences(text)):
        if is_small_talk(sentence):
            return False
        if sentence_asks(sentence):
            return True
    return False


def is_backchannel(text: str, max_words: int = 3) -> bool:
    """Whether a short turn only acknowledges ("mm-hmm", "right, okay", "got it")."""
    plain = _plain(text)
    if not plain or len(plain.split()) > max_words:
        return False
    return all(t in BACKCHANNELS for t in plain.split()) or plain in BACKCHANNELS


def question_text(text: str) -> str:
    """The asking part of a turn: from its first asking sentence on (drops "Great, thanks.")."""
    parts = sentences(text)
    for i, s in enumerate(parts):
        if sentence_asks(s):
            return " ".join(parts[i:])
    return " ".join(parts)


@dataclass(frozen=True)
class BankMatch:
    """A bank question close to what was asked, and how close (0..1)."""

    question: Question
    score: float


def match_bank(text: str, bank: Sequence[Question], threshold: float = 0.7) -> BankMatch | None:
    """The bank question closest to ``text``, if its similarity reaches ``threshold``.

    Similarity is :class:`difflib.SequenceMatcher` on the normalised *characters*, taken over
    the asked text and over each of its sentences (an interviewer often wraps a bank question
    in words of their own). Characters rather than words, because the recogniser splits and
    bends words ("a non -line shop" for "an online shop"): on the 89 shipped questions a
    misheard rendering of a bank question scored 0.86 against it, while different bank
    questions score at most 0.65 against each other.
    """
    plain = [_plain(text), *(_plain(s) for s in sentences(text))]
    asked = [a for a in dict.fromkeys(plain) if a]
    best: BankMatch | None = None
    for q in bank:
        if not q.text:
            continue
        target = _plain(q.text)
        for a in asked:
            score = difflib.SequenceMatcher(None, a, target, autojunk=False).ratio()
            if best is None or score > best.score:
                best = BankMatch(q, round(score, 3))
    return best if best is not None and best.score >= threshold else None
