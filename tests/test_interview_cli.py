"""``voice-coach interview`` on bad input: one line, the documented exit code, no model load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from voice_coach.audio.decode import write_wav
from voice_coach.cli import main


def run(capfd: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(["interview", *argv])
    err = [ln for ln in capfd.readouterr().err.splitlines() if ln.strip()]
    return code, err


def test_a_transcript_is_not_an_interview(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    txt = tmp_path / "answer.txt"
    txt.write_text("How would you rank results? I would start with a baseline.")
    code, err = run(capfd, str(txt))
    assert code == 3 and len(err) == 1 and "needs the recording itself" in err[0]


def test_missing_file(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    code, err = run(capfd, str(tmp_path / "nope.wav"))
    assert code == 3 and len(err) == 1 and "no such file" in err[0]


def test_mono_without_a_diarizer_says_so(tmp_path: Path, capfd: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "voice_coach.diarize", None)  # as if it were not installed
    wav = tmp_path / "mono.wav"
    write_wav(wav, np.random.default_rng(0).normal(0, 0.01, 16_000).astype(np.float32))
    code, err = run(capfd, str(wav))
    assert code == 4 and len(err) == 1 and "stereo recording" in err[0]


def test_candidate_must_name_a_side_of_a_stereo_recording(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    import wave

    wav = tmp_path / "call.wav"
    rng = np.random.default_rng(0)
    pcm = (rng.normal(0, 0.05, (16_000, 2)) * 32767).astype("<i2")  # two different channels
    with wave.open(str(wav), "wb") as wf:
        wf.setnchannels(2)
        wf.setsampwidth(2)
        wf.setframerate(16_000)
        wf.writeframes(pcm.tobytes())
    code, err = run(capfd, str(wav), "--candidate", "S1")
    assert code == 2 and len(err) == 1 and "use left or right" in err[0]
