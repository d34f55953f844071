"""Transcript model and loaders: text, JSON, and their guards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voice_coach.errors import InputError
from voice_coach.transcript import (
    Word,
    load_json_file,
    load_text_file,
    normalise_token,
    transcript_from_dict,
    transcript_from_text,
)


def test_text_transcript_is_untimed_and_split_into_sentences() -> None:
    t = transcript_from_text("First I clarify.  Then   I build? Done!")
    assert [w.text for w in t.words] == ["First", "I", "clarify.", "Then", "I", "build?", "Done!"]
    assert t.duration is None and not t.timed
    assert [s.text for s in t.segments] == ["First I clarify.", "Then I build?", "Done!"]
    assert all(w.start is None for w in t.words)


@pytest.mark.parametrize(("raw", "norm"), [("Um,", "um"), ("network.", "network"), ("I'd", "i'd"),
                                           ("'quoted'", "quoted"), ("--", "")])
def test_normalise_token(raw: str, norm: str) -> None:
    assert normalise_token(raw) == norm
    assert Word(raw).norm == norm


def test_json_round_trip_keeps_times_and_regions() -> None:
    data = {"duration_s": 5.0, "words": [{"text": "Um,", "start": 0.5, "end": 0.8, "probability": 0.7},
                                          {"text": "hello", "start": 1.0, "end": 1.4}],
            "speech_regions": [{"start": 0.4, "end": 1.5}]}
    t = transcript_from_dict(data)
    again = transcript_from_dict(t.to_dict())
    assert again.words == t.words
    assert again.speech_regions == t.speech_regions
    assert again.duration == 5.0


def test_json_negative_or_inverted_times_become_null() -> None:
    t = transcript_from_dict({"words": [{"text": "a", "start": -1, "end": 0.2},
                                        {"text": "b", "start": 2.0, "end": 1.0},
                                        {"text": "c", "start": 3.0, "end": 3.5},
                                        {"text": "d"}]})
    assert [w.timed for w in t.words] == [False, False, True, False]
    assert t.duration == 3.5


def test_json_times_past_duration_are_clamped() -> None:
    t = transcript_from_dict({"duration_s": 2.0, "words": [{"text": "late", "start": 1.5, "end": 9.0}],
                              "speech_regions": [{"start": 1.0, "end": 9.0}, {"start": 5, "end": 6}]})
    assert t.words[0].end == 2.0
    assert [(r.start, r.end) for r in t.speech_regions] == [(1.0, 2.0)]


def test_json_report_is_accepted_as_transcript() -> None:
    report = {"schema": "voice-coach.report/1", "duration_s": 3.0,
              "transcript": {"text": "hi", "words": [{"text": "hi", "start": 0.1, "end": 0.3}]}}
    t = transcript_from_dict(report)
    assert t.duration == 3.0 and t.words[0].text == "hi"


@pytest.mark.parametrize("bad", [[], {"words": "nope"}, {"words": [{"start": 1}]},
                                 {"words": [{"text": "x", "start": "soon", "end": 1}]},
                                 {"words": [{"text": "x", "start": float("nan"), "end": 1}]}])
def test_json_bad_shapes_raise_input_error(bad: object) -> None:
    with pytest.raises(InputError):
        transcript_from_dict(bad)


def test_text_file_guards(tmp_path: Path) -> None:
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02abc")
    with pytest.raises(InputError, match="binary"):
        load_text_file(binary)
    latin = tmp_path / "l.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        load_text_file(latin)
    blank = tmp_path / "e.txt"
    blank.write_text("   \n")
    with pytest.raises(InputError, match="empty"):
        load_text_file(blank)
    ok = tmp_path / "ok.txt"
    ok.write_text("\ufeffHello there.", encoding="utf-8")
    assert load_text_file(ok).words[0].text == "Hello"


def test_json_file_syntax_error_names_line(tmp_path: Path) -> None:
    p = tmp_path / "t.json"
    p.write_text('{"words": [\n  {"text": "a",}\n]}')
    with pytest.raises(InputError, match="line 2"):
        load_json_file(p)
    p.write_text(json.dumps({"words": [{"text": "fine", "start": 0, "end": 0.3}]}))
    assert load_json_file(p).words[0].text == "fine"
