"""A learned sentence-boundary and question-mark restorer for text with few or no full stops.

Captions and speech-recognition run-ons ("so i'd start with the data then a baseline is
the budget fixed") reach the structure signals as one long sentence. When
:attr:`voice_coach.language.Language.sparse` says the marks are missing, this module
decides, for every gap between two words, whether a sentence ends there, and for every
unit it cuts, whether a listener hears it as a question. It never changes, adds or drops a
word: its output is word ranges and one is-question flag per range, so evidence keeps its
word indices and timestamps.

Two logistic regressions (:func:`voice_coach.classifier.fit`), trained by
``scripts/train_boundaries.py`` on the repo's labelled corpus (fully punctuated answers
stripped of case and punctuation, whose sentence ends are then known for free, and the
loose and unpunctuated answers, whose gold clauses are given):

* **boundary**, one row per gap: the tok2vec vectors of the words around it (w-1, w, w+1,
  w+2: spaCy's own, from the parse the language view already ran, so nothing else is
  computed), their part-of-speech tags hashed into :data:`TAG_DIM` buckets, whether spaCy's
  parser or the hand-written clause rule starts a sentence there, and the mark the word
  before it carries, so loose text keeps what it has. (Hashed word n-grams were tried too:
  no better on validation rounds, and five times slower to train.) A model cut that would
  leave a bare "and if it's good" as a sentence is dropped (:data:`SUBORDINATORS`);
* **question**, one row per unit: its first words and tags hashed, the vector of its first
  token, and its length.

The weights ship in ``voice_coach/data/boundaries.json`` and load once, lazily. Without
them, or without a tagged English spaCy pipeline, :func:`restore` returns ``None`` and the
language view keeps its rule-based units. In timed transcripts a pause between speech regions
(:data:`voice_coach.language.PAUSE_BREAK_S`) is a cut too. ``VOICE_COACH_BOUNDARIES=off`` turns the model
off (the evaluation's "without" column); a path there loads other weights.
"""

from __future__ import annotations

import json
import os
import re
import threading
import zlib
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from voice_coach.language import Language, Sentence

WEIGHTS = Path(__file__).resolve().parent / "data" / "boundaries.json"
ENV = "VOICE_COACH_BOUNDARIES"
FORMAT = "voice-coach.boundaries/1"
HASH_DIM = 1024  # word features of the question model
TAG_DIM = 128  # part-of-speech features of the boundary model
QUESTION_WORDS = 3  # how many of a unit's first words the question model reads
MIN_UNIT_WORDS = 2  # a one-word "sentence" is a cut in the wrong place, not a sentence
# A unit that opens (after "and", "so", "then") with one of these is a subordinate clause,
# which cannot end a sentence on its own: "and if it's good | you deploy it" is one sentence.
SUBORDINATORS = frozenset({"if", "when", "whenever", "unless", "once", "because", "although", "though", "while"})
LEADING = frozenset({"and", "so", "then", "but", "or", "um", "uh"})
_MARK = re.compile(r"[.!?]+[\"')\]]*$")
_WORD = re.compile(r"[^\w']+")

_LOCK = threading.Lock()
_LOADED: dict[str, Any] = {}


@dataclass(frozen=True)
class Unit:
    """A restored sentence: transcript words ``[first, last)``, and whether it is a question."""

    first: int
    last: int
    question: bool


