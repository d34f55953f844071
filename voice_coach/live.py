"""Transcribe while the candidate is still speaking, so the report follows the answer at once.

The shape follows whisper_streaming's online processor: :meth:`LiveTranscriber.insert_audio_chunk`
appends audio, :meth:`~LiveTranscriber.process_iter` recognises whatever is ready, and
:meth:`~LiveTranscriber.finish` recognises the rest and returns the transcript. The difference
is *where* audio is cut: only in silences the recorder's VAD has already closed, so no word
is split between two recogniser calls and nothing is ever recognised twice.

Why chunks of ``min_chunk_s`` and a flush after ``flush_silence_s``: Whisper pads every call
to 30 s, so many tiny chunks cost more than a few larger ones; but once the speaker falls
silent the pending audio should go at once, because the end-of-answer decision takes
``silence_stop_s`` (4 s) more. By the time the answer is declared over, the last chunk has
usually been recognised already, and only signals and rendering remain.

With ``background=True`` a worker thread runs ``process_iter`` while the recorder keeps
feeding audio; the final :class:`~voice_coach.transcript.Transcript` takes its
``speech_regions`` from the recorder, the same VAD ``analyze`` uses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from voice_coach.asr import FasterWhisperTranscriber, Transcriber
from voice_coach.audio.vad import SAMPLE_RATE
from voice_coach.coverage import fill_uncovered
from voice_coach.recovery import RecoveryOptions, merge_words, recover_filled_pauses
from voice_coach.transcript import Segment, SpeechRegion, Transcript, Word
from voice_coach.two_pass import transcribe_passes


@dataclass(frozen=True)
class LiveOptions:
    """When pending audio goes to the recogniser.

    Attributes:
        min_chunk_s: cut after a closed speech region once this much audio is pending.
            Bigger chunks mean fewer padded 30 s Whisper calls and more context per call.
            Smaller ones leave less to recognise when the answer ends: the last chunk must
            be recognised within the ``silence_stop_s`` wait.
        flush_silence_s: cut anyway once the speaker has been silent this long; the
            answer may be over, and the end decision itself takes several more seconds.
        cut_into_silence_s: how far past a region's end to cut; the VAD has seen at least
            0.3 s of silence there, so this is safely inside it.
        warm_language: the worker also loads spaCy before the first chunk. Loading it takes
            1-3 s; otherwise that load would fall into the report's latency at the end of
            the answer (measured: 2.6 s of a 3.7 s latency on a loaded 2-core machine).
        hallucination_margin_s: a segment that starts within this much of the end of the
            chunk's speech, or later, is dropped: on a chunk that ends in silence Whisper
            tends to add "Thank you." there (seen with tiny.en on TTS and real voices).
    """

    min_chunk_s: float = 8.0
    flush_silence_s: float = 0.8
    cut_into_silence_s: float = 0.15
    hallucination_margin_s: float = 0.1
    warm_language: bool = True


PEEK_PRIORITY_S = 5.0
"""How long a chunk waits for a live-nudge peek to finish (:meth:`voice_coach.live_peek.Peeker.wait_idle`)."""


class LiveTranscriber:
    """Incremental recognition of one answer, cut at VAD silences (whisper_streaming shape)."""

    def __init__(self, transcriber_factory: Callable[[], Transcriber], options: LiveOptions | None = None,
                 background: bool = True, recovery: RecoveryOptions | None = None,
                 on_words: Callable[[tuple[Word, ...]], object] | None = None, tap: Any = None) -> None:
        self.options = options or LiveOptions()
        # Told the words so far after every recognised chunk (live nudges, voice_coach.nudges).
        self._on_words = on_words
        # Also given the audio and the closed regions (voice_coach.live_peek.Peeker: fast rough
        # words per region for live nudges, which cannot wait for a whole chunk).
        self._tap = tap
        # Filled pauses Whisper dropped are looked for per chunk, as analyze does per window.
        self.recovery = recovery or RecoveryOptions()
        # A factory, so the model loads in the worker while the candidate speaks.
        self._factory = transcriber_factory
        self._lock = threading.Condition()
        self._audio: list[np.ndarray] = []
        self._samples = 0  # samples inserted
        self._cut = 0  # samples up to which chunks have been queued
        self._ready: list[tuple[int, int]] = []  # [start, end) sample ranges to recognise
        self._regions: list[SpeechRegion] = []
        self._segments: list[Segment] = []
        self._words: list[Word] = []
        self._recovered: list[Word] = []
        self._closed = False
        self._error: BaseException | None = None
        self.chunks_done = 0
        self._worker: threading.Thread | None = None
        if background:
            from voice_coach.background import start

            # Tracked, so the process never exits while it is inside the recogniser.
            self._worker = start(self._run, "live-asr")

    # feeding ---------------------------------------------------------------
    def insert_audio_chunk(self, audio: np.ndarray) -> None:
        """Append answer audio (16 kHz mono float32), in order."""
        if audio.size == 0:
            return
        if self._tap is not None:
            self._tap.audio(audio)
        with self._lock:
            self._audio.append(audio.astype(np.float32, copy=False))
            self._samples += audio.size

    def speech_closed(self, region: SpeechRegion) -> None:
        """The recorder's VAD closed ``region`` (answer time): a chance to cut."""
        if self._tap is not None:
            self._tap.region(region)
        with self._lock:
            self._regions.append(region)
            pending = region.end - self._cut / SAMPLE_RATE
            if pending >= self.options.min_chunk_s:
                self._cut_at(region.end + self.options.cut_into_silence_s)

    def tick(self, speaking: bool) -> None:
        """Called often while recording: flush pending speech once the speaker has paused."""
        with self._lock:
            if speaking or not self._regions:
                return
            last = self._regions[-1].end
            now = self._samples / SAMPLE_RATE
            if last * SAMPLE_RATE > self._cut and now - last >= self.options.flush_silence_s:
                self._cut_at(last + self.options.cut_into_silence_s)

    def _cut_at(self, t: float) -> None:
        """Queue audio up to answer time ``t`` (clamped to what has arrived); lock held."""
        end = min(self._samples, round(t * SAMPLE_RATE))
        if end > self._cut:
            self._ready.append((self._cut, end))
            self._cut = end
            self._lock.notify_all()

    # recognising -------------------------------------------------------------
    def _slice(self, start: int, end: int) -> np.ndarray:
        """Samples ``[start, end)``; audio before the earliest pending cut is released."""
        with self._lock:
            joined = np.concatenate(self._audio) if len(self._audio) > 1 else (
                self._audio[0] if self._audio else np.zeros(0, np.float32))
            base = self._samples - joined.size
            piece = joined[start - base : end - base].copy()
            keep_from = min([s for s, _ in self._ready] + [self._cut]) - base
            self._audio = [joined[keep_from:]] if joined.size > keep_from else []
        return piece

    def _has_speech(self, start: int, end: int) -> bool:
        s, e = start / SAMPLE_RATE, end / SAMPLE_RATE
        return any(r.start < e and r.end > s for r in self._regions)

    def process_iter(self) -> list[Segment]:
        """Recognise every chunk that is ready; returns the new segments (blocking)."""
        out: list[Segment] = []
        while True:
            with self._lock:
                if not self._ready:
                    return out
                start, end = self._ready[0]
                speech = self._has_speech(start, end)
            piece = self._slice(start, end)
            with self._lock:
                self._ready.pop(0)
            if speech and self._tap is not None:
                self._tap.wait_idle(PEEK_PRIORITY_S)
            if speech:
                segs, words, found = self._recognise(piece, start, end)
                with self._lock:
                    self._segments.extend(segs)
                    self._words.extend(words)
                    self._recovered.extend(found)
                    so_far = tuple(merge_words(self._words, self._recovered))
                out.extend(segs)
                if self._on_words is not None:
                    self._tell(so_far)
            self.chunks_done += 1

    def _tell(self, words: tuple[Word, ...]) -> None:
        """Pass the words so far on; a failing listener must not cost the answer its transcript."""
        try:
            assert self._on_words is not None
            self._on_words(words)
        except Exception:  # nudges are a courtesy: the recording and the report come first
            self._on_words = None

    def _recognise(self, piece: np.ndarray, start: int, end: int) -> tuple[list[Segment], list[Word], list[Word]]:
        """Recognise one chunk: its segments, its words, and the filled pauses recovered in it.

        What Whisper invents in the silence after the speech is dropped first.
        """
        offset = start / SAMPLE_RATE
        with self._lock:
            inside = [r for r in self._regions if r.start < end / SAMPLE_RATE and r.end > offset]
        speech_end = max((r.end for r in inside), default=end / SAMPLE_RATE)
        transcriber = self._factory()

        def decode(plain: bool) -> list[Segment]:
            if isinstance(transcriber, FasterWhisperTranscriber):
                prompt = None if plain else transcriber.options.initial_prompt
                segs = transcribe_until(transcriber, piece, offset, speech_end, prompt)
            else:
                segs = transcriber.transcribe(piece, offset=offset)
            return [s for s in segs if _heard(s, inside, self.options.hallucination_margin_s)]

        # As in analyze (voice_coach.two_pass), so practice and analyze of an answer agree.
        segs, heard = transcribe_passes(transcriber, piece, offset, inside, decode,
                                        lambda s: _heard(s, inside, self.options.hallucination_margin_s))
        heard, redone = fill_uncovered(transcriber, piece, offset, inside, heard)
        # Chunks are cut in silences the VAD closed, so every region in it is final.
        words, found = recover_filled_pauses(transcriber, piece, offset, inside, heard, self.recovery)
        return segs + redone, words, found

    def _run(self) -> None:
        """Worker: recognise chunks as they become ready until closed and drained."""
        try:
            self._warm()
            while True:
                with self._lock:
                    while not self._ready and not self._closed:
                        self._lock.wait(0.5)
                    if not self._ready and self._closed:
                        return
                self.process_iter()
        except BaseException as err:  # surfaced by finish(), in the caller's thread
            self._error = err

    def _warm(self) -> None:
        """Have the speech and language models ready before the first chunk.

        Usually :func:`voice_coach.background.warm_up` started both loads long before; this
        waits for them (or loads them, the first caller does).
        """
        from voice_coach.background import model_of

        model_of(self._factory())
        if self.options.warm_language:
            from voice_coach.language import get_nlp

            get_nlp()

    @property
    def pending(self) -> bool:
        """Whether a chunk is queued for recognition (the worker is busy or about to be)."""
        with self._lock:
            return bool(self._ready)

    def close(self) -> None:
        """Give up on this answer (Ctrl-C, a crash): drop what is queued and let the worker end.

        The chunk being recognised, if any, is finished first; nothing new starts.
        """
        with self._lock:
            self._ready.clear()
            self._closed = True
            self._lock.notify_all()

    # finishing ----------------------------------------------------------------
    def finish(self, speech_regions: Sequence[SpeechRegion], duration: float, model: str | None = None) -> Transcript:
        """Recognise the tail and return the whole answer's transcript.

        ``speech_regions`` and ``duration`` come from the recorder (after it trimmed the
        end-of-answer silence); audio past ``duration`` is ignored.
        """
        with self._lock:
            self._regions = list(speech_regions)
            self._cut_at(duration)
            self._closed = True
            self._lock.notify_all()
        if self._worker is not None:
            self._worker.join()
        if self._error is not None:
            raise self._error
        self.process_iter()
        segments = sorted(self._segments, key=lambda s: (s.start or 0.0))
        segments = [s for s in segments if (s.start or 0.0) < duration + 0.5]
        # Chunks finish in order (one worker), so the words are already in time order.
        words = tuple(w for w in merge_words(self._words, self._recovered) if (w.start or 0.0) < duration + 0.5)
        name = model or getattr(self._factory(), "name", "unknown")
        return Transcript(
            words=words,
            segments=tuple(segments),
            duration=round(duration, 3),
            speech_regions=tuple(speech_regions),
            source="audio",
            language="en",
            meta={"model": name, "live_chunks": self.chunks_done},
        )


