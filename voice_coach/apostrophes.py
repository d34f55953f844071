"""Contractions written without their apostrophe, restored for the language analysis.

Captions and speech-to-text exports often drop apostrophes: "so id like to cover three
things", "whats the read pattern", "thats the catch". The lexicons are written for "i'd",
"what's" and "that's", and spaCy parses "id" as a noun, so an answer typed this way loses its
plan, its clarifying question or its tradeoff only because of a missing mark. This module
gives each word the form the analysis reads (:attr:`voice_coach.language.Language.forms`);
the transcript and the evidence keep the words as written.

Two kinds of rows:

- ``ALWAYS``: written forms that are not English words of their own ("dont", "thats",
  "youre"), restored wherever they stand.
- ``BEFORE``: forms that are also words ("id" as in "user id", "ill", "wed", "lets" as in "it
  lets us", "its"), restored only when the next word is one that follows the contraction
  and not the other word ("id like", "ill start", "lets say", "its not"; but "user id and",
  "ill posed", "it lets us", "its own").

Left alone on purpose: "well" and "were" (we'll, we're) and "hed"/"shed": the next word
does not tell them apart often enough.
"""

from __future__ import annotations

from collections.abc import Sequence

from voice_coach.transcript import normalise_token

ALWAYS: dict[str, str] = {
    "dont": "don't", "doesnt": "doesn't", "didnt": "didn't", "isnt": "isn't", "arent": "aren't",
    "wasnt": "wasn't", "werent": "weren't", "havent": "haven't", "hasnt": "hasn't",
    "hadnt": "hadn't", "wouldnt": "wouldn't", "shouldnt": "shouldn't", "couldnt": "couldn't",
    "cant": "can't", "wont": "won't", "aint": "ain't", "thats": "that's", "whats": "what's",
    "theres": "there's", "heres": "here's", "hows": "how's", "wheres": "where's",
    "whos": "who's", "youre": "you're", "youve": "you've", "youd": "you'd", "youll": "you'll",
    "theyre": "they're", "theyve": "they've", "theyd": "they'd", "theyll": "they'll",
    "ive": "i've", "im": "i'm", "weve": "we've", "itll": "it'll", "thatll": "that'll",
}

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that follow "I'd", "I'll", "we'd" (a bare verb, or an adverb before one), and never
# follow the noun "id" or the adjective "ill" in a sentence an interview answer would hold.
_AFTER_MODAL = _words("""
probably also just then first really definitely rather still actually maybe personally never
always likely usually normally basically honestly initially quickly even certainly ideally
say go start want need pick use do be have think guess argue suggest recommend keep
put build add check look ask begin break imagine expect assume try split lean choose focus
prefer structure walk cover clarify approach talk frame sketch draw set measure run train
test log store cache shard send push pull write read move make take give get call compare
estimate define track monitor deploy ship roll validate calibrate collect label sample
filter rank score tune evaluate hold spend cut drop skip reach own treat leave bring
explain mention revisit summarise summarize recap double group bucket partition index
batch stream retry flag alert page escalate fix debug profile
""")

# "I'd like to", "I'd love to": "like"/"love" follow "id" as a noun too ("a common id like
# email"), so they count only before "to".
_BEFORE_TO = frozenset({"like", "love"})

# Words after "let's" (and not after "it lets"/"that lets": "us", "you", "people").
_AFTER_LETS = _words("""
say start go talk look think assume see begin dive walk break focus move consider jump step
take get just first imagine pretend circle zoom do try call use pick check keep put also now
quickly clarify define discuss frame sketch draw recap summarise summarize compare estimate
be not make back scope figure dig list write suppose
""")

# Words after "it's" and not after the possessive "its" ("its own", "its latency").
_AFTER_ITS = _words("""
a an the not like probably just basically mostly all fine kind sort more less harder easier
almost actually easy hard going gonna been got gotta really pretty super also worth too very
quite definitely usually only because about always never still simple cheap expensive better
worse okay ok true fair
""")

BEFORE: dict[str, tuple[str, frozenset[str]]] = {
    "id": ("i'd", _AFTER_MODAL),
    "ill": ("i'll", _AFTER_MODAL),
    "wed": ("we'd", _AFTER_MODAL),
    "lets": ("let's", _AFTER_LETS),
    "its": ("it's", _AFTER_ITS),
}


def _split(text: str) -> tuple[str, str, str]:
    """``text`` as (leading punctuation, word, trailing punctuation)."""
    a = 0
    while a < len(text) and not text[a].isalnum():
        a += 1
    b = len(text)
    while b > a and not text[b - 1].isalnum():
        b -= 1
    return text[:a], text[a:b], text[b:]


def restore(texts: Sequence[str]) -> tuple[str, ...]:
    """Each word of ``texts`` with a dropped contraction apostrophe put back (case and
    surrounding punctuation kept); every other word unchanged."""
    out = list(texts)
    for i, text in enumerate(texts):
        lead, core, tail = _split(text)
        key = core.lower()
        if key in ALWAYS:
            form = ALWAYS[key]
        elif key in BEFORE and i + 1 < len(texts) and not tail:
            form, after = BEFORE[key]
            nxt = normalise_token(texts[i + 1])
            if nxt in _BEFORE_TO:
                if i + 2 >= len(texts) or normalise_token(texts[i + 2]) != "to":
                    continue
            elif nxt not in after:
                continue
        else:
            continue
        if core[:1].isupper():
            form = form[0].upper() + form[1:]
        out[i] = lead + form + tail
    return tuple(out)
