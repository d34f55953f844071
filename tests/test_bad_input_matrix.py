"""The bad-input matrix: every case ends in one clear line and a documented exit code.

Each test feeds one generated bad input (see ``tests/fixtures_bad.py``) to the real CLI and
checks the outcome: the exit code, no traceback, exactly one line on stderr (none for
inputs that are merely unusual, like 8 kHz phone audio), and what that line says. Each test
then renders its outcome as its row of the table in ``docs/reliability.md`` and fails if
the committed row differs (see ``tests/doc_tables.py``; no test depends on another having
run), so the document cannot drift from what the tool does. Regenerate it with::

    VOICE_COACH_UPDATE_DOCS=1 .venv/bin/pytest tests/test_bad_input_matrix.py tests/test_bad_input_long.py

Audio cases that need the recogniser share one loaded tiny.en model (marked slow). The cases
at scale (a 2-hour file, the progress bar, a batch) are in ``tests/test_bad_input_long.py``,
and what both files share in ``tests/bad_input.py``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests import fixtures_bad as fb
from tests.bad_input import ROOT, TABLE, Outcome, assert_one_line, record, run_cli

# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def whisper() -> Any:
    """One loaded tiny.en for the module (loading it per case would triple the runtime)."""
    from voice_coach.asr import FasterWhisperTranscriber

    return FasterWhisperTranscriber()


@pytest.fixture
def shared_model(monkeypatch: pytest.MonkeyPatch, whisper: Any) -> Any:
    """Make every ``Settings`` in this test use the module's loaded model."""
    from voice_coach.service import Settings

    monkeypatch.setattr(Settings, "transcriber_factory", lambda self: (lambda: whisper))
    return whisper


@pytest.fixture(scope="module")
def answer_audio() -> np.ndarray:
    """A short English answer in espeak-ng's voice (renders in a fraction of Piper's time)."""
    return fb.espeak(fb.ANSWER_SCRIPT, "en-us")


CONTENT_WORDS = {"clarify", "goal", "ranking", "clicks", "purchases", "baseline", "tower", "model", "simple"}


def recognised(out: str) -> set[str]:
    """Content words of the answer that the JSON report's transcript contains."""
    text = json.loads(out)["transcript"]["text"].lower()
    return {w for w in CONTENT_WORDS if w in text}


# ---------------------------------------------------------------- broken files


@pytest.mark.parametrize(
    ("case", "make", "needle"),
    [
        ("0-byte file", fb.write_zero_bytes, "the file is empty (0 bytes)"),
        ("truncated WAV header", fb.write_truncated_wav_header, "not a readable audio file"),
        ("random bytes named .wav", fb.write_random_wav, "not a readable audio file"),
        ("PDF renamed to .mp3", fb.write_pdf_as_mp3, "it is a PDF document"),
        ("directory passed as a file", fb.make_directory, "is a directory"),
        ("binary .txt", fb.write_binary_txt, "binary data"),
        ("10 MB of text", fb.write_huge_txt, "the limit is"),
    ],
)
def test_broken_file_is_one_line_exit_3(case: str, make: Any, needle: str, tmp_path: Path,
                                        capfd: pytest.CaptureFixture[str]) -> None:
    """Files that cannot be analysed at all: exit 3 (input error) and one line naming the file."""
    path = make(tmp_path)
    outcome = run_cli(capfd, "analyze", str(path))
    line = assert_one_line(outcome, 3, needle, path.name)
    assert outcome.out == ""
    record(case, f"analyze {path.name}", outcome, tmp_path, line)


