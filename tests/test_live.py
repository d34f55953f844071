"""Live transcription: chunks cut only in VAD silences, recognised while the answer goes on."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from tests.conftest import FakeTranscriber
from tests.practice_audio import answer, with_silence
from voice_coach.answer import RecordedAnswer, record_answer
from voice_coach.audio.record import FileSource
from voice_coach.live import LiveOptions, LiveTranscriber
from voice_coach.service import report_for_transcript
from voice_coach.transcript import Segment, SpeechRegion, Word

SR = 16_000


def _script_words(regions: list[SpeechRegion]) -> list[tuple[str, float, float]]:
    """One fake word every 0.4 s inside each speech region (absolute answer times)."""
    words = []
    for i, r in enumerate(regions):
        t = r.start + 0.05
        while t + 0.3 < r.end:
            words.append((f"w{i}", round(t, 2), round(t + 0.3, 2)))
            t += 0.4
    return words


def _record(live: LiveTranscriber, audio: np.ndarray, pump: bool) -> RecordedAnswer:
    """Replay ``audio`` through the practice recording path into ``live``; with ``pump``, the
    test's own thread recognises ready chunks between blocks (no worker thread)."""
    return record_answer(FileSource(audio), live, on_tick=(lambda r: live.process_iter()) if pump else None)


def test_chunks_are_cut_in_silence_and_recognised_before_the_end() -> None:
    audio = with_silence(answer().audio, 1.0, 6.0)
    # First pass: where does the VAD put speech on the answer timeline?
    probe = _record(LiveTranscriber(lambda: FakeTranscriber(), background=False), audio, pump=False).recording
    fake = FakeTranscriber(_script_words(list(probe.speech_regions)))
    live = LiveTranscriber(lambda: fake, LiveOptions(min_chunk_s=3.0), background=False)
    answered = _record(live, audio, pump=True)
    recording = answered.recording

    # Several chunks were recognised while "speaking", before the end-of-answer decision.
    assert answered.chunks_at_end >= 2
    transcript = answered.transcribe()
    regions = transcript.speech_regions
    assert regions == recording.speech_regions
    # Every cut lies in a silence: no recogniser call starts or ends inside a speech region.
    for size, offset in fake.calls:
        for edge in (offset, offset + size / SR):
            assert not any(r.start + 0.02 < edge < r.end - 0.02 for r in regions), (edge, regions)
    # Chunks tile the answer without overlap, so no word is recognised twice.
    spans = sorted((off, off + n / SR) for n, off in fake.calls)
    assert all(a[1] <= b[0] + 1e-6 for a, b in itertools.pairwise(spans))
    assert [w.text for w in transcript.words] == [w[0] for w in fake.words]
    assert transcript.duration == recording.duration
    report = report_for_transcript(transcript)
    assert report["transcript"]["speech_regions"] == [{"start": r.start, "end": r.end} for r in regions]


def test_background_worker_gives_the_same_transcript() -> None:
    audio = with_silence(answer().audio, 1.0, 6.0)
    probe = _record(LiveTranscriber(lambda: FakeTranscriber(), background=False), audio, pump=False).recording
    fake = FakeTranscriber(_script_words(list(probe.speech_regions)))
    transcript = _record(LiveTranscriber(lambda: fake), audio, pump=False).transcribe()
    assert [w.text for w in transcript.words] == [w[0] for w in fake.words]
    assert transcript.meta["live_chunks"] >= 1


class _Hallucinating:
    """Recognises the chunk, then invents "Thank you." in the trailing silence."""

    name = "hallucinating"

    def transcribe(self, audio: np.ndarray, *, offset: float = 0.0) -> list[Segment]:
        end = offset + audio.size / SR
        real = Segment("hello there", offset + 0.1, offset + 0.9,
                       (Word("hello", offset + 0.1, offset + 0.5), Word("there", offset + 0.5, offset + 0.9)))
        fake = Segment("Thank you.", end - 0.4, end,
                       (Word("Thank", end - 0.4, end - 0.2), Word("you.", end - 0.2, end)))
        return [real, fake]


def test_text_invented_in_trailing_silence_is_dropped() -> None:
    live = LiveTranscriber(lambda: _Hallucinating(), background=False)
    speech = np.zeros(3 * SR, np.float32)
    live.insert_audio_chunk(speech)
    transcript = live.finish([SpeechRegion(0.05, 1.0)], 3.0)
    assert [w.text for w in transcript.words] == ["hello", "there"]


class _Broken:
    name = "broken"

    def transcribe(self, audio: np.ndarray, *, offset: float = 0.0) -> list[Segment]:
        raise RuntimeError("model exploded")


def test_worker_errors_surface_in_finish() -> None:
    live = LiveTranscriber(lambda: _Broken())
    live.insert_audio_chunk(np.zeros(2 * SR, np.float32))
    live.speech_closed(SpeechRegion(0.1, 1.0))
    with pytest.raises(RuntimeError, match="exploded"):
        live.finish([SpeechRegion(0.1, 1.0)], 2.0)


def test_silence_only_is_never_sent_to_the_recogniser() -> None:
    fake = FakeTranscriber()
    live = LiveTranscriber(lambda: fake, background=False)
    live.insert_audio_chunk(np.zeros(5 * SR, np.float32))
    transcript = live.finish([], 5.0)
    assert fake.calls == [] and transcript.words == ()


def test_an_interrupted_recording_closes_the_live_recogniser() -> None:
    """Ctrl-C mid-answer: the worker thread ends instead of waiting for audio forever."""

    class Interrupting(FileSource):
        def read(self, timeout: float) -> np.ndarray | None:
            if self._pos > 3 * SR:
                raise KeyboardInterrupt
            return super().read(timeout)

    live = LiveTranscriber(lambda: FakeTranscriber())
    with pytest.raises(KeyboardInterrupt):
        record_answer(Interrupting(with_silence(answer().audio, 1.0, 1.0)), live)
    assert live._worker is not None
    live._worker.join(5)
    assert not live._worker.is_alive()


def test_nobody_speaking_gives_no_transcript_and_ends_the_worker() -> None:
    from voice_coach.audio.record import RecorderOptions

    live = LiveTranscriber(lambda: FakeTranscriber())
    answered = record_answer(FileSource(np.zeros(3 * SR, np.float32)), live,
                             RecorderOptions(no_speech_timeout_s=2.0))
    assert not answered.has_speech and answered.recording.reason == "no_speech"
    assert live._worker is not None
    live._worker.join(5)
    assert not live._worker.is_alive()
