"""The bad-input matrix: every case ends in one clear line and a documented exit code.

Each test feeds one generated bad input (see ``tests/fixtures_bad.py``) to the real CLI and
checks the outcome: the exit code, no traceback, exactly one line on stderr (none for
inputs that are merely unusual, like 8 kHz phone audio), and what that line says. Each test
then renders its outcome as its row of the table in ``docs/reliability.md`` and fails if
the committed row differs (see ``tests/doc_tables.py``; no test depends on another having
run), so the document cannot drift from what the tool does. Regenerate it with::

    VOICE_COACH_UPDATE_DOCS=1 .venv/bin/pytest tests/test_bad_input_matrix.py

Audio cases that need the recogniser share one loaded tiny.en model (marked slow).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests import fixtures_bad as fb
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
                 regenerate="VOICE_COACH_UPDATE_DOCS=1 .venv/bin/pytest tests/test_bad_input_matrix.py")


def run_cli(capfd: pytest.CaptureFixture[str], *argv: str) -> Outcome:
    """Run the CLI in-process, capturing the real file descriptors (C libraries included)."""
    code = main(list(argv))
    out, err = capfd.readouterr()
    return Outcome(code, out, tuple(line for line in err.splitlines() if line.strip()))


def _display(text: str, base: Path) -> str:
    """Paths relative to the test's directory, so the document reads the same everywhere."""
    text = text.replace(str(base) + os.sep, "").replace(str(base), ".")
    return re.sub(r"/tmp/[^ :]*/", "", text)


def record(case: str, command: str, outcome: Outcome, base: Path, sees: str | None = None) -> None:
    """Check the case's row of the document against its outcome (see :class:`DocTable`)."""
    shown = sees if sees is not None else (outcome.err_lines[0] if outcome.err_lines else "")
    shown = _display(shown, base).replace("|", "\\|")
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
    """German speech: a report, plus one warning that the default model is English-only."""
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


# ---------------------------------------------------------------- long files and batches

LONG_S = 7200.0
# Measured ~75 MB for 15 min and for 2 h alike (it does not grow with length); decoding
# the whole file at once would take 7200 s * 16 kHz * 4 B = 461 MB on its own.
PEAK_GROWTH_LIMIT_MB = 250.0

# Runs in its own process so its peak memory (ru_maxrss) is its own. The recogniser is a
# FakeTranscriber: real recognition of 2 h is too slow for the suite, and what is measured
# here is the streaming decode + VAD + windowing, which is the same code either way.
LONG_SCRIPT = r"""
import json, resource, sys
from pathlib import Path
import numpy as np
import psutil
from tests.conftest import FakeTranscriber
from voice_coach.analysis import run_signals
from voice_coach.service import analyze_path
from voice_coach.transcript import transcript_from_text

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

run_signals(transcript_from_text("warm up the language model first."))
try:  # reset the peak, so loading spaCy and friends (a transient peak) is not counted
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
except OSError:
    pass
base = psutil.Process().memory_info().rss
words = [(w, t + 0.5 + 0.4 * i, t + 0.8 + 0.4 * i) for t in json.loads(sys.argv[2])
         for i, w in enumerate("so first I would clarify the goal".split())]
fake = FakeTranscriber(words)
ticks = []
_t, report = analyze_path(Path(sys.argv[1]), transcriber_factory=lambda: fake,
                          progress=lambda done, total: ticks.append((done, total)))
peak = hwm()
print(json.dumps({"growth_mb": (peak - base) / 1e6, "duration": report["duration_s"],
                  "words": len(report["transcript"]["words"]), "calls": fake.calls, "ticks": ticks,
                  "warnings": report["warnings"]}))
"""


@pytest.fixture(scope="module")
def long_wav(tmp_path_factory: pytest.TempPathFactory, answer_audio: np.ndarray) -> tuple[Path, list[float]]:
    """A sparse 2-hour 8 kHz WAV: silence, with the spoken answer three times and music once."""
    speech8k = fb.telephone(answer_audio)
    at = [5.0, 3600.0, LONG_S - 20.0]
    inserts = (*tuple((t, speech8k) for t in at), (1800.0, fb.music(6)[::2]))
    path = fb.write_sparse_wav(tmp_path_factory.mktemp("long") / "long.wav", LONG_S, 8000, inserts)
    return path, at


