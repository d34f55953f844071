#!/usr/bin/env python3
"""Bounded-time fuzzing of the loaders a user's files go through.

Targets (every one must either succeed or raise a :class:`voice_coach.errors.VoiceCoachError`;
anything else is a finding):

* ``json``  -> :func:`voice_coach.transcript.load_json_file` (bytes on disk: raw bytes,
  mutated valid transcripts, generated JSON values);
* ``dict``  -> :func:`voice_coach.transcript.transcript_from_dict` (arbitrary JSON values,
  then the analysis core on whatever loads);
* ``text``  -> :func:`voice_coach.transcript.load_text_file` (bytes, Unicode, BOMs, NULs);
* ``bank``  -> :func:`voice_coach.bank.parse_bank` and :func:`voice_coach.bank.load_banks`
  (TOML text: mutated valid banks and generated tables).

It uses Hypothesis (already a dev dependency) as a generator, with a time budget per target
instead of an example count, and prints how many inputs each target tried and what failed::

    .venv/bin/python scripts/fuzz.py --seconds 60          # all targets, 60 s each
    .venv/bin/python scripts/fuzz.py --target bank --seconds 10

Exit status 0 when nothing was found, 1 otherwise (each finding is printed with its input).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import contextlib  # noqa: E402

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402

from voice_coach.errors import VoiceCoachError  # noqa: E402

VALID_TRANSCRIPT = {
    "schema": "voice-coach.transcript/1", "duration_s": 4.0, "source": "audio", "language": "en",
    "words": [{"text": "Um,", "start": 0.2, "end": 0.5, "probability": 0.8},
              {"text": "first", "start": 0.9, "end": 1.2, "probability": 0.99},
              {"text": "clarify", "start": 1.3, "end": 1.8}],
    "speech_regions": [{"start": 0.1, "end": 1.9}, {"start": 2.5, "end": 3.9}],
}
VALID_BANK = """\
[[question]]
id = "fuzz-01"
text = "How would you rank search results for a shop?"
category = "system_design"
difficulty = "medium"
target_s = 120
focus = ["framing", "tradeoffs"]
"""

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda kids: st.lists(kids, max_size=6) | st.dictionaries(
        st.sampled_from(["words", "text", "word", "start", "end", "probability", "duration_s", "duration",
                         "speech_regions", "transcript", "language", "recovered", "schema"]) | st.text(max_size=6),
        kids, max_size=6),
    max_leaves=30,
)


def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, delete-count, insert-bytes) edits to ``data``."""
    buf = bytearray(data)
    for pos, cut, ins in edits:
        pos %= len(buf) + 1
        buf[pos : pos + cut] = ins
    return bytes(buf)


edits = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 8), st.binary(max_size=6)), min_size=1, max_size=6)


@dataclass
class Target:
    """One fuzz target: a strategy and a function that must only raise VoiceCoachError."""

    name: str
    strategy: Any
    run: Callable[[Any], None]
    tried: int = 0
    findings: list[tuple[Any, str]] = field(default_factory=list)


def _tmp_file(suffix: str, data: bytes) -> Path:
    fd, name = tempfile.mkstemp(suffix=suffix)
    with open(fd, "wb") as fh:
        fh.write(data)
    return Path(name)


def run_json(data: bytes) -> None:
    """``load_json_file`` on arbitrary bytes, then the analysis core on what loads."""
    from voice_coach.transcript import load_json_file

    path = _tmp_file(".json", data)
    try:
        transcript = load_json_file(path)
    finally:
        path.unlink()
    _analyse(transcript)


def run_dict(value: Any) -> None:
    """``transcript_from_dict`` on an arbitrary JSON value, then the analysis core."""
    from voice_coach.transcript import transcript_from_dict

    _analyse(transcript_from_dict(value))


def run_text(data: bytes) -> None:
    """``load_text_file`` on arbitrary bytes."""
    from voice_coach.transcript import load_text_file

    path = _tmp_file(".txt", data)
    try:
        load_text_file(path)
    finally:
        path.unlink()


