#!/usr/bin/env python3
"""Train the learned second opinion from the labelled corpus, and score it round by round.

usage::

    .venv/bin/python scripts/train_learned.py [CORPUS_DIR] [--out FILE] [--blind] [--check]

CORPUS_DIR (default ``corpus/rounds``) holds ``round-NN.jsonl`` files, one labelled answer a
line (``corpus/README.md``): ``sentences: [{"text", "labels"}]`` and gold answer labels.

Training (the default) writes ``voice_coach/data/learned.json``: one logistic regression per
sentence label (:mod:`voice_coach.classifier`) over spaCy's sentence vectors
(:mod:`voice_coach.embeddings`, computed from each whole answer's parse, as the product
does) and cheap features. Each label's threshold is the one at
which "rule OR model" has the best sentence-level F1 on out-of-fold probabilities: with two
or more rounds the folds are whole rounds (round number mod 5), else five folds of answers.
Answers and files are read in sorted order and nothing is random, so the same corpus gives
the same file byte for byte; ``--check`` fails (exit 1) when the shipped file differs.

``--blind`` prints the blind-rounds table of docs/signals.md: per round, the answer-level
accuracy (framing, clarifying, tradeoffs, ramble) of the rules alone, of rules + a model
trained only on the rounds before it ("fresh"), and of rules + the model trained on every
round ("after retraining"), plus the sentence-level F1 of the six labels, fresh.
Exit codes: 0, 1 ``--check`` mismatch, 2 bad arguments, 3 unreadable corpus or no English spaCy model.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# One BLAS thread, set before numpy loads: the fits are small, a threaded BLAS on a shared
# two-core machine spent 100x longer spinning than computing, and one thread fixes the
# order of every sum, so the weights do not depend on the machine's core count.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voice_coach import learned  # noqa: E402
from voice_coach.analysis import run_signals  # noqa: E402
from voice_coach.classifier import LABELS, Model, cheap_features, choose_threshold, design, fit, predict, ship  # noqa: E402
from voice_coach.embeddings import EMBEDDER, sentence_vectors  # noqa: E402
from voice_coach.language import analyse  # noqa: E402
from voice_coach.transcript import transcript_from_text  # noqa: E402

L2 = 0.01  # chosen on held-out rounds: 0.01 to 10 tried, the weakest penalty scored best
# Which signal's rule evidence stands for which sentence label.
SIGNAL_LABEL = {"tradeoffs": "tradeoff", "clarifying_questions": "clarifying", "framing": "plan",
                "signposting": "signpost", "closing_summary": "summary", "justification": "justification"}
ANSWER_SIGNALS = ("framing", "clarifying", "tradeoffs", "ramble")


@dataclass
class Answer:
    """One labelled answer of the corpus."""

    id: str
    round: int
    texts: list[str]
    gold: np.ndarray  # (sentences, labels) bool
    answer: dict[str, Any]
    punctuation: str = ""

    @property
    def text(self) -> str:
        return " ".join(" ".join(t.split()) for t in self.texts)


def load_corpus(corpus: Path) -> list[Answer]:
    """Every answer of ``corpus/round-*.jsonl``, rounds in order, answers by id."""
    files = sorted(corpus.glob("round-*.jsonl"))
    if not files:
        raise ValueError(f"no round-*.jsonl files in {corpus}")
    out: list[Answer] = []
    for number, path in enumerate(files, 1):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for row in sorted(rows, key=lambda r: str(r["id"])):
            texts = [str(s["text"]) for s in row["sentences"]]
            gold = np.array([[label in s.get("labels", []) for label in LABELS] for s in row["sentences"]],
                            dtype=bool).reshape(len(texts), len(LABELS))
            out.append(Answer(str(row["id"]), number, texts, gold, dict(row.get("answer", {})),
                              str(row.get("punctuation", ""))))
    return out


def sentence_words(a: Answer) -> list[tuple[int, int]]:
    """Each corpus sentence's transcript word range in the answer's text."""
    spans, pos = [], 0
    for t in a.texts:
        n = len(t.split())
        spans.append((pos, pos + n))
        pos += n
    return spans


def analyse_answer(a: Answer) -> dict[str, Any]:
    """The signal results of the answer's text (as ``analyze notes.txt`` would compute them)."""
    transcript = transcript_from_text(a.text)
    return run_signals(transcript, language=analyse(transcript))


