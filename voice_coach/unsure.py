"""Where the greedy words are unsure, take beam search's words instead.

Why: the words pass decodes greedily (``AsrOptions.beam_size`` 1), which on the rendered dev
set gives every figure beam search gives, for less CPU. On real speech greedy decoding
mishears now and then where bare faster-whisper (beam 5) does not: on a real phone call it
wrote "I needed to die" for "Neither did I" and "deep" for "beat". Those words come out
unsure (probabilities 0.24 and 0.21, where nine words in ten score above 0.5). Searching the
whole words pass with beam 5 instead was tried and reverted: it kept 32 of 42 words of a
rendered mock-interview answer, where greedy kept them all, and wrote "." for music
(docs/signals-delivery.md).

So both are used, each where it is good. When a window's words pass holds a word below
:data:`UNSURE_P`, the window is decoded once more with beam search, on the same shortened
audio the words pass heard (:mod:`voice_coach.speech_only`, so the encoder output is reused,
:mod:`voice_coach.encoder_memo`), and the two word sequences are aligned. Only a stretch
where they differ next to an unsure greedy word takes the beam's words, and only when the
beam wrote something there, between the same neighbours in time, with a higher mean
probability, and not a long run (:func:`splice`). Everywhere else the greedy words stand,
so a window the beam skips or a loop it falls into costs nothing.

The decoding itself happens in :func:`voice_coach.two_pass.transcribe_passes`; this module
holds only the decisions, on words, so they are tested without a model.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from voice_coach.checks import looping
from voice_coach.transcript import SpeechRegion, Word, normalise_token

# A greedy word below this probability is unsure. On the real recordings the misheard
# words scored 0.05-0.24; over the 12 rendered dev answers 4 windows held one and none of
# their stretches changed (the beam agreed or was not surer).
UNSURE_P = 0.3
# The beam's words may start or end this far outside the gap between the stretch's neighbours.
SLACK_S = 0.3
# Differences longer than this are not a misheard phrase but a pass that went its own way.
MAX_STRETCH_WORDS = 6
# An inserted stretch (greedy wrote nothing there) needs at least this mean probability.
MIN_INSERT_P = 0.5

Opcode = tuple[str, int, int, int, int]


def unsure(words: Sequence[Word]) -> bool:
    """Whether any of ``words`` is below :data:`UNSURE_P`."""
    return any(w.probability < UNSURE_P for w in words)


def splice(plain: Sequence[Word], beam: Sequence[Word], regions: Sequence[SpeechRegion] = ()) -> list[Word]:
    """``plain`` with each stretch where it differs from ``beam`` next to an unsure word
    replaced by the beam's words, when the beam's are trustworthy there (module docstring).

    Where ``plain`` has no word at all (an insertion), the beam's words must also lie on
    VAD speech (``regions``).
    """
    plain, beam = list(plain), list(beam)
    if not plain or not beam or looping([normalise_token(w.text) for w in beam]):
        return plain
    matcher = difflib.SequenceMatcher(a=[normalise_token(w.text) for w in plain],
                                      b=[normalise_token(w.text) for w in beam], autojunk=False)
    out: list[Word] = []
    for tag, i1, i2, j1, j2 in stretches(matcher.get_opcodes()):
        ours, theirs = plain[i1:i2], beam[j1:j2]
        if tag != "equal" and theirs and _better(plain, i1, i2, theirs, regions):
            out.extend(theirs)
        else:
            out.extend(ours)
    return out


def _better(plain: list[Word], i1: int, i2: int, theirs: list[Word], regions: Sequence[SpeechRegion]) -> bool:
    ours = plain[i1:i2]
    if len(ours) > MAX_STRETCH_WORDS or len(theirs) > len(ours) + 2:
        return False
    if not unsure(ours or plain[max(0, i1 - 1):i1 + 1]):
        return False
    lo = plain[i1 - 1].end if i1 > 0 else None
    hi = plain[i2].start if i2 < len(plain) else None
    if any((lo is not None and (w.start or 0.0) < lo - SLACK_S) or (hi is not None and (w.end or 0.0) > hi + SLACK_S)
           for w in theirs):
        return False
    if not ours:
        return _mean_p(theirs) >= MIN_INSERT_P and all(
            any(w.overlaps(r) for r in regions) for w in theirs)
    return _mean_p(theirs) > _mean_p(ours)


def stretches(opcodes: Sequence[Opcode]) -> list[Opcode]:
    """``opcodes`` with differences that one agreeing word separates joined into one
    ("I needed to die" against "neither did I" aligns on the "I")."""
    out: list[Opcode] = []
    for op in opcodes:
        if op[0] == "equal" or not out:
            out.append(op)
            continue
        if out[-1][0] != "equal":
            first = out.pop()
        elif len(out) >= 2 and out[-1][2] - out[-1][1] == 1:
            out.pop()
            first = out.pop()
        else:
            out.append(op)
            continue
        out.append(("replace", first[1], op[2], first[3], op[4]))
    return out


def _mean_p(words: Sequence[Word]) -> float:
    return sum(w.probability for w in words) / len(words) if words else 0.0
