"""Shared language analysis: sentences and spaCy tokens, mapped back to timed words.

Signals need sentences (framing reads the first two, ramble measures their length) and
part-of-speech tags (to tell the filler "like" from "models like XGBoost"). Both are built
once per transcript here and shared through :class:`~voice_coach.signals.base.Context`.
Every token and sentence knows which transcript words it covers, so any evidence a signal
quotes carries the words' timestamps.

Captions and speech-recognition output often come with few or no full stops. When the
words per sentence-ending mark run far above what speech has (:attr:`Language.sparse`),
:attr:`Language.units` recovers sentence-sized units the way a listener hears them: at the
start of each independent clause in spaCy's parse (a finite verb with its own subject, with
any discourse marker or conjunction before it: "so i'd ...", "and then we ..."), at the
start of each direct question (:attr:`Language.question_starts`: word order marks it when no
"?" does), at a lone "okay" that takes in a reply, and in timed transcripts at pauses
between the voice-activity detector's speech regions. This is
the one place answers are segmented; a signal reads the units through the lexicon view
(``voice_coach.signals.phrases.text_of(language, units=True)``). A unit whose start is
not a written sentence break carries ``marked=False``, so ramble can still join run-on
"and ..." clauses.

Some tools write a full stop wherever the speaker paused for breath ("I think the main. Thing
is latency"): the marks are there, but not where sentences end. :func:`analyse` reads such a
transcript as unpunctuated (:attr:`Language.marks_read` is ``False``): the analysis words
drop their punctuation and case, and the units come from the clause rules and the learned
restorer as for captions. Evidence still quotes the words as written.

spaCy's small English pipeline loads lazily, once per process (:mod:`voice_coach.spacy_load`
says which model and how). Without one, a rule-based sentencizer keeps the text signals
working with less disambiguation (``Language.tagged`` is then ``False``).
"""

from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import pairwise
from typing import Any

from voice_coach.apostrophes import restore
from voice_coach.lexicon import (
    ACKNOWLEDGEMENTS,
    CLAUSE_OPENERS,
    FILLED_PAUSE,
    QUESTION_LEAD,
    REPORTING_VERBS,
)
from voice_coach.transcript import Transcript, Word, bare, normalise_token

_NLP: Any = None
_NLP_LOCK = threading.Lock()


def get_nlp() -> Any:
    """The process-wide spaCy pipeline (loaded on first call, by :mod:`voice_coach.spacy_load`)."""
    global _NLP
    with _NLP_LOCK:
        if _NLP is None:
            from voice_coach.spacy_load import load_english

            _NLP = load_english()
    return _NLP


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
    # Whether the unit starts at a written sentence break (or the answer start), rather
    # than at a clause or pause boundary recovered from unpunctuated text.
    marked: bool = True
    # Heard as a question though no "?" is written (the restorer's judgement, sparse text).
    asked: bool = False

    @property
    def n_words(self) -> int:
        """Number of transcript words in the sentence."""
        return self.last - self.first

    @property
    def is_question(self) -> bool:
        """Whether the sentence ends with a question mark (or the restorer heard one)."""
        return self.asked or self.text.rstrip().endswith("?")


_TERMINAL = re.compile(r"[.!?]+[\"')\]]*$")
_FULL_STOP = re.compile(r"[.!][\"')\]]*$")
# The pronoun "I" as a typist or captioner who does not capitalise it writes it ("i", "i'd,"),
# and as written with care, with any punctuation around it.
_LOWER_I = re.compile(r"[^\w']*i(?:'[a-z]+)?[^\w']*")
_UPPER_I = re.compile(r"[^\w']*I(?:'[a-z]+)?[^\w']*")
# Spoken sentences average 10-20 words, and even a punctuated run-on answer stays well
# under 80 words per full stop (the corpus's fully punctuated rambles: 28-58; a typed
# one-sentence run-on of 62 words is still a sentence the speaker wrote). Beyond that, or
# with no mark at all, the marks are missing, not the sentences.
SPARSE_WORDS_PER_MARK = 80
# A silence this long between speech regions ends a unit in unpunctuated timed speech: a
# listener hears it as a sentence break (ordinary gaps between words are under 0.3 s).
PAUSE_BREAK_S = 0.4
# Dependency labels of a clause that can stand alone (a conjunct or the root); a subject,
# and the finite tags that make a verb a clause head.
_INDEPENDENT = frozenset({"ROOT", "conj", "parataxis"})
# Without punctuation spaCy often hangs a run-on clause on the one before as a complement,
# adverbial or relative clause ("type one overwrites the value type two adds a row"). Such
# a clause counts unless a subordinator opens it, a relative pronoun is its subject, or it
# is what the speaker thinks or says ("i think it should ...": see REPORTING_VERBS).
_DEPENDENT = frozenset({"ccomp", "advcl", "relcl"})
_SUBJECT = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
_FINITE = frozenset({"VBD", "VBP", "VBZ", "MD"})
# The longest question (with the interviewer's reply echoed) kept whole in unpunctuated text.
QUESTION_MAX_WORDS = 30
# Auxiliaries that open a yes/no question when they come before their subject ("is it ...",
# "do people ...", "could experts ..."), and the wh-words that may open the question before them.
_QUESTION_AUX = frozenset({"be", "do", "can", "could", "will", "would", "should", "have", "may", "might", "shall",
                           "must"})
