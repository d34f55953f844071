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
from dataclasses import dataclass

from voice_coach.transcript import normalise_token

# A first-person subject with a modal or intent: "I'd", "we'll", "let's", "I want to".
_WOULD = (r"(?:i'd like to|i would like to|i'd love to|"
          r"i'd|i would|i will|i'll|i'm going to|i am going to|i want to|i'd want to|"
          r"we'd|we would|we will|we'll|we're going to|let me|let's|let us|i can|we can|"
          r"i should|we should|i might|we might|i'm gonna|i gonna|i wanna)")

# Macros shared by every lexicon. Spoken English contracts freely and Whisper spells numbers
# either way ("three steps", "3 steps"), so a lexicon names the idea once.
MACROS: dict[str, str] = {
    # A first-person subject, singular or plural, with an optional modal.
    "I": r"(?:i|we)",
    "WOULD": _WOULD,
    # The same, or a bare "I"/"we": Whisper often drops the "'d" of "I'd" in fluent speech
    # ("I start with ..."). Only for rows where a verb follows at once: with a word slot in
    # between, a bare subject lets past narration in ("we went through it step by step").
    "WOULDI": rf"(?:{_WOULD}|i|we)",
    "NUM": r"(?:two|three|four|five|six|2|3|4|5|6|a couple of|a few|several|couple of|a couple)",
    "ORD": r"(?:first|firstly|second|secondly|third|thirdly|fourth|next|finally|lastly|last)",
}

_MACRO = re.compile(r"\{([A-Z]+)\}")
_ID = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*")


def expand(pattern: str) -> str:
    """``pattern`` with its ``{MACRO}`` names replaced by their regexes."""
    return _MACRO.sub(lambda m: MACROS[m.group(1)], pattern)


@dataclass(frozen=True)
class Row:
    """One row of a lexicon: a pattern, its id, and examples that pin it down.

    Attributes:
        id: ``"<lexicon>.<row>"`` (lower case, digits, ``_``); evidence names it as its rule.
        pattern: a regex over normalised words, with macros.
        match: phrases the row alone must match in full.
        miss: near-misses the row alone must not match in full.
    """

    id: str
    pattern: str
    match: tuple[str, ...] = ()
    miss: tuple[str, ...] = ()


# Every compiled lexicon by name, so tests can run over every row.
LEXICONS: dict[str, tuple[Row, ...]] = {}


def _group(row_id: str) -> str:
    return "r_" + row_id.replace(".", "__")


def rule_of(m: re.Match[str]) -> str | None:
    """The id of the lexicon row that produced the match ``m`` (``None`` for a plain regex)."""
    g = m.lastgroup
    return g[2:].replace("__", ".") if g and g.startswith("r_") else None


def _bounded(body: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'])(?:" + body + r")(?![\w'])")


def row_regex(row: Row) -> re.Pattern[str]:
    """``row`` alone, compiled as its lexicon would match it (for testing a row by itself)."""
    return _bounded(expand(row.pattern))


def compile_lexicon(name: str, rows: Iterable[str | Row]) -> re.Pattern[str]:
    """One regex matching any of ``rows`` on whole words, with macros expanded.

    Each row compiles into a named group, so :func:`rule_of` tells which row matched. A plain
    string row gets the id ``<name>.<position>``.
    """
    built = tuple(r if isinstance(r, Row) else Row(f"{name}.{k}", r) for k, r in enumerate(rows))
    for r in built:
        if not _ID.fullmatch(r.id) or not r.id.startswith(name + ".") or "__" in r.id:
            raise ValueError(f"bad row id {r.id!r} in lexicon {name!r}")
        if "(?P<" in r.pattern:
            raise ValueError(f"row {r.id} has a named group of its own")
    if len({r.id for r in built}) != len(built):
        raise ValueError(f"duplicate row ids in lexicon {name!r}")
    LEXICONS[name] = built
    parts = [f"(?P<{_group(r.id)}>{expand(r.pattern)})" for r in built]
    return _bounded("|".join(parts))


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
_LEAD_EXAMPLES = (("and", "so", "okay", "well", "now", "um", "uhh", "erm", "hmm", "mm", "ah", "eh"),
                  ("android", "sole", "wellness", "nowhere", "umbrella", "m", "a"))


