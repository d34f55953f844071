"""Reading questions aloud: the real pyttsx3 (espeak-ng) and Piper voices render speech."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from voice_coach.audio.decode import load_audio, probe
from voice_coach.audio.tts import PiperTtsVoice, Pyttsx3Voice, TtsUnavailable, make_voice, speak_question
from voice_coach.audio.vad import detect_speech
from voice_coach.bank import find_question

QUESTION = find_question("core-overfitting").text or ""


def _speech_seconds(path: Path) -> tuple[float, float]:
    audio = load_audio(path)
    regions = detect_speech([audio])
    return audio.size / 16000, sum(r.duration for r in regions)


@pytest.mark.skipif(not (shutil.which("espeak-ng") or shutil.which("espeak")), reason="espeak-ng is not installed")
def test_pyttsx3_writes_the_question_as_speech(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    voice = Pyttsx3Voice()
    out = voice.save(QUESTION, tmp_path / "q.wav")
    assert out.stat().st_size > 10_000
    info = probe(out)
    assert info.channels == 1 and (info.sample_rate or 0) >= 16000
    total, speech = _speech_seconds(out)
    # About 13 words at 165 wpm: a few seconds, nearly all of it speech.
    assert 2.5 < total < 12 and speech > 0.6 * total
    assert "Audio saved" not in capsys.readouterr().out  # pyttsx3's chatter stays off screen
    # A longer question takes longer to say: the text really is what was rendered.
    longer = voice.save(QUESTION + " " + QUESTION, tmp_path / "q2.wav")
    assert _speech_seconds(longer)[1] > 1.6 * speech


@pytest.mark.skipif(not (shutil.which("espeak-ng") or shutil.which("espeak")), reason="espeak-ng is not installed")
def test_the_system_voice_file_is_complete_when_save_returns(tmp_path: Path,
                                                             capfd: pytest.CaptureFixture[str]) -> None:
    """Even while other threads keep the interpreter busy (the model warm-up does)."""
    stop = threading.Event()

    def busy() -> None:
        while not stop.is_set():
            sum(range(20_000))

    hogs = [threading.Thread(target=busy, daemon=True) for _ in range(2)]
    for t in hogs:
        t.start()
    try:
        voice = Pyttsx3Voice()
        for i in range(3):
            out = voice.save(QUESTION, tmp_path / f"q{i}.wav")
            size = out.stat().st_size  # there, at once
            assert size > 10_000
            time.sleep(0.3)
            assert out.stat().st_size == size  # and nothing was still being written
    finally:
        stop.set()
        for t in hogs:
            t.join()
    printed = capfd.readouterr()
    assert printed.out == "" and printed.err == ""  # no engine chatter, even at the fd level


def test_piper_voice_renders_speech(tmp_path: Path) -> None:
    try:
        voice = PiperTtsVoice()
    except TtsUnavailable as err:
        pytest.skip(str(err))
    total, speech = _speech_seconds(voice.save(QUESTION, tmp_path / "p.wav"))
    assert 2.0 < total < 12 and speech > 0.6 * total


def test_no_voice_and_failing_voice_never_stop_practice() -> None:
    assert make_voice("none") is None
    assert speak_question(None, QUESTION) is None

    class Mute:
        name = "mute"

        def say(self, text: str) -> None:
            raise OSError("no sound card")

        def save(self, text: str, path: Path) -> Path:
            return path

    notice = speak_question(Mute(), QUESTION)
    assert notice is not None and "no sound card" in notice
    with pytest.raises(ValueError):
        make_voice("klingon")
