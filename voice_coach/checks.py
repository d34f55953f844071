"""Honest warnings about an input the coach can analyse but should not be trusted on blindly.

Errors stop a run (see :mod:`voice_coach.errors`); the checks here do not. They look at a
finished :class:`~voice_coach.transcript.Transcript` and say, in one sentence each, when the
report is likely to mislead:

* **no speech**: the audio is silent, or it held sound (music, noise) the recogniser found
  no words in. The report still comes out, saying "no speech detected".
* **bad timings**: a JSON transcript whose words lack times, or carry negative or
  backwards ones; those words are kept but analysed without timing.
* **repetition**: a transcript that is one phrase over and over is a decoding loop
  (noise, music, another language), not an answer. Sound with too few words is caught
  first (no speech), so a loop that gets here is mostly speech the English-only model
  cannot follow, and the warning says so: greedy tiny.en (CTranslate2 4.8) writes "We are
  now in the first place, and ..." six times for the espeak German test answer.
* **not English**: the default model (Whisper ``tiny.en``) is English-only, and so are the
  signals' phrase lists. Whisper never says "this is not English": fed German it writes
  English-sounding words with low confidence, or loops on one phrase, or writes almost
  nothing. So the check uses what the recogniser does report, its per-word probability,
  plus how many words it found for the seconds of speech the VAD heard.

Measured with the bundled tiny.en (espeak-ng voices; Piper and real English recordings):

=========================  =====  ==========  =================  ============
input                      words  mean prob.  share below 0.5     words / s
=========================  =====  ==========  =================  ============
German (espeak ``de``)     21     0.51        0.48                1.7
Spanish (``es``)           30     0.42        0.67                2.3
Italian (``it``)           29     0.55        0.45                2.6
French (``fr``)            6      0.13        1.00                0.6
English, espeak / Piper    33-34  0.88-0.95   0.00-0.09           2.7
English, real voices       57-81  0.89-0.92   0.05-0.07           2.5
=========================  =====  ==========  =================  ============

Short English clips full of names and hesitations ("Montreal forced aligner, um...") score
0.52-0.76 with 4-18 words, which is why the confidence test needs enough words to judge.
The warning is worded as a possibility, never as a verdict.

:func:`sniff_content` names common non-audio files (a PDF renamed ``.mp3``) so the decode
error can say what the file actually is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voice_coach.transcript import SpeechRegion, Transcript

if TYPE_CHECKING:
    from voice_coach.language import Language


@dataclass(frozen=True)
class CheckOptions:
    """Thresholds for the warnings; see the module docstring for the measurements.

    Attributes:
        min_words_for_confidence: fewer recognised words than this and the confidence test
            is skipped: short English clips with names score as low as other languages.
        low_probability: a word below this probability counts as "unsure".
        max_unsure_share: warn when at least this share of words is unsure (German 0.48,
            English answers 0.00-0.12) ...
        max_mean_probability: ... and the mean word probability is below this as well
            (German 0.51, Italian 0.55; English answers 0.86 and up). Both must hold, so a
            single mumbled stretch does not trigger it.
        min_sound_s: at least this much VAD speech before the words-per-second test runs.
        min_words_per_sound_s: fewer recognised words per second of detected sound than
            this means the recogniser could not make the sound into English words (French
            0.6; English speech 2-3.5, slow hesitant speech still above 1).
        no_speech_words_per_sound_s: fewer words than this per second of detected sound
            (over at least ``min_sound_s``) is no speech at all, not a poor transcript:
            greedy Whisper writes one stray word ("I'm,") for 10 s of white noise, and the
            slowest English answers hold 1 word per second. Filled pauses the prompted
            pass adds are not counted: primed with fillers, it writes "uh, uh" on noise.
        min_words_for_repetition: the repetition test needs at least this many words.
        min_distinct_trigrams: below this share of distinct word trigrams the transcript is
            a decoding loop, not an answer. Whisper decoding greedily without its
            temperature fallback writes "I'm, uh, I'm, uh, ..." (89 words, 2% distinct) for
            10 s of music or white noise; spoken answers, even rambling ones, stay above 80%.
    """

    no_speech_words_per_sound_s: float = 0.2
    min_words_for_confidence: int = 12
    low_probability: float = 0.5
    max_unsure_share: float = 0.4
    max_mean_probability: float = 0.65
    min_sound_s: float = 5.0
    min_words_per_sound_s: float = 0.8
    min_words_for_repetition: int = 20
    min_distinct_trigrams: float = 0.3


@dataclass(frozen=True)
class InputWarning:
    """One warning: a stable ``code`` for tools and a one-line ``message`` for people."""

    code: str
    message: str
    spans: tuple[tuple[float, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The report's ``warnings[]`` item (``spans``: ``[start, end]`` seconds, when it has any)."""
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.spans:
            out["spans"] = [list(s) for s in self.spans]
        return out


