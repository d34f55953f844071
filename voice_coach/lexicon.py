"""Shared lexicon concepts, defined once: filled pauses, leading words, signposts, hedges.

Several signals (and the speech-recognition recovery) need the same idea of "a filled
pause", "a word that may open a sentence without changing it", "a signpost" or "a hedge".
They used to keep their own copies, which drifted apart. This module holds the one
definition; each signal imports it and, where it really needs to, names its extras next
to its own lexicons.

Nothing here depends on the signals package: :mod:`voice_coach.recovery` uses
:data:`FILLED_PAUSE` during transcription.

Patterns are regular expressions over normalised words (lower case, straight apostrophes,
no edge punctuation), joined by single spaces, with the macros of :data:`MACROS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from voice_coach.transcript import normalise_token

# Macros shared by every lexicon. Spoken English contracts freely and Whisper spells numbers
# either way ("three steps", "3 steps"), so a lexicon names the idea once.
MACROS: dict[str, str] = {
    # A first-person subject, singular or plural, with an optional modal.
    "I": r"(?:i|we)",
    "WOULD": r"(?:i'd like to|i would like to|i'd love to|"
             r"i'd|i would|i will|i'll|i'm going to|i am going to|i want to|i'd want to|"
             r"we'd|we would|we will|we'll|we're going to|let me|let's|let us|i can|we can|"
             r"i should|we should|i might|we might|i'm gonna|i gonna|i wanna|"
             # Whisper often drops the "'d" of "I'd" in fluent speech: "I start with ...".
             r"i|we)",
    "NUM": r"(?:two|three|four|five|six|2|3|4|5|6|a couple of|a few|several|couple of|a couple)",
    "ORD": r"(?:first|firstly|second|secondly|third|thirdly|fourth|next|finally|lastly|last)",
}

_MACRO = re.compile(r"\{([A-Z]+)\}")


def expand(pattern: str) -> str:
    """``pattern`` with its ``{MACRO}`` names replaced by their regexes."""
    return _MACRO.sub(lambda m: MACROS[m.group(1)], pattern)


def compile_lexicon(patterns: Iterable[str]) -> re.Pattern[str]:
    """One regex matching any of ``patterns`` on whole words, with macros expanded."""
    parts = [expand(p) for p in patterns]
    return re.compile(r"(?<![\w'])(?:" + "|".join(f"(?:{p})" for p in parts) + r")(?![\w'])")


# --- Filled pauses -------------------------------------------------------------------------
# Every spelling Whisper (and people) use for a filled pause: um, umm, uh, uhh, uhm, er,
# erm, err, hmm, hm, mm, mmm, ah, ahh, eh. Not the backchannels "mm-hmm", "uh-huh" and
# "uh-uh": they answer another speaker ("yes", "no"); they do not stall one's own answer,
# and on a recorded call they are mostly the other side's.
FILLED_PAUSE_WORD = r"u+m+|u+h+m*|e+r+m*|h+m+|m{2,}|a+h+|e+h+"
# One normalised token that is a filled pause.
FILLED_PAUSE = re.compile(rf"^(?:{FILLED_PAUSE_WORD})$")


def is_filled_pause(text: str) -> bool:
    """Whether a word (any case, with punctuation) is a filled pause such as "Umm,"."""
    return bool(FILLED_PAUSE.match(normalise_token(text)))


# --- Leading words -------------------------------------------------------------------------
# Words that may open a sentence or clause without changing what it says ("So, first ...",
# "Um, and the cost is ..."): a filled pause, a conjunction, a discourse marker. Signals
# step over them before asking how a sentence starts. "but" is not one of them everywhere:
# the tradeoff signal reads "But ..." as the contrast itself, so it is an extra (LEAD_BUT).
LEAD_WORDS = r"and|so|okay|ok|well|now|" + FILLED_PAUSE_WORD
LEAD_BUT = r"but"


def lead(*extra: str) -> re.Pattern[str]:
    """The leading-word lexicon, with a signal's ``extra`` words (regex alternatives)."""
    return compile_lexicon([LEAD_WORDS, *extra])


# Only filled pauses ("um, and then ...").
FILLED_LEAD = compile_lexicon([FILLED_PAUSE_WORD])

# --- Signposts -----------------------------------------------------------------------------
# Clause-initial markers of a part of the answer: the speaker tells the listener a new part
# begins. Signposting counts them; ramble cuts a run at them. "then" alone is too common in
# ordinary narration ("and then the optimizer ...") to count.
SIGNPOSTS = compile_lexicon([
    r"first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth|finally|lastly|next|to start|to begin|"
    r"to (?:sum|wrap) (?:up|it up)|to summari[sz]e|in summary|in short|in conclusion|overall|"
    r"step (?:one|two|three|four|1|2|3|4)|after that|on the other hand|for example|for instance|"
    r"(?:the )?(?:first|second|third|next|last|final|other) (?:step|thing|part|point|piece|"
    r"question|reason|option|layer|concern|risk|issue|idea)|"
    r"moving on|now for|turning to|as for|then i'd|then we'd|then i would|then we would|"
    r"for (?:the )?(?:inputs?|outputs?|data|model|training|serving|evaluation|metrics?|monitoring|"
    r"features?|labels?|deployment|offline|online)",
])
# What may precede a signpost: the leading words and "but" ("But the second risk is ...").
SIGNPOST_LEAD = lead(LEAD_BUT)

# --- Hedges --------------------------------------------------------------------------------
# Words that withdraw commitment ("I guess", "maybe", "sort of").
HEDGES = compile_lexicon([
    r"i guess|i suppose|i think maybe|maybe|perhaps|possibly|i'm not (?:sure|certain)|not (?:sure|certain)|"
    r"i don't know|i do not know|i don't really know|no idea|kind of|sort of|kinda|sorta|"
    r"i'm not an expert|if i remember (?:right|correctly)|i could be wrong|might be wrong|"
    r"i'd have to check|i'd say maybe|more or less|or something|or whatever|something like that|"
    r"hopefully|i hope|somewhat|pretty much|i feel like|i believe|probably|might|could be",
])
# "kind of"/"sort of" that classify rather than hedge ("a kind of relabeling").
NOT_HEDGE = compile_lexicon([r"(?:a|an|the|this|that|what|which|some|any|one|every) (?:kind|sort) of"])
