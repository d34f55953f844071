"""The streaming pipeline with a fake recogniser: windows, cut points, VAD regions."""

from __future__ import annotations

import numpy as np

from tests.conftest import FakeTranscriber
from voice_coach.audio.vad import SpeechDetector, VadOptions
from voice_coach.coverage import CoverageOptions
from voice_coach.pipeline import PipelineOptions, transcribe_blocks

SR = 16_000


def tone(seconds: float, freq: float = 220.0, level: float = 0.3) -> np.ndarray:
    """A voiced-ish signal: a few harmonics with a syllable-rate envelope (webrtcvad calls it speech)."""
    t = np.arange(int(seconds * SR)) / SR
    env = 0.6 + 0.4 * np.sin(2 * np.pi * 4 * t)
    sig = sum(np.sin(2 * np.pi * freq * k * t) / k for k in range(1, 8))
    return (level * env * sig / 2).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SR), np.float32)


def blocks(audio: np.ndarray, size: int = 4800) -> list[np.ndarray]:
    return [audio[i : i + size] for i in range(0, audio.size, size)]


def test_vad_finds_the_silence_between_two_voiced_stretches() -> None:
    audio = np.concatenate([silence(0.5), tone(2.0), silence(3.0), tone(1.5), silence(0.5)])
    det = SpeechDetector()
    for b in blocks(audio):
        det.feed(b)
    regions = det.finish()
    assert len(regions) == 2
    gap_start, gap_end = regions[0].end, regions[1].start
    assert abs(gap_start - 2.5) < 0.15 and abs(gap_end - 5.5) < 0.15


def test_vad_bridges_short_gaps_but_not_long_ones() -> None:
    audio = np.concatenate([tone(1.0), silence(0.15), tone(1.0), silence(1.0), tone(1.0)])
    det = SpeechDetector(VadOptions(min_silence_s=0.3))
    det.feed(audio)
    assert len(det.finish()) == 2


def test_digital_silence_and_faint_hiss_have_no_speech() -> None:
    rng = np.random.default_rng(1)
    hiss = (rng.normal(0, 10 ** (-62 / 20), SR * 3)).astype(np.float32)
    det = SpeechDetector()
    det.feed(np.concatenate([silence(2), hiss]))
    assert det.finish() == []


def test_pipeline_skips_recogniser_on_silence() -> None:
    fake = FakeTranscriber()
    t = transcribe_blocks(blocks(silence(5.0)), fake)
    assert fake.calls == []
    assert t.duration == 5.0 and t.words == () and t.speech_regions == ()


def test_pipeline_windows_long_audio_at_silences_with_correct_offsets() -> None:
    # 4 voiced stretches of 4 s separated by 1 s silences = 19 s; window 6 s forces cuts.
    parts = []
    for _ in range(4):
        parts += [tone(4.0), silence(1.0)]
    audio = np.concatenate(parts[:-1])
    words = [(f"w{i}", 0.5 + 5 * i, 1.0 + 5 * i) for i in range(4)]
    fake = FakeTranscriber(words)
    # Coverage off: each 4 s tone holds one 0.5 s word, and this test counts window calls,
    # not the re-decoding of the uncovered rest (tests/test_coverage.py covers that).
    opts = PipelineOptions(window_s=6.0, cut_search_s=3.0, coverage=CoverageOptions(enabled=False))
    t = transcribe_blocks(blocks(audio), fake, opts)
    assert len(fake.calls) >= 3
    # Windows tile the audio exactly, and every cut lies in a silence, not mid-speech.
    offsets = [off for _n, off in fake.calls]
    sizes = [n for n, _off in fake.calls]
    assert abs(sum(sizes) / SR - 19.0) < 1e-6
    for off in offsets[1:]:
        assert any(abs(off - (4.0 + 5 * k + 0.5)) <= 0.5 for k in range(4)), off
    assert [w.text for w in t.words] == ["w0", "w1", "w2", "w3"]
    assert len(t.speech_regions) == 4


def test_pipeline_reports_progress() -> None:
    seen: list[float] = []
    transcribe_blocks(blocks(silence(2.0)), FakeTranscriber(), progress=lambda d, _t: seen.append(d))
    assert seen and abs(seen[-1] - 2.0) < 1e-6 and seen == sorted(seen)
