#!/usr/bin/env python3
"""Score the structure signals on the labelled corpus (corpus/rounds/*.jsonl).

usage: scripts/eval_corpus.py [ROUND_FILE ...] [--json FILE|-] [--by-punctuation]

Each answer's text goes through the same in-process path as
``voice-coach analyze notes.txt --question "..." --format json``
(``transcript_from_text`` then ``service.report_for_transcript``), and the report is compared
with the answer's gold labels (corpus/README.md):

* answer level, accuracy per signal: framing ``present``; clarifying questions ``count > 0``
  against gold ``clarifying > 0``; tradeoffs ``count > 0`` against gold ``tradeoffs > 0``;
  ramble ``present``;
* sentence level, precision and recall of the rule evidence against the sentence labels:
  a gold sentence counts as found for a label when an evidence quote of the matching signal
  overlaps its words (evidence carries word indices, and an answer's words are its
  sentences' words in order). Signal -> label: tradeoffs -> ``tradeoff``,
  clarifying_questions -> ``clarifying``, signposting -> ``signpost``, justification ->
  ``justification``, closing_summary -> ``summary``, framing (its rule evidence when the
  kind is ``plan`` or ``structure``) -> ``plan``.

Prints a markdown table, one row per round file and one for all of them (with
``--by-punctuation``, also one row per punctuation style). ``--json`` writes the same figures
as JSON, plus the false positives and false negatives behind each accuracy.
Exit codes: 0, 2 bad arguments, 3 unreadable or malformed corpus file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ROUNDS_DIR = ROOT / "corpus" / "rounds"

ANSWER_SIGNALS = ("framing", "clarifying", "tradeoffs", "ramble")
# sentence label -> the report signal whose evidence stands for it
EVIDENCE_OF = {"tradeoff": "tradeoffs", "clarifying": "clarifying_questions",
               "signpost": "signposting", "justification": "justification",
               "summary": "closing_summary", "plan": "framing"}
FRAMING_PLAN_KINDS = ("plan", "structure")


def answer_text(answer: dict[str, Any]) -> str:
    """The text the product receives: ``text`` if given, else the sentences joined."""
    text = answer.get("text")
    if isinstance(text, str):
        return text
    return " ".join(s["text"] for s in answer["sentences"])


def predicted(report: dict[str, Any]) -> dict[str, bool]:
    """The answer-level judgements the report makes, in the gold labels' terms."""
    sig = report["signals"]
    return {"framing": bool(sig["framing"]["present"]),
            "clarifying": sig["clarifying_questions"]["count"] > 0,
            "tradeoffs": sig["tradeoffs"]["count"] > 0,
            "ramble": bool(sig["ramble"]["present"])}


def gold(answer: dict[str, Any]) -> dict[str, bool]:
    """The answer's gold labels as yes/no judgements."""
    a = answer["answer"]
    return {"framing": bool(a["framing"]), "clarifying": a["clarifying"] > 0,
            "tradeoffs": a["tradeoffs"] > 0, "ramble": bool(a["ramble"])}


def sentence_spans(answer: dict[str, Any]) -> list[tuple[int, int]] | None:
    """Word ranges of the gold sentences in the answer's text; None if they don't line up."""
    spans: list[tuple[int, int]] = []
    at = 0
    for s in answer["sentences"]:
        n = len(s["text"].split())
        spans.append((at, at + n))
        at += n
    return spans if at == len(answer_text(answer).split()) else None


def evidence_ranges(report: dict[str, Any], signal: str) -> list[tuple[int, int]]:
    """The word ranges a signal's rule evidence quotes."""
    sig = report["signals"][signal]
    if signal == "framing" and sig.get("kind") not in FRAMING_PLAN_KINDS:
        return []
    out = []
    for ev in sig.get("evidence", []):
        words = ev.get("words")
        if words and (signal != "framing" or "rule" in ev):
            out.append((int(words[0]), int(words[1])))
    return out


