"""Every stretch the VAD calls speech gets words, or the report says it has none.

Why: the filler prompt (``asr.FILLER_PROMPT``) is what keeps "um" and "uh" in the
transcript, but on some real and multi-voice audio it also makes Whisper skip whole
stretches. On a real 30 s phone call the prompted pass stopped after 9 s (20 of 75 words);
on a two-voice mock interview it lost the first question and answer and timed the first
word 14 s late. A coach that scores a third of an answer as if it were the whole is worse
than none.

How: after the (prompted) pass over a window, :func:`uncovered` lists the stretches of VAD
speech that lie farther than ``slack_s`` from every recognised word and are at least
``min_gap_s`` long. Each one (neighbours closer than ``join_s`` decoded together) is decoded
again *without* the prompt, which is how a plain faster-whisper run hears it, and the words
that land inside it are added. Whatever is still uncovered at the end is reported as
``dropped_speech`` (:mod:`voice_coach.checks`), with its times. Measured effect and cost:
docs/signals-delivery.md and docs/benchmarks.md.

Only stretches the first pass left empty are decoded again, so a clean answer costs nothing
extra and its words are never rewritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from voice_coach.asr import Transcriber
from voice_coach.audio.decode import SAMPLE_RATE
from voice_coach.recovery import is_filled, merge_words
from voice_coach.transcript import Segment, SpeechRegion, Word


@dataclass(frozen=True)
class CoverageOptions:
    """When speech counts as left without words, and how it is decoded again.

    Attributes:
        enabled: decode uncovered speech again (off: it is only reported).
        min_gap_s: uncovered speech shorter than this is left alone. A lone "um" is
            shorter; filler recovery (:mod:`voice_coach.recovery`) looks at those.
        slack_s: a word covers the speech this far either side of its times; Whisper's
            word times drift by a few hundred ms, and a held vowel outlasts its word.
        join_s: uncovered stretches closer than this are decoded as one, so a sentence
            cut by a short pause keeps its context.
        pad_s: audio either side of a stretch handed to the recogniser, so onsets survive.
    """

    enabled: bool = True
    min_gap_s: float = 1.0
    slack_s: float = 0.5
    join_s: float = 1.0
    pad_s: float = 0.3


def uncovered(regions: Sequence[SpeechRegion], words: Sequence[Word],
              options: CoverageOptions | None = None) -> list[SpeechRegion]:
    """Stretches of speech in ``regions`` with no word within ``slack_s``, at least ``min_gap_s`` long.

    Untimed words cover nothing. Stretches closer than ``join_s`` are joined (the silence
    between them included), and the result is in time order.
    """
    opts = options or CoverageOptions()
    spans = sorted(((w.start or 0.0) - opts.slack_s, (w.end or 0.0) + opts.slack_s)
                   for w in words if w.timed)
    pieces: list[tuple[float, float]] = []
    for r in sorted(regions, key=lambda x: x.start):
        t = r.start
        for a, b in spans:
            if b <= t or a >= r.end:
                continue
            if a > t:
                pieces.append((t, a))
            t = max(t, b)
        if t < r.end:
            pieces.append((t, r.end))
    joined: list[tuple[float, float]] = []
    for a, b in pieces:
        if b - a <= 0:
            continue
        if joined and a - joined[-1][1] < opts.join_s:
            joined[-1] = (joined[-1][0], b)
        else:
            joined.append((a, b))
    return [SpeechRegion(round(a, 3), round(b, 3)) for a, b in joined if b - a >= opts.min_gap_s]


def decode_plain(transcriber: Transcriber, audio: np.ndarray, offset: float) -> list[Segment]:
    """One stretch decoded without any prompt, when the recogniser allows a prompt override."""
    from voice_coach.two_pass import PlainView

    view = PlainView(transcriber) if hasattr(transcriber, "transcribe_with_prompt") else transcriber
    return list(view.transcribe(audio, offset=offset))


def fill_uncovered(
    transcriber: Transcriber,
    audio: np.ndarray,
    offset: float,
    regions: Sequence[SpeechRegion],
    words: Sequence[Word],
    options: CoverageOptions | None = None,
) -> tuple[list[Word], list[Segment]]:
    """``words`` plus the words heard when each uncovered stretch is decoded again.

    ``audio`` starts at ``offset`` seconds; ``regions`` and ``words`` are in absolute
    seconds. Only words whose middle lies inside the stretch (widened by ``pad_s``) are
    kept, so nothing the first pass heard is duplicated or rewritten; a filled pause is
    kept only where no filled pause sits between the same two words yet (Whisper times a
    run of fillers at an instant, so the run's sound looks uncovered; the two passes have
    already decided how many fillers it holds, voice_coach.two_pass). Returns the merged
    words, in time order, and the new segments (holding only the kept words).
    """
    opts = options or CoverageOptions()
    out = list(words)
    if not opts.enabled:
        return out, []
    end_t = offset + audio.size / SAMPLE_RATE
    added: list[Word] = []
    segments: list[Segment] = []
    for gap in uncovered(regions, words, opts):
        a_t = max(offset, gap.start - opts.pad_s)
        b_t = min(end_t, gap.end + opts.pad_s)
        a, b = int((a_t - offset) * SAMPLE_RATE), int((b_t - offset) * SAMPLE_RATE)
        for seg in decode_plain(transcriber, audio[a:b], a_t):
            kept = tuple(w for w in seg.words
                         if w.timed and a_t <= _mid(w) <= b_t
                         and not (is_filled(w.text) and _slot_has_filler(w, out)))
            if kept:
                added.extend(kept)
                segments.append(Segment(" ".join(w.text for w in kept), kept[0].start, kept[-1].end, kept))
    return merge_words(out, added), segments


def _mid(w: Word) -> float:
    return ((w.start or 0.0) + (w.end or 0.0)) / 2


def _slot_has_filler(w: Word, words: Sequence[Word]) -> bool:
    """Whether a filled pause of ``words`` lies between the two words (not fillers) around ``w``."""
    t = _mid(w)
    timed = [x for x in words if x.timed]
    before = max((_mid(x) for x in timed if not is_filled(x.text) and _mid(x) <= t), default=float("-inf"))
    after = min((_mid(x) for x in timed if not is_filled(x.text) and _mid(x) > t), default=float("inf"))
    return any(is_filled(x.text) and before <= _mid(x) <= after for x in timed)
