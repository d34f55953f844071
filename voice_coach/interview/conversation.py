"""A recorded conversation: who spoke when, and every timed word with its speaker.

Two edges produce one: a stereo call recording, where each side was transcribed on its own
channel (:func:`from_channels`), and a mono one, transcribed once and then told apart by a
diarizer's speaker turns (:func:`from_mix`). The interview splitter reads only this, so it
is tested without audio or models.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from voice_coach.transcript import SpeechRegion, Transcript, Word
from voice_coach.turns import SpeakerTurn


@dataclass(frozen=True)
class SpokenWord:
    """A timed word and who said it."""

    speaker: str
    word: Word

    @property
    def start(self) -> float:
        return self.word.start or 0.0

    @property
    def end(self) -> float:
        return self.word.end or 0.0


@dataclass(frozen=True)
class Conversation:
    """Everything the splitter needs.

    Attributes:
        duration: length of the recording in seconds.
        turns: speaker turns sorted by start (they may overlap: people interrupt).
        words: every timed word, sorted by start, with its speaker.
        regions: each speaker's speech regions (the pauses signal reads them).
        meta: how it was made (``{"speakers_from": "channels"}``, model name ...).
    """

    duration: float
    turns: tuple[SpeakerTurn, ...]
    words: tuple[SpokenWord, ...]
    regions: Mapping[str, tuple[SpeechRegion, ...]]
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def speakers(self) -> list[str]:
        """Speaker labels in order of first speech."""
        seen: dict[str, None] = {}
        for t in self.turns:
            seen.setdefault(t.speaker, None)
        for w in self.words:
            seen.setdefault(w.speaker, None)
        return list(seen)

    def talk_s(self, speaker: str, after: float = 0.0) -> float:
        """Seconds ``speaker`` talks from ``after`` on (overlapping turns of one speaker count once)."""
        spans = merge_spans((max(t.start, after), t.end) for t in self.turns
                            if t.speaker == speaker and t.end > after)
        return round(float(sum(e - s for s, e in spans)), 3)


def merge_spans(spans: Iterable[tuple[float, float]], gap: float = 0.0) -> list[tuple[float, float]]:
    """Sorted, non-overlapping spans; spans closer than ``gap`` seconds are joined."""
    out: list[tuple[float, float]] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if out and s <= out[-1][1] + gap:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def merge_turns(turns: Iterable[SpeakerTurn], gap: float = 0.8) -> tuple[SpeakerTurn, ...]:
    """One speaker's turns closer than ``gap`` s joined (a VAD region per phrase is too fine)."""
    by: dict[str, list[tuple[float, float]]] = {}
    for t in turns:
        by.setdefault(t.speaker, []).append((t.start, t.end))
    merged = [SpeakerTurn(spk, round(float(s), 3), round(float(e), 3))
              for spk, spans in by.items() for s, e in merge_spans(spans, gap)]
    return tuple(sorted(merged, key=lambda t: (t.start, t.speaker)))


def from_channels(transcripts: Mapping[str, Transcript]) -> Conversation:
    """A conversation from one transcript per channel (speaker = channel label).

    Each side's VAD regions are its turns: on a call recording a channel holds one voice.
    """
    turns = merge_turns(SpeakerTurn(spk, r.start, r.end)
                        for spk, t in transcripts.items() for r in t.speech_regions)
    words = sorted((SpokenWord(spk, w) for spk, t in transcripts.items() for w in t.words if w.timed),
                   key=lambda w: (w.start, w.end))
    duration = max((t.duration or 0.0 for t in transcripts.values()), default=0.0)
    return Conversation(duration, turns, tuple(words),
                        {spk: tuple(t.speech_regions) for spk, t in transcripts.items()},
                        {"speakers_from": "channels"})


def from_mix(transcript: Transcript, turns: Sequence[SpeakerTurn]) -> Conversation:
    """A conversation from one transcript of all voices and a diarizer's turns.

    A word goes to the speaker whose turn covers most of it (the nearest turn when none
    does); each speaker's speech regions are the VAD regions cut to their turns.
    """
    ordered = sorted(turns, key=lambda t: t.start)
    words = tuple(SpokenWord(speaker_at(ordered, w.start or 0.0, w.end or 0.0), w)
                  for w in transcript.words if w.timed)
    regions: dict[str, list[SpeechRegion]] = {}
    for t in ordered:
        for r in transcript.speech_regions:
            s, e = max(r.start, t.start), min(r.end, t.end)
            if e > s:
                regions.setdefault(t.speaker, []).append(SpeechRegion(round(float(s), 3), round(float(e), 3)))
    return Conversation(transcript.duration or 0.0, merge_turns(ordered, gap=0.0), words,
                        {k: tuple(sorted(v, key=lambda r: r.start)) for k, v in regions.items()},
                        {"speakers_from": "diarization"})


def speaker_at(turns: Sequence[SpeakerTurn], start: float, end: float) -> str:
    """The speaker whose turns overlap ``[start, end]`` most; the nearest turn's if none does."""
    if not turns:
        return "S0"
    overlap: dict[str, float] = {}
    for t in turns:
        o = min(end, t.end) - max(start, t.start)
        if o > 0:
            overlap[t.speaker] = overlap.get(t.speaker, 0.0) + o
    if overlap:
        return max(overlap, key=lambda k: overlap[k])
    mid = (start + end) / 2
    return min(turns, key=lambda t: 0.0 if t.start <= mid <= t.end else min(abs(mid - t.start),
                                                                            abs(mid - t.end))).speaker
