"""A short run of ``scripts/fuzz.py`` in the suite, plus the inputs fuzzing found.

The long runs (``scripts/fuzz.py --seconds 60``) are for people; here every target gets
a couple of seconds, which is enough to catch a loader that starts crashing again.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from voice_coach.errors import InputError
from voice_coach.transcript import load_json_file, transcript_from_dict

ROOT = Path(__file__).resolve().parent.parent


def _fuzz_module() -> Any:
    spec = importlib.util.spec_from_file_location("vc_fuzz", ROOT / "scripts" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["vc_fuzz"] = mod  # dataclasses look their module up while the class is made
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("name", ["json", "dict", "text", "bank"])
def test_fuzz_target_briefly(name: str) -> None:
    """Two seconds of generated inputs: only clear VoiceCoachErrors, never a crash."""
    fuzz = _fuzz_module()
    fuzz._ANALYSE = name == "dict"  # the core once per loaded dict; file targets test loading
    target = next(t for t in fuzz.targets() if t.name == name)
    fuzz.fuzz(target, 2.0)
    assert target.tried > 10
    assert target.findings == [], target.findings[0][1]


def test_deeply_nested_json_is_a_clear_error(tmp_path: Path) -> None:
    """Found by the fuzzer: 50 000 '[' made json.loads raise RecursionError (exit 70)."""
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 50_000)
    with pytest.raises(InputError, match="nested too deeply"):
        load_json_file(path)


@pytest.mark.parametrize("regions", [5, "abc", {"start": 1}, True])
def test_speech_regions_must_be_a_list(regions: Any) -> None:
    """A number here used to raise TypeError ('int' object is not iterable)."""
    with pytest.raises(InputError, match="speech_regions"):
        transcript_from_dict({"words": [], "speech_regions": regions})


def test_fuzz_script_cli_reports_counts() -> None:
    """The script's own summary: inputs tried per target, exit 0 when nothing was found."""
    import subprocess

    proc = subprocess.run([sys.executable, "scripts/fuzz.py", "--seconds", "1", "--target", "text", "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert summary["text"]["tried"] > 0 and summary["text"]["findings"] == 0
