"""PLACEHOLDER: hedging (to be written by the signals work). Returns n/a."""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.signals.base import Context, SignalResult
from voice_coach.transcript import Transcript


@dataclass(frozen=True)
class Config:
    """No thresholds yet."""


def compute(transcript: Transcript, config: Config, context: Context) -> SignalResult:
    """Placeholder."""
    return SignalResult("hedging", {}, "n/a", "")