def _drop_read_override() -> None:
    """In the child, before exec: drop root's power to read files whatever their mode.

    Removing CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set means the
    exec'd process (still uid 0, so it can run the interpreter under /root) no longer has
    them, and a mode-000 file is refused exactly as it would be for an ordinary user.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_unreadable_file(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """A file the user may not read: exit 3, "permission denied".

    Root reads anything whatever its mode, so as root (CI containers) the CLI runs in a
    subprocess without the capabilities that let root ignore file modes; the permission
    check is then real, not simulated.
    """
    path = fb.write_unreadable(tmp_path)
    if not fb.is_root():
        outcome = run_cli(capfd, "analyze", str(path))
    else:
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "voice_coach", "analyze", str(path)],
                capture_output=True, text=True, cwd=ROOT, timeout=120, preexec_fn=_drop_read_override,
            )
        except (OSError, subprocess.SubprocessError) as err:
            pytest.skip(f"running as root and cannot drop CAP_DAC_OVERRIDE here ({err})")
        outcome = Outcome(proc.returncode, proc.stdout, tuple(x for x in proc.stderr.splitlines() if x.strip()))
    line = assert_one_line(outcome, 3, "private.wav")
    assert "permission denied" in line.lower(), line
    record("unreadable file (permissions)", "analyze private.wav (mode 000)", outcome, tmp_path, line)


# ---------------------------------------------------------------- odd but valid audio


@pytest.mark.slow
def test_nonascii_path_with_spaces(tmp_path: Path, capfd: pytest.CaptureFixture[str], shared_model: Any) -> None:
    """A recording in a folder with spaces, accents, CJK and an emoji is analysed normally.

    The answer is English in espeak-ng's robotic voice: the control for the language
    warning (same engine as the German case, and no warning may appear).
    """
    d = fb.nonascii_dir(tmp_path)
    path = fb.write_wav(d / "ответ 1 – ünïcödé.wav", fb.espeak(fb.ENGLISH_CONTROL, "en-us"))
    outcome = run_cli(capfd, "analyze", str(path), "--format", "json")
    assert outcome.code == 0 and outcome.err_lines == (), outcome.err_lines
    report = json.loads(outcome.out)
    assert report["warnings"] == []
    heard = set(re.findall(r"[a-z]+", report["transcript"]["text"].lower()))
    assert len({"understand", "problem", "data", "measure", "success", "baseline"} & heard) >= 4, heard
    record("path with spaces and non-ASCII characters",
           "analyze 'my answers/réponse d'entretien – 面接 🎙/ответ 1 – ünïcödé.wav'",
           outcome, tmp_path, "the report (no stderr)")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("case", "audio_fn", "needle"),
    [
        ("10 s of digital silence", lambda: fb.silence(10), "the audio is silent"),
        ("10 s of white noise", lambda: fb.white_noise(10, -20.0), "no words recognised"),
        ("music with no speech", lambda: fb.music(10), "no words recognised"),
    ],
)
def test_no_speech_is_a_report_not_a_crash(case: str, audio_fn: Any, needle: str, tmp_path: Path,
                                           capfd: pytest.CaptureFixture[str], shared_model: Any) -> None:
    """No speech: exit 0, a report saying so, and one warning line on stderr."""
    import io

    from rich.console import Console

    from voice_coach.report.terminal import render_terminal

    path = fb.write_wav(tmp_path / "answer.wav", audio_fn())
    outcome = run_cli(capfd, "analyze", str(path), "--format", "json")
    line = assert_one_line(outcome, 0, "no speech detected", needle)
    report = json.loads(outcome.out)
    assert report["transcript"]["words"] == []
    assert [w["code"] for w in report["warnings"]] == ["no_speech"]
    screen = io.StringIO()
    render_terminal(report, Console(file=screen, width=100))
    assert "No speech detected" in screen.getvalue()
    record(case, "analyze answer.wav", outcome, tmp_path, line + " — the report says “No speech detected.”")


def main_json(capfd: pytest.CaptureFixture[str], path: Path, *extra: str) -> dict[str, Any]:
    """Run ``analyze --format json`` and parse the one object on stdout."""
    outcome = run_cli(capfd, "analyze", str(path), "--format", "json", *extra)
    assert outcome.code == 0, outcome.err_lines
    report: dict[str, Any] = json.loads(outcome.out)
    return report


@pytest.mark.slow
def test_telephone_8k_mulaw(tmp_path: Path, capfd: pytest.CaptureFixture[str], shared_model: Any,
                            answer_audio: np.ndarray) -> None:
    """8 kHz µ-law phone audio is resampled and recognised; nothing on stderr."""
    path = fb.write_mulaw_wav(tmp_path / "call.wav", fb.telephone(answer_audio), 8000)
    from voice_coach.audio.decode import probe

    assert probe(path).sample_rate == 8000 and probe(path).codec == "pcm_mulaw"
    outcome = run_cli(capfd, "analyze", str(path), "--format", "json")
    assert outcome.code == 0 and outcome.err_lines == ()
    report = json.loads(outcome.out)
    assert report["duration_s"] == pytest.approx(answer_audio.size / fb.SR, abs=0.1)
    assert len(recognised(outcome.out)) >= 4
    record("8 kHz telephone audio (µ-law)", "analyze call.wav", outcome, tmp_path,
           "the report (no stderr); the audio is resampled to 16 kHz")


@pytest.mark.slow
def test_48k_stereo(tmp_path: Path, capfd: pytest.CaptureFixture[str], shared_model: Any,
                    answer_audio: np.ndarray) -> None:
    """48 kHz stereo is mixed to mono and resampled; nothing on stderr."""
    path = fb.write_wav(tmp_path / "laptop.wav", fb.stereo_48k(answer_audio), 48_000, channels=2)
    outcome = run_cli(capfd, "analyze", str(path), "--format", "json")
    assert outcome.code == 0 and outcome.err_lines == ()
    report = json.loads(outcome.out)
    assert report["duration_s"] == pytest.approx(answer_audio.size / fb.SR, abs=0.1)
    assert len(recognised(outcome.out)) >= 4
    record("48 kHz stereo", "analyze laptop.wav", outcome, tmp_path,
           "the report (no stderr); channels are mixed to mono and resampled")


@pytest.mark.slow
def test_non_english_answer_warns(tmp_path: Path, capfd: pytest.CaptureFixture[str], shared_model: Any) -> None:
    """German speech: a report, plus one warning that the default model is English-only
    (the confidence warning, or the loop warning when the recogniser loops on it)."""
    path = fb.write_wav(tmp_path / "antwort.wav", fb.espeak(fb.FOREIGN_ANSWERS["de"], "de"))
    outcome = run_cli(capfd, "analyze", str(path))
    line = assert_one_line(outcome, 0, "may not be English", "English-only")
    record("non-English answer", "analyze antwort.wav (German)", outcome, tmp_path,
           re.sub(r"\d+%|\d\.\d\d|only \d+ words recognised in \d+ s", "…", line))


# ---------------------------------------------------------------- transcripts and banks


def test_json_with_missing_and_negative_timings(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """Bad timings are dropped, not trusted: the words are analysed untimed, with one warning."""
    path = fb.write_json_bad_timings(tmp_path)
    outcome = run_cli(capfd, "analyze", str(path))
    line = assert_one_line(outcome, 0, "3 of 6 words have missing or invalid times")
    report = main_json(capfd, path)
    words = {w["text"]: w for w in report["transcript"]["words"]}
    assert words["first"]["start"] is None and words["clarify"]["start"] is None and words["I'd"]["end"] is None
    assert words["goal."]["start"] == 1.6
    record(".json transcript with missing or negative timings", "analyze transcript.json", outcome,
           tmp_path, line)


def test_bank_with_duplicate_id(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """The error names the file, the line of the second definition, and the field."""
    bank = fb.write_bank_duplicate_id(tmp_path)
    outcome = run_cli(capfd, "questions", "--bank", str(bank))
    line = assert_one_line(outcome, 2, f"{bank.name}:9:", "'id'", "already defined", f"{bank.name}:1")
    record("question bank with a duplicate id", "questions --bank 'my bank.toml'", outcome, tmp_path, line)


def test_bank_with_missing_field(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """The error names the file, the line of the question, and the missing field."""
    bank = fb.write_bank_missing_field(tmp_path)
    txt = tmp_path / "a.txt"
    txt.write_text("I would start with a baseline.")
    outcome = run_cli(capfd, "analyze", str(txt), "--bank", str(bank), "--question-id", "trust-ok-01")
    line = assert_one_line(outcome, 2, f"{bank.name}:9:", "'difficulty'", "missing")
    record("question bank with a missing field", "analyze a.txt --bank bank.toml --question-id …", outcome,
           tmp_path, line)


def test_corrupt_store_says_so_and_keeps_audio(tmp_path: Path, capfd: pytest.CaptureFixture[str],
                                               isolated_home: Path) -> None:
    """A damaged sessions.db: exit 6 naming the file; the recordings are untouched."""
    db, rec = fb.write_corrupt_store(isolated_home)
    before = rec.read_bytes()
    from voice_coach.cli import COMMANDS

    if "sessions" in COMMANDS:
        outcome = run_cli(capfd, "sessions")
        command = "sessions"
    else:  # the review commands are not registered yet: go through the store directly
        from voice_coach.errors import StoreError
        from voice_coach.store import Store

        with pytest.raises(StoreError) as err:
            Store.open(isolated_home)
        outcome = Outcome(err.value.exit_code, "", (f"voice-coach: error: {err.value}",))
        command = "Store.open()"
    line = assert_one_line(outcome, 6, "sessions.db")
    assert re.search(r"corrupt|damaged|not a database", line), line
    assert rec.exists() and rec.read_bytes() == before
    assert db.exists()  # nothing is deleted behind the user's back
    record("corrupted SQLite store", command, outcome, isolated_home, line + " — the audio files are kept")


# ---------------------------------------------------------------- the document


def test_reliability_doc_lists_every_case() -> None:
    """``docs/reliability.md`` has one row per case, in ``CASES`` order (each test checks its own row)."""
    TABLE.check_layout()


@pytest.fixture(autouse=True)
def _no_progress_bar(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """capfd's stderr is not a terminal anyway; make sure no test depends on a TTY."""
    monkeypatch.setenv("TERM", "dumb")
    yield
