"""The labelled corpus (corpus/rounds/*.jsonl): format, consistency rules, and its eval.

The rules are those in corpus/README.md. The eval test runs scripts/eval_corpus.py's
in-process path on a few answers only, so it stays fast.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = sorted((ROOT / "corpus" / "rounds").glob("round-*.jsonl"))
LABELS = {"tradeoff", "clarifying", "plan", "signpost", "summary", "justification"}
DOMAINS = {"ml", "backend", "data", "product", "behavioural"}
PUNCTUATION = {"full", "loose", "none"}
KEYS = {"id", "question", "domain", "voice", "punctuation", "sentences", "answer"}
MIN_ROUND_ANSWERS = 40
MIN_ROUNDS = 10
MIN_ANSWERS = 400
MIN_SENTENCES = 3000
MIN_ANSWER_SENTENCES, MAX_ANSWER_SENTENCES = 4, 25


def _script(name: str) -> ModuleType:
    """scripts/<name>.py imported as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"vc_{name}", ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"vc_{name}"] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


def _answers(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def check_answer(a: dict[str, Any]) -> list[str]:
    """Every way one answer breaks the format or the consistency rules."""
    problems = []
    if not a.keys() >= KEYS or not a["sentences"]:
        return [f"missing keys or sentences: {sorted(KEYS - a.keys())}"]
    if a["domain"] not in DOMAINS or a["punctuation"] not in PUNCTUATION:
        problems.append("bad domain or punctuation")
    if not a["question"].strip() or not a["voice"].strip():
        problems.append("empty question or voice")
    labels = [s["labels"] for s in a["sentences"]]
    for s in a["sentences"]:
        if not s["text"].strip() or not set(s["labels"]) <= LABELS:
            problems.append(f"bad sentence {s!r}")
    gold = a["answer"]
    if gold["clarifying"] != sum("clarifying" in x for x in labels):
        problems.append("clarifying != number of clarifying sentences")
    n_trade = sum("tradeoff" in x for x in labels)
    if (gold["tradeoffs"] > 0) != (n_trade > 0) or gold["tradeoffs"] > 2 * n_trade:
        problems.append("tradeoffs inconsistent with tradeoff sentences")
    early = {lab for x in labels[:3] for lab in x}
    if gold["framing"] and not {"plan", "clarifying"} & early:
        problems.append("framing without a plan or clarifying label in the first 3 sentences")
    if not isinstance(gold["ramble"], bool):
        problems.append("ramble is not a bool")
    if a["punctuation"] != "full":
        if a.get("text") != " ".join(s["text"] for s in a["sentences"]):
            problems.append("text is not the clauses joined")
        if a["punctuation"] == "none" and any(c in a["text"] for c in ".?!"):
            problems.append("punctuation none but the text has . ? or !")
    return problems


def test_corpus_size_and_rounds() -> None:
    """At least 400 answers and 3,000 sentences, in 10+ rounds of 40+ answers, 2+ unpunctuated."""
    rounds = [_answers(p) for p in ROUNDS]
    assert len(rounds) >= MIN_ROUNDS
    assert all(len(r) >= MIN_ROUND_ANSWERS for r in rounds)
    answers = [a for r in rounds for a in r]
    assert len(answers) >= MIN_ANSWERS
    assert sum(len(a["sentences"]) for a in answers) >= MIN_SENTENCES
    assert all(MIN_ANSWER_SENTENCES <= len(a["sentences"]) <= MAX_ANSWER_SENTENCES for a in answers)
    assert sum(all(a["punctuation"] != "full" for a in r) for r in rounds) >= 2


@pytest.mark.parametrize("path", ROUNDS, ids=[p.stem for p in ROUNDS])
def test_round_is_well_formed(path: Path) -> None:
    answers = _answers(path)
    rnd = int(path.stem.split("-")[1])
    ids = [a["id"] for a in answers]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith(f"r{rnd:02d}-") for i in ids)
    problems = {a["id"]: p for a in answers if (p := check_answer(a))}
    assert problems == {}


def test_ids_unique_across_rounds() -> None:
    ids = [a["id"] for p in ROUNDS for a in _answers(p)]
    assert len(set(ids)) == len(ids)


def test_sources_build_the_rounds() -> None:
    """corpus/rounds/ is exactly what scripts/build_corpus.py makes of corpus/src/."""
    build = _script("build_corpus")
    for path in ROUNDS:
        rnd = int(path.stem.split("-")[1])
        assert build.parse(build.SRC / f"round-{rnd:02d}.txt", rnd) == _answers(path)


def test_check_answer_catches_inconsistent_labels() -> None:
    """The consistency check can fail: a clarifying count that disagrees is reported."""
    a = _answers(ROUNDS[0])[0]
    bad = {**a, "answer": {**a["answer"], "clarifying": a["answer"]["clarifying"] + 1}}
    assert check_answer(bad) == ["clarifying != number of clarifying sentences"]


def test_eval_runs_on_a_subset(tmp_path: Path) -> None:
    """eval_corpus scores a few answers and its figures follow from gold vs report."""
    ev = _script("eval_corpus")
    picked = [a for p in ROUNDS[:2] for a in _answers(p)[:3]]
    subset = tmp_path / "round-99.jsonl"
    subset.write_text("".join(json.dumps(a) + "\n" for a in picked), encoding="utf-8")
    out = ev.evaluate([subset], by_punctuation=True)
    row = out["round-99"]
    assert row["answers"] == len(picked)
    assert row["sentences"] == sum(len(a["sentences"]) for a in picked)
    assert out["all"]["accuracy"] == row["accuracy"]
    assert all(0.0 <= v <= 1.0 for v in row["accuracy"].values())
    for k, acc in row["accuracy"].items():  # every miss is a false positive or negative
        err = row["errors"][k]
        assert round(1 - (err["false_positive"] + err["false_negative"]) / len(picked), 3) == acc
    # an answer whose gold is flipped on every signal cannot score the same
    flipped = [{**a, "answer": {"framing": not a["answer"]["framing"],
                                "clarifying": 0 if a["answer"]["clarifying"] else 1,
                                "tradeoffs": 0 if a["answer"]["tradeoffs"] else 1,
                                "ramble": not a["answer"]["ramble"]}} for a in picked]
    subset.write_text("".join(json.dumps(a) + "\n" for a in flipped), encoding="utf-8")
    back = ev.evaluate([subset])["round-99"]["accuracy"]
    assert all(abs(back[k] + row["accuracy"][k] - 1.0) < 1e-6 for k in back)
    assert "| round-99 |" in ev.markdown(out)


def test_eval_rejects_a_malformed_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ev = _script("eval_corpus")
    bad = tmp_path / "round-98.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    assert ev.main([str(bad)]) == 3
    assert "round-98.jsonl:1" in capsys.readouterr().err
