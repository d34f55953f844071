"""Pauses: time to first word, long silences, and whether they hesitate or punctuate.

Why it matters: silence is not the enemy in an interview. A second or two between ideas
reads as deliberate thinking; a long silence in the middle of a sentence reads as being
lost, and a long wait before the first word reads as freezing. So the coach reports:

* **time to first word**: from the start of the recording to the first speech;
* **long pauses** (``long_pause_s``, 2.0 s by default), each classed as a *hesitation*
  (mid-sentence: the words before it do not end a sentence) or *deliberate* (between
  sentences, or the lead-in before the first word);
* the **longest pause** and the **share of silence** within the answer.

Silence is measured from the voice-activity detector's speech regions
(``Transcript.speech_regions``), never from gaps between Whisper's words: Whisper stretches
the word before a silence or pulls the next one into it, so word gaps found only 7 of 12
inserted silences in our measurements. Words are used only to tell hesitation from
deliberate, by the punctuation of the last word before the pause. Text input has no
timings, so the signal is ``n/a`` there with an empty pause list.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from voice_coach.signals.base import Context, Evidence, SignalResult, Verdict
from voice_coach.transcript import SpeechRegion, Transcript, Word

_SENTENCE_END = (".", "!", "?", ":", ";", "...")


@dataclass(frozen=True)
class Config:
    """Thresholds for the pauses signal.

    Attributes:
        long_pause_s: a silence at least this long is a long pause. Two seconds is where
            listeners start to wonder whether the speaker is stuck.
        min_pause_s: silences shorter than this are the ordinary gaps of speech and are not
            listed (they still count toward the silence share).
        slow_start_s: a time to first word above this is flagged; a few seconds to collect
            one's thoughts is fine and even good, more reads as freezing.
        max_hesitations: more long mid-sentence pauses than this makes the verdict ``work_on``.
        very_long_pause_s: any single pause this long makes the verdict ``work_on``.
    """

    long_pause_s: float = 2.0
    min_pause_s: float = 0.5
    slow_start_s: float = 5.0
    max_hesitations: int = 1
    very_long_pause_s: float = 6.0


@dataclass(frozen=True)
class Pause:
    """A silence between two speech regions (or before the first one)."""

    start: float
    end: float
    kind: str  # "hesitation" | "deliberate" | "lead-in"
    before: str  # the last words before the pause ("" for the lead-in)
    after: str  # the first words after it

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        """Report form: ``{"start", "end"}`` plus duration, kind and context."""
        return {"start": self.start, "end": self.end, "duration_s": round(self.duration, 2),
                "kind": self.kind, "before": self.before, "after": self.after}


def find_pauses(transcript: Transcript, min_pause_s: float = 0.5) -> list[Pause]:
    """Every silence of at least ``min_pause_s`` from the start to the last speech.

    The lead-in (before the first speech) is included when long enough; the tail after the
    last speech is not, since the speaker has finished by then.
    """
    regions = sorted(transcript.speech_regions, key=lambda r: r.start)
    if not regions:
        return []
    words = [w for w in transcript.words if w.timed]
    gaps: list[tuple[float, float]] = []
    if regions[0].start >= min_pause_s:
        gaps.append((0.0, regions[0].start))
    for a, b in itertools.pairwise(regions):
        if b.start - a.end >= min_pause_s:
            gaps.append((a.end, b.start))
    out = []
    for start, end in gaps:
        before_w = _words_before(words, start, regions)
        after_w = _words_after(words, end)
        if start <= 0.0:
            kind = "lead-in"
        elif not before_w or before_w[-1].text.rstrip().endswith(_SENTENCE_END):
            kind = "deliberate"
        else:
            kind = "hesitation"
        out.append(Pause(round(start, 3), round(end, 3), kind,
                         " ".join(w.text for w in before_w[-3:]),
                         " ".join(w.text for w in after_w[:3])))
    return out


def _words_before(words: list[Word], t: float, regions: list[SpeechRegion]) -> list[Word]:
    """Words spoken before time ``t``.

    Whisper may stretch the last word into the silence, so a word counts as "before" when
    it *starts* before the pause (plus a little slack for its own onset).
    """
    return [w for w in words if (w.start or 0.0) < t - 0.05]


def _words_after(words: list[Word], t: float) -> list[Word]:
    """Words spoken from around time ``t`` on (Whisper may start them inside the silence)."""
    return [w for w in words if (w.end or 0.0) > t + 0.05]


def time_to_first_word(transcript: Transcript) -> float | None:
    """Seconds before the first speech that carries a recognised word.

    A VAD region with no word on it at the very start (a click, a breath) is skipped; when
    there are no speech regions the first word's own start is used.
    """
    if not transcript.timed:
        return None
    words = [w for w in transcript.words if w.timed]
    for r in sorted(transcript.speech_regions, key=lambda r: r.start):
        if any((w.start or 0.0) < r.end and (w.end or 0.0) > r.start for w in words):
            return round(r.start, 3)
    return round(words[0].start or 0.0, 3) if words else None


def silence_share(transcript: Transcript) -> float | None:
    """The share of the answer (first to last speech) that is silence, in 0..1."""
    regions = transcript.speech_regions
    if not regions:
        return None
    span = regions[-1].end - regions[0].start
    if span <= 0:
        return None
    speech = sum(r.duration for r in regions)
    return round(max(0.0, 1.0 - speech / span), 3)


def compute(transcript: Transcript, config: Config, context: Context) -> SignalResult:
    """Find long pauses from the VAD regions and judge how they fall in the sentences."""
    base: dict[str, Any] = {"threshold_s": config.long_pause_s, "long": []}
    if not transcript.timed:
        return SignalResult(
            "pauses", {**base, "time_to_first_word_s": None, "longest_s": None,
                       "silence_share": None, "hesitations": 0, "deliberate": 0},
            "n/a", "Pauses need audio; a text transcript has no timings.",
            headline="n/a (no audio)")
    pauses = find_pauses(transcript, min(config.min_pause_s, config.long_pause_s))
    long = [p for p in pauses if p.duration >= config.long_pause_s]
    ttfw = time_to_first_word(transcript)
    longest = max(pauses, key=lambda p: p.duration, default=None)
    hes = [p for p in long if p.kind == "hesitation"]
    values: dict[str, Any] = {
        **base,
        "long": [p.to_dict() for p in long],
        "time_to_first_word_s": ttfw,
        "longest_s": round(longest.duration, 2) if longest else 0.0,
        "longest": longest.to_dict() if longest else None,
        "silence_share": silence_share(transcript),
        "hesitations": len(hes),
        "deliberate": len(long) - len(hes),
        "pauses": len(pauses),
    }
    if not transcript.speech_regions:
        return SignalResult("pauses", values, "n/a", "No speech detected, so no pauses to judge.",
                            headline="no speech")
    verdict: Verdict
    slow_start = ttfw is not None and ttfw > config.slow_start_s
    very_long = longest is not None and longest.duration >= config.very_long_pause_s
    if len(hes) > config.max_hesitations or very_long or slow_start:
        verdict = "work_on"
    elif hes:
        verdict = "ok"
    else:
        verdict = "strength"
    advice = _advice(verdict, hes, slow_start, very_long, ttfw, longest)
    evidence = tuple(
        Evidence(f"{p.duration:.1f} s {p.kind} pause: \u2026{p.before} | {p.after}\u2026", p.start, p.end)
        for p in long
    )
    headline = (f"{len(long)} long pause{'s' if len(long) != 1 else ''} "
                f"({len(hes)} mid-sentence); first word at {ttfw:.1f} s" if ttfw is not None
                else f"{len(long)} long pauses")
    return SignalResult("pauses", values, verdict, advice, evidence, headline)


def _advice(verdict: Verdict, hes: list[Pause], slow_start: bool, very_long: bool,
            ttfw: float | None, longest: Pause | None) -> str:
    if slow_start and ttfw is not None:
        return (f"You took {ttfw:.0f} s to start: say your first step out loud "
                "(\"Let me start by clarifying the goal\") while you think.")
    if very_long and longest is not None:
        return (f"A {longest.duration:.0f} s silence loses the listener: narrate what you are "
                "weighing instead of going quiet.")
    if hes:
        return ("Finish the sentence before you pause: a stop in mid-sentence sounds stuck, "
                "the same stop between sentences sounds deliberate.")
    return "Your pauses fall between ideas, where they help the listener; keep it up."