NO_SPEECH = "no_speech"
MAYBE_NOT_ENGLISH = "maybe_not_english"
BAD_TIMINGS = "bad_timings"
REPETITIVE = "repetitive_transcript"
DROPPED_SPEECH = "dropped_speech"
PUNCTUATION_IGNORED = "punctuation_ignored"

_ENGLISH_ONLY_HINT = (
    "the default model and the coaching phrases are English-only, so this report may be "
    "meaningless; pass --model with a multilingual model to transcribe other languages"
)


def check_transcript(transcript: Transcript, options: CheckOptions | None = None) -> list[InputWarning]:
    """The warnings that apply to ``transcript`` (empty for a clean English answer).

    Only audio transcripts are checked: a typed transcript has no probabilities or timing.
    """
    found = _check_content(transcript, options or CheckOptions())
    if (transcript.source == "audio" and transcript.words and transcript.speech_regions
            and all(w.code != NO_SPEECH for w in found)):
        found += _dropped_speech(transcript)
    return found


def _dropped_speech(transcript: Transcript) -> list[InputWarning]:
    """Speech the VAD heard that no word covers, even after it was decoded again."""
    from voice_coach.coverage import uncovered

    gaps = uncovered(transcript.speech_regions, transcript.words)
    if not gaps:
        return []
    total = sum(g.duration for g in gaps)
    shown = ", ".join(f"{_clock(g.start)}-{_clock(g.end)}" for g in gaps[:5])
    more = f" and {len(gaps) - 5} more" if len(gaps) > 5 else ""
    return [InputWarning(
        DROPPED_SPEECH,
        f"{total:.1f} s of speech has no words in the transcript ({shown}{more}): the "
        "recogniser could not make it out (another voice, noise, music?), so the figures "
        "cover only the rest",
        tuple((g.start, g.end) for g in gaps),
    )]


def _clock(t: float) -> str:
    return f"{int(t // 60)}:{t % 60:04.1f}"


def _check_content(transcript: Transcript, opts: CheckOptions) -> list[InputWarning]:
    """The warnings about what was (or was not) recognised; at most one."""
    if transcript.source == "json":
        issues = transcript.meta.get("timing_issues") or {}
        bad = int(issues.get("missing", 0)) + int(issues.get("invalid", 0))
        if bad:
            return [InputWarning(
                BAD_TIMINGS,
                f"{bad} of {len(transcript.words)} words have missing or invalid times "
                f"({issues.get('missing', 0)} missing, {issues.get('invalid', 0)} negative or "
                "ending before they start); they are analysed without timing",
            )]
    if not transcript.timed or transcript.source == "text":
        return []
    words = transcript.words
    sound_s = _speech_seconds(transcript.speech_regions)
    if not words:
        if sound_s <= 0:
            return [InputWarning(NO_SPEECH, "no speech detected: the audio is silent")]
        return [InputWarning(
            NO_SPEECH,
            f"no speech detected: {sound_s:.0f} s of sound but no words recognised (music or noise?)",
        )]
    if transcript.source != "audio":
        return []  # a JSON transcript's probabilities come from somewhere we cannot judge
    heard = [w for w in words if not w.recovered]
    n = len(heard)
    if sound_s >= opts.min_sound_s and n / sound_s < opts.no_speech_words_per_sound_s:
        stray = f", bar {n} stray word{'s' if n != 1 else ''}" if n else ""
        return [InputWarning(
            NO_SPEECH,
            f"no speech detected: {sound_s:.0f} s of sound but no words recognised{stray} "
            "(music or noise?)",
        )]
    if n >= opts.min_words_for_repetition:
        norms = [w.norm for w in heard]
        distinct = distinct_trigram_share(norms)
        if distinct < opts.min_distinct_trigrams:
            return [InputWarning(
                REPETITIVE,
                f"the transcript repeats itself ({distinct:.0%} of its three-word runs are "
                "distinct): recognisers loop like this on noise, music or speech that may not "
                f"be English; {_ENGLISH_ONLY_HINT}",
            )]
    if n >= opts.min_words_for_confidence:
        mean_p = sum(w.probability for w in heard) / n
        unsure = sum(w.probability < opts.low_probability for w in heard) / n
        if unsure >= opts.max_unsure_share and mean_p < opts.max_mean_probability:
            return [InputWarning(
                MAYBE_NOT_ENGLISH,
                f"this may not be English speech: the recogniser was unsure of {unsure:.0%} of "
                f"the words (mean confidence {mean_p:.2f}); {_ENGLISH_ONLY_HINT}",
            )]
    if sound_s >= opts.min_sound_s and n / sound_s < opts.min_words_per_sound_s:
        return [InputWarning(
            MAYBE_NOT_ENGLISH,
            f"this may not be English speech: only {n} words recognised in {sound_s:.0f} s of "
            f"speech; {_ENGLISH_ONLY_HINT}",
        )]
    return []