def vectors_and_rules(a: Answer) -> tuple[np.ndarray, np.ndarray]:
    """The answer's sentence vectors (as the product computes them, from the whole answer's
    parse), and which sentences each signal's rules quote (sentences, labels), model off."""
    transcript = transcript_from_text(a.text)
    language = analyse(transcript)
    with learned.rules_only():
        results = run_signals(transcript, language=language)
    vectors = sentence_vectors(language, sentence_words(a))
    if vectors is None:
        raise RuntimeError("no English spaCy pipeline (en_core_web_sm) to give sentence vectors")
    out = np.zeros((len(a.texts), len(LABELS)), dtype=bool)
    spans = sentence_words(a)
    for name, label in SIGNAL_LABEL.items():
        j = LABELS.index(label)
        for ev in results[name].evidence:
            if ev.rule is None or ev.words is None:
                continue
            for k, (first, last) in enumerate(spans):
                if ev.words[0] < last and first < ev.words[1]:
                    out[k, j] = True
    return vectors, out


def answer_scores(answers: list[Answer], model: Model | None) -> dict[str, float]:
    """Answer-level accuracy of the four scored signals; ``model`` None means rules only."""
    right = dict.fromkeys(ANSWER_SIGNALS, 0)
    for a in answers:
        if model is None:
            with learned.rules_only():
                r = analyse_answer(a)
        else:
            with learned.using(model):
                r = analyse_answer(a)
        got = {"framing": bool(r["framing"].values["present"]),
               "clarifying": r["clarifying_questions"].values["count"] > 0,
               "tradeoffs": r["tradeoffs"].values["count"] > 0,
               "ramble": bool(r["ramble"].values["present"])}
        gold = {k: bool(a.answer.get(k)) for k in ANSWER_SIGNALS}
        for k in ANSWER_SIGNALS:
            right[k] += got[k] == gold[k]
    return {k: right[k] / len(answers) if answers else 0.0 for k in ANSWER_SIGNALS}


class Data:
    """Embeddings, features, gold and rule labels of a corpus, computed once."""

    def __init__(self, answers: list[Answer]) -> None:
        self.answers = answers
        both = [vectors_and_rules(a) for a in answers]
        self.x = design(np.vstack([v for v, _ in both]), np.vstack([cheap_features(a.texts) for a in answers]))
        self.gold = np.vstack([a.gold for a in answers])
        self.rule = np.vstack([r for _, r in both])
        self.round = np.concatenate([np.full(len(a.texts), a.round) for a in answers])
        self.answer_no = np.concatenate([np.full(len(a.texts), i) for i, a in enumerate(answers)])
        self.embedder = EMBEDDER


def folds(data: Data, rows: np.ndarray) -> list[np.ndarray]:
    """Held-out groups among ``rows``: whole rounds (round number mod 5, so at most five
    folds), or with a single round, five groups of whole answers."""
    rounds = sorted(set(data.round[rows].tolist()))
    key = data.round[rows] % 5 if len(rounds) >= 2 else data.answer_no[rows] % 5
    return [rows[key == g] for g in sorted(set(key.tolist()))]


def train(data: Data, rows: np.ndarray | None = None) -> Model:
    """Fit on ``rows`` (default all); thresholds from out-of-fold probabilities."""
    rows = np.arange(len(data.gold)) if rows is None else rows
    oof = np.zeros((len(rows), len(LABELS)))
    index = {r: i for i, r in enumerate(rows.tolist())}
    groups = folds(data, rows)
    for held in groups:
        rest = np.setdiff1d(rows, held)
        if len(groups) < 2 or len(rest) == 0:
            continue
        w = fit(data.x[rest], data.gold[rest].astype(float), L2)
        oof[[index[r] for r in held.tolist()]] = predict(w, data.x[held])
    thresholds = {label: choose_threshold(oof[:, j], data.rule[rows, j], data.gold[rows, j])
                  for j, label in enumerate(LABELS)}
    weights = fit(data.x[rows], data.gold[rows].astype(float), L2)
    meta = {"l2": L2, "sentences": len(rows), "answers": len(set(data.answer_no[rows].tolist())),
            "rounds": sorted(set(data.round[rows].tolist()))}
    return Model(data.embedder, weights, thresholds, LABELS, meta)


