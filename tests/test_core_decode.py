"""Decoding: every common container, any rate and channel count, and clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.audio_files import FORMATS, write_audio
from voice_coach.audio.decode import iter_pcm, load_audio, probe
from voice_coach.errors import InputError

SR = 16_000


def _voice_like(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return (0.3 * np.sin(2 * np.pi * 220 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)


@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_every_container_decodes_to_16k_mono(tmp_path: Path, suffix: str) -> None:
    src = _voice_like(2.0)
    path = write_audio(tmp_path / f"clip{suffix}", src)
    audio = load_audio(path)
    assert audio.dtype == np.float32 and audio.ndim == 1
    # Lossy codecs add priming samples; the length stays within 0.1 s.
    assert abs(audio.size / SR - 2.0) < 0.1, audio.size / SR
    assert np.sqrt(np.mean(audio**2)) > 0.05  # the signal survived, not silence


@pytest.mark.parametrize(("rate", "channels"), [(8000, 1), (44100, 2), (48000, 2), (22050, 1)])
def test_rates_and_stereo_are_resampled(tmp_path: Path, rate: int, channels: int) -> None:
    path = write_audio(tmp_path / "x.wav", _voice_like(3.0), rate=rate, channels=channels)
    info = probe(path)
    assert info.sample_rate == rate and info.channels == channels
    audio = load_audio(path)
    assert abs(audio.size / SR - 3.0) < 0.01


def test_streaming_blocks_have_bounded_size(tmp_path: Path) -> None:
    path = write_audio(tmp_path / "long.flac", _voice_like(7.0))
    sizes = [b.size for b in iter_pcm(path, block_s=2.0)]
    assert max(sizes) <= 2 * SR and sum(sizes) == pytest.approx(7 * SR, abs=SR * 0.05)


def test_truncated_file_keeps_what_decodes(tmp_path: Path) -> None:
    path = write_audio(tmp_path / "t.mp3", _voice_like(4.0))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    audio = load_audio(path)
    assert 1.0 < audio.size / SR < 3.0


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" * 30
RANDOM = b"\x00" * 10 + b"RIFF" + b"\x13" * 400


@pytest.mark.parametrize(("content", "match"), [(b"", "empty"), (RANDOM, "not a readable"), (PDF, "not a readable")])
def test_bad_files_raise_one_clear_error(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(InputError, match=match):
        load_audio(path)


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_audio(tmp_path / "nope.wav")
    with pytest.raises(InputError, match="directory"):
        load_audio(tmp_path)
