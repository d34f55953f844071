"""The input checks on their own: no model, hand-made transcripts at the thresholds' edges."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice_coach.checks import (
    BAD_TIMINGS,
    MAYBE_NOT_ENGLISH,
    NO_SPEECH,
    PUNCTUATION_IGNORED,
    CheckOptions,
    check_transcript,
    print_warnings,
    sniff_content,
)
from voice_coach.transcript import SpeechRegion, Transcript, Word, transcript_from_dict, transcript_from_text


def audio(probs: list[float], speech_s: float = 10.0, duration: float = 12.0) -> Transcript:
    """An audio transcript with one word per probability, spread over ``speech_s`` of speech."""
    step = speech_s / max(1, len(probs))
    words = tuple(Word(f"w{i}", 1 + i * step, 1 + i * step + step / 2, p) for i, p in enumerate(probs))
    return Transcript(words, (), duration, (SpeechRegion(1.0, 1.0 + speech_s),), source="audio")


def codes(t: Transcript) -> list[str]:
    return [w.code for w in check_transcript(t)]


def test_silence_and_sound_without_words() -> None:
    assert codes(Transcript((), (), 10.0, (), source="audio")) == [NO_SPEECH]
    (w,) = check_transcript(Transcript((), (), 10.0, (SpeechRegion(0, 9.5),), source="audio"))
    assert w.code == NO_SPEECH and "10 s of sound" in w.message


def test_confident_english_is_quiet() -> None:
    assert codes(audio([0.95] * 30)) == []
    assert codes(audio([0.9] * 20 + [0.3] * 6)) == []  # a mumbled stretch is not a language


def test_unsure_recogniser_warns() -> None:
    (w,) = check_transcript(audio([0.3] * 15 + [0.8] * 10))
    assert w.code == MAYBE_NOT_ENGLISH and "English-only" in w.message and "60%" in w.message


def test_short_clips_are_not_judged_on_confidence() -> None:
    opts = CheckOptions()
    assert codes(audio([0.3] * (opts.min_words_for_confidence - 1), speech_s=4.0)) == []


def test_few_words_for_much_speech_warns() -> None:
    (w,) = check_transcript(audio([0.9] * 6, speech_s=10.0))
    assert w.code == MAYBE_NOT_ENGLISH and "only 6 words" in w.message
    assert codes(audio([0.9] * 9, speech_s=10.0)) == []  # 0.9 words/s is slow, not foreign


def test_text_input_is_never_checked() -> None:
    assert check_transcript(transcript_from_text("um so I would, uh, start")) == []


def test_json_bad_timings() -> None:
    t = transcript_from_dict({"words": [{"text": "a", "start": -1, "end": 1}, {"text": "b"},
                                        {"text": "c", "start": 2, "end": 3}]})
    (w,) = check_transcript(t)
    assert w.code == BAD_TIMINGS and w.message.startswith("2 of 3 words")
    assert check_transcript(transcript_from_dict({"words": [{"text": "a", "start": 0, "end": 1}]})) == []


def test_print_warnings_one_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    n = print_warnings({"warnings": [{"code": "x", "message": "two\nlines"}, {"code": "y", "message": "b"}]})
    err = capsys.readouterr().err
    assert n == 2 and err == "voice-coach: warning: two lines\nvoice-coach: warning: b\n"


@pytest.mark.parametrize(("head", "what"), [
    (b"%PDF-1.7\n", "a PDF document"),
    (b"PK\x03\x04rest", "a ZIP archive"),
    (b"\x89PNG\r\n", "a PNG image"),
    (b"<!DOCTYPE html><html>", "an HTML page"),
    (b"So first I would clarify the goal.\n", "a text file"),
    (b'{"words": []}', "JSON text"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),  # audio is for the decoder to judge
    (b"\x00\x01\x02\xff\xfe", None),
])
def test_sniff_content(tmp_path: Path, head: bytes, what: str | None) -> None:
    p = tmp_path / "f.mp3"
    p.write_bytes(head)
    got = sniff_content(p)
    assert (got is None) if what is None else (got is not None and got.startswith(what))


def test_decoding_loop_is_flagged() -> None:
    """Greedy Whisper without its fallback writes this for 10 s of music or noise."""
    loop = [Word(t, i * 0.1, i * 0.1 + 0.05, 0.9) for i, t in enumerate(["I'm,", "uh,"] * 45)]
    t = Transcript(tuple(loop), (), 10.0, (SpeechRegion(0, 9.5),), source="audio")
    (w,) = check_transcript(t)
    assert w.code == "repetitive_transcript"


def test_a_rambling_answer_is_not_a_loop() -> None:
    text = ("so I think, you know, the model, the model would be, um, like a ranking model and "
            "you know we would train it on clicks and, um, you know, then we would look at "
            "the clicks again and, uh, you know, see if the model, the ranking model, works")
    words = [Word(x, i * 0.3, i * 0.3 + 0.2, 0.95) for i, x in enumerate(text.split())]
    # The speech ends with the last word (more speech with no words is dropped_speech).
    t = Transcript(tuple(words), (), 20.0, (SpeechRegion(0, words[-1].end or 0.0),), source="audio")
    assert check_transcript(t) == []


def test_a_transcript_read_without_its_full_stops_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    from voice_coach.service import report_for_transcript

    pause_marked = ("So I think the main. Thing is latency because the users. Are mostly on phones and then "
                    "we. Cache the results near them. That keeps the tail. Under a second.")
    report = report_for_transcript(transcript_from_text(pause_marked))
    assert [w["code"] for w in report["warnings"]] == [PUNCTUATION_IGNORED]
    print_warnings(report)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("voice-coach: warning: its full stops fall where the speaker paused")
    # A typed answer whose full stops end its sentences is read as written, and quietly.
    assert report_for_transcript(transcript_from_text("I'd start with the data. Then a baseline."))["warnings"] == []
