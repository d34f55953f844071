"""A mono two-voice mock interview rendered with the repository's own TTS voices, with exact turns.

The interviewer is espeak-ng, the candidate Piper when installed (scripts/setup.sh installs
it) or else a second espeak-ng voice. Each line is spoken, trimmed of its silent edges, and
placed after a gap, so every turn's start and end is known to the sample.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from tests.fixtures_bad import espeak
from voice_coach.audio import SAMPLE_RATE
from voice_coach.audio.synth import available_voice, speak
from voice_coach.turns import SpeakerTurn

INTERVIEW: tuple[tuple[str, str], ...] = (
    ("interviewer", "Thanks for joining today. Tell me about a model you shipped to production."),
    ("candidate", "Sure. I built a ranking model for product search. We started with a simple "
                  "baseline, then moved to gradient boosted trees, and we measured the click "
                  "through rate in an online test before the full launch."),
    ("interviewer", "How did you keep the latency low?"),
    ("candidate", "We cached the features for popular queries and kept the model small. The "
                  "tradeoff was a little accuracy for a much faster response, which users preferred."),
    ("interviewer", "Okay. And what would you do differently next time?"),
    ("candidate", "I would set up monitoring for data drift from the first day, because we only "
                  "noticed a drop in quality weeks after a change upstream."),
    ("interviewer", "Great, that is all I have. Thank you."),
)


def _trimmed(audio: np.ndarray, threshold: float = 1e-3) -> np.ndarray:
    loud = np.flatnonzero(np.abs(audio) > threshold)
    return audio[loud[0] : loud[-1] + 1] if loud.size else audio[:0]


def candidate_voice() -> str:
    """``"piper"`` when the Piper voice is installed, else the espeak-ng voice used instead.

    The d-vector model was trained on people: it hears two espeak-ng voices as nearly one
    (37.2% DER measured), so the DER test needs Piper; the espeak pair is only a fallback.
    """
    return "piper" if available_voice() == "piper" else "en-gb-scotland"


@lru_cache(maxsize=2)
def render_interview(gap_s: float = 0.6) -> tuple[np.ndarray, tuple[SpeakerTurn, ...]]:
    """(16 kHz mono float32 audio, true turns) of :data:`INTERVIEW`."""
    pieces = [np.zeros(int(0.5 * SAMPLE_RATE), np.float32)]
    turns: list[SpeakerTurn] = []
    t = pieces[0].size
    for role, text in INTERVIEW:
        if role == "interviewer":
            audio = _trimmed(espeak(text, "en-us"))
        elif candidate_voice() == "piper":
            audio = speak(text, "piper")  # already trimmed
        else:
            audio = _trimmed(espeak(text, candidate_voice()))
        turns.append(SpeakerTurn(role, t / SAMPLE_RATE, (t + audio.size) / SAMPLE_RATE))
        gap = np.zeros(int(gap_s * SAMPLE_RATE), np.float32)
        pieces += [audio.astype(np.float32), gap]
        t += audio.size + gap.size
    return np.concatenate(pieces), tuple(turns)


def looped(audio: np.ndarray, turns: tuple[SpeakerTurn, ...], seconds: float) -> tuple[np.ndarray, list[SpeakerTurn]]:
    """The interview repeated until it lasts ``seconds``: a long recording with known turns."""
    reps = max(1, int(np.ceil(seconds * SAMPLE_RATE / audio.size)))
    span = audio.size / SAMPLE_RATE
    out_turns = [SpeakerTurn(x.speaker, x.start + i * span, x.end + i * span) for i in range(reps) for x in turns]
    return np.tile(audio, reps), out_turns
