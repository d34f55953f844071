"""Every bad input of the reliability matrix, generated at test time (nothing binary is checked in).

Each ``write_*`` function builds one input inside a directory and returns its path. Audio is
made from numbers (silence, seeded noise, synthesised chords) or from the project's own local
voices (Piper for English, espeak-ng's other voices for non-English speech), never read from
anywhere else.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tempfile
import wave
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

SR = 16_000

ANSWER_SCRIPT = (
    "Let me first clarify the goal. Are we ranking for clicks or for purchases? "
    "I would start with a simple baseline, and then compare a two tower model against it."
)

# Non-English answers for the English-only warning, read by espeak-ng's own voices.
FOREIGN_ANSWERS: dict[str, str] = {
    "de": "Ich würde zuerst das Problem genauer verstehen wollen. Welche Daten haben wir, und wie "
    "messen wir den Erfolg? Dann würde ich ein einfaches Modell bauen und es mit einer "
    "Basislinie vergleichen.",
    "es": "Primero intentaría entender bien el problema. Qué datos tenemos y cómo medimos el "
    "éxito? Luego construiría un modelo sencillo y lo compararía con una línea base.",
}
ENGLISH_CONTROL = (
    "I would first want to understand the problem better. What data do we have, and how do we "
    "measure success against a simple baseline?"
)


def pcm16(audio: np.ndarray) -> bytes:
    """Float audio in -1..1 as little-endian 16-bit PCM bytes."""
    return (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes()


def write_wav(path: Path, audio: np.ndarray, rate: int = SR, channels: int = 1) -> Path:
    """A 16-bit PCM WAV; ``audio`` is (samples,) or (samples, channels)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wf:
        wf.setnchannels(channels)
        wf.setsampwidth(2)
        wf.setframerate(rate)
        wf.writeframes(pcm16(audio.reshape(-1)))
    return path


def wav_header(n_bytes: int, rate: int = SR, channels: int = 1) -> bytes:
    """The 44-byte canonical WAV header for ``n_bytes`` of 16-bit PCM."""
    return (
        b"RIFF" + struct.pack("<I", 36 + n_bytes) + b"WAVE"
        + b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * 2 * channels, 2 * channels, 16)
        + b"data" + struct.pack("<I", n_bytes)
    )


# ---------------------------------------------------------------- broken files


def write_zero_bytes(d: Path) -> Path:
    """An empty file named like a recording."""
    p = d / "empty.wav"
    p.write_bytes(b"")
    return p


def write_truncated_wav_header(d: Path) -> Path:
    """A WAV cut off inside its own header (24 of 44 bytes): what a killed copy leaves."""
    p = d / "truncated.wav"
    p.write_bytes(wav_header(SR * 2)[:24])
    return p


def write_random_wav(d: Path) -> Path:
    """8 KB of seeded random bytes named ``.wav``."""
    p = d / "random.wav"
    p.write_bytes(np.random.default_rng(7).integers(0, 256, 8192, dtype=np.uint8).tobytes())
    return p


