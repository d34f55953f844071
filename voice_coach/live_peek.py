"""A quick rough look at each closed speech region, for live nudges that cannot wait.

The live transcriber (:mod:`voice_coach.live`) recognises in chunks of about 8 s with two
passes and filler recovery: accurate, but its words come seconds after they were said. A
nudge for a burst of fillers must come within about a second of the last one, so the
:class:`Peeker` decodes each speech region the recorder's VAD closes at once, with one
greedy pass and no word timestamps, on its own recogniser: a CTranslate2 model with one
worker serves one call at a time, so sharing the live transcriber's would queue the peek
behind a chunk. Measured on the shared 2-core development machine (load average 7-10):
a 2.5 s region took 1.7-2.3 s to peek while live chunks waited for it, and 3.5-4 s while
they shared the CPU; Whisper's encoder alone (one 30 s window) took 1.65 s at that load.
Its words are spread evenly over the region, which is close enough to place a burst; the
report's words still come from the live transcriber.

One peeker serves a whole practice session (its model loads once, in its thread); each
answer calls :meth:`Peeker.begin` and :meth:`Peeker.end`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from voice_coach.audio.vad import SAMPLE_RATE
from voice_coach.transcript import SpeechRegion, Word

KEEP_S = 30.0
"""Audio kept for peeking; a region longer than this is peeked at its last 30 s."""

LOOP_WORDS_PER_S = 6.0
"""More words than this per second of speech is the decoder looping, not a person talking."""

PAD_S = 0.1
"""Audio around a region, so a word at its edge is whole."""


class Peeker:
    """Decodes closed speech regions one by one, in a thread of its own, and hands on the words."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._lock = threading.Condition()
        self._audio: list[np.ndarray] = []
        self._samples = 0
        self._queue: list[SpeechRegion] = []
        self._closed_at = 0.0  # perf_counter() when the newest queued region closed
        self._on_words: Callable[[list[Word], float], object] | None = None
        self._answer = 0  # which answer the queued regions belong to
        self._closed = False
        self.failed = False  # the recogniser failed: nothing more is peeked
        self._idle = threading.Event()  # set while nothing is queued or being decoded
        self._idle.set()
        from voice_coach.background import start

        self._thread = start(self._run, "live-peek")

    # the answer --------------------------------------------------------------
    def begin(self, on_words: Callable[[list[Word], float], object]) -> None:
        """A new answer starts: its regions' words go to ``on_words``, with the seconds the
        recogniser needed for them since the newest of their regions closed (waiting behind an
        earlier peek included)."""
        with self._lock:
            self._answer += 1
            self._audio, self._samples, self._queue = [], 0, []
            self._on_words = on_words

    def end(self) -> None:
        """The answer is over: nothing more is peeked for it."""
        with self._lock:
            self._answer += 1
            self._audio, self._queue, self._on_words = [], [], None
            self._idle.set()

    def close(self) -> None:
        """End the thread (the session is over)."""
        with self._lock:
            self._closed = True
            self._idle.set()
            self._lock.notify_all()

    # fed by the live transcriber's tap ------------------------------------------------
    def audio(self, chunk: np.ndarray) -> None:
        """Answer audio, in order (16 kHz mono float32)."""
        with self._lock:
            self._audio.append(chunk)
            self._samples += chunk.size
            kept = sum(a.size for a in self._audio)
            while len(self._audio) > 1 and kept - self._audio[0].size >= KEEP_S * SAMPLE_RATE:
                kept -= self._audio.pop(0).size

    def region(self, region: SpeechRegion) -> None:
        """The VAD closed ``region`` (answer time): peek at it."""
        with self._lock:
            self._queue.append(region)
            self._closed_at = time.perf_counter()
            self._idle.clear()
            self._lock.notify_all()

    def wait_idle(self, timeout: float) -> None:
        """Block until no peek is queued or running (at most ``timeout`` s).

        The live transcriber calls this before each chunk: on 2 busy cores a peek that shares
        the CPU with a chunk's passes took 3.5-4 s instead of about 1 s, too late for a nudge;
        the chunk can wait a second, the report comes after the answer anyway.
        """
        self._idle.wait(timeout)

    # the thread -----------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._loop()
        except Exception:  # never a traceback on the candidate's screen: the nudges fall back
            self.failed = True  # to the live transcriber's words (voice_coach.nudges)
            self._idle.set()

    def _loop(self) -> None:
        from voice_coach.background import model_of

        model_of(self._factory())  # load now, not at the first region
        while True:
            with self._lock:
                while not self._queue and not self._closed:
                    self._lock.wait(0.5)
                if self._closed:
                    return
                # Behind (the model was still loading, or the CPU is busy): one decode for every
                # waiting region. Whisper encodes a 30 s window whatever the audio's length, so
                # the backlog costs one pass instead of one per region.
                region = SpeechRegion(self._queue[0].start, self._queue[-1].end)
                self._queue.clear()
                closed_at = self._closed_at
                answer, on_words = self._answer, self._on_words
                piece, offset = self._slice(region)
            words = self._decode(piece, offset, region) if piece.size else []
            took = time.perf_counter() - closed_at
            with self._lock:
                current = answer == self._answer
            with self._lock:
                if not self._queue:
                    self._idle.set()
            if current and on_words is not None and words:
                try:
                    on_words(words, took)
                except Exception:  # nudges are a courtesy: a failing listener is dropped, the answer goes on
                    with self._lock:
                        self._on_words = None

    def _slice(self, region: SpeechRegion) -> tuple[np.ndarray, float]:
        """The region's audio (padded) and its start time; lock held."""
        joined = np.concatenate(self._audio) if self._audio else np.zeros(0, np.float32)
        base = self._samples - joined.size
        a = max(base, round((region.start - PAD_S) * SAMPLE_RATE))
        b = min(self._samples, round((region.end + PAD_S) * SAMPLE_RATE))
        return joined[a - base:b - base].copy() if b > a else np.zeros(0, np.float32), a / SAMPLE_RATE

    def _decode(self, piece: np.ndarray, offset: float, region: SpeechRegion) -> list[Word]:
        """The region's words: timed by the recogniser if it gives times cheaply, else spread evenly."""
        from voice_coach.asr import FasterWhisperTranscriber

        transcriber = self._factory()
        if not isinstance(transcriber, FasterWhisperTranscriber):
            return [w for seg in transcriber.transcribe(piece, offset=offset) for w in seg.words]
        opts = transcriber.options
        segments, _info = transcriber.model.transcribe(
            piece, language=opts.language, beam_size=1, initial_prompt=opts.initial_prompt,
            without_timestamps=True, condition_on_previous_text=False, temperature=0.0)
        texts = " ".join(seg.text for seg in segments).split()
        if not texts or len(texts) > LOOP_WORDS_PER_S * (region.end - region.start) + 2:
            return []  # nothing, or the primed decoder looping on one sound ("uh uh uh ..."): no evidence
        step = (region.end - region.start) / len(texts)
        return [Word(t, round(region.start + i * step, 3), round(region.start + (i + 1) * step, 3))
                for i, t in enumerate(texts)]
