#!/usr/bin/env python3
"""Train the answer-level ramble model from the labelled corpus, and cross-validate it by round.

usage::

    .venv/bin/python scripts/train_ramble.py [CORPUS_DIR] [--out FILE] [--check] [--cv]

CORPUS_DIR (default ``corpus/rounds``) holds ``round-NN.jsonl`` files (``corpus/README.md``).
Each answer's text goes through the product's own analysis (``transcript_from_text``,
``analyse``, the ramble rule) and :func:`voice_coach.ramble_model.features`; the gold is the
answer's ``ramble`` label. The model is one logistic regression
(:func:`voice_coach.classifier.fit`, class-balanced, Newton steps from zero weights) over
standardised features, trained on every answer and used by the product on every answer of
more than one run (``ramble_model.decide``).
Its threshold is the one with the best accuracy on the out-of-fold probabilities, folds by
round. Files
and answers are read in sorted order and nothing is random, so the same corpus gives the
same file byte for byte; ``--check`` fails (exit 1) when the shipped file differs.

``--cv`` prints leave-one-round-out accuracy (train on the other rounds, predict the held-out
one), by punctuation style, for the rule alone and for the ways of combining it with the model,
among them the one shipped until 2026-12-02 (the model only on "gated" answers: text with
few full stops that is more than one run; the rule elsewhere).
Exit codes: 0, 1 ``--check`` mismatch, 2 bad arguments, 3 unreadable corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voice_coach import ramble_model  # noqa: E402
from voice_coach.classifier import design, fit, predict, ship  # noqa: E402
from voice_coach.language import analyse  # noqa: E402
from voice_coach.signals import ramble  # noqa: E402
from voice_coach.signals.base import Context  # noqa: E402
from voice_coach.signals.phrases import text_of  # noqa: E402
from voice_coach.transcript import transcript_from_text  # noqa: E402

# On standardised features. Leave-one-round-out on rounds 1-17 (loose / none answers):
# 0.03 -> 0.945 / 0.975, 0.1 -> 0.963 / 0.982, 0.3 -> 0.957 / 0.982, 1.0 -> 0.945 / 0.982.
L2 = 0.1
THRESHOLDS = tuple(round(0.20 + 0.05 * i, 2) for i in range(14))  # 0.20 .. 0.85
STYLES = ("full", "loose", "none")


@dataclass
class Corpus:
    """Per answer: round number, punctuation style, whether the gate shipped until 2026-12-02
    let the model judge it (``gated``: :func:`gated`), rule verdict, features, gold."""

    ids: list[str]
    round: np.ndarray
    style: list[str]
    gated: np.ndarray
    rule: np.ndarray
    x: np.ndarray
    gold: np.ndarray
    longest: np.ndarray  # the longest run, in words
    words: np.ndarray


def gated(sparse: bool, longest_run: int, n_words: int) -> bool:
    """The gate shipped until 2026-12-02, kept to compare against: the model judged only text
    with few full stops (``Language.sparse``) whose longest run covers under 90% of its words."""
    return sparse and longest_run < 0.9 * n_words


def answer_text(row: dict[str, object]) -> str:
    text = row.get("text")
    if isinstance(text, str):
        return text
    return " ".join(str(s["text"]) for s in row["sentences"])  # type: ignore[attr-defined]


def load(corpus: Path) -> Corpus:
    """Every answer of ``corpus/round-*.jsonl``, analysed as the product does (rule only)."""
    files = sorted(corpus.glob("round-*.jsonl"))
    if not files:
        raise ValueError(f"no round-*.jsonl files in {corpus}")
    ids, rounds, styles, in_gate, rules, xs, gold = [], [], [], [], [], [], []
    longests, n_words = [], []
    ramble_model.reset(None, tried=True)  # the rule's own verdict
    try:
        for number, path in enumerate(files, 1):
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            for row in sorted(rows, key=lambda r: str(r["id"])):
                transcript = transcript_from_text(answer_text(row))
                language = analyse(transcript)
                result = ramble.compute(transcript, ramble.Config(), Context(language=language))
                present = bool(result.values["present"])
                longest = int(result.values["longest_run_words"])
                text = text_of(language, units=True)
                ids.append(str(row["id"]))
                rounds.append(number)
                styles.append(str(row.get("punctuation", "")))
                in_gate.append(gated(text.units, longest, len(text.words)))
                rules.append(present)
                xs.append(ramble_model.features(text, present, longest))
                gold.append(bool(row["answer"]["ramble"]))
                longests.append(longest)
                n_words.append(len(text.words))
    finally:
        ramble_model.reset()
    return Corpus(ids, np.array(rounds), styles, np.array(in_gate), np.array(rules),
                  np.vstack(xs), np.array(gold), np.array(longests), np.array(n_words))


def standardiser(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    return mean, np.where(scale > 1e-9, scale, 1.0)


def fit_rows(c: Corpus, rows: np.ndarray, cols: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights, mean and scale of a fit on ``rows`` over feature columns ``cols``."""
    x = c.x[np.ix_(rows, np.asarray(cols))]
    mean, scale = standardiser(x)
    w = fit(design((x - mean) / scale, np.zeros((len(rows), 0))), c.gold[rows, None].astype(float), L2)
    return w, mean, scale


