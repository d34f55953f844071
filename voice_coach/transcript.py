"""The data the analysis core works on: words, segments, speech regions and the transcript.

Everything here is a frozen dataclass, so a `Transcript` can be shared between signals
without any of them changing it. Times are seconds from the start of the answer; a word
from a plain-text transcript has no times (``None``).

Pauses are *not* derived from gaps between words: Whisper places word times badly after a
silence. They come from ``speech_regions``, which a voice-activity detector produced from
the audio itself (see :mod:`voice_coach.audio.vad`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from voice_coach.errors import InputError


@dataclass(frozen=True)
class Word:
    """One recognised word.

    Attributes:
        text: the word as spoken, with its punctuation (``"network,"``), no leading space.
        start: start time in seconds, or ``None`` for text input.
        end: end time in seconds, or ``None`` for text input.
        probability: the recogniser's confidence in 0..1 (1.0 for text input).
        recovered: ``True`` for a filled pause that the recogniser left out and a later
            pass put back (see the fillers signal); such words never come from plain text.
    """

    text: str
    start: float | None = None
    end: float | None = None
    probability: float = 1.0
    recovered: bool = False

    @property
    def timed(self) -> bool:
        """Whether the word has both a start and an end time."""
        return self.start is not None and self.end is not None

    @property
    def norm(self) -> str:
        """The word lower-cased, without surrounding punctuation (``"Um,"`` -> ``"um"``)."""
        return normalise_token(self.text)

    def overlaps(self, region: SpeechRegion) -> bool:
        """Whether the word is timed and lies at least partly on ``region``."""
        return self.timed and (self.start or 0.0) < region.end and (self.end or 0.0) > region.start


@dataclass(frozen=True)
class Segment:
    """A stretch of recognised text (a Whisper segment, or a sentence of text input)."""

    text: str
    start: float | None
    end: float | None
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class SpeechRegion:
    """A stretch of audio the voice-activity detector judged to be speech."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.end - self.start


