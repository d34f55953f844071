"""The learned second opinion's classifier: one logistic regression per sentence label.

Pure numpy and regular expressions, no model loading and no I/O besides (de)serialising
weights as JSON text. The inputs of a sentence are its embedding (:mod:`voice_coach.embeddings`)
and cheap features that the embedding cannot see: whether it ends in a question mark, where it
sits in the answer (first, second, last two, relative position), its length (without the
position features the held-out scores were lower and the model called more of the project's
hand-written near-miss answers tradeoffs), and which of the rules' lexicons it has a hit of
(:data:`CUES`). Because of the cues, a change to one of those lexicons means retraining
(``scripts/train_learned.py --check`` says when).

Training is Newton's method (iteratively reweighted least squares) for a fixed number of
steps from zero weights, with an L2 penalty on everything but the bias: no random start, no
shuffling, so the same inputs give the same weights. Weights are written rounded to six
significant digits, so float noise below that cannot change the shipped file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

LABELS: tuple[str, ...] = ("tradeoff", "clarifying", "plan", "signpost", "summary", "justification")
BASE_CHEAP: tuple[str, ...] = ("question", "first", "second", "last_two", "position", "length")
FORMAT = "voice-coach.learned/1"
NEWTON_STEPS = 12  # an L2-penalised logistic loss is converged well before this
THRESHOLDS = (*(round(0.30 + 0.05 * i, 2) for i in range(14)), 0.97, 0.99)  # 0.30 .. 0.95, 0.97, 0.99


# Lexicon cues: whether the sentence has a hit of each of these lexicons (the rules' own
# vocabulary: contrast markers, benefit and cost words, sequence words, assumptions, ...). The
# rules need a whole construction to fire; the model learns how much each cue is worth next to
# the embedding, so "fast ... and every write has to invalidate it" can weigh a cost word the
# rules read no construction around. Rounds 45-62, each triple with a model trained on the
# rounds before it: tradeoffs 0.854 -> 0.881, clarifying 0.911 -> 0.915, framing 0.893 ->
# 0.892, ramble 0.901 -> 0.899 (docs/signals.md, "Lexicon cues as features").
CUES: tuple[str, ...] = ("tradeoffs.contrast", "tradeoffs.benefit", "tradeoffs.cost", "tradeoffs.consequence",
                         "tradeoffs.explicit", "framing.sequence", "framing.num_struct", "framing.plan",
                         "clarifying_questions.assumption", "clarifying_questions.directed",
                         "clarifying_questions.topic", "clarifying_questions.self_directed",
                         "justification.reasons", "closing_summary.summary", "shared.signposts")
CHEAP: tuple[str, ...] = (*BASE_CHEAP, *("cue:" + c for c in CUES))


@cache
def _cue_lexicons() -> tuple[Any, ...]:
    """The :data:`CUES` lexicons, looked up once (imported late: the CLI's start-up stays light)."""
    from voice_coach.lexicon import lexicon

    return tuple(lexicon(c) for c in CUES)


def _cues(text: str) -> list[float]:
    """1.0 for each of :data:`CUES` with a match in ``text`` (as the lexicons read words)."""
    from voice_coach.lexicon import norm

    words = " ".join(t for t in (norm(w) for w in text.split()) if t)
    return [float(lex.search(words) is not None) for lex in _cue_lexicons()]


def cheap_row(text: str, k: int, n: int) -> list[float]:
    """The cheap features of one sentence, the ``k``-th of an answer's ``n``."""
    row = [
        float(text.rstrip().rstrip("\"')").endswith("?")),
        float(k == 0),
        float(k == 1),
        float(k >= n - 2),
        k / (n - 1) if n > 1 else 0.0,
        min(len(text.split()), 40) / 40.0,
    ]
    return row + _cues(text)


def cheap_features(texts: list[str]) -> np.ndarray:
    """The cheap features of an answer's sentences, in order (one row per sentence)."""
    n = len(texts)
    return np.array([cheap_row(t, k, n) for k, t in enumerate(texts)], dtype=np.float64).reshape(n, len(CHEAP))


def design(embeddings: np.ndarray, cheap: np.ndarray) -> np.ndarray:
    """The design matrix: embedding, cheap features, and a constant 1 for the bias."""
    ones = np.ones((embeddings.shape[0], 1))
    return np.hstack([embeddings.astype(np.float64), cheap.astype(np.float64), ones])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = NEWTON_STEPS) -> np.ndarray:
    """Weights ``(features, labels)`` of one logistic regression per column of ``y`` (0/1).

    Classes are balanced (each side weighs half), because most labels mark one sentence in
    ten or fewer, and an unweighted fit learns to say "no" to all of them; the threshold
    (:func:`choose_threshold`) then sets how sure the model must be.
    """
    d = x.shape[1]
    penalty = np.full(d, l2)
    penalty[-1] = 0.0  # the bias is not shrunk
    out = np.zeros((d, y.shape[1]))
    for j in range(y.shape[1]):
        pos = float(np.clip(y[:, j].mean(), 1.0 / len(y), 1 - 1.0 / len(y))) if len(y) else 0.5
        weight = np.where(y[:, j] > 0, 0.5 / pos, 0.5 / (1 - pos))
        w = np.zeros(d)
        for _ in range(steps):
            p = _sigmoid(x @ w)
            grad = x.T @ (weight * (p - y[:, j])) + penalty * w
            hess = (x * (weight * p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(d)
            w = w - np.linalg.solve(hess, grad)
        out[:, j] = w
    return out


def predict(weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Probabilities ``(sentences, labels)``."""
    return _sigmoid(x @ weights)


def choose_threshold(p: np.ndarray, rule: np.ndarray, gold: np.ndarray) -> float:
    """The threshold at which "rule OR p >= t" has the best F1 against ``gold``.

    ``p`` are out-of-fold probabilities (the model never saw those sentences), so the
    threshold is chosen the way the model will be used: on text it has not seen. Ties go to
    the higher threshold (fewer model-only hits).
    """
    best_t, best_f = THRESHOLDS[-1], -1.0
    for t in THRESHOLDS:
        pred = rule | (p >= t)
        tp = float(np.sum(pred & gold))
        fp = float(np.sum(pred & ~gold))
        fn = float(np.sum(~pred & gold))
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 >= best_f:
            best_t, best_f = t, f1
    return best_t


@dataclass
class Model:
    """Shipped weights: which embedder they expect, one column per label, and thresholds."""

    embedder: str
    weights: np.ndarray  # (features, labels)
    thresholds: dict[str, float]
    labels: tuple[str, ...] = LABELS
    meta: dict[str, Any] = field(default_factory=dict)

    def probabilities(self, embeddings: np.ndarray, texts: list[str], cheap: np.ndarray | None = None) -> np.ndarray:
        """Probabilities ``(sentences, labels)`` for one answer's sentences (``cheap``: their
        cheap features, when they are not the answer's sentences in order)."""
        return predict(self.weights, design(embeddings, cheap_features(texts) if cheap is None else cheap))

    def to_json(self) -> str:
        """Deterministic JSON text (sorted keys, six significant digits)."""
        return json.dumps({
            "format": FORMAT,
            "embedder": self.embedder,
            "labels": list(self.labels),
            "cheap_features": list(CHEAP),
            "thresholds": {k: self.thresholds[k] for k in self.labels},
            "meta": self.meta,
            "weights": [[float(f"{v:.6g}") for v in col] for col in self.weights.T],
        }, sort_keys=True, separators=(",", ":")) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Model:
        """Parse :meth:`to_json`'s output; ``ValueError`` if it is not that format."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a voice-coach.learned/1 weights file")
        if tuple(data.get("cheap_features", ())) != CHEAP:
            raise ValueError("weights were trained with other cheap features")
        labels = tuple(data["labels"])
        weights = np.array(data["weights"], dtype=np.float64).T
        if weights.ndim != 2 or weights.shape[1] != len(labels):
            raise ValueError("weights do not match the labels")
        thresholds = {k: float(v) for k, v in data["thresholds"].items()}
        return cls(str(data["embedder"]), weights, thresholds, labels, dict(data.get("meta", {})))


def ship(out: Path, text: str, check: bool, summary: str) -> int:
    """The last step of every trainer in scripts/: with ``check``, compare a fresh training's
    ``text`` with the shipped file (exit status 1 when it differs); else write it, atomically.
    """
    if check:
        same = out.is_file() and out.read_text(encoding="utf-8") == text
        print(f"{out}: {'reproduced byte for byte' if same else 'DIFFERS from a fresh training'}")
        return 0 if same else 1
    from voice_coach.fsutil import atomic_write_text

    atomic_write_text(out, text)
    print(f"wrote {out} ({summary})")
    return 0