@dataclass
class Model:
    """Both regressions' weights and thresholds."""

    boundary: np.ndarray  # (features,)
    question: np.ndarray  # (features,)
    boundary_threshold: float
    question_threshold: float
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """Deterministic JSON text (sorted keys, six significant digits)."""
        return json.dumps({
            "format": FORMAT, "hash_dim": HASH_DIM, "tag_dim": TAG_DIM, "question_words": QUESTION_WORDS,
            "boundary": {"threshold": self.boundary_threshold,
                         "weights": [float(f"{v:.6g}") for v in self.boundary]},
            "question": {"threshold": self.question_threshold,
                         "weights": [float(f"{v:.6g}") for v in self.question]},
            "meta": self.meta,
        }, sort_keys=True, separators=(",", ":")) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Model:
        """Parse :meth:`to_json`'s output; ``ValueError`` if it is not that format."""
        import numpy as np

        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} weights file")
        if (data.get("hash_dim"), data.get("tag_dim"), data.get("question_words")) != (
                HASH_DIM, TAG_DIM, QUESTION_WORDS):
            raise ValueError("weights were trained with other features")
        b = np.array(data["boundary"]["weights"], dtype=np.float64)
        q = np.array(data["question"]["weights"], dtype=np.float64)
        return cls(b, q, float(data["boundary"]["threshold"]), float(data["question"]["threshold"]),
                   dict(data.get("meta", {})))


def get_model() -> Model | None:
    """The weights named by :data:`ENV` (default the shipped file), loaded once; ``None`` if
    switched off or unreadable."""
    choice = os.environ.get(ENV, "")
    if choice.lower() in {"off", "0", "no"}:
        return None
    path = Path(choice) if choice else WEIGHTS
    key = str(path)
    with _LOCK:
        if key not in _LOADED:
            try:
                _LOADED[key] = Model.from_json(path.read_text(encoding="utf-8"))
            except (OSError, ValueError, KeyError, TypeError):
                _LOADED[key] = None
        model: Model | None = _LOADED[key]
        return model


def _bucket(feature: str, dim: int = HASH_DIM) -> int:
    # crc32, not hash(): Python salts str hashes per process, and the weights must not move.
    return zlib.crc32(feature.encode("utf-8")) % dim


def _norm(text: str) -> str:
    return _WORD.sub("", text.lower().replace("\u2019", "'")) or "<p>"


