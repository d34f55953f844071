"""Spoken answers for the practice tests, rendered once per test session with the local voice.

The scripts are ours; the pauses in them are exact (see :func:`voice_coach.audio.synth.render_script`),
so recorder tests know where the thinking pauses are.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from voice_coach.audio.synth import Rendered, render_script, room_noise

SAMPLE_RATE = 16_000

# A short system-design answer: a clarifying question, a thinking pause, a tradeoff, a summary.
ANSWER_SCRIPT = (
    "Before I pick a model, can I ask how many users we have? [pause 2.5] "
    "Assuming about a million users, I would first look at the click logs. "
    "The tradeoff is latency versus accuracy, so I would start with a simple model. [pause 1.5] "
    "To summarize, start simple and measure."
)
THINKING_PAUSE_S = 2.5


@cache
def answer() -> Rendered:
    """The rendered answer (about 15 s)."""
    return render_script(ANSWER_SCRIPT)


def with_silence(audio: np.ndarray, lead_s: float, tail_s: float, noise_db: float | None = None) -> np.ndarray:
    """``audio`` with silence before and after, optionally under a room-noise floor."""
    out = np.concatenate([np.zeros(int(lead_s * SAMPLE_RATE), np.float32), audio,
                          np.zeros(int(tail_s * SAMPLE_RATE), np.float32)])
    if noise_db is not None:
        out = out + room_noise(out.size, noise_db, seed=1)
    return out.astype(np.float32)
