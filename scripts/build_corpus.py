"""Build corpus/rounds/round-NN.jsonl from the hand-written sources in corpus/src/.

The answers are written by hand in a compact form (corpus/README.md) so that a round can be
typed quickly and read at a glance; this script only changes the notation into the JSONL
format the eval and the classifier read. It invents no text: every sentence comes from the
source file.

    python scripts/build_corpus.py            # rebuild every round
    python scripts/build_corpus.py 3 4        # rebuild rounds 3 and 4
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "corpus" / "src"
OUT = ROOT / "corpus" / "rounds"

# One letter per sentence label in the sources ("TJ | ..." = tradeoff + justification).
CODES = {"P": "plan", "S": "signpost", "T": "tradeoff", "C": "clarifying",
         "M": "summary", "J": "justification"}
DOMAINS = ("ml", "backend", "data", "product", "behavioural")
PUNCTUATION = ("full", "loose", "none")
# The opening the product reads: the first two sentences that are more than an
# acknowledgement ("Okay.", "Sure, yeah.").
OPENING_SENTENCES = 2
ACK_MAX_WORDS = 3


class SourceError(ValueError):
    """A malformed line in a source file (message names file and line)."""


def derive_framing(sentences: list[dict[str, Any]]) -> bool:
    """True when the opening states a plan or structure, or opens by clarifying."""
    opening: list[dict[str, Any]] = []
    for s in sentences:
        if not s["labels"] and len(s["text"].split()) <= ACK_MAX_WORDS:
            continue
        opening.append(s)
        if len(opening) == OPENING_SENTENCES:
            break
    return any({"plan", "clarifying"} & set(s["labels"]) for s in opening)


def _header(line: str, where: str) -> dict[str, Any]:
    parts = line[1:].split()
    if len(parts) < 3:
        raise SourceError(f"{where}: header needs domain voice punctuation")
    domain, voice, punct, *flags = parts
    if domain not in DOMAINS or punct not in PUNCTUATION:
        raise SourceError(f"{where}: bad domain or punctuation in {line!r}")
    head: dict[str, Any] = {"domain": domain, "voice": voice, "punctuation": punct,
                            "ramble": False, "framing": None, "tradeoffs": None}
    for flag in flags:
        if flag == "R":
            head["ramble"] = True
        elif flag in ("F0", "F1"):
            head["framing"] = flag == "F1"
        elif m := re.fullmatch(r"T=(\d+)", flag):
            head["tradeoffs"] = int(m.group(1))
        else:
            raise SourceError(f"{where}: unknown flag {flag!r}")
    return head


def _finish(rnd: int, n: int, head: dict[str, Any], question: str,
            sentences: list[dict[str, Any]]) -> dict[str, Any]:
    n_trade = sum("tradeoff" in s["labels"] for s in sentences)
    framing = head["framing"] if head["framing"] is not None else derive_framing(sentences)
    answer: dict[str, Any] = {
        "id": f"r{rnd:02d}-{n:03d}", "question": question, "domain": head["domain"],
        "voice": head["voice"], "punctuation": head["punctuation"], "sentences": sentences,
        "answer": {"framing": framing,
                   "clarifying": sum("clarifying" in s["labels"] for s in sentences),
                   "tradeoffs": head["tradeoffs"] if head["tradeoffs"] is not None else n_trade,
                   "ramble": head["ramble"]},
    }
    if head["punctuation"] != "full":
        answer["text"] = " ".join(s["text"] for s in sentences)
    return answer


def parse(path: Path, rnd: int) -> list[dict[str, Any]]:
    """The answers in one source file, in order."""
    answers: list[dict[str, Any]] = []
    head: dict[str, Any] | None = None
    question = ""
    sentences: list[dict[str, Any]] = []
    for no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        where = f"{path.name}:{no}"
        if not line or line.startswith("#"):
            continue
        if line.startswith("="):
            if head is not None:
                answers.append(_finish(rnd, len(answers) + 1, head, question, sentences))
            head, question, sentences = _header(line, where), "", []
        elif line.startswith("?"):
            question = line[1:].strip()
        elif "|" in line and head is not None:
            codes, text = line.split("|", 1)
            codes = codes.strip().replace(".", "")
            if any(c not in CODES for c in codes):
                raise SourceError(f"{where}: unknown label code in {codes!r}")
            sentences.append({"text": text.strip(), "labels": [CODES[c] for c in codes]})
        else:
            raise SourceError(f"{where}: cannot read {line!r}")
    if head is not None:
        answers.append(_finish(rnd, len(answers) + 1, head, question, sentences))
    return answers


def build(rnd: int) -> Path:
    """Write corpus/rounds/round-NN.jsonl from corpus/src/round-NN.txt."""
    answers = parse(SRC / f"round-{rnd:02d}.txt", rnd)
    out = OUT / f"round-{rnd:02d}.jsonl"
    OUT.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in answers),
                   encoding="utf-8")
    return out


def main(argv: list[str]) -> int:
    rounds = [int(a) for a in argv] or sorted(
        int(p.stem.split("-")[1]) for p in SRC.glob("round-*.txt"))
    for rnd in rounds:
        out = build(rnd)
        lines = out.read_text(encoding="utf-8").splitlines()
        n_sent = sum(len(json.loads(x)["sentences"]) for x in lines)
        print(f"{out.relative_to(ROOT)}: {len(lines)} answers, {n_sent} sentences")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
