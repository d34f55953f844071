"""From a recorded interview on disk to the interview object.

Who spoke when comes from the recording itself:

* **stereo with one voice per channel** (what call recorders write): each channel is
  transcribed on its own, with the other side's leak silenced (:mod:`voice_coach.audio.channels`),
  so the candidate's words are only ever the candidate's, and each channel's VAD regions
  are that speaker's turns;
* **mono** (or stereo whose two channels carry the same mix): the recording is transcribed
  once and a :class:`~voice_coach.turns.Diarizer` says who spoke when.

Audio streams through the same bounded-memory pipeline as ``analyze``; only the mono path
keeps the 16 kHz samples (115 MB for 30 minutes) for the diarizer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np

from voice_coach.asr import Transcriber
from voice_coach.audio.channels import channels_differ, side
from voice_coach.audio.decode import SAMPLE_RATE, check_readable, iter_pcm, probe
from voice_coach.errors import InputError, ModelError, UsageError
from voice_coach.interview.build import build_interview
from voice_coach.interview.conversation import Conversation, from_channels, from_mix
from voice_coach.interview.split import Answer, SplitOptions, split
from voice_coach.pipeline import ProgressFn, input_kind, transcribe_blocks
from voice_coach.question import Question
from voice_coach.service import Settings
from voice_coach.turns import Diarizer

CHANNELS = ("left", "right")


@dataclass(frozen=True)
class Interview:
    """An analysed interview: the conversation, who the candidate is, the answers, the object."""

    conversation: Conversation
    candidate: str
    answers: list[Answer]
    data: dict[str, Any]


def default_diarizer() -> Diarizer:
    """The shipped offline diarizer for mono recordings: ``voice_coach.diarize.load_diarizer()``.

    Looked up by name, so the interview splitter does not depend on which model it wraps.
    """
    import importlib

    try:
        diarize = importlib.import_module("voice_coach.diarize")
    except ModuleNotFoundError as err:
        if err.name != "voice_coach.diarize":  # installed, but something it needs is not
            raise ModelError(f"the speaker-diarization model cannot be loaded: module {err.name} "
                             "is missing") from None
        raise ModelError("this is a mono recording, and telling speakers apart needs the "
                         "speaker-diarization model, which is not installed; a stereo recording "
                         "with one speaker per channel needs none") from None
    return cast(Diarizer, diarize.load_diarizer())


def _progress_offset(progress: ProgressFn | None, offset: float, total: float | None) -> ProgressFn | None:
    """A progress callback for one of several passes over the file."""
    if progress is None:
        return None
    return lambda done, _t: progress(offset + done, total)


def conversation_of(path: Path, settings: Settings, diarizer: Diarizer | None = None,
                    progress: ProgressFn | None = None,
                    diarizer_factory: Callable[[], Diarizer] = default_diarizer,
                    transcriber_factory: Callable[[], Transcriber] | None = None,
                    candidate: str | None = None) -> Conversation:
    """Transcribe an interview recording and say who spoke each word.

    ``candidate`` (``--candidate``) is checked against the kind of recording before the
    slow work: ``left``/``right`` only name the sides of a stereo one.
    """
    check_readable(path)
    if input_kind(path) != "audio":
        raise InputError(f"{path}: an interview needs the recording itself (audio or video), "
                         "not a transcript: speakers are told apart by their voices")
    info = probe(path)
    stereo = (info.channels or 1) >= 2 and channels_differ(path)
    if candidate is not None and stereo != (candidate in CHANNELS):
        what = ("a stereo recording with one voice per channel: use left or right" if stereo else
                "a mono recording (or both channels carry the same mix): speakers are S0, S1 ...")
        raise UsageError(f"--candidate {candidate}: {path} is {what}")
    if not stereo:  # before the slow model load: a missing diarizer fails at once
        diarizer = diarizer or diarizer_factory()
    from voice_coach.background import warm_up

    transcriber = (transcriber_factory or settings.transcriber_factory())()
    warm_up(transcriber)
    dur = info.duration
    if stereo:
        total = 2 * dur if dur else None
        transcripts = {}
        for i, label in enumerate(CHANNELS):
            transcripts[label] = transcribe_blocks(
                side(path, i), transcriber, settings.pipeline,
                _progress_offset(progress, i * (dur or 0.0), total), total_s=total)
        conv = from_channels(transcripts)
        conv.meta["model"] = getattr(transcriber, "name", "unknown")
        return conv
    # Mono: one transcript of the mix; the samples are kept for the diarizer.
    assert diarizer is not None
    kept: list[np.ndarray] = []

    def tee() -> Iterator[np.ndarray]:
        for block in iter_pcm(path):
            kept.append(block)
            yield block

    transcript = transcribe_blocks(tee(), transcriber, settings.pipeline, progress, total_s=dur)
    turns = diarizer.diarize(_joined(kept), SAMPLE_RATE)
    conv = from_mix(transcript, turns)
    conv.meta["model"] = getattr(transcriber, "name", "unknown")
    return conv


def _joined(blocks: list[np.ndarray]) -> np.ndarray:
    """The blocks as one array, emptying the list as it goes: never two copies of the audio
    (115 MB each for 30 minutes), as ``np.concatenate`` of a kept list would make."""
    out = np.empty(sum(b.size for b in blocks), np.float32)
    at = 0
    blocks.reverse()
    while blocks:
        b = blocks.pop()
        out[at : at + b.size] = b
        at += b.size
    return out


def resolve_candidate(conv: Conversation, candidate: str | None) -> str | None:
    """``--candidate`` checked against the speakers heard (``left``/``right``, or ``S0``...)."""
    if candidate is None:
        return None
    if candidate not in conv.speakers:
        heard = ", ".join(conv.speakers) or "nobody"
        raise UsageError(f"--candidate {candidate}: no such speaker in this recording (heard: {heard})")
    return candidate


def analyze_interview(path: Path, settings: Settings | None = None, bank: Sequence[Question] = (),
                      candidate: str | None = None, diarizer: Diarizer | None = None,
                      progress: ProgressFn | None = None,
                      options: SplitOptions | None = None,
                      transcriber_factory: Callable[[], Transcriber] | None = None) -> Interview:
    """Transcribe, split and report on a whole interview."""
    settings = settings or Settings()
    conv = conversation_of(path, settings, diarizer, progress, transcriber_factory=transcriber_factory,
                           candidate=candidate)
    cand, answers = split(conv, bank, resolve_candidate(conv, candidate), options)
    data = build_interview(conv, cand, answers, settings, options, {"source": str(path)})
    return Interview(conv, cand, answers, data)
