"""Shared fixtures: fake transcribers, rendered audio, isolated data dirs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from voice_coach.transcript import Segment, Word


class FakeTranscriber:
    """A Transcriber that returns scripted words, for tests without a model."""

    name = "fake"

    def __init__(self, words: list[tuple[str, float, float]] | None = None) -> None:
        self.words = words or []
        self.calls: list[tuple[int, float]] = []

    def transcribe(self, audio: np.ndarray, *, offset: float = 0.0) -> list[Segment]:
        """Return the scripted words that fall inside this audio window."""
        self.calls.append((audio.size, offset))
        end = offset + audio.size / 16000
        ws = tuple(Word(t, s, e) for t, s, e in self.words if offset <= s < end)
        return [Segment(" ".join(w.text for w in ws), offset, end, ws)] if ws else []


@pytest.fixture
def fake_transcriber() -> FakeTranscriber:
    """A FakeTranscriber with no words."""
    return FakeTranscriber()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own VOICE_COACH_HOME, so no test touches a real user's data."""
    home = tmp_path_factory.mktemp("vc-home")
    monkeypatch.setenv("VOICE_COACH_HOME", str(home))
    yield home
