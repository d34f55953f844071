"""The learned second opinion: per-sentence probabilities that the rules may have missed something.

Six sentence-level judgements are made by the lexicon rules *and* a small classifier
together: a tradeoff, a clarifying question to the interviewer, a plan or structure in the
opening, a signpost, a closing summary, a justification. A sentence counts when a rule
fires on it or when the model's probability reaches that label's threshold (chosen on
held-out folds by ``scripts/train_learned.py``). Rules stay first: when a rule fired, the
evidence names its lexicon row; when only the model did, the evidence says
``rule: "model:<label>"`` with the probability ``p``, and it still quotes the words.

Probabilities are computed once per transcript, for all its sentences at once, and cached on
the shared :class:`~voice_coach.language.Language`. The weights ship in
``voice_coach/data/learned.json``; the sentence vectors are spaCy's own
(:mod:`voice_coach.embeddings`), from the pipeline :func:`voice_coach.background.warm_up`
already loads in the background, which loads the weights too. If either is missing or fails
to load, one warning goes to stderr and the signals use their rules alone. ``VOICE_COACH_RULES_ONLY=1`` (or
:func:`rules_only`) turns the model off on purpose: the blind-round table's rule-only column.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from voice_coach.classifier import CHEAP, LABELS, Model

if TYPE_CHECKING:
    from voice_coach.language import Language
    from voice_coach.signals.phrases import Sent, Text

WEIGHTS = Path(__file__).resolve().parent / "data" / "learned.json"
# Labels the model may add only where the caller's rule corroborates the sentence
# (``second_opinion(..., corroborated=...)``). Plan: on the project's own near-miss answers
# (tests/examples.py) it called generic first sentences ("You'd monitor it with some
# dashboards, and alerts.") plans with p near 1, since most corpus answers open with one; so
# a model plan counts only in a sentence that also names its steps (voice_coach.signals.framing).
NOT_ALONE = frozenset({"plan"})
# Where the caller's rule corroborates the sentence, the model's plan counts from this
# probability instead of its trained threshold (0.90, chosen for the model on its own): the
# corroboration already rules out the confident first sentences the high threshold guards
# against. Opening units split from their steps ("i will tell first the context | and after
# what i did") and plans said casually scored 0.5-0.9. Measured with models trained only on
# earlier rounds (docs/signals.md, "The model's plan"): framing on rounds 36-38 0.833 -> 0.841,
# 27-29, 30-32 and 33-35 unchanged, 39-41 (which suggested it) 0.841 -> 0.865. From 0.50,
# 30-32 gained one answer more, but retrained on rounds 1-44 the model then gave a rambler's
# "and then like the reads go there" p = 0.53, and it counted as a plan; from 0.70 likewise
# with the model of rounds 1-50 (p = 0.75). At 0.80, rounds 45-47 (models of rounds 1-44) and
# 48-50 (models of rounds 1-47), scored fresh at 0.70, gave the same framing.
# Tradeoff: where the sentence weighs inside itself (a contrast or concession after words it
# can weigh, voice_coach.signals.tradeoffs.weighed_within), the model's tradeoff counts from
# 0.75 instead of its trained 0.90 (0.95 before the lexicon cues): blind-round misses were a
# benefit, then "but"/"though"/"even if" and a cost in words no list has. 0.80 was chosen on
# rounds 42-44 alone (model of rounds 1-41, a plateau from 0.75 to 0.9). Re-measured on
# rounds 45-62, each triple with the models trained only on the rounds before it (756
# answers): 0.75 right on 7 more answers, wrong on none; 0.70 12 / 2; 0.60-0.65 14 / 3
# (docs/signals.md, "The model's tradeoff").
CORROBORATED_THRESHOLD = {"plan": 0.8, "tradeoff": 0.75}
# A sentence of fewer words than this gets no label from the model alone, unless it is a
# question ("scale?", a clarifying question the model rightly found in round 43): one word
# gives the sentence vector a single token to go on. Retrained on rounds 1-53, the model called the
# bundled example's cut-off last word "Thank" a signpost (p 0.94); over all 53 corpus rounds the
# model alone labelled two one-word sentences ("Transformation." rightly, "Dashboard."
# wrongly), and one-word signposts ("First.", "Next.") are the rules' lexicon rows anyway.
MIN_WORDS_ALONE = 2
# The model's veto: a rule's hit that the model gives less than this is dropped. Clarifying
# (caller: voice_coach.signals.clarifying_questions): blind rounds' clarifying false alarms were rule
# rows reading a reported question ("somebody in finance says, why is revenue doubled"), the
# speaker's own checks ("I want to know which backends the 502s came from") or an apology
# ("I'm not sure if that's what you were asking"), all at p < 0.05. Measured with models that
# had not seen the rounds: 51-53 (models of rounds 1-50) and 54-56 (rounds 1-53) drop 11 false
# hits and no true one; 45-47 (1-44) and 48-50 (1-47), not looked at while choosing, drop 2
# false and 1 true (docs/signals.md, "The model's veto").
# Tradeoff (caller: voice_coach.signals.tradeoffs, on the open-vocabulary caveat rule only):
# chosen on out-of-fold probabilities of corpus rounds 1-14 (docs/signals.md, "tradeoffs").
VETO_P = {"clarifying": 0.05, "tradeoff": 0.05}
RULES_ONLY_ENV = "VOICE_COACH_RULES_ONLY"
MODEL_RULE = "model:"

_MODEL: Model | None = None
_MODEL_REASON: str | None = None
_LOCK = threading.Lock()
_OFF = threading.local()
_WARNED = False


def model_rule(label: str) -> str:
    """The evidence ``rule`` of a judgement only the model made (``"model:tradeoff"``)."""
    return MODEL_RULE + label


def get_model() -> Model | None:
    """The shipped classifier, loaded once; ``None`` (with a reason) if it cannot load."""
    global _MODEL, _MODEL_REASON
    with _LOCK:
        if _MODEL is None and _MODEL_REASON is None:
            try:
                _MODEL = Model.from_json(WEIGHTS.read_text(encoding="utf-8"))
            except (OSError, ValueError, KeyError, TypeError) as err:
                _MODEL_REASON = f"its weights ({WEIGHTS.name}) did not load: {type(err).__name__}"
        return _MODEL


def enabled() -> bool:
    """Whether the model is wanted at all (not switched off by env or :func:`rules_only`)."""
    return not getattr(_OFF, "on", False) and os.environ.get(RULES_ONLY_ENV, "") not in {"1", "true", "yes"}


@contextlib.contextmanager
def rules_only() -> Iterator[None]:
    """Decide by rules alone inside the block (this thread): the rule-only baseline."""
    saved = getattr(_OFF, "on", False)
    _OFF.on = True
    try:
        yield
    finally:
        _OFF.on = saved


@contextlib.contextmanager
def using(model: Model) -> Iterator[None]:
    """Use ``model`` instead of the shipped weights inside the block (training, blind rounds)."""
    global _MODEL
    with _LOCK:
        saved, _MODEL = _MODEL, model
    try:
        yield
    finally:
        with _LOCK:
            _MODEL = saved


def _warn(reason: str) -> None:
    global _WARNED
    if not _WARNED:
        _WARNED = True
        print(f"voice-coach: warning: the learned second opinion is off ({reason}); "
              "structure signals use their rules only", file=sys.stderr)


def probabilities(language: Language, units: bool = False) -> dict[str, np.ndarray] | None:
    """Each label's probability for each sentence of ``language`` (cached), or ``None`` when off.

    ``units``: for each of :attr:`Language.units` instead (the clause-sized units of text
    with few full stops, closer to the sentences the model was trained on than the one long
    "sentence" such text otherwise is; the same as the sentences in punctuated text).
    """
    if not enabled():
        return None
    sents = language.units if units else language.sentences
    key = "_learned_probabilities_units" if units and sents is not language.sentences else "_learned_probabilities"
    if key in language.__dict__:
        cached: dict[str, np.ndarray] | None = language.__dict__[key]
        return cached
    from voice_coach.embeddings import EMBEDDER, sentence_vectors

    result: dict[str, np.ndarray] | None = None
    model = get_model()
    spans = [(s.first, s.last) for s in sents]
    vectors = sentence_vectors(language, spans) if model is not None and spans else None
    if model is None:
        _warn(_MODEL_REASON or "no weights")
    elif model.embedder != EMBEDDER:
        _warn(f"its weights expect {model.embedder}, not {EMBEDDER}")
    elif not spans:
        result = {label: np.zeros(0) for label in model.labels}
    elif vectors is None:
        _warn("no English spaCy pipeline (en_core_web_sm) gives it token vectors")
    elif vectors.shape[1] + len(CHEAP) + 1 != model.weights.shape[0]:
        _warn(f"its weights expect {model.weights.shape[0]} inputs, not {vectors.shape[1] + len(CHEAP) + 1}")
    else:
        probs = model.probabilities(vectors, [s.text for s in sents])
        result = {label: probs[:, j] for j, label in enumerate(model.labels)}
    language.__dict__[key] = result
    return result


def span_probabilities(language: Language, label: str, spans: list[tuple[int, int]]) -> list[float] | None:
    """The model's ``label`` probability for arbitrary word ranges ``[first, last)`` of
    ``language`` (a clause the rules quoted, rather than a whole sentence), or ``None`` when
    the model is off or unavailable. Position features come from the unit
    (:attr:`Language.units`) each range starts in; on punctuated text a range that is a
    whole sentence gets the same probability as in :func:`probabilities`."""
    if not enabled():
        return None
    if not spans:
        return []
    from voice_coach.classifier import cheap_row
    from voice_coach.embeddings import EMBEDDER, sentence_vectors

    model = get_model()
    if model is None or model.embedder != EMBEDDER or label not in model.labels:
        return None
    vectors = sentence_vectors(language, spans)
    if vectors is None or vectors.shape[1] + len(CHEAP) + 1 != model.weights.shape[0]:
        return None
    starts = [u.first for u in language.units]
    texts = [" ".join(w.text for w in language.words[a:b]) for a, b in spans]
    cheap = np.array([cheap_row(t, max(0, bisect.bisect_right(starts, a) - 1), len(starts))
                      for t, (a, _) in zip(texts, spans, strict=True)], dtype=np.float64)
    probs = model.probabilities(vectors, texts, cheap)
    return [round(float(v), 3) for v in probs[:, model.labels.index(label)]]


def model_sentences(language: Language, label: str, exclude: set[int] | frozenset[int] = frozenset(),
                    within: Iterable[int] | None = None, units: bool = False,
                    corroborated: bool = False) -> list[tuple[int, float]]:
    """``(sentence index, p)`` of sentences (``units``: units) the model calls ``label``, in order.

    Sentences in ``exclude`` (those a rule already found) and outside ``within`` are skipped.
    Empty when the model is off or unavailable, and for a :data:`NOT_ALONE` label unless the
    caller checks each sentence itself (``corroborated``).
    """
    probs = probabilities(language, units)
    model = _MODEL
    if probs is None or model is None or label not in probs or (label in NOT_ALONE and not corroborated):
        return []
    t = model.thresholds.get(label, 1.01)
    if corroborated and label in CORROBORATED_THRESHOLD:
        t = min(t, CORROBORATED_THRESHOLD[label])
    p = probs[label]
    ks = within if within is not None else range(len(p))
    return [(k, round(float(p[k]), 3)) for k in ks if 0 <= k < len(p) and k not in exclude and p[k] >= t]


def vetoed(language: Language, label: str, spans: list[tuple[int, int]]) -> list[bool]:
    """For each rule hit ``[first, last)``: whether the model vetoes it (its ``label``
    probability under :data:`VETO_P`). None is vetoed when the model is off or unavailable,
    or for a label without a veto."""
    floor = VETO_P.get(label)
    ps = span_probabilities(language, label, spans) if floor is not None and spans else None
    if floor is None or ps is None:
        return [False] * len(spans)
    return [p < floor for p in ps]


def second_opinion(text: Text, label: str, spans: Iterable[tuple[int, int]],
                   within: Iterable[Sent] | None = None,
                   corroborated: Callable[[Sent], bool] | None = None) -> list[tuple[Sent, float]]:
    """Sentences of ``text`` (among ``within``) that only the model calls ``label``, with ``p``.

    ``spans`` are the word ranges ``[first, last)`` the rules already found; a sentence
    overlapping one is the rules' and is not offered again. With ``corroborated``, a sentence
    under the label's trained threshold (but at least its :data:`CORROBORATED_THRESHOLD`) is
    offered when it accepts it; a :data:`NOT_ALONE` label offers only the sentences it accepts.
    """
    spans = list(spans)
    covered = {s.index for s in text.sentences if any(a < s.last and s.first < b for a, b in spans)}
    ks = None if within is None else [s.index for s in within]
    found = model_sentences(text.language, label, covered, ks, text.units, corroborated is not None)
    found = [(k, p) for k, p in found
             if text.sentences[k].n_words >= MIN_WORDS_ALONE or text.sentences[k].is_question]
    if corroborated is None:
        return [(text.sentences[k], p) for k, p in found]
    # At its trained threshold the model's word stands alone (none for a NOT_ALONE label);
    # below it, down to CORROBORATED_THRESHOLD, only where ``corroborated`` accepts the sentence.
    alone = {k for k, _ in model_sentences(text.language, label, covered, ks, text.units)}
    return [(text.sentences[k], p) for k, p in found if k in alone or corroborated(text.sentences[k])]


def reset() -> None:
    """Forget the loaded weights and warnings (tests)."""
    global _MODEL, _MODEL_REASON, _WARNED
    with _LOCK:
        _MODEL, _MODEL_REASON, _WARNED = None, None, False


__all__ = ["LABELS", "model_rule", "model_sentences", "probabilities", "rules_only", "second_opinion",
           "span_probabilities", "using", "vetoed"]
