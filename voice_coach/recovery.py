"""Put back the filled pauses ("um", "uh") that Whisper leaves out.

Whisper was trained on cleaned-up transcripts, so it tends to drop filled pauses, the very
thing the fillers signal counts. The filler prompt (``asr.FILLER_PROMPT``) keeps most of
them; this module finds the places where one was probably dropped and asks the recogniser
again, on that stretch alone:

* **orphan speech**: a speech region from the VAD that no recognised word overlaps. A
  short "Um." said on its own, between two pauses, is the typical case: Whisper skips it
  in context, but decoding the region by itself (with the filler prompt) often yields it.
  If Whisper *did* write a filler but timed it inside the silence next to the region (its
  times drift after silences), that word is moved onto the region instead, so the filler
  is neither decoded twice nor counted twice.
* **a lone unsure word**: a short region holding one low-confidence word ("M", "Done.")
  is decoded again with a prompt of lone fillers; if that hears only a filled pause, the
  word is replaced by it.

Both only look at stretches at most 10 dB quieter than the speaker's median region: on
real recordings, breaths and clicks far below speaking level otherwise come back as
"uh, uh, uh".

A re-decoded stretch contributes only filled pauses (``Word(recovered=True)``); any other
word it yields is ignored, so recovery can add fillers but never rewrite the transcript.
Each strategy was kept only because it raised recall on rendered answers without adding
false fillers (figures in docs/signals-delivery.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from voice_coach.asr import Transcriber
from voice_coach.audio import SAMPLE_RATE
from voice_coach.lexicon import is_filled_pause
from voice_coach.transcript import SpeechRegion, Word, normalise_token


@dataclass(frozen=True)
class RecoveryOptions:
    """Where to look for dropped filled pauses.

    Attributes:
        enabled: run recovery at all (off: the transcript is Whisper's alone).
        orphan_min_s: speech regions shorter than this are clicks, not a filler.
        orphan_max_s: only regions up to this long are re-decoded; a longer region with
            no word on it is noise or music, not a dropped "um" (and costs more to decode).
        word_slack_s: a word counts as lying on a region when it overlaps the region
            widened by this much; Whisper's word times drift by a few hundred ms.
        pad_s: audio either side of a region handed to the recogniser, so onsets survive.
        lone_max_s: a region this short holding one word Whisper was unsure of is decoded
            again (a lone "Hmm." often comes out as a wrong short word, "Done.").
        lone_max_probability: ... when that word's probability is below this.
        min_level_db: a stretch is only decoded again when it is at most this much quieter
            than the median speech region. A filled pause is voiced at speaking level; a
            breath or a click is 15 dB or more below it, and Whisper, primed with fillers,
            writes "uh, uh, uh" for such noise on real recordings.
        min_filler_s: the shortest filled pause; a re-decoded stretch yielding more
            fillers than fit in it at this length is a decoding loop (on 30 s of music
            one 1.3 s blip came back as 50 "uh"), and none of them is kept.
    """

    enabled: bool = True
    orphan_min_s: float = 0.12
    orphan_max_s: float = 1.5
    pad_s: float = 0.15
    lone_max_s: float = 0.8
    lone_max_probability: float = 0.5
    min_level_db: float = -10.0
    min_filler_s: float = 0.25


# Primes the decoder for a stretch that holds one lone filled pause.
LONE_FILLER_PROMPT = "Hmm. Umm. Uh. Er. Mm. Ah. Uhh. Okay. So."
# What Whisper invents on near-silence after a short sound; ignored after a filler.
_HALLUCINATED = frozenset(["thank", "you", "very", "much", "thanks", "for", "watching", "bye"])


def is_filled(text: str) -> bool:
    """Whether ``text`` is a filled pause (um, uh, hmm ...)."""
    return is_filled_pause(text)


def _only_fillers(words: Sequence[Word]) -> list[Word]:
    """The filled pauses of a re-decoded stretch, or ``[]`` if it holds a real word.

    A lone "M." is how Whisper writes a short hum, so "m" counts here (only here: in running
    text it is a letter). Words Whisper hallucinates on the silence after a sound ("Thank
    you.") are ignored once a filler has been heard.
    """
    out: list[Word] = []
    for w in words:
        norm = normalise_token(w.text)
        if not norm:
            continue
        if is_filled(w.text) or norm == "m":
            out.append(w)
        elif not (out and norm in _HALLUCINATED):
            return []
    return out


def _decode(transcriber: Transcriber, audio: np.ndarray, offset: float, prompt: str | None) -> list[Word]:
    """Words of one stretch; a prompt override is used when the recogniser supports one."""
    with_prompt = getattr(transcriber, "transcribe_with_prompt", None)
    if prompt is not None and with_prompt is not None:
        segs = with_prompt(audio, offset=offset, prompt=prompt)
    else:
        segs = transcriber.transcribe(audio, offset=offset)
    return [w for s in segs for w in s.words]


def _overlap(w: Word, r: SpeechRegion) -> float:
    return max(0.0, min(w.end or 0.0, r.end) - max(w.start or 0.0, r.start))


def assign_words(regions: Sequence[SpeechRegion], words: Sequence[Word]) -> list[list[int]]:
    """For each region, the indices of the words that overlap it more than any other region.

    Words lying wholly in a silence (Whisper's times drift there) are assigned to none.
    """
    out: list[list[int]] = [[] for _ in regions]
    for i, w in enumerate(words):
        if not w.timed or not regions:
            continue
        best = max(range(len(regions)), key=lambda k: _overlap(w, regions[k]))
        if _overlap(w, regions[best]) > 0.0:
            out[best].append(i)
    return out


def orphan_regions(regions: Sequence[SpeechRegion], words: Sequence[Word],
                   options: RecoveryOptions) -> tuple[list[SpeechRegion], list[tuple[int, SpeechRegion]],
                                                      list[tuple[int, SpeechRegion]]]:
    """Where a filled pause was probably dropped.

    Returns ``(orphans, retimed, lone)``:

    * orphans: filler-length regions no word lies on;
    * retimed: ``(word index, region)`` for filled pauses Whisper placed in the silence next
      to an orphan region. Such a word *is* that region's sound (Whisper pulls a word after
      a silence into it), so the region is not decoded again; the word moves onto it;
    * lone: ``(word index, region)`` for a short region holding one low-confidence word.
    """
    regions = sorted(regions, key=lambda r: r.start)
    assigned = assign_words(regions, words)
    placed = {i for idx in assigned for i in idx}
    floating = [i for i, w in enumerate(words)
                if w.timed and i not in placed and is_filled(w.text)]
    orphans: list[SpeechRegion] = []
    retimed: list[tuple[int, SpeechRegion]] = []
    lone: list[tuple[int, SpeechRegion]] = []
    for k, r in enumerate(regions):
        if len(assigned[k]) == 1 and r.duration <= options.lone_max_s:
            i = assigned[k][0]
            if not is_filled(words[i].text) and words[i].probability < options.lone_max_probability:
                lone.append((i, r))
            continue
        if assigned[k] or not options.orphan_min_s <= r.duration <= options.orphan_max_s:
            continue
        prev_end = regions[k - 1].end if k > 0 else 0.0
        next_start = regions[k + 1].start if k + 1 < len(regions) else float("inf")
        # A floating filler in the silence just after (or else just before) this region.
        near = [i for i in floating if r.end <= (words[i].start or 0.0) < next_start] or [
            i for i in floating if prev_end <= (words[i].end or 0.0) <= r.start]
        if near:
            floating.remove(near[0])
            retimed.append((near[0], r))
        else:
            orphans.append(r)
    return orphans, retimed, lone


def recover_filled_pauses(
    transcriber: Transcriber,
    audio: np.ndarray,
    offset: float,
    regions: Sequence[SpeechRegion],
    words: Sequence[Word],
    options: RecoveryOptions | None = None,
) -> tuple[list[Word], list[Word]]:
    """Filled pauses the first pass missed in ``audio`` (which starts at ``offset`` s).

    ``regions`` and ``words`` are the VAD regions and the recognised words for this stretch
    of audio, in absolute seconds. Returns ``(words, recovered)``: the words (a floating
    filler moved onto the region it came from; a lone misheard word replaced by the filled
    pause it was) and the new filled pauses. Every new or replaced word is ``recovered``.
    """
    options = options or RecoveryOptions()
    words = list(words)
    if not options.enabled or all(is_filled(w.text) for w in words):
        # A filled pause is a pause in someone's speech: where Whisper heard no word at all
        # (music, noise), decoding the blips again only makes it loop "uh, uh, uh".
        return words, []
    end_t = offset + audio.size / SAMPLE_RATE
    inside = [r for r in regions if r.start >= offset - 1e-6 and r.end <= end_t + 1e-6]
    orphans, retimed, lone = orphan_regions(inside, words, options)
    for i, r in retimed:
        words[i] = replace(words[i], start=r.start, end=r.end)
    if orphans or lone:
        levels = [_level_db(audio, offset, r) for r in inside]
        floor = float(np.median(levels)) + options.min_level_db
        orphans = [r for r in orphans if _level_db(audio, offset, r) >= floor]
        lone = [(i, r) for i, r in lone if _level_db(audio, offset, r) >= floor]

    def redecode(r: SpeechRegion, prompts: tuple[str | None, ...]) -> list[Word]:
        a = max(0, int((r.start - options.pad_s - offset) * SAMPLE_RATE))
        b = min(audio.size, int((r.end + options.pad_s - offset) * SAMPLE_RATE))
        for prompt in prompts:
            got = _only_fillers(_decode(transcriber, audio[a:b], offset + a / SAMPLE_RATE, prompt))
            if len(got) > max(1.0, r.duration / options.min_filler_s):
                return []  # more fillers than fit in the sound: the decoder looped on noise
            if got:
                return [_onto(w, r) for w in got]
        return []

    found: list[Word] = []
    for r in orphans:
        # The configured (filler) prompt only: the lone-filler prompt also turns cut-off
        # words ("Mon-") into "Mm." on real recordings.
        found += redecode(r, (None,))
    drop: set[int] = set()
    for i, r in lone:
        got = redecode(r, (LONE_FILLER_PROMPT,))
        if got:
            drop.add(i)
            found += got
    return [w for i, w in enumerate(words) if i not in drop], found


def _level_db(audio: np.ndarray, offset: float, r: SpeechRegion) -> float:
    """RMS level (dBFS) of region ``r`` of ``audio`` (which starts at ``offset`` s)."""
    from voice_coach.audio.vad import frame_level_db

    a = max(0, int((r.start - offset) * SAMPLE_RATE))
    b = min(audio.size, int((r.end - offset) * SAMPLE_RATE))
    return frame_level_db(audio[a:b])


def _onto(w: Word, r: SpeechRegion) -> Word:
    """``w`` as a recovered word, its times clamped to region ``r``.

    Whisper's times inside a short clip can spill into the padding; the VAD region is where
    the sound actually is.
    """
    start = max(r.start, min(w.start or r.start, r.end))
    end = min(r.end, max(w.end or r.end, start))
    text = "Mm." if normalise_token(w.text) == "m" else w.text  # a hum, not the letter
    return Word(text, round(start, 3), round(end, 3), w.probability, True)


def merge_words(words: Sequence[Word], extra: Sequence[Word]) -> list[Word]:
    """``words`` with ``extra`` inserted in time order (existing order is kept)."""
    out = list(words)
    for w in sorted(extra, key=lambda x: x.start or 0.0):
        t = w.start or 0.0
        i = next((k for k, x in enumerate(out) if x.timed and (x.start or 0.0) > t), len(out))
        out.insert(i, w)
    return out
