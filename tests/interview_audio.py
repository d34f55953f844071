"""A two-voice mock interview rendered with the repo's own voices, with exact ground truth.

The interviewer speaks with espeak-ng, the candidate with Piper (when installed; espeak-ng at
another pitch otherwise), each sentence placed at a known time. There is small talk first, a
backchannel ("Mm-hmm.") from the interviewer inside an answer, three questions (two from the
bank, one not) and a closing remark that asks nothing. :func:`write_stereo` puts each voice
on its own channel, as a call recorder does, with the other side leaking in at -20 dB;
:func:`mix` is the mono version.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from voice_coach.audio.synth import available_voice, speak

SAMPLE_RATE = 16_000
INTERVIEWER, CANDIDATE = "I", "C"

# (speaker, text, silence before it in seconds). A line of the candidate's with "|" is
# spoken as separate sentences with the given pause (the interviewer's backchannel goes there).
SCRIPT: tuple[tuple[str, str, float], ...] = (
    (INTERVIEWER, "Hi, thanks for joining today. How are you doing?", 0.5),
    (CANDIDATE, "I'm good, thanks for having me.", 0.7),
    (INTERVIEWER, "Great. Let's start. What is overfitting, how do you detect it, and what are three "
                  "ways to reduce it?", 0.8),
    (CANDIDATE, "So let me first define it, then cover detection, then the fixes. Overfitting is when "
                "a model learns noise in the training data and does worse on new data.", 1.6),
    (INTERVIEWER, "Mm-hmm.", 0.6),
    (CANDIDATE, "I would detect it by comparing training and validation loss. To reduce it, I would "
                "use more data, regularization, or early stopping. The tradeoff is that stronger "
                "regularization can underfit.", 0.6),
    (INTERVIEWER, "Thanks. Next question. How would you forecast how many delivery drivers a city "
                  "needs next week?", 1.0),
    (CANDIDATE, "Before I start, is this for one city or for every city we serve?", 1.2),
    (INTERVIEWER, "Assume one large city.", 0.7),
    (CANDIDATE, "Okay. I would start with a seasonal baseline from last year's orders, then a "
                "gradient boosted model with weather and holidays. I would test it on a held out "
                "month first and then compare it with the planners' numbers.", 0.8),
    (INTERVIEWER, "Okay. Describe a time you disagreed with a teammate about a technical approach. "
                  "How was it resolved?", 1.0),
    (CANDIDATE, "Last year a teammate wanted to ship a deep model, and I thought a simpler baseline "
                "was enough. We agreed to compare both on the same validation set. The baseline "
                "was almost as good and much cheaper, so we shipped it first.", 1.5),
    (INTERVIEWER, "That's all from me. Thank you for your time.", 1.0),
)


# What each of the three questions asks, without the interviewer's lead-in ("Thanks. Next question.").
ASKED = (
    "What is overfitting, how do you detect it, and what are three ways to reduce it?",
    "How would you forecast how many delivery drivers a city needs next week?",
    "Describe a time you disagreed with a teammate about a technical approach. How was it resolved?",
)


@dataclass(frozen=True)
class Line:
    """One rendered line: who, what, and where it sits."""

    speaker: str
    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Truth:
    """A question and its answer as rendered."""

    question: str  # what it asks (:data:`ASKED`)
    question_start: float
    question_end: float
    start: float
    end: float
    words: int


@dataclass(frozen=True)
class MockInterview:
    """The two voices on their own tracks, and what was said when."""

    interviewer: np.ndarray
    candidate: np.ndarray
    lines: tuple[Line, ...]
    truth: tuple[Truth, ...]

    @property
    def duration(self) -> float:
        return self.interviewer.size / SAMPLE_RATE


def _voices() -> tuple[str, str]:
    return "espeak", ("piper" if available_voice() == "piper" else "espeak")


@cache
def render() -> MockInterview:
    """Render :data:`SCRIPT` (about 75 s) once per test session."""
    iv, cv = _voices()
    tracks = {INTERVIEWER: [np.zeros(0, np.float32)], CANDIDATE: [np.zeros(0, np.float32)]}
    t = 0.0
    lines = []
    for speaker, text, gap in SCRIPT:
        t += gap
        # steady: the same rendering every run, so the mix decodes the same every run
        audio = speak(text, iv if speaker == INTERVIEWER else cv, steady=True)
        lines.append(Line(speaker, text, round(t, 3), round(t + audio.size / SAMPLE_RATE, 3)))
        for spk, parts in tracks.items():
            have = sum(p.size for p in parts)
            parts.append(np.zeros(int(t * SAMPLE_RATE) - have, np.float32))
            if spk == speaker:
                parts.append(audio)
        t += audio.size / SAMPLE_RATE
    end = int((t + 1.0) * SAMPLE_RATE)
    out = {}
    for spk, parts in tracks.items():
        a = np.concatenate(parts)
        out[spk] = np.concatenate([a, np.zeros(end - a.size, np.float32)])
    return MockInterview(out[INTERVIEWER], out[CANDIDATE], tuple(lines), tuple(_truth(lines)))


def _truth(lines: list[Line]) -> list[Truth]:
    """Questions are lines 2, 6 and 10; each answer is the candidate's lines until the next."""
    starts = [2, 6, 10]
    out = []
    for n, qi in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(lines)
        cand = [ln for ln in lines[qi + 1 : stop] if ln.speaker == CANDIDATE]
        q = lines[qi]
        assert q.text.endswith(ASKED[n])
        out.append(Truth(ASKED[n], q.start, q.end, cand[0].start, cand[-1].end,
                         sum(len(ln.text.split()) for ln in cand)))
    return out


def _write(path: Path, channels: list[np.ndarray]) -> Path:
    pcm = np.stack([(np.clip(c, -1, 1) * 32767).astype("<i2") for c in channels], axis=1)
    with wave.open(str(path), "wb") as wf:
        wf.setnchannels(len(channels))
        wf.setsampwidth(2)
        wf.setframerate(SAMPLE_RATE)
        wf.writeframes(pcm.tobytes())
    return path


LEAK_DB = -20.0
"""How loud each side leaks into the other channel, as on a real call recording (echo)."""


def write_stereo(path: Path, candidate_left: bool = False, leak_db: float = LEAK_DB) -> Path:
    """A call recording: interviewer on the left, candidate on the right (or swapped), each
    side with the other leaking in at ``leak_db``."""
    mi = render()
    leak = 10 ** (leak_db / 20)
    pair = [mi.interviewer + leak * mi.candidate, mi.candidate + leak * mi.interviewer]
    return _write(path, pair[::-1] if candidate_left else pair)


def mix(path: Path) -> Path:
    """The same interview as one mono track."""
    mi = render()
    return _write(path, [0.5 * (mi.interviewer + mi.candidate)])
