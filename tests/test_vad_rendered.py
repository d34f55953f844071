"""The VAD on a rendered voice: inserted silences come back as gaps between speech regions,
in a quiet room and with room noise. No recogniser involved."""

from __future__ import annotations

import itertools

import pytest

from voice_coach.audio.synth import Rendered, available_voice, render_script, room_noise
from voice_coach.audio.vad import detect_speech

pytestmark = pytest.mark.skipif(available_voice() is None, reason="needs a local TTS voice")


@pytest.fixture(scope="session")
def rendered() -> Rendered:
    """A short answer with a 2.5 s and a 3 s silence."""
    return render_script("I would start with the labels. [pause 2.5] Then, um, a baseline "
                         "[pause 3] and a holdout week.")


@pytest.mark.parametrize("noise_db", [None, -55.0])
def test_inserted_silences_are_the_long_gaps(rendered: Rendered, noise_db: float | None) -> None:
    audio = rendered.audio
    if noise_db is not None:
        audio = audio + room_noise(audio.size, noise_db, seed=3)
    regions = detect_speech([audio[i : i + 4800] for i in range(0, audio.size, 4800)])
    gaps = [(a.end, b.start) for a, b in itertools.pairwise(regions) if b.start - a.end >= 2.0]
    assert len(gaps) == len(rendered.pauses) == 2, regions
    for (gs, ge), (ts, te) in zip(gaps, rendered.pauses, strict=True):
        assert ts - 0.4 <= gs <= ts + 0.05 and te - 0.1 <= ge <= te + 0.3, (gaps, rendered.pauses)
    # No other silence in the answer is anywhere near a long pause.
    short = [b.start - a.end for a, b in itertools.pairwise(regions) if b.start - a.end < 2.0]
    assert all(g < 1.0 for g in short)