_WH = frozenset({"WP", "WRB", "WDT"})
# Dependency labels of an "okay" that is part of its clause ("is that okay", "it's okay").
_ACK_IN_CLAUSE = frozenset({"acomp", "attr", "dobj", "xcomp", "conj", "pobj", "oprd"})


def _ends_at_subject(doc: Any, verb: Any, aux: Any) -> bool:
    """The clause stops right after the subject that follows ``aux`` ("so is the queue, and
    ..."), as in agreement; a question goes on ("so is this for mobile or web")."""
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT and c.i > aux.i]
    if not subjects:
        return False
    nxt = subjects[0].right_edge.i + 1
    return nxt >= len(doc) or doc[nxt].is_punct or doc[nxt].pos_ == "CCONJ"


class Language:
    """Sentences and tokens of one transcript."""

    def __init__(self, transcript: Transcript, nlp: Any = None, marks: bool = True) -> None:
        self.transcript = transcript
        # Whether the analysis reads the written punctuation and case; without it (marks
        # that fall at pauses, see analyse()) every word is read bare, as captions give it.
        self.marks_read = marks
        self.words: tuple[Word, ...] = transcript.words if marks else tuple(
            replace(w, text=bare(w.text)) for w in transcript.words)
        self._nlp = nlp
        # What the analysis reads for each word: the word as written, with a contraction's
        # dropped apostrophe put back ("id like" -> "i'd like"; voice_coach.apostrophes).
        self.forms: tuple[str, ...] = restore([w.text for w in self.words])
        # Character offset of each word in `text`, to map spaCy tokens back to words.
        offsets, pos = [], 0
        for form in self.forms:
            offsets.append(pos)
            pos += len(form) + 1
        self._offsets = offsets
        self.text = " ".join(self.forms)

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
        if self.restored is not None:
            return self.restored
        return self._written_sentences

    @cached_property
    def _written_sentences(self) -> tuple[Sentence, ...]:
        """Sentences as written, or as spaCy's parser guesses them where nothing is."""
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

    def sentence(self, first: int, last: int, marked: bool = True) -> Sentence:
        """A :class:`Sentence` over words ``[first, last)``."""
        ws = self.words[first:last]
        timed = [w for w in ws if w.timed]
        return Sentence(
            " ".join(w.text for w in ws),
            first,
            last,
            min((w.start for w in timed), default=None),  # type: ignore[type-var]
            max((w.end for w in timed), default=None),  # type: ignore[type-var]
            marked,
        )

    @cached_property
    def sparse(self) -> bool:
        """Whether the text has far fewer sentence-ending marks than speech has sentences."""
        marks = sum(1 for w in self.words if _TERMINAL.search(w.text))
        return marks == 0 or len(self.words) / marks > SPARSE_WORDS_PER_MARK

    @cached_property
    def units(self) -> tuple[Sentence, ...]:
        """Sentence-sized units: the sentences, split further at clause starts and pauses
        when the text is :attr:`sparse` (see the module docstring)."""
        if not self.sparse:
            return self.sentences
        # Written breaks only: without any mark, `_written_sentences` holds the parser's
        # guesses. The rule units, not the restorer's sentences: the loose-text rules of
        # framing, clarifying and ramble were measured on them (docs/signals.md).
        marked = {0} | {i + 1 for i, w in enumerate(self.words) if _TERMINAL.search(w.text)}
        acks = self._acknowledgement_starts()
        clauses = {s.first for s in self._written_sentences} | self._clause_starts()
        # A question runs on until the speaker takes in the reply ("is the goal that people
        # learn more or that they use the app more | okay"): no clause cut inside it.
        for q in self.question_starts:
            reply = min((a for a in acks if q < a <= q + QUESTION_MAX_WORDS), default=None)
            if reply is not None:
                clauses = {c for c in clauses if not q < c < reply}
        cuts = sorted(marked | clauses | (self.question_starts - {0}) | acks
                      | self._pause_starts() | {len(self.words)})
        out, first = [], 0
        for last in cuts:
            if last > first:
                out.append(self.sentence(first, last, first in marked))
                first = last
        return tuple(out)

    @cached_property
    def restored(self) -> tuple[Sentence, ...] | None:
        """Sentences of :attr:`sparse` text from the learned restorer (:mod:`voice_coach.boundaries`),
        ``None`` when the text is punctuated or the restorer is unavailable.

        Loosely punctuated text (a comma here, a full stop there) is restored too, keeping
        its written full stops as cuts: until 2026-12-02 only text with no mark at all was,
        and there tradeoffs read the parser's 40-word stretches (blind rounds, docs/signals.md)."""
        if not self.sparse:
            return None
        from voice_coach.boundaries import sentences_of  # lazy: numpy and its weights

        return sentences_of(self)

    def _clause_starts(self) -> set[int]:
        """Words that start an independent clause in spaCy's parse (none without a parser)."""
        if not self.tagged:
            return set()
        doc, out = self.doc, set()
        for h in doc:
            if h.pos_ not in {"VERB", "AUX"} or h.dep_ not in _INDEPENDENT | _DEPENDENT:
                continue
            lefts = list(h.lefts)
            subjects = [c for c in lefts if c.dep_ in _SUBJECT]
            if not subjects or any(c.tag_ in {"WDT", "WP", "WP$"} for c in subjects):
                continue
            if h.tag_ not in _FINITE and not any(c.dep_ in {"aux", "auxpass"} and c.tag_ in _FINITE
                                                 for c in lefts):
                continue
            start = doc[min(c.left_edge.i for c in lefts)]
            if start.dep_ == "mark":  # "because we ...", "if it ...": subordinate
                continue
            # A trailing "and" / "but" / "so" that the parser hung on the clause before
            # belongs to this one ("... send it and | then if it fails ...").
            if start.i > 0 and CLAUSE_OPENERS.fullmatch(normalise_token(doc[start.i - 1].text)) \
                    and doc[start.i - 1].pos_ in {"CCONJ", "ADV", "INTJ"}:
                start = doc[start.i - 1]
            if start.lower_ == "or":  # the other side of an alternative: "... or do we have room ..."
                continue
            if h.dep_ == "ccomp" and REPORTING_VERBS.fullmatch(h.head.lemma_.lower()) \
                    and CLAUSE_OPENERS.fullmatch(normalise_token(start.text)) is None:
                continue
            out.add(self.word_index(start.idx))
        # The parser's own sentence starts, where it found them.
        out.update(self.word_index(s.start_char) for s in doc.sents)
        out.discard(0)
        return out

    @cached_property
    def question_starts(self) -> frozenset[int]:
        """Words that open a direct question in spaCy's parse: an auxiliary before its own
        subject ("... is it subscription or do people buy ...", "could experts label ..."),
        with the wh-phrase and lead words before it ("and roughly how many images are we
        talking about"). Unpunctuated speech marks its questions by word order alone, and a
        question to the interviewer must be heard as a unit of its own, not in the middle of
        the statement around it. The second half of an alternative ("or is that a disaster")
        stays with the first."""
        if not self.tagged:
            return frozenset()
        doc, out = self.doc, set()
        for t in doc:
            if t.pos_ != "AUX" or t.tag_ not in _FINITE or t.lemma_.lower() not in _QUESTION_AUX:
                continue
            if t.i > 0 and doc[t.i - 1].lower_ in {"here", "there"}:
                continue  # "here's the thing", "there's the cost": inversion after a place word
            verb = t.head if t.dep_ in {"aux", "auxpass"} else t
            # Its subject right after it. (A subject before it as well is the small parser
            # hanging the words before the question on it: "um anomalies in metrics uh is this ...")
            after = [c for c in verb.children if 0 < c.left_edge.i - t.i <= 2]
            # The parser often reads the subject of an unpunctuated "is the goal ..." as the
            # complement of a subjectless "is": the same question.
            if not any(c.dep_ in _SUBJECT for c in after) and not (
                    verb is t and t.lemma_.lower() == "be" and any(c.dep_ == "attr" for c in after)
                    and not any(c.dep_ in _SUBJECT | {"csubj"} for c in t.children)):
                continue
            # Not a question: a conditional before its main clause ("Should the cache fail, the
            # database ...", "Had we known, ..."), or "so is the queue" agreeing with the last point.
            if verb.dep_ == "advcl" and verb.head.i > verb.i \
                    and any(x.text == "," for x in doc[verb.i:verb.head.i]):
                continue
            if t.i > 0 and doc[t.i - 1].lower_ in {"so", "neither", "nor"} and _ends_at_subject(doc, verb, t):
                continue
            start = t.i
            for j in range(t.i - 1, max(-1, t.i - 5), -1):  # "how many labeled images | are"
                if doc[j].tag_ in _WH:
                    start = j
                    break
                if doc[j].pos_ in {"VERB", "AUX", "PRON", "PUNCT", "CCONJ", "SCONJ"} \
                        and doc[j].tag_ not in {"VBN", "VBG"}:
                    break
            for _ in range(3):
                prev = normalise_token(doc[start - 1].text) if start > 0 else ""
                if prev and (QUESTION_LEAD.fullmatch(prev) or FILLED_PAUSE.fullmatch(prev)):
                    start -= 1
            if start > 0 and normalise_token(doc[start - 1].text) == "or":
                continue
            out.add(self.word_index(doc[start].idx))
        return frozenset(out)

    def _acknowledgement_starts(self) -> set[int]:
        """Words that take in the interviewer's reply on their own ("... billions okay so i'd
        ..."): the speaker moves on there, as after a full stop."""
        if not self.tagged:
            return set()
        doc, out = self.doc, set()
        for t in doc:
            if t.i == 0 or not ACKNOWLEDGEMENTS.fullmatch(t.lower_) or t.dep_ in _ACK_IN_CLAUSE:
                continue
            prev = doc[t.i - 1]
            p = normalise_token(prev.text)
            if prev.pos_ in {"AUX", "VERB"} or CLAUSE_OPENERS.fullmatch(p) or FILLED_PAUSE.fullmatch(p) \
                    or ACKNOWLEDGEMENTS.fullmatch(p):
                continue
            out.add(self.word_index(t.idx))
        return out

    def _pause_starts(self) -> set[int]:
        """Words that follow a silence of :data:`PAUSE_BREAK_S` between speech regions."""
        regions = sorted(self.transcript.speech_regions, key=lambda r: r.start)
        starts = [w.start if w.start is not None else -1.0 for w in self.words]
        out = set()
        for a, b in pairwise(regions):
            if b.start - a.end >= PAUSE_BREAK_S:
                # The first word that starts after the middle of the silence.
                i = bisect.bisect_left(starts, (a.end + b.start) / 2)
                if 0 < i < len(self.words) and self.words[i].timed:
                    out.add(i)
        return out

    def tokens_of(self, first: int, last: int) -> list[Token]:
        """Tokens lying in words ``[first, last)``."""
        return [t for t in self.tokens if first <= t.word < last]


