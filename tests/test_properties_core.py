"""Property-based tests over the whole analysis core: loader -> signals -> report.

``tests/test_signals_properties.py`` checks the signals on well-formed transcripts. This
file goes one level out and is deliberately rougher: a transcript arrives as arbitrary JSON
(as a coach's tool might write it: words out of order, overlapping, with odd times,
overlapping speech regions, a duration shorter than the words) and goes through
:func:`~voice_coach.transcript.transcript_from_dict`, :func:`~voice_coach.analysis.run_signals`
and the report builder, exactly as ``analyze transcript.json`` does. For every input:

* nothing raises except a clear :class:`~voice_coach.errors.InputError` from the loader;
* the report validates against ``docs/report-schema.json``;
* every count is a non-negative integer;
* every piece of evidence, every long pause and every word with times lies inside the audio;
* the same input twice gives the same report, apart from ``meta.created``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voice_coach.errors import InputError
from voice_coach.question import Question
from voice_coach.service import report_for_transcript
from voice_coach.transcript import SpeechRegion, Transcript, Word, transcript_from_dict

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "docs" / "report-schema.json").read_text())

# Times may be rounded to the centisecond by a signal.
TOL = 0.011

VOCAB = ("um", "uh", "so", "first,", "I'd", "clarify", "the", "goal.", "tradeoff", "between", "latency",
         "and", "cost,", "because", "why?", "like", "you", "know", "baseline.", "Do", "we", "have",
         "labels?", "to", "summarise,", "…", "—", "ç", "模型", "🙂", "'", "?", "")

times = st.one_of(st.none(), st.floats(min_value=-5, max_value=900, allow_nan=False, allow_infinity=False),
                  st.integers(min_value=-3, max_value=900))
word_dicts = st.fixed_dictionaries(
    {"text": st.sampled_from(VOCAB) | st.text(max_size=10)},
    optional={"start": times, "end": times,
              "probability": st.none() | st.floats(min_value=-1, max_value=2, allow_nan=False),
              "recovered": st.booleans()},
)
region_dicts = st.fixed_dictionaries({"start": times, "end": times})
transcript_dicts = st.fixed_dictionaries(
    {"words": st.lists(word_dicts, max_size=50)},
    optional={"duration_s": times, "speech_regions": st.lists(region_dicts, max_size=12),
              "language": st.none() | st.sampled_from(["en", "de"])},
)


@st.composite
def audio_transcripts(draw: Any) -> Transcript:
    """Transcripts shaped like the audio pipeline's output, but with arbitrary content."""
    duration = draw(st.floats(min_value=0.0, max_value=1200.0, allow_nan=False))
    n = draw(st.integers(min_value=0, max_value=60))
    words = []
    for _ in range(n):
        a = draw(st.floats(min_value=0.0, max_value=duration, allow_nan=False))
        b = draw(st.floats(min_value=a, max_value=duration, allow_nan=False))
        words.append(Word(draw(st.sampled_from(VOCAB[:-1])), a, b, draw(st.floats(0.0, 1.0))))
    if draw(st.booleans()):
        words.sort(key=lambda w: w.start or 0.0)  # usually ordered, sometimes not
    cuts = sorted(draw(st.lists(st.floats(min_value=0.0, max_value=duration, allow_nan=False), max_size=16)))
    regions = tuple(SpeechRegion(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if b > a)
    return Transcript(tuple(words), (), duration, regions, source="audio", language="en")


questions = st.none() | st.builds(
    Question, id=st.none() | st.just("q-1"), text=st.none() | st.text(max_size=40),
    target_s=st.none() | st.floats(min_value=1.0, max_value=900.0),
)


def _counts(obj: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every value under a key named ``count`` or ending in ``_count``, anywhere in ``obj``."""
    out: list[tuple[str, Any]] = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "count" or k.endswith("_count"):
                out.append((f"{path}.{k}", v))
            out += _counts(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _counts(v, f"{path}[{i}]")
    return out


def _spans(report: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """Every (start, end) the report points at: evidence, items, long pauses, words."""
    spans: list[tuple[str, Any, Any]] = []
    for name, sig in report["signals"].items():
        for e in sig.get("evidence") or []:
            spans.append((f"{name}.evidence", e.get("start"), e.get("end")))
        for key in ("items", "long"):
            for e in sig.get(key) or []:
                if isinstance(e, dict):
                    spans.append((f"{name}.{key}", e.get("start"), e.get("end")))
    for w in report["transcript"]["words"]:
        spans.append(("word", w["start"], w["end"]))
    return spans


def check_report_properties(transcript: Transcript, question: Question | None) -> None:
    """Run the core twice on ``transcript`` and check every property in the module docstring."""
    first = report_for_transcript(transcript, question)
    second = report_for_transcript(transcript, question)
    jsonschema.validate(first, SCHEMA)
    for where, value in _counts(first):
        assert isinstance(value, int) and not isinstance(value, bool) and value >= 0, (where, value)
    duration = first["duration_s"]
    for where, start, end in _spans(first):
        if start is None or end is None:
            continue
        assert start <= end + TOL, (where, start, end)
        assert start >= -TOL, (where, start)
        if duration is not None:
            assert end <= duration + TOL, (where, end, duration)
    time_to_first = first["signals"]["pauses"].get("time_to_first_word_s")
    if time_to_first is not None:
        assert time_to_first >= 0 and (duration is None or time_to_first <= duration + TOL)
    for r in (first, second):
        r["meta"].pop("created", None)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(data=transcript_dicts, question=questions)
def test_any_json_transcript_gives_a_valid_report(data: dict[str, Any], question: Question | None) -> None:
    """Arbitrary JSON transcripts: a clean InputError or a report with every property."""
    try:
        transcript = transcript_from_dict(data)
    except InputError:
        return
    check_report_properties(transcript, question)


@FAST
@given(transcript=audio_transcripts(), question=questions)
def test_any_audio_shaped_transcript_gives_a_valid_report(transcript: Transcript, question: Question | None) -> None:
    """Pipeline-shaped transcripts with arbitrary words, times and regions."""
    check_report_properties(transcript, question)


@pytest.mark.parametrize("data", [
    {"words": []},
    {"words": [], "duration_s": 0},
    {"words": [{"text": "um", "start": 0, "end": 0}], "duration_s": 0},
    {"words": [{"text": "so", "start": 5, "end": 9}], "duration_s": 2},  # words past the end
    {"words": [{"text": "a", "start": 3, "end": 4}, {"text": "b", "start": 1, "end": 2}]},  # out of order
    {"words": [{"text": "x"}], "speech_regions": [{"start": 0, "end": 5}, {"start": 1, "end": 3}]},
])
def test_edge_transcripts(data: dict[str, Any]) -> None:
    """The corners hypothesis may take a while to reach, pinned down."""
    check_report_properties(transcript_from_dict(data), None)
