"""Words and timings from a plain pass; filled pauses from a prompted one.

Why two passes: Whisper leaves out most "um" and "uh" unless its decoder is primed with a
disfluent prompt (``asr.FILLER_PROMPT``), but the same prompt makes it skip or repeat
whole stretches of some real and multi-voice audio (a 30 s phone call kept 20 of 75
words; a mock interview 150 of 210). So the words and their times come from a pass
without the prompt, which hears what a plain faster-whisper run hears, and the prompted
pass contributes only the filled pauses it wrote between two words the plain pass also
heard. Whatever the prompted pass skips or invents costs at most a filler, never a word.

How the fillers are placed: both passes' words (fillers left out) are aligned with
:class:`difflib.SequenceMatcher`. A filler in the prompted pass sits in a *slot*: after the
last aligned word before it and before the next aligned word after it. The plain pass's
own fillers in that slot count towards it, so a slot gets ``max(plain, prompted)``
fillers, never both; added fillers are placed by time inside their slot. A prompted
filler whose time lies well outside its slot (the prompted pass's times jump after a
skip) is not trusted.

Where the two greedy passes disagree on most of the words both wrote, greedy decoding is
unsure of the words themselves (a short clip of fillers came out as "Montreal Forest ...
forestilliner" in one pass and "Montreal forced ... for a stilliner" in the other). There
the window's words come from one more decode the way bare faster-whisper does it: no
prompt, beam search, the window as recorded (:data:`MIN_AGREEMENT`).

Side by side: the prompted pass does not need the plain one's words to start, only to be
used, so where the recogniser can run two decodes at once (``side_by_side``) both passes run
at the same time on two threads, one CPU thread each. If the plain pass then finds no speech
(music, noise), the prompted pass is stopped before its next 30 s window.
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

import numpy as np

from voice_coach.asr import BARE_BEAM_SIZE, Transcriber
from voice_coach.audio import SAMPLE_RATE
from voice_coach.checks import CheckOptions, looping
from voice_coach.recovery import is_filled
from voice_coach.transcript import Segment, SpeechRegion, Word, normalise_token
from voice_coach.unsure import splice, unsure

# A prompted filler may lie this far outside the times of its slot's neighbours.
SLOT_SLACK_S = 1.0
# Below this share of agreeing words (of the shorter pass's words; fillers left out) the
# window is decoded again with beam search. The passes agreed on 0.94-1.00 of the words
# of the 12 rendered dev answers and on 0.60-1.00 of 13 of the 15 real recordings (the
# lowest: clips of cut-off words); the other two, short elicited clips, agreed on 0.33
# and 0.00, and there beam search kept 3 of 4 words where greedy kept 1 (the bare model
# 3), and 0 of 3 where greedy kept 1 (the bare model 0). A pass that skips a stretch (the
# prompted pass on a phone call) does not count as disagreeing: only words both wrote do.
MIN_AGREEMENT = 0.5
# A prompted filled pause that repeats the one just before it ("uh, uh") is kept only at
# this probability or above. Under the filler prompt Whisper writes a drawn-out "uhhh" as
# "uh (p 0.39), uh (p 0.01)"; repeats that were real fillers scored 0.23-0.95 (real
# recordings; the rendered dev set has no prompted repeat).
REPEAT_MIN_PROBABILITY = 0.05


class PlainView:
    """``transcriber`` seen through :class:`~voice_coach.asr.Transcriber`, decoding without a
    prompt; with ``stop``, no further 30 s window once it is set."""

    def __init__(self, transcriber: Transcriber, stop: threading.Event | None = None) -> None:
        self.transcriber = transcriber
        self.stop = stop
        self.name: str = getattr(transcriber, "name", "unknown")
        self.shorten_silence = bool(getattr(transcriber, "shorten_silence", False))

    def _prompt(self) -> str | None:
        return None

    def transcribe(self, audio: np.ndarray, *, offset: float = 0.0) -> list[Segment]:
        stopping = {} if self.stop is None else {"stop": self.stop}
        return list(self.transcriber.transcribe_with_prompt(  # type: ignore[attr-defined]
            audio, offset=offset, prompt=self._prompt(), **stopping))


class BeamView(PlainView):
    """``transcriber`` decoding as bare faster-whisper does: no prompt, beam search."""

    def transcribe(self, audio: np.ndarray, *, offset: float = 0.0) -> list[Segment]:
        return list(self.transcriber.transcribe_with_prompt(  # type: ignore[attr-defined]
            audio, offset=offset, prompt=None, beam_size=BARE_BEAM_SIZE))


class PrimedView(PlainView):
    """``transcriber`` decoding with its own prompt (and ``stop`` as :class:`PlainView`)."""

    def _prompt(self) -> str | None:
        return self.transcriber.options.initial_prompt  # type: ignore[attr-defined]


def _pool() -> ThreadPoolExecutor:
    """Long-lived threads for the passes run side by side (four: batch may decode two files at once)."""
    from voice_coach.pools import pool

    return pool("passes", 4)


def prompted(transcriber: Transcriber) -> bool:
    """Whether ``transcriber`` decodes with a prompt that can also be switched off."""
    return bool(getattr(getattr(transcriber, "options", None), "initial_prompt", None)) and hasattr(
        transcriber, "transcribe_with_prompt")


def transcribe_passes(transcriber: Transcriber, audio: np.ndarray, offset: float,
                      regions: Sequence[SpeechRegion],
                      decode: Callable[[bool], list[Segment]] | None = None,
                      keep: Callable[[Segment], bool] | None = None) -> tuple[list[Segment], list[Word]]:
    """Segments and words of one window: plain words plus prompted fillers when the
    recogniser has a prompt, else its single pass.

    ``decode(plain)`` recognises the window, without the prompt when ``plain``; by default
    with long silences shortened (voice_coach.speech_only). The live transcriber passes its
    own, which stops once the speech is covered. The primed pass is skipped where the plain
    one heard sound but no speech, and ignored where it loops (the
    ``repetitive_transcript`` test). ``keep`` filters the segments of the beam fallback as
    the caller's ``decode`` filters its own (live drops what Whisper invents after the speech).
    """
    from voice_coach.speech_only import transcribe_speech

    def shortened(plain: bool) -> list[Segment]:
        return transcribe_speech(PlainView(transcriber) if plain else transcriber, audio, offset, regions)

    decode_given = decode is not None
    decode = decode or shortened
    if not prompted(transcriber):
        segs = decode(False)
        return segs, [w for s in segs for w in s.words]
    # Side by side, both passes run on pool threads and this thread only waits: Ctrl-C is
    # raised here, never inside faster-whisper, whose progress bar (tqdm) takes a process-wide
    # lock that an interrupted decode would leave held, and the other pass wait on for ever.
    stop = threading.Event()
    running: list[Future[list[Segment]]] = []
    if not decode_given and getattr(transcriber, "side_by_side", False):
        running = [_pool().submit(transcribe_speech, view(transcriber, stop), audio, offset, regions)
                   for view in (PlainView, PrimedView)]
    try:
        plain = running[0].result() if running else decode(True)
        heard = [w for s in plain for w in s.words]
        if not _speech_heard(heard, audio, offset, regions):
            return plain, heard  # music or noise: the primed pass would only loop on "uh"
        primed = [w for s in (running[1].result() if running else decode(False)) for w in s.words]
    finally:
        stop.set()  # only matters when leaving early: no pass starts another window
        for f in running:
            f.exception()  # wait: no decode outlives this window
    if looping([normalise_token(w.text) for w in primed]):
        return plain, heard
    beam = getattr(transcriber, "transcribe_beam", None)
    if beam is not None and agreement(heard, primed) < MIN_AGREEMENT:
        plain = [seg for seg in beam(audio, offset=offset) if keep is None or keep(seg)]
        heard = [w for s in plain for w in s.words]
    elif beam is not None and unsure(heard):  # checked against beam search (voice_coach.unsure)
        second = [w for seg in transcribe_speech(BeamView(transcriber), audio, offset, regions)
                  if keep is None or keep(seg) for w in seg.words]
        heard = splice(heard, second, regions)
    return plain, merge_prompted(heard, primed, regions)


def agreement(first: Sequence[Word], second: Sequence[Word]) -> float:
    """The share of the shorter pass's words (filled pauses left out) the other pass also
    wrote, in order; 1.0 when either pass wrote none."""
    a = [normalise_token(w.text) for w in first if not is_filled(w.text)]
    b = [normalise_token(w.text) for w in second if not is_filled(w.text)]
    a, b = [t for t in a if t], [t for t in b if t]
    if not a or not b:
        return 1.0
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return sum(m.size for m in matcher.get_matching_blocks()) / min(len(a), len(b))


def _speech_heard(words: Sequence[Word], audio: np.ndarray, offset: float,
                  regions: Sequence[SpeechRegion]) -> bool:
    """Whether the plain pass heard speech in this window, not just sound.

    The same test as the ``no_speech`` warning (voice_coach.checks): over at least
    ``min_sound_s`` of VAD speech, fewer than ``no_speech_words_per_sound_s`` words a second
    is music or noise. Primed with fillers, Whisper loops "uh, uh, uh" on such sound, up to
    its token limit in every window: 30 s of music took 3.9x as long as 30 s of speech.
    """
    opts = CheckOptions()
    end = offset + audio.size / SAMPLE_RATE
    sound = sum(max(0.0, min(r.end, end) - max(r.start, offset)) for r in regions)
    return sound < opts.min_sound_s or len(words) >= opts.no_speech_words_per_sound_s * sound


def merge_prompted(plain: Sequence[Word], prompted_words: Sequence[Word],
                   regions: Sequence[SpeechRegion] = ()) -> list[Word]:
    """``plain`` plus the filled pauses only ``prompted_words`` holds, placed by time, in order.

    Also the prompted pass's words that fill a hole in the plain pass: both neighbours
    aligned, no plain word between them, the word inside that gap and on VAD speech (the
    plain pass drops a word after a filler now and then: "but um Montreal" -> "Montreal").
    Nothing is added where the plain pass heard no word at all.

    A slot gets as many fillers as the pass that heard more of them there; the added ones
    keep the prompted pass's times, clamped into the gap between the slot's neighbours,
    and are marked ``recovered``. One whose times lie outside that gap (the prompted pass
    drifts after a skip) goes onto the first speech region in the gap that no word lies
    on yet, when there is one: that is where the unheard sound is.
    """
    plain = list(plain)
    a_idx = [i for i, w in enumerate(plain) if not is_filled(w.text)]
    if not a_idx:
        # A filled pause is a pause in someone's speech. Where the plain pass heard no
        # word at all (music, noise), the primed pass's "uh, uh, uh" is the prompt talking.
        return plain
    b_idx = [i for i, w in enumerate(prompted_words) if not is_filled(w.text)]
    matcher = difflib.SequenceMatcher(
        a=[normalise_token(plain[i].text) for i in a_idx],
        b=[normalise_token(prompted_words[i].text) for i in b_idx], autojunk=False)
    to_plain: dict[int, int] = {}  # prompted index -> plain index of the same content word
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            to_plain[b_idx[block.b + k]] = a_idx[block.a + k]
    slots: dict[tuple[int, int], list[Word]] = {}  # (plain before, plain after) -> fillers
    added: list[tuple[int, Word]] = []  # (insert before this plain index, word)
    for j, w in enumerate(prompted_words):
        if j in to_plain or not w.timed:
            continue
        lo = max((to_plain[k] for k in range(j) if k in to_plain), default=-1)
        hi = min((to_plain[k] for k in range(j + 1, len(prompted_words)) if k in to_plain),
                 default=len(plain))
        if is_filled(w.text):
            if _loop_repeat(prompted_words, j):
                continue
            slots.setdefault((lo, hi), []).append(w)
        elif _in_silent_speech(w, plain, lo, hi, regions):
            added.append((hi, w))
    free = [r for r in regions if not any(w.overlaps(r) for w in plain)]
    for (lo, hi), fillers in slots.items():
        start = plain[lo].end if lo >= 0 else None
        end = plain[hi].start if hi < len(plain) else None
        fitting = _distinct([w for w in fillers
                             if (start is None or (w.start or 0.0) >= start - SLOT_SLACK_S)
                             and (end is None or (w.end or 0.0) <= end + SLOT_SLACK_S)])
        have = len(_distinct([x for x in plain[lo + 1:hi] if is_filled(x.text)]))
        for w in fitting[have:]:
            lo_t, hi_t = start if start is not None else -1.0, end if end is not None else float("inf")
            mid = ((w.start or 0.0) + (w.end or 0.0)) / 2
            spot = None if lo_t <= mid <= hi_t else next(
                (r for r in free if r.start >= lo_t and r.end <= hi_t), None)
            if spot is not None:
                free.remove(spot)
                new = replace(w, start=spot.start, end=spot.end, recovered=True)
            else:
                new = _clamp(w, start, end)
            at = lo + 1  # after the slot's unaligned plain words that start earlier
            while at < hi and (plain[at].start or 0.0) <= (new.start or 0.0):
                at += 1
            added.append((at, new))
    keyed = [((i, 1, 0.0), w) for i, w in enumerate(plain)]
    keyed += [((at, 0, w.start or 0.0), w) for at, w in added]
    return [w for _key, w in sorted(keyed, key=lambda kw: kw[0])]


def _loop_repeat(words: Sequence[Word], j: int) -> bool:
    """Whether ``words[j]`` repeats the filled pause just before it at a probability below
    :data:`REPEAT_MIN_PROBABILITY`: the decoder carrying on one drawn-out sound."""
    return (j > 0 and normalise_token(words[j - 1].text) == normalise_token(words[j].text)
            and words[j].probability < REPEAT_MIN_PROBABILITY)


def _distinct(fillers: Sequence[Word]) -> list[Word]:
    """``fillers`` without a repeat of the one before it at (nearly) the same instant.

    Whisper loops on a filler now and then and writes "uh, uh, uh" at one instant; the
    fillers signal counts such a run once (``fillers.Config.merge_repeats_within_s``), so
    the two passes are compared on what will be counted, not on how often a pass looped.
    """
    from voice_coach.signals.fillers import Config

    within = Config().merge_repeats_within_s
    out: list[Word] = []
    for w in fillers:
        if out and normalise_token(out[-1].text) == normalise_token(w.text) and \
                (w.start or 0.0) - (out[-1].start or 0.0) <= within:
            continue
        out.append(w)
    return out


def _in_silent_speech(w: Word, plain: Sequence[Word], lo: int, hi: int,
                      regions: Sequence[SpeechRegion]) -> bool:
    """Whether a word only the prompted pass heard fills a hole in the plain pass.

    That is: the plain pass has no word between the slot's neighbours, the word lies
    inside the gap they leave (its times did not drift), and the VAD heard speech there.
    A word the prompted pass invents in a silence ("Okay." after the answer) fails the last test.
    """
    if any(not is_filled(x.text) for x in plain[lo + 1:hi]):
        return False
    start = plain[lo].end if lo >= 0 else 0.0
    end = plain[hi].start if hi < len(plain) else float("inf")
    if (w.start or 0.0) < (start or 0.0) or (w.end or 0.0) > (end if end is not None else float("inf")):
        return False
    return any(w.overlaps(r) for r in regions)


def _clamp(w: Word, lo: float | None, hi: float | None) -> Word:
    start, end = w.start or 0.0, w.end or 0.0
    if lo is not None and hi is not None and hi >= lo:
        start = min(max(start, lo), hi)
        end = min(max(end, start), hi)
    return replace(w, start=round(start, 3), end=round(max(start, end), 3), recovered=True)