@dataclass
class Tally:
    """Counts for one row of the table."""

    answers: int = 0
    sentences: int = 0
    styles: set[str] = field(default_factory=set)
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ANSWER_SIGNALS, 0))
    # signal -> [false positives, false negatives]
    wrong: dict[str, list[int]] = field(
        default_factory=lambda: {k: [0, 0] for k in ANSWER_SIGNALS})
    # label -> [true positives, predicted, gold]
    sent: dict[str, list[int]] = field(
        default_factory=lambda: {lab: [0, 0, 0] for lab in EVIDENCE_OF})

    def add(self, answer: dict[str, Any], report: dict[str, Any]) -> None:
        self.answers += 1
        self.sentences += len(answer["sentences"])
        self.styles.add(answer["punctuation"])
        g, p = gold(answer), predicted(report)
        for k in ANSWER_SIGNALS:
            self.correct[k] += g[k] == p[k]
            self.wrong[k][0] += p[k] and not g[k]
            self.wrong[k][1] += g[k] and not p[k]
        spans = sentence_spans(answer)
        if spans is None:
            return
        for label, signal in EVIDENCE_OF.items():
            ranges = evidence_ranges(report, signal)
            for (a, b), s in zip(spans, answer["sentences"], strict=True):
                hit = any(x < b and a < y for x, y in ranges)
                is_gold = label in s["labels"]
                row = self.sent[label]
                row[0] += hit and is_gold
                row[1] += hit
                row[2] += is_gold

    def figures(self) -> dict[str, Any]:
        acc = {k: round(self.correct[k] / self.answers, 3) if self.answers else None
               for k in ANSWER_SIGNALS}
        sent = {lab: {"precision": round(tp / pr, 3) if pr else None,
                      "recall": round(tp / gd, 3) if gd else None, "gold": gd}
                for lab, (tp, pr, gd) in self.sent.items()}
        return {"answers": self.answers, "sentences": self.sentences,
                "punctuation": "/".join(sorted(self.styles)), "accuracy": acc,
                "errors": {k: {"false_positive": fp, "false_negative": fn}
                           for k, (fp, fn) in self.wrong.items()},
                "sentence_evidence": sent}


def load_round(path: Path) -> list[dict[str, Any]]:
    """The answers of one round file; ValueError names the file and line if one is bad."""
    answers = []
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            answer = json.loads(line)
            answer_text(answer)
            gold(answer)
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{no}: not a corpus answer ({exc})") from exc
        answers.append(answer)
    return answers


def evaluate(paths: Iterable[Path], by_punctuation: bool = False) -> dict[str, dict[str, Any]]:
    """Figures per round file (keyed by file stem), per punctuation style, and ``all``."""
    from voice_coach.question import Question
    from voice_coach.service import report_for_transcript
    from voice_coach.transcript import transcript_from_text

    rows: dict[str, Tally] = {}
    total = Tally()
    styles: dict[str, Tally] = {}
    for path in paths:
        tally = rows.setdefault(path.stem, Tally())
        for answer in load_round(path):
            question = Question(None, answer.get("question") or None)
            report = report_for_transcript(transcript_from_text(answer_text(answer)), question)
            for t in (tally, total, styles.setdefault(answer["punctuation"], Tally())):
                t.add(answer, report)
    out = {name: t.figures() for name, t in rows.items()}
    if by_punctuation:
        out.update({f"punctuation={s}": t.figures() for s, t in sorted(styles.items())})
    out["all"] = total.figures()
    return out


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def markdown(results: dict[str, dict[str, Any]]) -> str:
    """The figures as a markdown table (answer accuracy, then sentence-level P/R)."""
    head = ("| rows | answers | sentences | punctuation | framing | clarifying | tradeoffs "
            "| ramble | sentence P/R: " + " · ".join(EVIDENCE_OF) + " |")
    lines = [head, "|" + "---|" * 9]
    for name, r in results.items():
        acc = r["accuracy"]
        pr = " · ".join(f"{_fmt(v['precision'])}/{_fmt(v['recall'])}"
                        for v in r["sentence_evidence"].values())
        lines.append(f"| {name} | {r['answers']} | {r['sentences']} | {r['punctuation']} | "
                     + " | ".join(_fmt(acc[k]) for k in ANSWER_SIGNALS) + f" | {pr} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path, help="round files (default: all rounds)")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON ('-' = stdout)")
    ap.add_argument("--by-punctuation", action="store_true",
                    help="add one row per punctuation style")
    args = ap.parse_args(argv)
    files = args.files or sorted(ROUNDS_DIR.glob("round-*.jsonl"))
    if not files:
        print(f"error: no round files under {ROUNDS_DIR}", file=sys.stderr)
        return 3
    try:
        results = evaluate(files, args.by_punctuation)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    if args.json == "-":
        print(json.dumps(results, indent=2))
        return 0
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
