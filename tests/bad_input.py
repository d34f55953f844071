"""What the bad-input tests share: running the CLI, one-line checks, and the table they fill.

The cases are split across ``tests/test_bad_input_matrix.py`` (broken and odd files, text,
banks, the store) and ``tests/test_bad_input_long.py`` (a 2-hour file, the progress bar, a
batch); each case checks its own row of ``docs/reliability.md`` through :data:`TABLE`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.doc_tables import DocTable
from voice_coach.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "reliability.md"
BEGIN, END = "<!-- matrix:bad-input:begin -->", "<!-- matrix:bad-input:end -->"


@dataclass(frozen=True)
class Outcome:
    """What a user saw: exit code, stdout, and the non-empty stderr lines."""

    code: int
    out: str
    err_lines: tuple[str, ...]


CASES: tuple[str, ...] = (
    "0-byte file",
    "truncated WAV header",
    "random bytes named .wav",
    "PDF renamed to .mp3",
    "directory passed as a file",
    "unreadable file (permissions)",
    "path with spaces and non-ASCII characters",
    "10 s of digital silence",
    "10 s of white noise",
    "music with no speech",
    "8 kHz telephone audio (µ-law)",
    "48 kHz stereo",
    "2-hour file",
    "non-English answer",
    "binary .txt",
    "10 MB of text",
    ".json transcript with missing or negative timings",
    "question bank with a duplicate id",
    "question bank with a missing field",
    "corrupted SQLite store",
    "batch with bad files in it",
)

TABLE = DocTable(DOC, BEGIN, END, ("| case | command | what the user sees | exit |", "|---|---|---|---|"), CASES,
                 regenerate="VOICE_COACH_UPDATE_DOCS=1 .venv/bin/pytest tests/test_bad_input_matrix.py "
                 "tests/test_bad_input_long.py")


def run_cli(capfd: pytest.CaptureFixture[str], *argv: str) -> Outcome:
    """Run the CLI in-process, capturing the real file descriptors (C libraries included)."""
    code = main(list(argv))
    out, err = capfd.readouterr()
    return Outcome(code, out, tuple(line for line in err.splitlines() if line.strip()))


def display(text: str, base: Path) -> str:
    """Paths relative to the test's directory, so the document reads the same everywhere."""
    text = text.replace(str(base) + os.sep, "").replace(str(base), ".")
    return re.sub(r"/tmp/[^ :]*/", "", text)


def record(case: str, command: str, outcome: Outcome, base: Path, sees: str | None = None) -> None:
    """Check the case's row of the document against its outcome (see :class:`DocTable`)."""
    shown = sees if sees is not None else (outcome.err_lines[0] if outcome.err_lines else "")
    shown = display(shown, base).replace("|", "\\|")
    TABLE.check_row(case, f"| {case} | `{command}` | {shown} | {outcome.code} |")


def assert_one_line(outcome: Outcome, code: int, *needles: str) -> str:
    """The outcome has ``code``, no traceback, and exactly one stderr line containing ``needles``."""
    joined = "\n".join(outcome.err_lines)
    assert "Traceback" not in joined and "Traceback" not in outcome.out
    assert len(outcome.err_lines) == 1, f"expected one stderr line, got: {outcome.err_lines!r}"
    line = outcome.err_lines[0]
    assert line.startswith(("voice-coach: error: ", "voice-coach: warning: ")), line
    for needle in needles:
        assert needle in line, f"{needle!r} not in {line!r}"
    assert outcome.code == code, f"exit {outcome.code}, expected {code}: {line}"
    return line
