"""The CLI called directly (no subprocess): output formats, schema, errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from voice_coach.cli import main

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "docs" / "report-schema.json").read_text())

ANSWER = (
    "Let me first clarify the goal, then cover data, then the model. "
    "Are we optimizing for clicks or purchases? Clicks are plentiful but noisy, while purchases "
    "are cleaner but rarer, so I would blend them. Um, I'd start with a simple baseline."
)


@pytest.fixture
def answer_txt(tmp_path: Path) -> Path:
    p = tmp_path / "answer.txt"
    p.write_text(ANSWER)
    return p


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_json_report_validates_against_schema(capsys: pytest.CaptureFixture[str], answer_txt: Path) -> None:
    code, out, err = run(capsys, "analyze", str(answer_txt), "--format", "json", "--question", "Rank results?")
    assert code == 0, err
    report = json.loads(out)  # exactly one JSON object on stdout
    jsonschema.validate(report, SCHEMA)
    assert report["duration_s"] is None
    assert report["question"] == {"id": None, "text": "Rank results?"}
    assert report["transcript"]["text"] == ANSWER
    assert all(w["start"] is None for w in report["transcript"]["words"])
    assert report["signals"]["pauses"]["long"] == []


def test_markdown_and_terminal_render(capsys: pytest.CaptureFixture[str], answer_txt: Path, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "analyze", str(answer_txt), "--format", "markdown")
    assert code == 0 and out.startswith("# voice-coach report") and "## Signals" in out
    out_file = tmp_path / "r.txt"
    code, out, _ = run(capsys, "analyze", str(answer_txt), "--out", str(out_file))
    assert code == 0 and out == ""
    assert "voice-coach" in out_file.read_text()


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["analyze", "/no/such/file.wav"], 3, "no such file"),
        (["analyze", "--format", "xml", "x.txt"], 2, "invalid choice"),
        (["frobnicate"], 2, "invalid choice"),
    ],
)
def test_errors_are_one_line_with_exit_code(capsys: pytest.CaptureFixture[str], argv: list[str], code: int,
                                            needle: str) -> None:
    got, _out, err = run(capsys, *argv)
    assert got == code
    assert needle in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_missing_model_dir_is_exit_4(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import numpy as np

    from tests.audio_files import write_audio

    wav = write_audio(tmp_path / "a.wav", (0.2 * np.sin(np.arange(16000) / 5)).astype("float32"))
    code, _out, err = run(capsys, "analyze", str(wav), "--model", str(tmp_path / "no-model"))
    assert code == 4 and "not found" in err


def test_model_dir_without_model_bin_is_exit_4(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from voice_coach.asr import resolve_model
    from voice_coach.errors import ModelError

    (tmp_path / "m").mkdir()
    with pytest.raises(ModelError, match=r"model\.bin"):
        resolve_model(str(tmp_path / "m"))


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 0 and "analyze" in out and "try" in out
