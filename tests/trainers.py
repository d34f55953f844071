"""Shared checks for the scripts that train shipped weights (learned, boundaries, ramble)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def train(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A training script as a user runs it (its own process: it pins BLAS to one thread)."""
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=600)


def assert_reproducible(script: Path, corpus: Path, tmp_path: Path) -> str:
    """Train twice: the same bytes; ``--check`` passes, and fails once the file is touched.

    Returns the trained weights' text for the caller's own checks.
    """
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    first = train(script, str(corpus), "--out", str(one))
    assert first.returncode == 0, first.stderr
    assert train(script, str(corpus), "--out", str(two)).returncode == 0
    assert one.read_bytes() == two.read_bytes()
    check = train(script, str(corpus), "--out", str(two), "--check")
    assert check.returncode == 0 and "reproduced byte for byte" in check.stdout
    text = two.read_text()
    two.write_text(text + " ")
    check = train(script, str(corpus), "--out", str(two), "--check")
    assert check.returncode == 1 and "DIFFERS" in check.stdout
    return text
