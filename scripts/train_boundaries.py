#!/usr/bin/env python3
"""Train the sentence-boundary and question-mark restorer (voice_coach/boundaries.py).

usage::

    .venv/bin/python scripts/train_boundaries.py [CORPUS_DIR] [--out FILE] [--check]
        [--train ROUNDS] [--test ROUNDS] [--cv ROUNDS] [--signals]

CORPUS_DIR (default ``corpus/rounds``) holds ``round-NN.jsonl`` (``corpus/README.md``). Every
answer gives one training text with known sentence ends: a fully punctuated answer is
stripped of case and punctuation (its sentence ends, and which ended in "?", are then known
for free); a loose or unpunctuated answer is its ``text``, and its ``sentences`` are the gold
clauses. The boundary threshold and the question threshold are the ones with the best F1 on
out-of-fold probabilities (folds: whole rounds, round number mod 5).

Training writes ``voice_coach/data/boundaries.json`` (or ``--out``) from the rounds in
``--train`` (default: all). Rounds are read in order and nothing is random, so the same
corpus gives the same file byte for byte; ``--check`` fails (exit 1) when the file differs.
``--test ROUNDS`` (e.g. ``15-17``) prints held-out figures for those rounds: boundary
precision/recall/F1 per punctuation style, against today's rule-based units, and question
precision/recall on the stripped fully punctuated answers. ``--cv ROUNDS`` (e.g. ``1-14``)
prints the same figures pooled over folds of whole rounds (round number mod 5), each round
scored by weights that never saw it, and writes nothing. With ``--signals`` both also print
the signals' answer-level accuracy without -> with the restorer (as
``scripts/eval_corpus.py`` scores it) per punctuation style, where ``stripped`` is every fully
punctuated answer again without case and punctuation. The boundary threshold is chosen
without the subordinate-clause rule of ``boundaries.restore``.
Exit codes: 0, 1 ``--check`` mismatch, 2 bad arguments, 3 unreadable corpus or no English spaCy model.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# One BLAS thread, before numpy loads: fixes the order of every sum (byte-identical weights
# on any machine) and does not spin on a shared two-core box (see train_learned.py).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "scripts"))

import eval_corpus  # noqa: E402

from voice_coach import boundaries  # noqa: E402
from voice_coach.classifier import THRESHOLDS, fit, predict, ship  # noqa: E402
from voice_coach.language import analyse  # noqa: E402
from voice_coach.transcript import bare, transcript_from_text  # noqa: E402

L2 = 1.0
BOUNDARY_THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(2, 20))  # 0.10 .. 0.95


@dataclass
class Example:
    """One answer as the restorer sees it, with its gold sentence ends."""

    id: str
    round: int
    style: str  # full (stripped), loose, none
    text: str
    spans: list[tuple[int, int]]  # gold sentences, transcript words [first, last)
    questions: list[bool] | None  # gold "?" per sentence (known for stripped full answers)


def strip(text: str) -> str:
    """A punctuated sentence as captions give it: lower case, no punctuation; a word that is
    all punctuation (a dash) stays, so word counts line up."""
    return " ".join(bare(w) for w in text.split())


def parse_rounds(spec: str | None) -> set[int] | None:
    if not spec:
        return None
    out: set[int] = set()
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out.update(range(int(a), int(b or a) + 1))
    return out


def load(corpus: Path) -> list[Example]:
    files = sorted(corpus.glob("round-*.jsonl"))
    if not files:
        raise ValueError(f"no round-*.jsonl files in {corpus}")
    out = []
    for path in files:
        number = int(path.stem.split("-")[-1])
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for row in sorted(rows, key=lambda r: str(r["id"])):
            texts = [" ".join(str(s["text"]).split()) for s in row["sentences"]]
            spans, at = [], 0
            for t in texts:
                spans.append((at, at + len(t.split())))
                at += len(t.split())
            style = str(row.get("punctuation", "full"))
            if style == "full":
                text = " ".join(strip(t) for t in texts)
                questions: list[bool] | None = [t.rstrip("\"')").endswith("?") for t in texts]
            else:
                text = " ".join(str(row["text"]).split())
                questions = None
            if len(text.split()) != at:
                continue  # the gold clauses do not line up with the text
            out.append(Example(str(row["id"]), number, style, text, spans, questions))
    return out


class Data:
    """Feature rows of every example, computed once (one spaCy parse per answer)."""

    def __init__(self, examples: list[Example]) -> None:
        self.examples = examples
        bx, by, bex, qx, qy, qex = [], [], [], [], [], []
        self.marks: list[list[str]] = []
        self.rule_cuts: list[set[int]] = []
        os.environ[boundaries.ENV] = "off"  # the "rules today" units
        for k, ex in enumerate(examples):
            language = analyse(transcript_from_text(ex.text))
            if not language.tagged:
                raise RuntimeError("no English spaCy pipeline (en_core_web_sm) to give token tags")
            feats = boundaries.Features(language)
            self.marks.append(feats.marks)
            self.rule_cuts.append({u.first for u in language.units} - {0})
            gold = {b for _, b in ex.spans[:-1]}
            if feats.n > 1:
                bx.append(feats.boundary_rows())
                by.append(np.array([i + 1 in gold for i in range(feats.n - 1)], dtype=float))
                bex.append(np.full(feats.n - 1, k))
            if ex.questions is not None:
                qx.append(feats.question_rows(ex.spans))
                qy.append(np.array(ex.questions, dtype=float))
                qex.append(np.full(len(ex.spans), k))
        self.bx, self.by, self.bex = np.vstack(bx), np.concatenate(by), np.concatenate(bex)
        self.qx, self.qy, self.qex = np.vstack(qx), np.concatenate(qy), np.concatenate(qex)
        self.round = np.array([ex.round for ex in examples])


def gap_counts(pred: set[int], gold: set[int]) -> tuple[int, int, int]:
    return len(pred & gold), len(pred - gold), len(gold - pred)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def decoded_f1(data: Data, examples: list[int], p_by_ex: dict[int, np.ndarray], t: float) -> float:
    tp = fp = fn = 0
    for k in examples:
        ex = data.examples[k]
        cuts = set(boundaries.decode(p_by_ex[k], t, data.marks[k]))
        a, b, c = gap_counts(cuts, {e for _, e in ex.spans[:-1]})
        tp, fp, fn = tp + a, fp + b, fn + c
    return prf(tp, fp, fn)[2]


def best(thresholds: tuple[float, ...], score: dict[float, float]) -> float:
    # Ties go to the higher threshold (fewer cuts, fewer questions).
    return max(thresholds, key=lambda t: (round(score[t], 6), t))


def fit_one(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return fit(x, y[:, None], L2)[:, 0]


def train(data: Data, rounds: set[int]) -> boundaries.Model:
    """Fit on the examples of ``rounds``; thresholds from out-of-fold probabilities."""
    ex_ids = [k for k, ex in enumerate(data.examples) if ex.round in rounds]
    b_rows = np.isin(data.bex, ex_ids)
    q_rows = np.isin(data.qex, ex_ids)
    p_oof: dict[int, np.ndarray] = {}
    q_oof = np.zeros(len(data.qy))
    for fold in sorted({r % 5 for r in rounds}):
        held = [k for k in ex_ids if data.round[k] % 5 == fold]
        rest = [k for k in ex_ids if data.round[k] % 5 != fold]
        if not rest:
            continue
        wb = fit_one(data.bx[np.isin(data.bex, rest)], data.by[np.isin(data.bex, rest)])
        wq = fit_one(data.qx[np.isin(data.qex, rest)], data.qy[np.isin(data.qex, rest)])
        for k in held:
            p_oof[k] = predict(wb[:, None], data.bx[data.bex == k])[:, 0]
        sel = np.isin(data.qex, held)
        q_oof[sel] = predict(wq[:, None], data.qx[sel])[:, 0]
    bt = best(BOUNDARY_THRESHOLDS, {t: decoded_f1(data, ex_ids, p_oof, t) for t in BOUNDARY_THRESHOLDS})
    gold_q = data.qy[q_rows] > 0
    qt = best(THRESHOLDS, {t: prf(*[int(v) for v in (np.sum((q_oof[q_rows] >= t) & gold_q),
                                                      np.sum((q_oof[q_rows] >= t) & ~gold_q),
                                                      np.sum((q_oof[q_rows] < t) & gold_q))])[2]
                           for t in THRESHOLDS})
    wb = fit_one(data.bx[b_rows], data.by[b_rows])
    wq = fit_one(data.qx[q_rows], data.qy[q_rows])
    meta = {"l2": L2, "rounds": sorted(rounds), "answers": len(ex_ids), "gaps": int(b_rows.sum()),
            "units": int(q_rows.sum())}
    return boundaries.Model(wb, wq, bt, qt, meta)


def report(data: Data, model: boundaries.Model, rounds: set[int]) -> str:
    """Held-out figures of ``model`` on ``rounds`` (markdown)."""
    return report_folds(data, dict.fromkeys(rounds, model))


def report_folds(data: Data, models: dict[int, boundaries.Model]) -> str:
    """Held-out figures, each round scored by ``models[round]`` (markdown)."""
    rows: dict[str, list[int]] = {}
    for k, ex in enumerate(data.examples):
        if ex.round not in models:
            continue
        model = models[ex.round]
        probs = predict(model.boundary[:, None], data.bx[data.bex == k])[:, 0] if np.any(data.bex == k) else np.zeros(0)
        cuts = set(boundaries.decode(probs, model.boundary_threshold, data.marks[k]))
        gold = {b for _, b in ex.spans[:-1]}
        style = "full (stripped)" if ex.style == "full" else ex.style
        for name, pred in ((f"{style} · model", cuts), (f"{style} · rules today", data.rule_cuts[k])):
            acc = rows.setdefault(name, [0, 0, 0])
            for j, v in enumerate(gap_counts(pred, gold)):
                acc[j] += v
    lines = ["| text · units | boundary P | R | F1 |", "|---|---|---|---|"]
    for name in sorted(rows):
        p, r, f = prf(*rows[name])
        lines.append(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} |")
    sel = np.isin(data.qex, [k for k, ex in enumerate(data.examples) if ex.round in models])
    if np.any(sel):
        ask = np.concatenate([predict(models[data.examples[k].round].question[:, None], data.qx[data.qex == k])[:, 0]
                              >= models[data.examples[k].round].question_threshold
                              for k in sorted(set(data.qex[sel].tolist()))])
        gold_q = np.concatenate([data.qy[data.qex == k] for k in sorted(set(data.qex[sel].tolist()))]) > 0
        p, r, f = prf(int(np.sum(ask & gold_q)), int(np.sum(ask & ~gold_q)), int(np.sum(~ask & gold_q)))
        lines.append(f"\nquestion (gold sentences of stripped full answers, {int(gold_q.sum())} questions "
                     f"of {len(gold_q)}): P {p:.3f} R {r:.3f} F1 {f:.3f}")
    return "\n".join(lines)


def signal_rows(corpus: Path, rounds: set[int]) -> list[dict[str, Any]]:
    """The corpus answers of ``rounds`` as eval_corpus reads them, plus each fully punctuated
    one stripped of case and punctuation (same words, same labels, ``punctuation: none``)."""
    out = []
    for path in sorted(corpus.glob("round-*.jsonl")):
        if int(path.stem.split("-")[-1]) not in rounds:
            continue
        for row in eval_corpus.load_round(path):
            out.append(row)
            if row.get("punctuation", "full") == "full":
                text = " ".join(strip(" ".join(str(s["text"]).split())) for s in row["sentences"])
                out.append({**row, "id": f"{row['id']}-stripped", "text": text, "punctuation": "stripped"})
    return out


def signal_accuracy(rows: list[dict[str, Any]], model: boundaries.Model | None) -> dict[str, eval_corpus.Tally]:
    """eval_corpus's answer-level tallies per punctuation style, with ``model`` or (None) without."""
    from voice_coach.question import Question
    from voice_coach.service import report_for_transcript

    tallies: dict[str, eval_corpus.Tally] = {}
    with tempfile.TemporaryDirectory() as tmp:
        weights = Path(tmp) / "boundaries.json"
        if model is not None:
            weights.write_text(model.to_json(), encoding="utf-8")
        saved = os.environ.get(boundaries.ENV)
        os.environ[boundaries.ENV] = str(weights) if model is not None else "off"
        try:
            for row in rows:
                question = Question(None, row.get("question") or None)
                report = report_for_transcript(transcript_from_text(eval_corpus.answer_text(row)), question)
                tallies.setdefault(str(row["punctuation"]), eval_corpus.Tally()).add(row, report)
        finally:
            if saved is None:
                os.environ.pop(boundaries.ENV, None)
            else:
                os.environ[boundaries.ENV] = saved
    return tallies