def f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp, fp, fn = np.sum(pred & gold), np.sum(pred & ~gold), np.sum(~pred & gold)
    return float(2 * tp / (2 * tp + fp + fn)) if tp + fp + fn else 1.0


def _fmt(s: dict[str, float] | None) -> str:
    return " / ".join(f"{s[x]:.2f}" for x in ANSWER_SIGNALS) if s is not None else "—"


def _sentence_f1(data: Data, rows: np.ndarray, model: Model) -> str:
    """Sentence-level F1 per label on ``rows``: rules alone → rules OR model."""
    p = predict(model.weights, data.x[rows])
    both = data.rule[rows] | (p >= np.array([model.thresholds[label] for label in LABELS]))
    gold = data.gold[rows]
    return " | ".join(f"{f1(data.rule[rows, j], gold[:, j]):.2f} → {f1(both[:, j], gold[:, j]):.2f}"
                      for j in range(len(LABELS)))


def blind(data: Data, only: set[int] | None = None) -> str:
    """The blind-rounds tables (markdown): answer level, then sentence level (rounds in ``only``)."""
    rounds = [k for k in sorted(set(data.round.tolist())) if only is None or k in only]
    final = train(data)
    answer_rows = ["| round | answers | sentences | punctuation | rules only | rules + model, fresh "
                   "| rules + model, retrained |", "|---|---|---|---|---|---|---|"]
    sentence_rows = ["| round | " + " | ".join(LABELS) + " |", "|---|" + "---|" * len(LABELS)]
    for k in rounds:
        answers = [a for a in data.answers if a.round == k]
        rows = np.flatnonzero(data.round == k)
        before = np.flatnonzero(data.round < k)
        fresh_model = train(data, before) if len(before) else None
        fresh = answer_scores(answers, fresh_model) if fresh_model is not None else None
        styles = ", ".join(sorted({a.punctuation for a in answers}))
        answer_rows.append(f"| {k} | {len(answers)} | {len(rows)} | {styles} | {_fmt(answer_scores(answers, None))} "
                           f"| {_fmt(fresh)} | {_fmt(answer_scores(answers, final))} |")
        if fresh_model is not None:
            sentence_rows.append(f"| {k} | {_sentence_f1(data, rows, fresh_model)} |")
    return "\n".join(answer_rows) + "\n\nSentence level, fresh (F1, rules alone → rules + model):\n\n" + \
        "\n".join(sentence_rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1] if __doc__ else None)
    ap.add_argument("corpus", nargs="?", type=Path, default=ROOT / "corpus" / "rounds")
    ap.add_argument("--out", type=Path, default=learned.WEIGHTS)
    ap.add_argument("--blind", action="store_true", help="print the blind-rounds table instead of training")
    ap.add_argument("--check", action="store_true", help="exit 1 if --out differs from a fresh training")
    ap.add_argument("--rounds", help="with --blind: only these rounds (e.g. 1,2,3), to split the work")
    args = ap.parse_args(argv)
    try:
        answers = load_corpus(args.corpus)
        data = Data(answers)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as err:
        print(f"train_learned: {' '.join(str(err).split())}", file=sys.stderr)
        return 3
    if args.blind:
        print(blind(data, {int(k) for k in args.rounds.split(",")} if args.rounds else None))
        return 0
    text = train(data).to_json()
    return ship(args.out, text, args.check, f"{len(answers)} answers, {len(data.gold)} sentences")


if __name__ == "__main__":
    sys.exit(main())