def _lower_i(language: Language) -> bool:
    """The pronoun "I" is mostly written "i": whoever typed the text did not punctuate it
    with care either."""
    lower = sum(1 for w in language.words if _LOWER_I.fullmatch(w.text))
    upper = sum(1 for w in language.words if _UPPER_I.fullmatch(w.text))
    return lower > upper


def analyse(transcript: Transcript, nlp: Any = None) -> Language:
    """Build the shared language view of ``transcript``.

    Text whose full stops are not sentence ends is read without its punctuation (a
    :class:`Language` with ``marks=False``): text in which "I" is mostly written "i", or
    whose full stops fall where the learned restorer, reading the bare words, hears no
    sentence end (:func:`voice_coach.boundaries.pause_marked`). Measured on blind rounds:
    docs/signals.md, "Full stops at pauses".
    """
    written = Language(transcript, nlp)
    # Full stops (not question marks) before the last word: the ones that may fall at pauses.
    stops = [i for i, w in enumerate(written.words[:-1]) if _FULL_STOP.search(w.text)]
    if not stops:
        return written
    # The bare words are parsed first: read bare, the written parse is never needed.
    without = Language(transcript, nlp, marks=False)
    if not without.tagged:
        return written
    if _lower_i(written):
        return without
    from voice_coach.boundaries import pause_marked  # lazy: numpy and its weights

    return without if pause_marked(stops, without) else written