def signal_table(rows: list[dict[str, Any]], models: dict[int, boundaries.Model]) -> str:
    """Answer-level accuracy without -> with the restorer, per punctuation style; each answer
    is scored with ``models[its round]`` (a model that never saw that round)."""
    without = signal_accuracy(rows, None)
    with_model: dict[str, eval_corpus.Tally] = {}
    for r, model in sorted(models.items()):
        part = [row for row in rows if int(str(row["id"])[1:3]) == r]
        for style, t in signal_accuracy(part, model).items():
            merged = with_model.setdefault(style, eval_corpus.Tally())
            merged.answers += t.answers
            for k in eval_corpus.ANSWER_SIGNALS:
                merged.correct[k] += t.correct[k]
    lines = ["| text | answers | " + " | ".join(eval_corpus.ANSWER_SIGNALS) + " |", "|---|---|---|---|---|---|"]
    for style in sorted(without):
        a, b = without[style], with_model.get(style, eval_corpus.Tally())
        cells = [f"{a.correct[k] / a.answers:.2f} → {b.correct[k] / max(1, b.answers):.2f}"
                 for k in eval_corpus.ANSWER_SIGNALS]
        lines.append(f"| {style} | {a.answers} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=ROOT / "corpus" / "rounds")
    ap.add_argument("--out", type=Path, default=boundaries.WEIGHTS)
    ap.add_argument("--check", action="store_true", help="fail if --out differs from a fresh training")
    ap.add_argument("--train", help="rounds to train on, e.g. 1-14 (default: all)")
    ap.add_argument("--test", help="rounds to report held-out figures on, e.g. 15-17")
    ap.add_argument("--signals", action="store_true",
                    help="with --test or --cv: also the signals' answer-level accuracy without -> with")
    ap.add_argument("--cv", help="cross-validate on these rounds (folds: round number mod 5) and "
                                 "print the pooled held-out figures; writes nothing")
    args = ap.parse_args(argv)
    try:
        examples = load(args.corpus)
        data = Data(examples)
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    if args.cv:
        rounds = parse_rounds(args.cv) or set()
        models = {}
        for fold in sorted({r % 5 for r in rounds}):
            held = {r for r in rounds if r % 5 == fold}
            model = train(data, rounds - held)
            models.update(dict.fromkeys(held, model))
            print(f"fold {sorted(held)}: trained on {len(rounds - held)} rounds", flush=True)
        print(report_folds(data, models))
        if args.signals:
            print(signal_table(signal_rows(args.corpus, rounds), models))
        return 0
    train_rounds = parse_rounds(args.train) or {ex.round for ex in examples}
    model = train(data, train_rounds)
    text = model.to_json()
    if args.test:
        test_rounds = parse_rounds(args.test) or set()
        print(report(data, model, test_rounds))
        if args.signals:
            print(signal_table(signal_rows(args.corpus, test_rounds), dict.fromkeys(test_rounds, model)))
    return ship(args.out, text, args.check, f"{len(text)} bytes; boundary threshold {model.boundary_threshold}, "
                f"question threshold {model.question_threshold}")


if __name__ == "__main__":
    sys.exit(main())