def distinct_trigram_share(norms: list[str]) -> float:
    """The share of distinct word trigrams in ``norms`` (1.0 when there are none)."""
    trigrams = list(zip(norms, norms[1:], norms[2:], strict=False))
    return len(set(trigrams)) / len(trigrams) if trigrams else 1.0


def looping(norms: list[str], options: CheckOptions | None = None) -> bool:
    """Whether these words are a decoding loop ("I'm, uh, I'm, uh, ..."), not speech."""
    opts = options or CheckOptions()
    return len(norms) >= opts.min_words_for_repetition and \
        distinct_trigram_share(norms) < opts.min_distinct_trigrams


def _speech_seconds(regions: tuple[SpeechRegion, ...]) -> float:
    return sum(max(0.0, r.end - r.start) for r in regions)


def check_language(language: Language) -> list[InputWarning]:
    """A transcript read without its punctuation (:func:`voice_coach.language.analyse`): said,
    so that sentences quoted across its full stops make sense to the reader."""
    if language.marks_read:
        return []
    return [InputWarning(
        PUNCTUATION_IGNORED,
        "its full stops fall where the speaker paused rather than where sentences end (or "
        "\"I\" is written \"i\"), so it was read as unpunctuated text; quotes keep the words as written",
    )]


def warnings_for_report(transcript: Transcript, options: CheckOptions | None = None,
                        language: Language | None = None) -> list[dict[str, Any]]:
    """:func:`check_transcript` (and :func:`check_language`, given the analysis) as the JSON
    list the report carries under ``warnings``."""
    found = check_transcript(transcript, options) + (check_language(language) if language is not None else [])
    return [w.to_dict() for w in found]


# Magic numbers of files people mistake for recordings. Audio formats are absent on purpose:
# anything not listed here is handed to the decoder, which knows far more formats.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Excel/Pages document)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"SQLite format 3", "an SQLite database"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
)


def sniff_content(path: Path) -> str | None:
    """Name what a file really is when its first bytes show a common non-audio format.

    Returns ``None`` when the file is unknown, unreadable, or looks like text of no
    particular kind; the caller then falls back to the decoder's own message.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError:
        return None
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    stripped = head.lstrip().lower()
    if stripped.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    if stripped[:1] in (b"{", b"[") and b"\x00" not in head:
        return "JSON text"
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as err:
            if err.start < len(head) - 3:  # not just a character cut at byte 512
                return None
        if all(c >= 32 or c in (9, 10, 13) for c in head):
            return "a text file"
    return None


def print_warnings(report: dict[str, Any], file: Any = None) -> int:
    """Print each of a report's ``warnings`` as one ``voice-coach: warning:`` line on stderr.

    Stdout stays the report alone (``--format json`` prints exactly one object there), so
    warnings travel on stderr as well as inside the report. Returns how many were printed.
    """
    import sys

    out = file if file is not None else sys.stderr
    items = report.get("warnings") or []
    for w in items:
        print(f"voice-coach: warning: {' '.join(str(w.get('message', '')).split())}", file=out)
    return len(items)
