"""Who spoke when: speaker turns, the seam between diarization and the interview splitter.

A diarizer (an offline model at the audio edge) or a stereo channel split produces
:class:`SpeakerTurn` values; everything downstream (question/answer splitting, talk time,
interruptions) reads only these, so it is testable without audio or models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class SpeakerTurn:
    """One stretch of one speaker's speech.

    Attributes:
        speaker: a label stable within one recording ("S0", "left", ...).
        start: seconds from the start of the recording.
        end: seconds from the start of the recording (``end > start``).
    """

    speaker: str
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


class Diarizer(Protocol):
    """Anything that says who spoke when in mono 16 kHz float32 audio."""

    def diarize(self, audio: np.ndarray, sample_rate: int) -> list[SpeakerTurn]:
        """Speaker turns sorted by start time; overlapping turns are allowed."""
        ...