def test_two_hour_file_bounded_memory_and_progress(long_wav: tuple[Path, list[float]], tmp_path: Path) -> None:
    """2 h streams through decode, VAD and windowed recognition in bounded memory.

    Also checks the recogniser is only handed windows that contain sound (the rest of the
    two hours never reaches it), that no window exceeds the configured size, and that the
    progress callback (what drives the bar on a terminal) climbs to the end.
    """
    from voice_coach.pipeline import PipelineOptions

    path, at = long_wav
    proc = subprocess.run([sys.executable, "-c", LONG_SCRIPT, str(path), json.dumps(at)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["duration"] == pytest.approx(LONG_S, abs=0.1)
    assert result["words"] == 3 * 7
    assert result["growth_mb"] < PEAK_GROWTH_LIMIT_MB, result["growth_mb"]
    window = int(PipelineOptions().window_s * fb.SR)
    calls = result["calls"]
    assert all(size <= window for size, _ in calls)
    heard_s = sum(size for size, _ in calls) / fb.SR
    assert heard_s <= 4 * PipelineOptions().window_s < LONG_S / 5  # only windows with sound
    done = [d for d, _ in result["ticks"]]
    assert done == sorted(done) and done[-1] == pytest.approx(LONG_S, abs=0.1)
    assert all(t == pytest.approx(LONG_S, abs=0.1) for _, t in result["ticks"])
    outcome = Outcome(0, "", ())
    record("2-hour file", "analyze long.wav (2 h)", outcome, tmp_path,
           f"the report; memory stays bounded (peak growth under {PEAK_GROWTH_LIMIT_MB:.0f} MB, where "
           "decoding it whole would take 461 MB); only windows with sound reach the recogniser; "
           "a progress bar on a terminal")


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    """With stderr on a terminal (a pty), `analyze` draws a progress bar; off a terminal it does not."""
    import pty
    import select

    path = fb.write_sparse_wav(tmp_path / "silent.wav", 600.0, 8000)
    argv = [sys.executable, "-m", "voice_coach", "analyze", str(path), "--format", "json", "--no-save"]
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=slave, cwd=ROOT, env=env)
        os.close(slave)
        seen = b""
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the pty
                break
            if not chunk:
                break
            seen += chunk
        out = proc.communicate(timeout=120)[0]
    finally:
        os.close(master)
    assert proc.returncode == 0
    assert b"transcribing" in seen
    assert json.loads(out)["duration_s"] == pytest.approx(600.0, abs=0.1)
    plain = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert "transcribing" not in plain.stderr
    assert [x for x in plain.stderr.splitlines() if x.strip()] == [
        "voice-coach: warning: no speech detected: the audio is silent"]


def test_batch_goes_on_past_bad_files(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """A batch with broken files in it: one line per bad file, the good ones are analysed, exit 3."""
    good1, good2 = tmp_path / "a-good.txt", tmp_path / "d-good.txt"
    good1.write_text("Let me clarify the goal first. I would start with a simple baseline.")
    good2.write_text("There is a tradeoff: recall against latency. I would pick recall here.")
    bad1 = fb.write_zero_bytes(tmp_path)
    bad2 = fb.write_pdf_as_mp3(tmp_path)
    outdir = tmp_path / "reports"
    outcome = run_cli(capfd, "analyze", str(good1), str(bad1), str(bad2), str(good2),
                      "--format", "json", "--out", str(outdir), "--no-save")
    assert outcome.code == 3
    joined = "\n".join(outcome.err_lines)
    assert "Traceback" not in joined
    skipped = [x for x in outcome.err_lines if x.startswith("voice-coach: skipped")]
    assert len(skipped) == 2 and "empty.wav" in skipped[0] + skipped[1] and "answer.mp3" in skipped[0] + skipped[1]
    assert len(outcome.err_lines) == 3 and "2 of 4 files failed" in outcome.err_lines[-1]
    rows = json.loads(outcome.out)["rows"]
    assert [r["status"] == "ok" for r in sorted(rows, key=lambda r: r["index"])] == [True, False, False, True]
    assert len(list(outdir.glob("*.json"))) == 2
    record("batch with bad files in it", "analyze a-good.txt empty.wav answer.mp3 d-good.txt", outcome, tmp_path,
           "one `voice-coach: skipped FILE: reason` line per bad file, the good files' reports are written, "
           f"then “{_display(outcome.err_lines[-1], tmp_path)}”")


# ---------------------------------------------------------------- the document


def test_reliability_doc_lists_every_case() -> None:
    """``docs/reliability.md`` has one row per case, in ``CASES`` order (each test checks its own row)."""
    TABLE.check_layout()


@pytest.fixture(autouse=True)
def _no_progress_bar(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """capfd's stderr is not a terminal anyway; make sure no test depends on a TTY."""
    monkeypatch.setenv("TERM", "dumb")
    yield