def prob(c: Corpus, rows: np.ndarray, cols: list[int], model: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    w, mean, scale = model
    return predict(w, design((c.x[np.ix_(rows, np.asarray(cols))] - mean) / scale, np.zeros((len(rows), 0))))[:, 0]


def out_of_fold(c: Corpus, rows: np.ndarray, cols: list[int]) -> np.ndarray:
    """Probabilities for ``rows``, each from a model fit on the rows of the other rounds."""
    p = np.zeros(len(rows))
    for k in sorted(set(c.round[rows].tolist())):
        held = c.round[rows] == k
        rest = rows[~held]
        if len(rest) and len(set(c.gold[rest].tolist())) == 2:
            p[held] = prob(c, rows[held], cols, fit_rows(c, rest, cols))
        else:
            p[held] = 0.5
    return p


def choose_threshold(p: np.ndarray, gold: np.ndarray) -> float:
    """The threshold with the best accuracy; ties go to the one nearest 0.5."""
    best = max(THRESHOLDS, key=lambda t: (float(np.mean((p >= t) == gold)), -abs(t - 0.5)))
    return float(best)


def train(c: Corpus, rows: np.ndarray, cols: list[int],
          gate: bool = False) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], float]:
    """A fit on ``rows`` and its threshold, chosen on the out-of-fold probabilities of the
    answers among ``rows`` the model judges (with ``gate``, only the :func:`gated` ones)."""
    p = out_of_fold(c, rows, cols)
    judged = c.gated[rows] if gate else np.ones(len(rows), dtype=bool)
    t = choose_threshold(p[judged], c.gold[rows][judged]) if judged.any() else 0.5
    return fit_rows(c, rows, cols), t


def cv(c: Corpus) -> str:
    """Leave-one-round-out accuracy by punctuation style (markdown)."""
    allcols = list(range(len(ramble_model.FEATURES)))
    norule = [j for j in allcols if ramble_model.FEATURES[j] != "rule"]
    # (name, apply the model to every answer or only to judged ones, feature columns)
    variants = {"model on every answer": ("all", allcols),
                "model on every answer, no rule feature": ("all", norule),
                "rule; model on gated answers (until 2026-12-02)": ("judged", allcols),
                "rule; model on gated answers, no rule feature": ("judged", norule)}
    preds = {"rule alone": c.rule.copy()}
    for name, (where, cols) in variants.items():
        pred = np.zeros(len(c.gold), dtype=bool)
        for k in sorted(set(c.round.tolist())):
            held = np.flatnonzero(c.round == k)
            model, t = train(c, np.flatnonzero(c.round != k), cols, gate=where == "judged")
            use = held[c.gated[held]] if where == "judged" else held
            pred[held] = c.rule[held]
            if len(use):
                pred[use] = prob(c, use, cols, model) >= t
        preds[name] = pred
    every = preds["model on every answer"]
    shipped_pred = np.array([ramble_model.combine(bool(c.rule[i]), bool(every[i]), int(c.longest[i]), int(c.words[i]))
                             for i in range(len(c.gold))])
    shipped_name = f"model; rule on one-run answers; adds only with a {ramble_model.MIN_RUN_TO_ADD}-word run (shipped)"
    order = ["rule alone", "model on every answer", shipped_name, *list(variants)[1:]]
    preds = {name: shipped_pred if name == shipped_name else preds[name] for name in order}
    head = "| decides | " + " | ".join(f"{s} ({int(np.sum([x == s for x in c.style]))})" for s in STYLES) \
        + f" | gated ({int(c.gated.sum())}) | all ({len(c.gold)}) |"
    lines = [head, "|---" * 6 + "|"]
    style = np.array(c.style)
    for name, pred in preds.items():
        ok = pred == c.gold
        cells = [f"{ok[style == s].mean():.3f}" for s in STYLES] + [f"{ok[c.gated].mean():.3f}", f"{ok.mean():.3f}"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "| round | punctuation | answers | rule alone | shipped, held out |", "|---|---|---|---|---|"]
    for k in sorted(set(c.round.tolist())):
        rows = c.round == k
        rule_acc, model_acc = np.mean(c.rule[rows] == c.gold[rows]), np.mean(shipped_pred[rows] == c.gold[rows])
        lines.append(f"| {k} | {'/'.join(sorted(set(style[rows].tolist())))} | {int(rows.sum())} "
                     f"| {rule_acc:.3f} | {model_acc:.3f} |")
    return "\n".join(lines)


def shipped(c: Corpus) -> ramble_model.RambleModel:
    """The model the product ships: trained on every answer, all features."""
    rows = np.arange(len(c.gold))
    (w, mean, scale), t = train(c, rows, list(range(len(ramble_model.FEATURES))))
    meta = {"l2": L2, "answers": len(rows), "rounds": sorted(set(c.round.tolist()))}
    return ramble_model.RambleModel(w, mean, scale, t, meta)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1] if __doc__ else None)
    ap.add_argument("corpus", nargs="?", type=Path, default=ROOT / "corpus" / "rounds")
    ap.add_argument("--out", type=Path, default=ramble_model.WEIGHTS)
    ap.add_argument("--check", action="store_true", help="exit 1 if --out differs from a fresh training")
    ap.add_argument("--cv", action="store_true", help="print leave-one-round-out accuracy instead of training")
    args = ap.parse_args(argv)
    try:
        c = load(args.corpus)
    except (OSError, ValueError, KeyError, TypeError) as err:
        print(f"train_ramble: {' '.join(str(err).split())}", file=sys.stderr)
        return 3
    if args.cv:
        print(cv(c))
        return 0
    text = shipped(c).to_json()
    return ship(args.out, text, args.check, f"{len(c.gold)} answers")


if __name__ == "__main__":
    sys.exit(main())
