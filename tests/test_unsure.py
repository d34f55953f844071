"""Beam search where the greedy words are unsure (voice_coach.unsure): an examples table of
what a stretch takes from the beam and what it keeps, and the window-level wiring."""

from __future__ import annotations

import pytest

from tests.test_two_pass import AUDIO, ThreeWays, W, decode_with
from voice_coach.transcript import SpeechRegion, Word
from voice_coach.two_pass import transcribe_passes
from voice_coach.unsure import MAX_STRETCH_WORDS, UNSURE_P, splice, stretches, unsure

# The real phone call's greedy words around "Neither did I" (probabilities as decoded).
GREEDY = [W("there.", 9.6, 10.0, 1.0), W("I", 10.2, 10.4, 0.49), W("needed", 10.4, 10.6, 0.47),
          W("to", 10.6, 10.6, 0.87), W("die.", 10.6, 10.9, 0.24), W("I", 11.4, 11.4, 0.51),
          W("thought,", 11.4, 11.7, 0.77)]
BEAM = [W("there.", 9.6, 10.0, 1.0), W("Neither", 10.1, 10.4, 0.25), W("did", 10.4, 10.7, 0.75),
        W("I.", 10.7, 10.9, 0.91), W("I", 11.3, 11.4, 0.57), W("thought,", 11.4, 11.7, 0.82)]
SPEECH = [SpeechRegion(9.0, 12.0)]


def texts(words: list[Word]) -> list[str]:
    return [w.text for w in words]


def shifted(words: list[Word], by: float) -> list[Word]:
    return [W(w.text, (w.start or 0.0) + by, (w.end or 0.0) + by, w.probability) for w in words]


# (why, greedy, beam, expected words)
EXAMPLES = [
    ("a misheard phrase around unsure words takes the beam's words",
     GREEDY, BEAM, ["there.", "Neither", "did", "I.", "I", "thought,"]),
    ("where the beam wrote nothing the greedy words stand",
     GREEDY, [BEAM[0], *BEAM[4:]], texts(GREEDY)),
    ("a difference between sure words is kept as greedy heard it",
     [W("heard", 12.0, 12.2, 0.98), W("a", 12.2, 12.3, 0.9), W("deep.", 12.3, 12.6, 0.9)],
     [W("heard", 12.0, 12.2, 0.98), W("a", 12.2, 12.3, 0.9), W("beat.", 12.3, 12.6, 0.95)],
     ["heard", "a", "deep."]),
    ("a beam less sure than greedy does not replace it",
     [W("heard", 12.0, 12.2, 0.98), W("a", 12.2, 12.3, 0.9), W("deep.", 12.3, 12.6, 0.25)],
     [W("heard", 12.0, 12.2, 0.98), W("a", 12.2, 12.3, 0.9), W("beat.", 12.3, 12.6, 0.2)],
     ["heard", "a", "deep."]),
    ("the beam's words must lie between the same neighbours in time",
     GREEDY, [BEAM[0], *shifted(BEAM[1:4], 3.0), *BEAM[4:]], texts(GREEDY)),
    ("a beam that loops is not used anywhere",
     GREEDY, [*BEAM, *[W("Mm", 12.0 + k / 10, 12.1 + k / 10) for k in range(40)]], texts(GREEDY)),
    ("a stretch longer than a misheard phrase is kept",
     [W("ok", 0.0, 0.2, 0.9)] + [W(f"w{k}", 1 + k / 4, 1.2 + k / 4, 0.2) for k in range(MAX_STRETCH_WORDS + 1)]
     + [W("end", 5.0, 5.2, 0.9)],
     [W("ok", 0.0, 0.2, 0.9)] + [W(f"v{k}", 1 + k / 4, 1.2 + k / 4, 0.9) for k in range(MAX_STRETCH_WORDS + 1)]
     + [W("end", 5.0, 5.2, 0.9)],
     ["ok", *[f"w{k}" for k in range(MAX_STRETCH_WORDS + 1)], "end"]),
    ("a word only the beam heard, next to an unsure one and on speech, is added",
     [W("Hello.", 9.1, 9.5, 0.66), W("Oh,", 10.8, 11.0, 0.2), W("hello.", 11.1, 11.4, 0.98)],
     [W("Hello.", 9.1, 9.5, 0.58), W("Hi.", 10.1, 10.6, 0.66), W("Oh,", 10.8, 11.0, 0.15),
      W("hello.", 11.1, 11.4, 0.98)],
     ["Hello.", "Hi.", "Oh,", "hello."]),
    ("... but not where the VAD heard no speech",
     [W("Hello.", 9.1, 9.5, 0.66), W("Oh,", 12.5, 12.8, 0.2), W("hello.", 12.8, 13.0, 0.98)],
     [W("Hello.", 9.1, 9.5, 0.58), W("Hi.", 12.1, 12.4, 0.66), W("Oh,", 12.5, 12.8, 0.15),
      W("hello.", 12.8, 13.0, 0.98)],
     ["Hello.", "Oh,", "hello."]),
]


@pytest.mark.parametrize(("why", "greedy", "beam", "expected"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_splice_examples(why: str, greedy: list[Word], beam: list[Word], expected: list[str]) -> None:
    assert texts(splice(greedy, beam, SPEECH)) == expected, why


def test_differences_one_agreeing_word_apart_are_one_stretch() -> None:
    ops = [("equal", 0, 1, 0, 1), ("insert", 1, 1, 1, 3), ("equal", 1, 2, 3, 4),
           ("delete", 2, 5, 4, 4), ("equal", 5, 7, 4, 6)]
    assert stretches(ops) == [("equal", 0, 1, 0, 1), ("replace", 1, 5, 1, 4), ("equal", 5, 7, 4, 6)]


def test_a_window_with_an_unsure_word_is_checked_against_beam_search() -> None:
    assert unsure(GREEDY) and not unsure([w for w in GREEDY if w.probability >= UNSURE_P])
    fake = ThreeWays(GREEDY, GREEDY, BEAM)
    _segs, words = transcribe_passes(fake, AUDIO, 9.0, SPEECH, decode_with(fake))
    assert fake.beam_calls == 1
    assert texts(words) == ["there.", "Neither", "did", "I.", "I", "thought,"]


def test_a_window_of_sure_words_is_not_decoded_again() -> None:
    sure = [w for w in GREEDY if w.probability >= UNSURE_P]
    fake = ThreeWays(sure, sure, BEAM)
    _segs, words = transcribe_passes(fake, AUDIO, 9.0, SPEECH, decode_with(fake))
    assert fake.beam_calls == 0 and texts(words) == texts(sure)
