"""The interview splitter on hand-made conversations: no audio, no model."""

from __future__ import annotations

import pytest

from voice_coach.interview.asks import asks, is_backchannel, match_bank, question_text
from voice_coach.interview.conversation import Conversation, SpokenWord, from_mix, merge_turns
from voice_coach.interview.split import choose_candidate, interruptions, split
from voice_coach.question import Question
from voice_coach.transcript import SpeechRegion, Word
from voice_coach.turns import SpeakerTurn


def say(speaker: str, text: str, start: float, wps: float = 2.5) -> list[SpokenWord]:
    """Words of ``text`` spoken by ``speaker`` from ``start`` at ``wps`` words a second."""
    out = []
    for i, tok in enumerate(text.split()):
        s = start + i / wps
        out.append(SpokenWord(speaker, Word(tok, round(s, 3), round(s + 0.8 / wps, 3))))
    return out


def conversation(*lines: tuple[str, str, float]) -> Conversation:
    words = sorted((w for spk, text, t in lines for w in say(spk, text, t)), key=lambda w: w.start)
    turns = merge_turns((SpeakerTurn(w.speaker, w.start, w.end) for w in words), gap=0.5)
    regions: dict[str, list[SpeechRegion]] = {}
    for t in turns:
        regions.setdefault(t.speaker, []).append(SpeechRegion(t.start, t.end))
    duration = max(w.end for w in words) + 1.0
    return Conversation(duration, turns, tuple(words), {k: tuple(v) for k, v in regions.items()})


ANSWER_1 = ("So first I would clarify the goal and the latency budget then I would compare a "
            "simple baseline with a learned ranker and pick one")
ANSWER_2 = ("Overfitting is when the model learns noise I would detect it with a validation "
            "curve and reduce it with regularisation more data and early stopping")
OVERFITTING = "What is overfitting, how do you detect it, and what are three ways to reduce it?"
BANK = [Question("core-overfitting", OVERFITTING),
        Question("sys-ranking", "How would you design a ranking system for search results?")]


def test_asks_backchannels_and_small_talk() -> None:
    assert asks("Great. How would you design a ranking system for search results?")
    assert asks("okay next question walk me through how you would deploy a model")  # no punctuation
    assert not asks("Yes, assume about a million users a day.")
    assert not asks("Why?")  # too short to be a new question
    assert not asks("Hi, thanks for joining. How are you today?")  # small talk
    # what the turn ends on decides; a two-word fragment is not a question
    assert not asks("How time. Hi, thanks for joining today. How are you doing?")
    assert asks("How are you doing? Good. So, tell me about a model you shipped.")
    assert not asks("How time. Thanks for joining today.")
    assert is_backchannel("Mm-hmm.") and is_backchannel("right, okay")
    assert not is_backchannel("right, so the model overfits")
    assert question_text("Great, thanks. What is overfitting?") == "What is overfitting?"


def test_bank_match_and_free_text() -> None:
    m = match_bank("Thanks. So, " + OVERFITTING.lower().replace("do you", "would you"), BANK)
    assert m is not None and m.question.id == "core-overfitting"
    assert match_bank("Tell me about a time you disagreed with a manager.", BANK) is None


def test_three_questions_three_answers_with_backchannels() -> None:
    conv = conversation(
        ("L", "Hi, thanks for joining. How are you today?", 0.0),
        ("R", "Good thanks.", 3.5),
        ("L", "How would you design a ranking system for search results?", 6.0),
        ("R", ANSWER_1, 11.0),
        ("L", "mm-hmm", 14.0),  # inside the answer: not a question, not the candidate's
        ("L", "What is overfitting, how do you detect it, and what are three ways to reduce it?", 22.0),
        ("R", ANSWER_2, 29.0),
        ("L", "Tell me about a time you disagreed with your manager.", 40.0),
        ("R", "Last year my manager wanted to ship without an offline evaluation and I pushed back", 45.0),
    )
    cand, answers = split(conv, BANK)
    assert cand == "R"
    assert [a.index for a in answers] == [1, 2, 3]
    assert [a.bank.question.id if a.bank else None for a in answers] == ["sys-ranking", "core-overfitting", None]
    assert answers[2].question.startswith("Tell me about a time")
    first = answers[0]
    assert first.start == pytest.approx(11.0, abs=0.01)
    assert first.window_end == pytest.approx(22.0, abs=0.01)
    assert [w.text for w in first.words] == ANSWER_1.split()  # the "mm-hmm" is not in it
    t = first.transcript()
    assert t.words[0].start == pytest.approx(11.0 - first.question_end, abs=0.01)
    assert t.duration == pytest.approx(first.end - first.question_end, abs=0.01)