@dataclass(frozen=True)
class Transcript:
    """A spoken (or typed) answer, ready for analysis.

    Attributes:
        words: every word in order.
        segments: the recogniser's segments (or sentences, for text input).
        duration: audio length in seconds; ``None`` for text input.
        speech_regions: VAD speech regions; empty for text input. Silence is everything
            between them, plus the lead-in and the tail.
        source: ``"audio"``, ``"text"`` or ``"json"``.
        language: language code the recogniser reported, if any.
        meta: free-form facts about how the transcript was made (model, settings).
    """

    words: tuple[Word, ...] = ()
    segments: tuple[Segment, ...] = ()
    duration: float | None = None
    speech_regions: tuple[SpeechRegion, ...] = ()
    source: str = "text"
    language: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def text(self) -> str:
        """The whole answer as one string."""
        return " ".join(w.text for w in self.words).strip()

    @property
    def timed(self) -> bool:
        """Whether this transcript comes from audio with word times."""
        return self.duration is not None

    def with_words(self, words: Sequence[Word]) -> Transcript:
        """A copy with another word list (segments are kept as they were)."""
        return replace(self, words=tuple(words))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; :func:`transcript_from_dict` reads it back."""
        return {
            "schema": "voice-coach.transcript/1",
            "duration_s": self.duration,
            "source": self.source,
            "language": self.language,
            "text": self.text,
            "words": [_word_dict(w) for w in self.words],
            "segments": [
                {"text": s.text, "start": s.start, "end": s.end} for s in self.segments
            ],
            "speech_regions": [{"start": r.start, "end": r.end} for r in self.speech_regions],
            "meta": self.meta,
        }


def _word_dict(w: Word) -> dict[str, Any]:
    d = asdict(w)
    if not w.recovered:
        d.pop("recovered")
    return d


_EDGE_PUNCT = re.compile(r"^[^\w']+|[^\w']+$")


def normalise_token(text: str) -> str:
    """Lower-case a token and strip surrounding punctuation; inner apostrophes stay."""
    return _EDGE_PUNCT.sub("", text.strip().lower()).strip("'")


def bare(text: str) -> str:
    """A word as captions without punctuation give it: lower case, no leading or trailing
    marks (a word that is only marks stays as it is). Unlike :func:`normalise_token`, an
    edge apostrophe stays ("'cause")."""
    return _EDGE_PUNCT.sub("", text).lower() or text


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+")


def transcript_from_text(text: str) -> Transcript:
    """Build an untimed transcript from plain text; each sentence becomes a segment."""
    text = " ".join(text.split())
    words = tuple(Word(t) for t in text.split(" ") if t)
    segments = tuple(
        Segment(s, None, None, tuple(Word(t) for t in s.split(" ") if t))
        for s in _SENTENCE_SPLIT.split(text)
        if s
    )
    return Transcript(words=words, segments=segments, duration=None, source="text")


def _num(value: Any, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{what} must be a number or null, not {type(value).__name__}")
    f = float(value)
    if not math.isfinite(f):
        raise InputError(f"{what} must be finite, not {value!r}")
    return f


def transcript_from_dict(data: Any) -> Transcript:
    """Read a transcript from parsed JSON.

    Accepts this project's own transcript files (``voice-coach.transcript/1``), a full
    report (its ``transcript`` object is used), or a bare ``{"words": [...]}`` object.
    Negative or missing times are dropped to ``None`` rather than trusted, and a word whose
    end precedes its start loses its times: timings from elsewhere are evidence, not fact.
    """
    if not isinstance(data, dict):
        raise InputError("JSON transcript must be an object with a 'words' list")
    if "transcript" in data and isinstance(data["transcript"], dict):
        outer = data
        data = dict(data["transcript"])
        data.setdefault("duration_s", outer.get("duration_s"))
    raw_words = data.get("words")
    if raw_words is None and isinstance(data.get("text"), str):
        return transcript_from_text(data["text"])
    if not isinstance(raw_words, list):
        raise InputError("JSON transcript has no 'words' list")
    words: list[Word] = []
    missing = invalid = 0  # words analysed without times, reported as a warning
    for i, rw in enumerate(raw_words):
        if not isinstance(rw, dict) or not isinstance(rw.get("text", rw.get("word")), str):
            raise InputError(f"word {i} must be an object with a 'text' string")
        start = _num(rw.get("start"), f"word {i} start")
        end = _num(rw.get("end"), f"word {i} end")
        given = start is not None and end is not None
        if start is not None and start < 0:
            start = None
        if end is not None and end < 0:
            end = None
        if start is None or end is None or end < start:
            missing += not given
            invalid += given
            start = end = None
        prob = _num(rw.get("probability"), f"word {i} probability")
        text = str(rw.get("text", rw.get("word"))).strip()
        if not text:
            continue
        words.append(
            Word(text, start, end, 1.0 if prob is None else min(1.0, max(0.0, prob)),
                 bool(rw.get("recovered", False)))
        )
    duration = _num(data.get("duration_s", data.get("duration")), "duration_s")
    if duration is not None and duration < 0:
        duration = None
    regions = []
    raw_regions = data.get("speech_regions") or []
    if not isinstance(raw_regions, list):
        raise InputError("'speech_regions' must be a list")
    for i, rr in enumerate(raw_regions):
        if not isinstance(rr, dict):
            raise InputError(f"speech region {i} must be an object")
        s, e = _num(rr.get("start"), f"region {i} start"), _num(rr.get("end"), f"region {i} end")
        if s is not None and e is not None and 0 <= s < e:
            regions.append(SpeechRegion(s, e))
    timed_words = [w for w in words if w.timed]
    if duration is None and timed_words:
        duration = max(w.end or 0.0 for w in timed_words)
    if duration is not None:
        # Clamp everything to the audio so evidence can never point past its end.
        words = [
            w if not w.timed or (w.end or 0) <= duration
            else replace(w, start=min(w.start or 0.0, duration), end=duration)
            for w in words
        ]
        regions = [SpeechRegion(r.start, min(r.end, duration)) for r in regions if r.start < duration]
    regions.sort(key=lambda r: r.start)
    return Transcript(
        words=tuple(words),
        segments=(),
        duration=duration,
        speech_regions=tuple(regions),
        source="json",
        language=data.get("language") if isinstance(data.get("language"), str) else None,
        meta={"timing_issues": {"missing": missing, "invalid": invalid}} if missing or invalid else {},
    )


MAX_TEXT_BYTES = 2_000_000


def load_text_file(path: Path) -> Transcript:
    """Read a ``.txt`` transcript; binary or oversized files get a clear :class:`InputError`."""
    raw = _read_bytes(path)
    if len(raw) > MAX_TEXT_BYTES:
        raise InputError(
            f"{path}: text transcript is {len(raw) / 1e6:.1f} MB; the limit is "
            f"{MAX_TEXT_BYTES / 1e6:.0f} MB (a spoken answer is a few KB)"
        )
    if b"\x00" in raw:
        raise InputError(f"{path}: this .txt file holds binary data, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text (byte {err.start} is invalid)") from None
    if not text.strip():
        raise InputError(f"{path}: the transcript is empty")
    return transcript_from_text(text)


def load_json_file(path: Path) -> Transcript:
    """Read a ``.json`` transcript (see :func:`transcript_from_dict`)."""
    raw = _read_bytes(path)
    if len(raw) > 50 * MAX_TEXT_BYTES:
        raise InputError(f"{path}: JSON transcript is too large ({len(raw) / 1e6:.0f} MB)")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise InputError(f"{path}: not valid JSON ({err.msg} at line {err.lineno})") from None
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply to be a transcript") from None
    try:
        return transcript_from_dict(data)
    except InputError as err:
        raise InputError(f"{path}: {err}") from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from None


def words_between(words: Iterable[Word], start: float, end: float) -> list[Word]:
    """The timed words that overlap ``[start, end)``."""
    return [w for w in words if w.timed and (w.start or 0) < end and (w.end or 0) > start]
