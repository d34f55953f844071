"""Property-based tests: no transcript, however odd, breaks any registered signal.

Hypothesis builds transcripts from a vocabulary mixing ordinary words, the phrases the
lexicons look for ("at the cost of", "before I choose", "why?"), fillers, stray
punctuation and odd Unicode, with or without word times and speech regions. For every
registered signal it checks that:

* nothing raises;
* the verdict is one of the four allowed, and every count is a non-negative integer;
* every piece of evidence with times lies inside ``[0, duration]`` (to the centisecond) and
  starts before it ends;
* the same input twice gives the same result (signals are pure).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voice_coach.analysis import run_signals
from voice_coach.language import analyse
from voice_coach.question import Question
from voice_coach.signals import SIGNALS
from voice_coach.signals.base import VERDICTS
from voice_coach.transcript import SpeechRegion, Transcript, Word, transcript_from_text

VOCAB = [
    "I'd", "use", "the", "model", "data", "labels", "and", "then", "first,", "second,", "finally,",
    "but", "while", "at", "cost", "of", "trade-off", "between", "faster,", "slower.", "because",
    "so", "that", "Before", "I", "choose,", "want", "to", "know", "latency", "budget.", "Why?",
    "Because", "is", "this", "real-time", "or", "batch?", "Um,", "uh", "like,", "you", "know,",
    "assuming", "maybe", "overall,", "XGBoost", "neural", "network", "downside", "?", ".", ",",
    "...", "-", "'", "\u2014", "\u2019s", "caf\u00e9", "\u6a21\u578b", "\U0001f600", "A", "Let", "me",
    "There", "are", "three", "steps.", "Do", "we", "have", "history?", "And", "I", "I", "the", "the",
]

words_st = st.lists(st.sampled_from(VOCAB) | st.text(min_size=1, max_size=8).filter(str.strip),
                    min_size=0, max_size=60)


@st.composite
def timed_transcripts(draw: Any) -> Transcript:
    """A transcript with word times and speech regions inside ``[0, duration]``."""
    texts = draw(words_st)
    duration = draw(st.floats(min_value=0.1, max_value=600.0, allow_nan=False))
    times = sorted(draw(st.lists(st.floats(min_value=0.0, max_value=duration, allow_nan=False),
                                 min_size=2 * len(texts), max_size=2 * len(texts))))
    words = []
    for i, t in enumerate(texts):
        if draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans()):
            words.append(Word(t.strip() or "x"))  # an untimed word among timed ones
        else:
            words.append(Word(t.strip() or "x", times[2 * i], times[2 * i + 1],
                              draw(st.floats(min_value=0.0, max_value=1.0))))
    cuts = sorted(draw(st.lists(st.floats(min_value=0.0, max_value=duration, allow_nan=False),
                                max_size=8)))
    regions = tuple(SpeechRegion(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if b > a)
    return Transcript(tuple(words), (), duration, regions, source="audio")


text_transcripts = words_st.map(lambda ws: transcript_from_text(" ".join(w.strip() for w in ws)))

questions = st.none() | st.builds(
    Question,
    id=st.none(),
    text=st.none() | st.text(max_size=30),
    category=st.none() | st.sampled_from(["system_design", "metrics", "theory"]),
    target_s=st.none() | st.floats(min_value=1.0, max_value=600.0),
    focus=st.lists(st.sampled_from([s.name for s in SIGNALS]), max_size=3).map(tuple),
)


# Signals may round reported times to the centisecond, so "inside the audio" allows that much.
TIME_TOLERANCE_S = 0.01


def _check(transcript: Transcript, question: Question | None) -> None:
    first = {k: r.to_dict() for k, r in run_signals(transcript, question).items()}
    again = {k: r.to_dict() for k, r in run_signals(transcript, question, language=analyse(transcript)).items()}
    assert first == again, "same input, different result"
    assert set(first) == {s.name for s in SIGNALS}
    for name, result in first.items():
        assert result["verdict"] in VERDICTS, name
        assert isinstance(result["advice"], str), name
        for key, value in result.items():
            if key == "count" or key.endswith("_count") or key in {"restarts", "assumptions"}:
                assert isinstance(value, int) and not isinstance(value, bool) and value >= 0, (name, key, value)
        for ev in result["evidence"]:
            start, end = ev["start"], ev["end"]
            if transcript.duration is None:
                assert start is None and end is None, (name, ev)
                continue
            if start is not None:
                assert -TIME_TOLERANCE_S <= start <= transcript.duration + TIME_TOLERANCE_S, (name, ev)
            if end is not None:
                assert -TIME_TOLERANCE_S <= end <= transcript.duration + TIME_TOLERANCE_S, (name, ev)
            if start is not None and end is not None:
                assert start <= end, (name, ev)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timed_transcripts(), questions)
def test_timed_transcripts_never_break_a_signal(transcript: Transcript, question: Question | None) -> None:
    """Arbitrary timed words and regions: every signal returns a well-formed result."""
    _check(transcript, question)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_transcripts, questions)
def test_text_transcripts_never_break_a_signal(transcript: Transcript, question: Question | None) -> None:
    """Arbitrary typed text: every signal returns a well-formed result with untimed evidence."""
    _check(transcript, question)


def test_empty_transcript_is_not_applicable() -> None:
    """No words at all: the language signals say n/a instead of guessing."""
    results = run_signals(Transcript())
    for name in ("framing", "ramble", "tradeoffs", "clarifying_questions"):
        assert results[name].verdict == "n/a", name
    assert results["framing"].values["present"] is False
    assert results["tradeoffs"].values["count"] == 0
