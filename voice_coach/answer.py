"""Recording one spoken answer while it is transcribed: the one path, with no screen and no store.

``practice`` (around it: the question read aloud, the screen, the store), the latency
benchmark (``scripts/bench.py``) and the tests all record through :func:`record_answer`:
frames from a source go through the endpointing :class:`~voice_coach.audio.record.Recorder`
(optionally to a WAV file as they come), and the recorder's audio and closed speech regions
feed a :class:`~voice_coach.live.LiveTranscriber`, so most of the answer is recognised
before it ends. :meth:`RecordedAnswer.transcribe` then recognises the rest.

Whatever ends the recording (Ctrl-C, a crash), the live recogniser is closed, so its
thread never outlives the answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from voice_coach.audio.record import (
    Ended,
    Event,
    FrameSource,
    Recorder,
    RecorderOptions,
    Recording,
    RegionClosed,
    Started,
    WavWriter,
    capture,
)
from voice_coach.live import LiveTranscriber
from voice_coach.transcript import Transcript


@dataclass
class RecordedAnswer:
    """One recorded answer, its live recognition still finishing.

    Attributes:
        recording: the recording (``path`` is ``None`` without a file, or when nobody spoke).
        live: the live recogniser fed while recording.
        ended_at: ``time.perf_counter()`` when the answer was decided over.
        chunks_at_end: chunks already recognised at that moment.
        error: the device error that ended the recording early, if any.
        recognised_at: ``time.perf_counter()`` when :meth:`transcribe` had the transcript.
    """

    recording: Recording
    live: LiveTranscriber
    ended_at: float
    chunks_at_end: int
    error: str | None
    recognised_at: float | None = None

    @property
    def has_speech(self) -> bool:
        """Whether anybody spoke."""
        return self.recording.has_speech

    def transcribe(self) -> Transcript:
        """Recognise what is left and return the whole answer's transcript (blocking)."""
        transcript = self.live.finish(self.recording.speech_regions, self.recording.duration)
        self.recognised_at = time.perf_counter()
        return transcript


def record_answer(
    source: FrameSource,
    live: LiveTranscriber,
    options: RecorderOptions | None = None,
    *,
    audio_path: Path | None = None,
    on_start: Callable[[], None] | None = None,
    on_tick: Callable[[Recorder], object] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> RecordedAnswer:
    """Record one answer from ``source`` into ``live`` (and ``audio_path``, if given).

    ``on_start`` runs when the answer begins (before any audio reaches the file), ``on_tick``
    after every block or poll (a screen), ``should_stop`` ends the answer as "enter". When
    nobody spoke, the live recogniser is closed and :meth:`RecordedAnswer.transcribe` must not
    be called. Ctrl-C or a crash closes the recording and the recogniser, then re-raises.
    """
    recorder = Recorder(options, WavWriter(audio_path) if audio_path is not None else None,
                        on_audio=live.insert_audio_chunk)
    ended: list[tuple[float, int]] = []

    def on_event(ev: Event) -> None:
        if isinstance(ev, Started):
            if on_start is not None:
                on_start()
        elif isinstance(ev, RegionClosed):
            live.speech_closed(ev.region)
        elif isinstance(ev, Ended):
            ended.append((time.perf_counter(), live.chunks_done))

    def tick(rec: Recorder) -> None:
        live.tick(rec.speaking)
        if on_tick is not None:
            on_tick(rec)

    try:
        recording = capture(source, recorder, on_event=on_event, on_tick=tick, should_stop=should_stop)
    except BaseException:
        live.close()
        raise
    if not ended:
        ended.append((time.perf_counter(), live.chunks_done))
    if not recording.has_speech:
        live.close()
    return RecordedAnswer(recording, live, ended[0][0], ended[0][1], recorder.error)

