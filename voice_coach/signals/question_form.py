"""Question form: whether a sentence or unit is a question, with or without its mark.

A question mark decides it when there is one. Whisper and captions often leave it out, so
word order stands in: an auxiliary before its subject ("are we ...", "do you ..."), confirmed
by spaCy's parse when the English model is present, or where the parse starts a question
(:attr:`voice_coach.language.Language.question_starts`).
"""

from __future__ import annotations

from voice_coach.lexicon import lexicon
from voice_coach.signals.phrases import Text

# Words that may precede the real start of a sentence without changing its form.
# (voice_coach.lexicon's leading words, "but", and openers that do not change a question's form.)
LEAD = lexicon("clarifying_questions.lead")

# An auxiliary before a pronoun subject: a question even when Whisper left out the "?".
INVERTED = lexicon("clarifying_questions.inverted")


def is_question(text: Text, k: int) -> bool:
    """Whether sentence ``k`` is a question (by its mark, or by word order when unmarked)."""
    s = text.sentences[k]
    if s.is_question:
        return True
    # The parse found a question opening here: an auxiliary before its subject, with its
    # wh-phrase and lead words (Language.question_starts; what starts the units of text
    # with few full stops). "Do the two companies share an identifier." has lost its "?".
    if s.first in text.language.question_starts:
        return True
    hit = s.starts_with(INVERTED, skip=LEAD)
    if hit is None:
        return False
    # Without a "?", trust word order only when spaCy agrees the auxiliary leads the clause,
    # so "Is there" as a statement fragment ("is there because ...") is not taken for one.
    lang = text.language
    if not lang.tagged:
        return s.n_words <= 25
    toks = [t for t in text.tokens(hit.first, s.last) if t.pos not in {"PUNCT", "INTJ", "CCONJ"}]
    return bool(toks) and (toks[0].pos == "AUX" or toks[0].tag in {"WP", "WRB", "WDT"})