def test_short_follow_up_stays_inside_the_answer() -> None:
    conv = conversation(
        ("A", "How would you design a ranking system for search results?", 0.0),
        ("B", "Can I ask what scale we are talking about?", 5.0),
        ("A", "What scale do you think it would be?", 9.0),
        ("B", "Maybe millions.", 13.0),
        ("A", "Sure, go with that.", 15.0),
        ("B", ANSWER_1, 17.0),
    )
    cand, answers = split(conv, BANK)
    assert cand == "B"
    assert len(answers) == 1
    assert answers[0].words[0].text == "Can"
    assert answers[0].words[-1].text == "one"


def test_candidate_override_and_choice() -> None:
    conv = conversation(("A", "How would you design a ranking system for search results?", 0.0),
                        ("B", ANSWER_1, 5.0))
    assert choose_candidate(conv) == "B"
    cand, answers = split(conv, BANK, candidate="A")
    assert cand == "A" and answers == []  # B asks nothing


def test_words_follow_diarized_turns() -> None:
    from voice_coach.transcript import Transcript

    words = tuple(w.word for w in say("?", "how would you do it well I would start simple", 0.0))
    turns = [SpeakerTurn("S1", 0.0, 1.7), SpeakerTurn("S0", 1.9, 5.0)]
    conv = from_mix(Transcript(words=words, duration=5.0,
                               speech_regions=(SpeechRegion(0.0, 1.7), SpeechRegion(1.9, 4.2))), turns)
    assert [w.speaker for w in conv.words][:5] == ["S1"] * 5
    assert {w.speaker for w in conv.words[5:]} == {"S0"}
    assert conv.regions["S0"] == (SpeechRegion(1.9, 4.2),)


def test_interruptions_ignore_backchannels() -> None:
    conv = conversation(
        ("A", "How would you design a ranking system for search results and what would you measure?", 0.0),
        ("B", "mm-hmm", 2.0),
        ("B", "Sorry to cut in but do you mean web search", 4.0),
    )
    found = interruptions(conv)
    assert [(i["by"], i["at"]) for i in found] == [("B", 4.0)]


def test_the_other_sides_leak_is_silenced() -> None:
    import numpy as np

    from voice_coach.audio.channels import gate

    rng = np.random.default_rng(0)
    voice_a = rng.normal(0, 0.1, 16_000).astype(np.float32)
    voice_b = rng.normal(0, 0.1, 16_000).astype(np.float32)
    a_only = np.concatenate([voice_a, np.zeros(16_000, np.float32)])  # A talks, then B
    b_only = np.concatenate([np.zeros(16_000, np.float32), voice_b])
    left, right = a_only + 0.1 * b_only, b_only + 0.1 * a_only  # each leaks in at -20 dB
    gated = gate(left, right)
    assert np.array_equal(gated[:16_000], left[:16_000])  # A's own speech is kept
    assert not np.any(gated[16_000 + 480 :])  # B's leak into A's side is gone
    both = gate(left + right, right)  # both talking at once: kept
    assert np.array_equal(both[:16_000], (left + right)[:16_000])


def test_mono_blocks_are_joined_without_a_second_copy() -> None:
    import numpy as np

    from voice_coach.interview.service import _joined

    blocks = [np.arange(5, dtype=np.float32), np.arange(3, dtype=np.float32) + 10]
    expected = np.concatenate(blocks)
    assert np.array_equal(_joined(blocks), expected) and blocks == []
