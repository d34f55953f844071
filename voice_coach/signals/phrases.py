"""Phrase matching for the language signals: regex lexicons over normalised words.

The structure signals (framing, tradeoffs, clarifying questions, ...) look for spoken
phrasings such as "at the cost of" or "before I choose, I'd want to know". Spoken text comes
from Whisper or a typed transcript, so the matcher must not care about case, curly
apostrophes, commas or hyphens ("trade-off", "trade off", "tradeoff"). It works on each
sentence's words lower-cased and stripped of edge punctuation, joined by single spaces, and
maps every regex hit back to the transcript words it covers, so evidence carries the words'
timestamps.

Lexicon patterns are ordinary regular expressions with a few macros (``{I}``, ``{WOULD}``,
``{NUM}``) for the many ways a speaker says the same thing ("I'd", "I would", "I'll",
"we'd"); they live as rows in ``voice_coach/data/lexicons/*.toml`` and are compiled by
:mod:`voice_coach.lexicon`, one named group per row, so a :class:`Hit` records the id of
the row that matched (``rule``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from voice_coach.language import Language, Sentence, Token
from voice_coach.lexicon import FILLED_PAUSE, Lexicon, norm, rule_of
from voice_coach.signals.base import Evidence
from voice_coach.transcript import Word

# A lexicon (compiled from voice_coach/data/lexicons on first use) or a plain regex.
Matcher = Lexicon | re.Pattern[str]


@dataclass(frozen=True)
class Hit:
    """A lexicon match: the words ``[first, last)`` it covers, the matched text, and the id
    of the lexicon row that matched (``rule``; see :class:`voice_coach.lexicon.Row`)."""

    first: int
    last: int
    text: str
    rule: str | None = None
    p: float | None = None  # the learned model's probability, when the model found it (rule "model:<label>")


class Sent:
    """One sentence as the lexicons see it: normalised words joined by spaces.

    Attributes:
        index: position of the sentence in the answer.
        first, last: the transcript words ``[first, last)`` it covers.
        words: those words.
        norms: their normalised forms.
        text: ``norms`` without filled pauses, joined by single spaces (what the regexes run on).
        marked: whether it starts at a written sentence break, not at a clause or pause
            boundary recovered from unpunctuated text (:attr:`Language.units`).
        asked: heard as a question though no "?" is written (:attr:`Sentence.asked`).
    """

    def __init__(self, index: int, first: int, last: int, words: Sequence[Word],
                 marked: bool = True, asked: bool = False, forms: Sequence[str] | None = None) -> None:
        self.index = index
        self.asked = asked
        self.marked = marked
        self.first = first
        self.last = last
        self.words = tuple(words)
        self.norms = [norm(f) for f in (forms if forms is not None else [w.text for w in words])]
        # The lexicons read the words without their filled pauses ("I'd want to know, uh,
        # what ..." reads "i'd want to know what ..."): a speaker's "um" falls anywhere in a
        # phrase. A dropped word takes the offset of the next word read, so a hit never starts
        # or ends on one, though it may span it.
        kept = [n for n in self.norms if not (n and FILLED_PAUSE.fullmatch(n))]
        self.text = " ".join(kept)
        offsets, pos, pending = [], 0, 0
        for n in self.norms:
            if n and FILLED_PAUSE.fullmatch(n):
                pending += 1
                continue
            offsets.extend([pos] * (pending + 1))
            pending = 0
            pos += len(n) + 1
        offsets.extend([len(self.text)] * pending)
        self._offsets = offsets

    @property
    def n_words(self) -> int:
        """Number of words in the sentence."""
        return self.last - self.first

    @property
    def raw(self) -> str:
        """The sentence as spoken, with its punctuation."""
        return " ".join(w.text for w in self.words)

    @property
    def is_question(self) -> bool:
        """Ends with a question mark (Whisper and typists mark questions this way), or in
        unpunctuated text the restorer heard one (``asked``, :mod:`voice_coach.boundaries`)."""
        return self.asked or self.raw.rstrip().rstrip("\"')").endswith("?")

    def _word_at(self, char: int) -> int:
        lo = 0
        for i, off in enumerate(self._offsets):
            if off <= char:
                lo = i
            else:
                break
        return lo

    def find(self, lexicon: Matcher, start_word: int = 0) -> list[Hit]:
        """Every match of ``lexicon`` in this sentence, as transcript word ranges.

        ``start_word`` (relative to the sentence) skips the words before it.
        """
        base = self._offsets[start_word] if 0 < start_word < len(self._offsets) else 0
        if start_word >= len(self._offsets) and start_word > 0:
            return []
        hits = []
        for m in lexicon.finditer(self.text, base):
            if m.end() <= m.start():
                continue
            a = self._word_at(m.start())
            b = self._word_at(max(m.start(), m.end() - 1)) + 1
            hits.append(Hit(self.first + a, self.first + b, m.group(0), rule_of(m)))
        return hits

    def search(self, lexicon: Matcher) -> Hit | None:
        """The first match of ``lexicon``, or ``None``."""
        hits = self.find(lexicon)
        return hits[0] if hits else None

    def starts_with(self, lexicon: Matcher, skip: Matcher | None = None,
                    at: int | None = None) -> Hit | None:
        """A match of ``lexicon`` at the sentence start, or at transcript word ``at`` inside it.

        Leading words matching ``skip`` ("and", "so", "um") are stepped over first.
        """
        i = 0 if at is None else max(0, at - self.first)
        if skip is not None:
            while i < len(self.norms) and (not self.norms[i] or skip.fullmatch(self.norms[i])):
                i += 1
        if i >= len(self.norms):
            return None
        m = lexicon.match(self.text, self._offsets[i])
        if m is None or m.end() <= m.start():
            return None
        a = self._word_at(m.start())
        b = self._word_at(max(m.start(), m.end() - 1)) + 1
        return Hit(self.first + a, self.first + b, m.group(0), rule_of(m))

    def word_offset(self, word: int) -> int:
        """Character offset in :attr:`text` of transcript word ``word``."""
        rel = min(max(0, word - self.first), len(self._offsets) - 1) if self._offsets else 0
        return self._offsets[rel] if self._offsets else 0

    def clauses(self) -> list[tuple[int, int]]:
        """Word ranges split at commas, semicolons, colons and dashes inside the sentence."""
        out, first = [], self.first
        for k, w in enumerate(self.words):
            i = self.first + k
            if re.search(r"[,;:\u2014\u2013]$|--$", w.text) or w.text in {"-", "\u2014", "\u2013"}:
                out.append((first, i + 1))
                first = i + 1
        if first < self.last:
            out.append((first, self.last))
        return out


class Text:
    """All sentences of an answer, ready for lexicon matching (built once per signal run).

    With ``units``, its sentences are :attr:`Language.units`: the written sentences, or in
    text with few full stops the clauses and pauses that stand in for them.
    """

    def __init__(self, language: Language, units: bool = False) -> None:
        self.language = language
        self.units = units
        self.words: tuple[Word, ...] = language.words
        self.sentences: list[Sent] = [
            Sent(i, s.first, s.last, self.words[s.first:s.last], s.marked, s.asked,
                 language.forms[s.first:s.last])
            for i, s in enumerate(language.units if units else language.sentences)
        ]

    @cached_property
    def _token_words(self) -> list[int]:
        return [t.word for t in self.language.tokens]

    def tokens(self, first: int, last: int) -> list[Token]:
        """spaCy tokens lying in words ``[first, last)`` (a bisect, not a scan: long answers)."""
        toks = self.language.tokens
        a = bisect.bisect_left(self._token_words, first)
        b = bisect.bisect_left(self._token_words, last)
        return list(toks[a:b])

    @cached_property
    def n_words(self) -> int:
        """Number of words in the answer, fillers included."""
        return len(self.words)

    def evidence(self, first: int, last: int, text: str | None = None, rule: str | None = None,
                 p: float | None = None) -> Evidence:
        """Evidence over transcript words ``[first, last)`` (with their times when timed)."""
        first = max(0, min(first, len(self.words)))
        last = max(first, min(last, len(self.words)))
        # Quoted as written, though the analysis may read the words bare (Language.marks_read).
        ev = Evidence.from_words(self.language.transcript.words[first:last], text, rule, (first, last))
        return replace(ev, p=p) if p is not None else ev

    def hit_evidence(self, hit: Hit) -> Evidence:
        """Evidence quoting a lexicon hit, naming the row that matched."""
        return self.evidence(hit.first, hit.last, rule=hit.rule, p=hit.p)

    def sentence_evidence(self, s: Sent | Sentence) -> Evidence:
        """Evidence quoting a whole sentence."""
        return self.evidence(s.first, s.last)


def text_of(language: Language, units: bool = False) -> Text:
    """The lexicon view of ``language``, cached on it so every signal shares one.

    ``units``: sentences are :attr:`Language.units` (clauses and pauses where the text has
    few full stops) rather than the written sentences; the same view when the text is
    punctuated.
    """
    units = units and language.sparse
    key = "_phrases_units" if units else "_phrases_text"
    cached = language.__dict__.get(key)
    if isinstance(cached, Text):
        return cached
    view = Text(language, units)
    language.__dict__[key] = view
    return view


def quote(text: str, limit: int = 160) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "\u2026"


def plural(n: int, one: str, many: str | None = None) -> str:
    """``"1 tradeoff"``, ``"3 tradeoffs"``."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