def _heard(segment: Segment, regions: Sequence[SpeechRegion], margin: float) -> bool:
    """Whether ``segment`` lies (mostly) in speech the VAD heard, not in a trailing silence."""
    if segment.start is None or not regions:
        return True
    last_end = max(r.end for r in regions)
    return segment.start < last_end - margin


def transcribe_until(transcriber: FasterWhisperTranscriber, audio: np.ndarray, offset: float,
                     speech_end: float, prompt: str | None) -> list[Segment]:
    """Like :meth:`FasterWhisperTranscriber.transcribe`, but stop once the speech is covered.

    faster-whisper decodes lazily, window by window. After the last word of a chunk it seeks
    there and decodes the remaining silence, which costs several temperature-fallback passes
    and yields hallucinations; not asking for that window saves seconds per chunk on a CPU.
    ``prompt`` primes the decoder (``None``: a plain pass).
    """
    if audio.size < 1600:
        return []
    opts = transcriber.options
    segments, _info = transcriber.model.transcribe(
        audio, language=opts.language, beam_size=opts.beam_size, initial_prompt=prompt,
        word_timestamps=True, condition_on_previous_text=opts.condition_on_previous_text,
        temperature=opts.temperature, **opts.extra,
    )
    out: list[Segment] = []
    for seg in segments:
        words = tuple(
            Word(w.word.strip(), round(w.start + offset, 3), round(max(w.end, w.start) + offset, 3),
                 round(float(w.probability), 4))
            for w in (seg.words or []) if w.word.strip()
        )
        out.append(Segment(seg.text.strip(), round(seg.start + offset, 3), round(seg.end + offset, 3), words))
        if seg.end + offset >= speech_end - 0.3:
            break
    return out