class Features:
    """Per-word views of one answer (words, tags, vectors, parser starts), built once."""

    def __init__(self, language: Language) -> None:
        import numpy as np

        doc = language.doc
        n = len(language.words)
        self.n = n
        self.words = [_norm(f) for f in language.forms]
        self.marks = [w.text.rstrip("\"')]") for w in language.words]
        first_tok = [-1] * n
        last_tok = [-1] * n
        for t in language.tokens:
            if first_tok[t.word] < 0:
                first_tok[t.word] = t.i
            last_tok[t.word] = t.i
        tensor = np.asarray(doc.tensor, dtype=np.float64)
        dim = tensor.shape[1]
        zero = np.zeros(dim)
        self.dim = dim
        self.vec_first = np.array([tensor[i] if i >= 0 else zero for i in first_tok]).reshape(n, dim)
        self.vec_last = np.array([tensor[i] if i >= 0 else zero for i in last_tok]).reshape(n, dim)
        self.tag_first = [doc[i].tag_ if i >= 0 else "-" for i in first_tok]
        self.tag_last = [doc[i].tag_ if i >= 0 else "-" for i in last_tok]
        self.parser_starts = {language.word_index(s.start_char) for s in doc.sents}
        self.rule_starts = language._clause_starts()

    def word(self, i: int) -> str:
        return self.words[i] if 0 <= i < self.n else ("<s>" if i < 0 else "</s>")

    def boundary_rows(self) -> np.ndarray:
        """One row per gap after words ``0 .. n-2``."""
        import numpy as np

        gaps = max(0, self.n - 1)
        d = self.dim
        hashed = np.zeros((gaps, TAG_DIM))
        dense = np.zeros((gaps, 4 * d + BOUNDARY_EXTRA))
        zero = np.zeros(d)
        for i in range(gaps):
            t0, t1 = self.tag_last[i], self.tag_first[i + 1]
            tm1 = self.tag_last[i - 1] if i > 0 else "<s>"
            t2 = self.tag_first[i + 2] if i + 2 < self.n else "</s>"
            for f in (f"t0={t0}", f"t1={t1}", f"t2={t2}", f"tm1={tm1}", f"t01={t0}|{t1}", f"t12={t1}|{t2}",
                      f"tm10={tm1}|{t0}"):
                hashed[i, _bucket(f, TAG_DIM)] = 1.0
            mark = self.marks[i]
            dense[i, :d] = self.vec_last[i - 1] if i > 0 else zero
            dense[i, d:2 * d] = self.vec_last[i]
            dense[i, 2 * d:3 * d] = self.vec_first[i + 1]
            dense[i, 3 * d:4 * d] = self.vec_first[i + 2] if i + 2 < self.n else zero
            dense[i, 4 * d:] = [
                float(bool(_MARK.search(mark))), float(mark.endswith("?")),
                float(mark.endswith(",")), float(mark[-1:] in {";", ":", "-"}),
                float(i + 1 in self.parser_starts), float(i + 1 in self.rule_starts),
            ]
        return np.hstack([hashed, dense, np.ones((gaps, 1))])

    def question_rows(self, spans: list[tuple[int, int]]) -> np.ndarray:
        """One row per unit ``[first, last)``."""
        import numpy as np

        hashed = np.zeros((len(spans), HASH_DIM))
        dense = np.zeros((len(spans), self.dim + 3))
        for k, (a, b) in enumerate(spans):
            ws = [self.words[i] if i < b else "</s>" for i in range(a, a + QUESTION_WORDS)]
            ts = [self.tag_first[i] if i < b else "</s>" for i in range(a, a + QUESTION_WORDS)]
            feats = [f"q{j}={w}" for j, w in enumerate(ws)] + [f"qt{j}={t}" for j, t in enumerate(ts)]
            feats += [f"q01={ws[0]}|{ws[1]}", f"q12={ws[1]}|{ws[2]}", f"qt01={ts[0]}|{ts[1]}",
                      f"q0t1={ws[0]}|{ts[1]}", f"qt0w1={ts[0]}|{ws[1]}", f"qlast={self.words[b - 1]}"]
            for f in feats:
                hashed[k, _bucket(f)] = 1.0
            dense[k, :self.dim] = self.vec_first[a]
            dense[k, self.dim:] = [min(b - a, 40) / 40.0, float(self.marks[b - 1].endswith("?")),
                                   float(any(w in {"or", "whether"} for w in self.words[a:b]))]
        return np.hstack([hashed, dense, np.ones((len(spans), 1))])


BOUNDARY_EXTRA = 6  # the dense non-vector boundary features above


def decode(p: np.ndarray, threshold: float, marks: list[str]) -> list[int]:
    """Cut positions (word indices that start a unit, 0 excluded) from per-gap probabilities.

    Every written sentence end stays a cut; a model cut closer than :data:`MIN_UNIT_WORDS`
    to the previous one is dropped.
    """
    n = len(p) + 1
    cuts, last = [], 0
    for i in range(n - 1):
        written = bool(_MARK.search(marks[i]))
        if written or (p[i] >= threshold and i + 1 - last >= MIN_UNIT_WORDS
                       and n - (i + 1) >= MIN_UNIT_WORDS):
            cuts.append(i + 1)
            last = i + 1
    return cuts


def _no_bare_subordinate(cuts: list[int], feats: Features) -> list[int]:
    """Drop a model cut that would end a unit made only of a short subordinate clause."""
    out: list[int] = []
    first = 0  # the previous cut the model proposed, kept or not
    for c in cuts:
        i = first
        while i < c and feats.words[i] in LEADING:
            i += 1
        written = bool(_MARK.search(feats.marks[c - 1]))
        bare = i < c and feats.words[i] in SUBORDINATORS and "," not in "".join(feats.marks[first:c])
        if written or not bare:
            out.append(c)
        first = c
    return out


