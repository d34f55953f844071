"""End to end on audio: a spoken answer through Whisper still gets its structure credited.

Whisper re-punctuates speech (it drops question marks, splits run-ons at breaths), so the
language signals must survive its transcript, not just typed text. One answer is rendered
with the local Piper voice, transcribed with the bundled tiny.en model, and analysed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from voice_coach.audio.decode import write_wav
from voice_coach.audio.synth import available_voice, render_script
from voice_coach.service import analyze_path

ANSWER = (
    "There are two parts to this: the metric, and the rollout. "
    "Is the model scored in real time, or in a nightly batch? "
    "A larger model ranks better, but it doubles the serving cost, so I'd start small."
)


@pytest.fixture(scope="session")
def spoken_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The report for ``ANSWER`` spoken by the local voice (rendered once per session)."""
    if available_voice() is None:
        pytest.skip("no local TTS voice")
    path: Path = tmp_path_factory.mktemp("lang-audio") / "answer.wav"
    write_wav(path, render_script(ANSWER).audio)
    _, report = analyze_path(path)
    return report


@pytest.mark.slow
def test_spoken_answer_structure_is_credited(spoken_report: dict[str, Any]) -> None:
    """Framing, the clarifying question and the tradeoff are found in Whisper's transcript."""
    sig = spoken_report["signals"]
    assert sig["framing"]["present"] is True, spoken_report["transcript"]["text"]
    assert sig["clarifying_questions"]["count"] >= 1, spoken_report["transcript"]["text"]
    assert sig["tradeoffs"]["count"] >= 1, spoken_report["transcript"]["text"]
    assert sig["ramble"]["present"] is False


@pytest.mark.slow
def test_spoken_evidence_has_times_inside_the_audio(spoken_report: dict[str, Any]) -> None:
    """Evidence quotes carry word times, inside the recording."""
    duration = spoken_report["duration_s"]
    timed = [ev for name in ("framing", "clarifying_questions", "tradeoffs")
             for ev in spoken_report["signals"][name]["evidence"]]
    assert timed and all(ev["start"] is not None for ev in timed)
    assert all(0.0 <= ev["start"] <= ev["end"] <= duration for ev in timed)
