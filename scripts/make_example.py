#!/usr/bin/env python3
"""Render the bundled example answer (voice_coach/data/example_answer.flac) with a local voice.

The example is a plausible answer with a framing sentence, a clarifying question, a long
thinking pause, some fillers and one tradeoff, so every part of the report has something
to show. Rerun this only to change the example; the output is committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import av
import numpy as np

from voice_coach.audio.synth import SAMPLE_RATE, render_script

SCRIPT = (
    "Let me first make sure I understand the goal, and then I'll talk about data and the model. "
    "Um, are we optimizing for clicks, or for purchases after the click? [pause 2.6] "
    "Okay. Assuming purchases matter most, I'd start with the data we already log. "
    "Uh, clicks are plentiful but noisy, while purchases are cleaner but rare, so I'd weight them. "
    "Then I'd train a gradient boosted ranker as a baseline, and, like, compare it against the current ordering."
)


def write_flac(path: Path, audio: np.ndarray) -> None:
    """Write 16 kHz mono float audio as FLAC via PyAV."""
    pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16)
    with av.open(str(path), "w", format="flac") as out:
        stream = out.add_stream("flac", rate=SAMPLE_RATE, layout="mono")
        for i in range(0, pcm.size, 4096):
            frame = av.AudioFrame.from_ndarray(pcm[i : i + 4096].reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = SAMPLE_RATE
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def main() -> int:
    """Render the example and print where its pauses are."""
    out = Path(__file__).resolve().parent.parent / "voice_coach" / "data" / "example_answer.flac"
    rendered = render_script(SCRIPT)
    write_flac(out, rendered.audio)
    print(f"{out}: {rendered.duration:.1f} s, voice {rendered.voice}, pauses {rendered.pauses}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