def _gaps(language: Language, model: Model) -> tuple[Features, np.ndarray] | None:
    """``language``'s features and the model's sentence-end probability at each gap between
    two words, or ``None`` without a tagged parse or with weights of other features.

    Computed once per language view and model: the pause-mark check (:func:`pause_marked`)
    and the restorer (:func:`restore`) read the same bare words."""
    import numpy as np

    from voice_coach.classifier import predict

    memo = language.__dict__.get("_boundary_gaps")
    if memo is not None and memo[0] is model:
        return memo[1]
    out: tuple[Features, np.ndarray] | None = None
    if language.words and language.tagged and getattr(language.doc, "tensor", None) is not None \
            and language.doc.tensor.shape[0] == len(language.doc):
        feats = Features(language)
        if feats.n < 2:
            out = feats, np.zeros(0)
        else:
            x = feats.boundary_rows()
            if x.shape[1] == model.boundary.shape[0]:
                out = feats, predict(model.boundary[:, None], x)[:, 0]
    language.__dict__["_boundary_gaps"] = (model, out)
    return out


def restore(language: Language, model: Model | None = None) -> list[Unit] | None:
    """Units tiling ``language``'s words, or ``None`` when the model or spaCy's tagged
    pipeline is missing (the caller keeps its rule-based units)."""
    from voice_coach.classifier import predict

    model = model if model is not None else get_model()
    if model is None:
        return None
    gaps = _gaps(language, model)
    if gaps is None:
        return None
    feats, p = gaps
    cuts = _no_bare_subordinate(decode(p, model.boundary_threshold, feats.marks), feats) if feats.n > 1 else []
    # A long silence between speech regions is a break a listener hears; the corpus has no
    # timings to learn it from, so timed transcripts keep the rule units' pause cuts.
    cuts = sorted(set(cuts) | language._pause_starts())
    bounds = [0, *cuts, feats.n]
    spans = list(pairwise(bounds))
    q = feats.question_rows(spans)
    if q.shape[1] != model.question.shape[0]:
        return None
    asked = predict(model.question[:, None], q)[:, 0] >= model.question_threshold
    return [Unit(a, b, bool(ask) or feats.marks[b - 1].endswith("?")) for (a, b), ask in zip(spans, asked, strict=True)]


# A full stop where the restorer, reading the bare words, gives a sentence end less than this
# probability is a pause mark, not a sentence end; a text with at least PAUSE_MARKS of them,
# PAUSE_MARK_SHARE of its full stops or more, is read without its marks
# (voice_coach.language.analyse). One is not enough: a typist's "Then a baseline." is one.
# Blind rounds 45-71: docs/signals.md, "Full stops at pauses".
PAUSE_MARK_P = 0.2
PAUSE_MARKS = 2
PAUSE_MARK_SHARE = 0.2


def pause_marked(stops: list[int], without: Language, model: Model | None = None) -> bool | None:
    """Whether the written full stops after words ``stops`` fall at pauses: at
    :data:`PAUSE_MARKS` or more of them, and :data:`PAUSE_MARK_SHARE` or more, the restorer
    given the same words without marks (``without``) hears no sentence end. ``None`` without
    the model or a tagged parse."""
    model = model if model is not None else get_model()
    if model is None or len(without.words) < 2 or not without.tagged:
        return None
    if len(stops) < PAUSE_MARKS:
        return False
    gaps = _gaps(without, model)
    if gaps is None:
        return None
    p = gaps[1]
    pauses = sum(1 for i in stops if p[i] < PAUSE_MARK_P)
    return pauses >= PAUSE_MARKS and pauses >= PAUSE_MARK_SHARE * len(stops)


def sentences_of(language: Language) -> tuple[Sentence, ...] | None:
    """:func:`restore`'s units as the language view's sentences, or ``None`` without the model.

    A unit starting at a written sentence break (or the answer start) is ``marked``; one
    the model cut is not, so ramble can still join run-on "and ..." clauses.
    """
    units = restore(language)
    if units is None:
        return None
    out = []
    for u in units:
        marked = u.first == 0 or bool(_MARK.search(language.words[u.first - 1].text))
        s = language.sentence(u.first, u.last, marked)
        out.append(replace(s, asked=True) if u.question and not s.is_question else s)
    return tuple(out)