def run_bank(text: str | bytes) -> None:
    """``parse_bank`` and ``load_banks`` on arbitrary TOML-ish content."""
    from voice_coach import bank

    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    path = _tmp_file(".toml", data)
    try:
        bank.parse_bank(path)
        bank.load_banks([path, path.with_name(path.name)])
    finally:
        path.unlink()


_ANALYSE = True


def _analyse(transcript: Any) -> None:
    if not _ANALYSE:
        return
    from voice_coach.service import report_for_transcript

    report_for_transcript(transcript)


def targets() -> list[Target]:
    """Every target with its input strategy."""
    valid_json = json.dumps(VALID_TRANSCRIPT).encode()
    bank_lines = VALID_BANK.splitlines()
    bank_text = st.one_of(
        st.builds(lambda e: mutate(VALID_BANK.encode(), e), edits),
        st.lists(st.sampled_from([*bank_lines, 'id = "fuzz-01"', "[[question]]", 'focus = ["nope"]',
                                  "target_s = -1", 'difficulty = "extreme"', "text = 3", "[question]",
                                  "notes = 1", "x = 1", "target_s = 1e309"]),
                 max_size=20).map(lambda ls: "\n".join(ls)),
        st.text(max_size=200),
    )
    return [
        Target("json", st.one_of(st.binary(max_size=300), st.builds(lambda e: mutate(valid_json, e), edits),
                                 json_values.map(lambda v: json.dumps(v).encode()),
                                 st.integers(1, 50_000).map(lambda n: b"[" * n)), run_json),
        Target("dict", json_values | st.fixed_dictionaries({"words": st.lists(json_values, max_size=8)},
                                                           optional={"speech_regions": json_values,
                                                                     "duration_s": json_values}), run_dict),
        Target("text", st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode),
                                 st.builds(lambda t: b"\xef\xbb\xbf" + t.encode(), st.text(max_size=50))), run_text),
        Target("bank", bank_text, run_bank),
    ]


def fuzz(target: Target, seconds: float, seed: int | None = None) -> Target:
    """Feed ``target`` generated inputs until ``seconds`` have passed since the first one.

    The clock starts at the first input, not before: Hypothesis's one-off set-up (its Unicode
    tables, a busy process's other threads) must not use up a short budget.
    """
    started: list[float] = []

    @settings(max_examples=10**9, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), derandomize=seed is not None)
    @given(target.strategy)
    def one(value: Any) -> None:
        if not started:
            started.append(time.monotonic())
        elif time.monotonic() - started[0] > seconds:
            raise _Done
        target.tried += 1
        try:
            target.run(value)
        except VoiceCoachError:
            pass
        except _Done:
            raise
        except Exception:  # a finding: keep it, keep going
            target.findings.append((value, traceback.format_exc(limit=4)))

    from hypothesis.reporting import with_reporter

    # The time-budget stop is not a failure to report.
    with with_reporter(lambda *_: None), contextlib.suppress(_Done, Unsatisfiable):
        one()
    return target


class _Done(BaseException):
    """Raised inside the test function to stop Hypothesis at the time budget."""


def main(argv: list[str] | None = None) -> int:
    """Fuzz the chosen targets for a bounded time each; print counts and findings."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="time budget per target (default 30)")
    parser.add_argument("--target", action="append", choices=[t.name for t in targets()],
                        help="only this target (repeatable; default: all)")
    parser.add_argument("--no-analyse", action="store_true",
                        help="loaders only: skip running the analysis core on what loads (faster)")
    parser.add_argument("--json", action="store_true", help="print a JSON summary instead of text")
    args = parser.parse_args(argv)
    global _ANALYSE
    _ANALYSE = not args.no_analyse
    chosen = [t for t in targets() if not args.target or t.name in args.target]
    results = [fuzz(t, args.seconds) for t in chosen]
    if args.json:
        print(json.dumps({t.name: {"tried": t.tried, "findings": len(t.findings)} for t in results}))
    else:
        for t in results:
            print(f"{t.name:5s} {t.tried:7d} inputs in {args.seconds:g} s, {len(t.findings)} findings")
        for t in results:
            for value, tb in t.findings[:5]:
                print(f"\n--- {t.name}: {value!r:.300}\n{tb}")
    return 1 if any(t.findings for t in results) else 0


if __name__ == "__main__":
    sys.exit(main())
