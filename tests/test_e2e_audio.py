"""End to end on real audio: Piper renders an answer with known fillers and pauses, the
bundled Whisper model transcribes it, and the delivery signals must find them.

The audio is rendered once per test session and cached in a session temp dir.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from voice_coach.audio.decode import write_wav
from voice_coach.audio.synth import Rendered, available_voice, render_script

SCRIPT = (
    "Um, I would start with the data. [pause 2.5] "
    "Then I'd like to check the labels, and, uh, the class balance. [pause 3] "
    "Models like gradient boosting are a strong baseline."
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(available_voice() != "piper", reason="needs the Piper voice"),
]


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Rendered]:
    """The scripted answer as a WAV file, with its exact pause times."""
    r = render_script(SCRIPT)
    path = tmp_path_factory.mktemp("e2e-audio") / "answer.wav"
    write_wav(path, r.audio)
    return path, r


@pytest.fixture(scope="session")
def report(rendered: tuple[Path, Rendered]) -> dict[str, Any]:
    """The JSON report for the rendered answer, through the real model."""
    from voice_coach.service import analyze_path

    _transcript, rep = analyze_path(rendered[0])
    return rep


def test_filled_pauses_are_found(report: dict[str, Any]) -> None:
    items = report["signals"]["fillers"]["items"]
    filled = [i for i in items if i["kind"] == "filled_pause"]
    # Piper's rendering varies run to run and tiny.en sometimes drops one of the two
    # spoken fillers (recall is measured on the dev set, not here): require at least one
    # found and never more than were spoken.
    assert 1 <= len(filled) <= 2, report["transcript"]["text"]
    assert all(i["start"] is not None and i["end"] >= i["start"] for i in filled)


def test_literal_like_is_not_a_filler(report: dict[str, Any]) -> None:
    likes = [i for i in report["signals"]["fillers"]["items"] if i["text"] == "like"]
    assert likes == [], report["transcript"]["text"]


def test_long_pauses_are_located_from_the_audio(report: dict[str, Any], rendered: tuple[Path, Rendered]) -> None:
    pauses = report["signals"]["pauses"]
    found = [(p["start"], p["end"]) for p in pauses["long"]]
    truth = rendered[1].pauses
    assert len(found) == len(truth) == 2
    for (fs, fe), (ts, te) in zip(found, truth, strict=True):
        # The silence the coach measures includes the voice's own lead-out, so it can
        # start a little before the inserted pause, never after it.
        assert ts - 0.4 <= fs <= ts + 0.05 and te - 0.1 <= fe <= te + 0.3, (found, truth)
    assert all(p["kind"] == "deliberate" for p in pauses["long"])
    assert pauses["time_to_first_word_s"] == pytest.approx(0.3, abs=0.15)


def test_pace_is_measured(report: dict[str, Any]) -> None:
    wpm = report["signals"]["pace"]["wpm"]
    assert wpm is not None and 60 < wpm < 220