def write_pdf_as_mp3(d: Path) -> Path:
    """A small but well-formed PDF renamed to ``.mp3``."""
    body = (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    p = d / "answer.mp3"
    p.write_bytes(body)
    return p


def make_directory(d: Path) -> Path:
    """A directory whose name looks like a recording."""
    p = d / "answers.wav"
    p.mkdir()
    return p


def write_unreadable(d: Path) -> Path:
    """A valid WAV with mode 000 (only unreadable for a user other than root)."""
    p = write_wav(d / "private.wav", np.zeros(SR, np.float32))
    p.chmod(0)
    return p


def write_binary_txt(d: Path) -> Path:
    """Random bytes (with NULs) named ``.txt``."""
    p = d / "answer.txt"
    p.write_bytes(np.random.default_rng(3).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    return p


def write_huge_txt(d: Path, megabytes: int = 10) -> Path:
    """``megabytes`` MB of ordinary English text in a ``.txt``."""
    line = ("I would start with a baseline, measure it offline, and then ship it behind a flag. " * 8) + "\n"
    p = d / "notes.txt"
    with p.open("w", encoding="utf-8") as fh:
        for _ in range(megabytes * 1_000_000 // len(line) + 1):
            fh.write(line)
    return p


def write_json_bad_timings(d: Path) -> Path:
    """A JSON transcript whose words have missing, negative and backwards times."""
    words: list[dict[str, Any]] = [
        {"text": "So", "start": 0.2, "end": 0.4},
        {"text": "first", "start": -1.0, "end": 0.7},  # negative
        {"text": "I'd"},  # missing
        {"text": "clarify", "start": 1.4, "end": 1.1},  # ends before it starts
        {"text": "the", "start": 1.5, "end": 1.6},
        {"text": "goal.", "start": 1.6, "end": 2.0},
    ]
    p = d / "transcript.json"
    import json

    p.write_text(json.dumps({"words": words, "duration_s": 2.5}))
    return p


BANK_OK = """\
[[question]]
id = "trust-ok-01"
text = "How would you rank search results for a shop?"
category = "system_design"
difficulty = "medium"
target_s = 120
focus = ["framing"]
"""


def write_bank_duplicate_id(d: Path) -> Path:
    """A question bank that defines the same id twice (second table starts on line 9)."""
    p = d / "my bank.toml"
    p.write_text(BANK_OK + "\n" + BANK_OK.replace("shop", "news site"))
    return p


def write_bank_missing_field(d: Path) -> Path:
    """A question bank whose second question has no ``difficulty``."""
    second = BANK_OK.replace("trust-ok-01", "trust-ok-02").replace('difficulty = "medium"\n', "")
    p = d / "bank.toml"
    p.write_text(BANK_OK + "\n" + second)
    return p


def write_corrupt_store(home: Path) -> tuple[Path, Path]:
    """A data dir whose session database is garbage but whose recording is intact.

    Returns ``(database, recording)``.
    """
    (home / "audio").mkdir(parents=True, exist_ok=True)
    rec = write_wav(home / "audio" / "20260101-120000-abcd.wav", tone(2.0, 220.0))
    db = home / "sessions.db"
    db.write_bytes(b"SQLite format 3\x00" + np.random.default_rng(11).integers(
        0, 256, 8192, dtype=np.uint8).tobytes())
    return db, rec


# ---------------------------------------------------------------- odd audio


def silence(seconds: float) -> np.ndarray:
    """Digital silence (all zeros)."""
    return np.zeros(int(seconds * SR), np.float32)


def white_noise(seconds: float, level_dbfs: float = -20.0, seed: int = 0) -> np.ndarray:
    """Seeded Gaussian white noise at an RMS level in dBFS."""
    rng = np.random.default_rng(seed)
    return (rng.normal(0.0, 10 ** (level_dbfs / 20), int(seconds * SR))).astype(np.float32)


def tone(seconds: float, freq: float, level: float = 0.2) -> np.ndarray:
    """A pure sine tone."""
    t = np.arange(int(seconds * SR)) / SR
    return (level * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def music(seconds: float) -> np.ndarray:
    """Piano-like chords (C, Am, F, G with harmonics and decays): sound, but no speech."""
    chords = [(261.6, 329.6, 392.0), (220.0, 261.6, 329.6), (174.6, 220.0, 261.6), (196.0, 246.9, 293.7)]
    beat = 0.5
    out = np.zeros(int(seconds * SR), np.float32)
    t = np.arange(int(beat * SR)) / SR
    env = np.exp(-3.0 * t)
    for i in range(int(seconds / beat)):
        chord = chords[(i // 2) % len(chords)]
        note = sum(np.sin(2 * np.pi * f * t) + 0.3 * np.sin(4 * np.pi * f * t) + 0.1 * np.sin(6 * np.pi * f * t)
                   for f in chord)
        s = int(i * beat * SR)
        out[s : s + t.size] += (0.08 * note * env).astype(np.float32)[: out.size - s]
    return out


def telephone(audio16k: np.ndarray) -> np.ndarray:
    """Band-limit to 300-3400 Hz and resample to 8 kHz: what a phone line delivers."""
    spec = np.fft.rfft(audio16k)
    freqs = np.fft.rfftfreq(audio16k.size, 1 / SR)
    spec[(freqs < 300) | (freqs > 3400)] = 0
    narrow = np.fft.irfft(spec, audio16k.size).astype(np.float32)
    return narrow[::2].copy()  # already band-limited below 4 kHz, so decimation is clean


def write_mulaw_wav(path: Path, audio: np.ndarray, rate: int) -> Path:
    """µ-law (G.711) WAV, the usual format of phone recordings, encoded by FFmpeg via PyAV."""
    import av

    pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
    with av.open(str(path), "w", format="wav") as out:
        stream: Any = out.add_stream("pcm_mulaw", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = rate
        frame.pts = 0
        frame.time_base = Fraction(1, rate)
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def stereo_48k(audio16k: np.ndarray) -> np.ndarray:
    """48 kHz stereo, the voice slightly louder on the left: a typical laptop recording."""
    from voice_coach.audio.synth import resample

    hi = resample(audio16k, SR, 48_000)
    return np.stack([hi, 0.7 * hi], axis=1)


def espeak(text: str, voice: str) -> np.ndarray:
    """Speak ``text`` with one of espeak-ng's voices (``de``, ``es`` ...) as 16 kHz mono."""
    from voice_coach.audio.decode import load_audio

    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if exe is None:
        raise RuntimeError("espeak-ng is not installed (scripts/setup.sh installs it)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "s.wav"
        subprocess.run([exe, "-v", voice, "-s", "150", "-w", str(out), text], check=True, capture_output=True)
        return load_audio(out)


def write_sparse_wav(path: Path, seconds: float, rate: int = 8_000,
                     inserts: tuple[tuple[float, np.ndarray], ...] = ()) -> Path:
    """A long 16-bit mono WAV that is mostly digital silence, written without the silence.

    The header promises ``seconds`` of audio; the file is extended with ``truncate`` (a
    sparse file: no disk blocks for the zeros) and ``inserts`` (start second, audio at
    ``rate``) are written in place. A two-hour file costs a few KB of disk and no time.
    """
    n_bytes = int(seconds * rate) * 2
    with path.open("wb") as fh:
        fh.write(wav_header(n_bytes, rate))
        fh.truncate(44 + n_bytes)
        for start, audio in inserts:
            fh.seek(44 + int(start * rate) * 2)
            fh.write(pcm16(audio))
    return path


def nonascii_dir(d: Path) -> Path:
    """A directory whose name has spaces and non-ASCII characters (accents, CJK, an emoji)."""
    p = d / "my answers" / "réponse d'entretien – 面接 🎙"
    p.mkdir(parents=True)
    return p


def is_root() -> bool:
    """Whether the tests run as root, where file permissions do not stop reads."""
    return hasattr(os, "geteuid") and os.geteuid() == 0