def lead(name: str, *extra: str) -> re.Pattern[str]:
    """The leading-word lexicon ``name``, with a signal's ``extra`` words (regex alternatives)."""
    return compile_lexicon(name, [Row(f"{name}.lead_words", LEAD_WORDS, *_LEAD_EXAMPLES),
                                  *(Row(f"{name}.extra{k}", e) for k, e in enumerate(extra))])


# Only filled pauses ("um, and then ...").
FILLED_LEAD = compile_lexicon("shared.filled_lead", [FILLED_PAUSE_WORD])

# --- Signposts -----------------------------------------------------------------------------
# Clause-initial markers of a part of the answer: the speaker tells the listener a new part
# begins. Signposting counts them; ramble cuts a run at them. "then" alone is too common in
# ordinary narration ("and then the optimizer ...") to count.
SIGNPOSTS = compile_lexicon("shared.signposts", [
    Row("shared.signposts.ordinal", r"first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth|finally|lastly|next",
        ("first we clean the data", "finally"), ("firsthand", "seconds")),
    Row("shared.signposts.opening", r"to start|to begin", ("to start i'd",), ("at the start",)),
    Row("shared.signposts.summary",
        r"to (?:sum|wrap) (?:up|it up)|to summari[sz]e|in summary|in short|in conclusion|overall",
        ("to wrap it up", "in short"), ("to sum", "the summary", "in shorts")),
    Row("shared.signposts.step_number", r"step (?:one|two|three|four|1|2|3|4)",
        ("step two",), ("step nine", "steps two")),
    Row("shared.signposts.transition",
        r"after that|on the other hand|for example|for instance",
        ("after that we", "for example"), ("after the launch", "for examples")),
    Row("shared.signposts.ordinal_part",
        r"(?:the )?(?:first|second|third|next|last|final|other) (?:step|thing|part|point|piece|"
        r"question|reason|option|layer|concern|risk|issue|idea)",
        ("the second risk is", "the other option"), ("the other team", "the last time")),
    Row("shared.signposts.moving_on", r"moving on|now for|turning to|as for",
        ("moving on to serving", "as for latency"), ("moving fast", "as far as")),
    Row("shared.signposts.then_would", r"then i'd|then we'd|then i would|then we would",
        ("then i'd add a cache",), ("then the model", "then i add")),
    Row("shared.signposts.for_part",
        r"for (?:the )?(?:inputs?|outputs?|data|model|training|serving|evaluation|metrics?|monitoring|"
        r"features?|labels?|deployment|offline|online)",
        ("for the model i'd", "for evaluation"), ("for the team", "for database")),
])
# What may precede a signpost: the leading words and "but" ("But the second risk is ...").
SIGNPOST_LEAD = lead("shared.signpost_lead", LEAD_BUT)

# --- Hedges --------------------------------------------------------------------------------
# Words that withdraw commitment ("I guess", "maybe", "sort of").
HEDGES = compile_lexicon("shared.hedges", [
    Row("shared.hedges.guess", r"i guess|i suppose|i think maybe",
        ("i guess so", "i think maybe a tree"), ("i think a tree", "i guessed it")),
    Row("shared.hedges.maybe", r"maybe|perhaps|possibly", ("maybe a tree",), ("may be", "possible")),
    Row("shared.hedges.not_sure",
        r"i'm not (?:sure|certain)|not (?:sure|certain)|i don't know|i do not know|i don't really know|no idea",
        ("i'm not sure", "no idea"), ("i'm sure", "i know", "an idea")),
    Row("shared.hedges.vague", r"kind of|sort of|kinda|sorta", ("it is sort of slow",), ("the sorting step",)),
    Row("shared.hedges.disclaimer",
        r"i'm not an expert|if i remember (?:right|correctly)|i could be wrong|might be wrong|"
        r"i'd have to check|i'd say maybe",
        ("i could be wrong", "if i remember right"), ("i could be right", "i remember")),
    Row("shared.hedges.approximate",
        r"more or less|or something|or whatever|something like that|hopefully|i hope|somewhat|pretty much",
        ("more or less", "or something"), ("more and less", "something else")),
    Row("shared.hedges.belief", r"i feel like|i believe", ("i feel like",), ("i feel fine",)),
    Row("shared.hedges.modal", r"probably|might|could be", ("probably a tree", "it might"),
        ("probable", "could use", "mighty")),
])
# "kind of"/"sort of" that classify rather than hedge ("a kind of relabeling").
NOT_HEDGE = compile_lexicon("shared.not_hedge", [
    r"(?:a|an|the|this|that|what|which|some|any|one|every) (?:kind|sort) of",
])
