"""voice_coach.encoder_memo: the second pass of a window reuses the first pass's features and
encoder output."""

from __future__ import annotations

from typing import Any

import numpy as np

from voice_coach import encoder_memo


class FakeModel:
    """Counts ``encode`` calls; each output is a fresh object so reuse is visible."""

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, features: np.ndarray) -> Any:
        self.calls += 1
        return {"sum": float(features.sum()), "call": self.calls}


def test_the_same_features_are_encoded_once() -> None:
    model = FakeModel()
    memo = encoder_memo.install(model)
    f = np.arange(80 * 30, dtype=np.float32).reshape(80, 30)
    first = model.encode(f)
    again = model.encode(f.copy())  # equal bytes, another array: the prompted pass
    assert again is first and model.encode is memo
    assert (memo.hits, memo.misses) == (1, 1)


def test_features_differing_in_one_value_or_shape_are_encoded_again() -> None:
    model = FakeModel()
    encoder_memo.install(model)
    f = np.zeros((80, 30), dtype=np.float32)
    a = model.encode(f)
    g = f.copy()
    g[79, 29] = 1e-7
    assert model.encode(g) is not a
    assert model.encode(np.zeros((80, 31), dtype=np.float32)) is not a
    assert model.encode(f.astype(np.float64)) is not a


def test_only_the_last_outputs_are_kept() -> None:
    model = FakeModel()
    memo = encoder_memo.install(model)
    windows = [np.full((80, 30), k, dtype=np.float32) for k in range(encoder_memo.SIZE + 1)]
    outs = [model.encode(w) for w in windows]
    assert model.encode(windows[-1]) is outs[-1]  # the latest is kept
    assert model.encode(windows[0]) is not outs[0]  # the oldest was dropped
    assert memo.misses == encoder_memo.SIZE + 2


def test_two_passes_asking_at_once_share_one_encoder_run() -> None:
    """Side by side, the second caller waits for the first one's run instead of its own."""
    import threading

    release = threading.Event()

    class Slow(FakeModel):
        def encode(self, features: np.ndarray) -> Any:
            release.wait(5.0)
            return super().encode(features)

    model = Slow()
    memo = encoder_memo.install(model)
    f = np.ones((80, 30), dtype=np.float32)
    outs: list[Any] = []
    threads = [threading.Thread(target=lambda: outs.append(model.encode(f.copy()))) for _ in range(2)]
    for t in threads:
        t.start()
    release.set()
    for t in threads:
        t.join(5.0)
    assert model.calls == 1 and len(outs) == 2 and outs[0] is outs[1]
    assert (memo.hits, memo.misses) == (1, 1)


class FakeExtractor:
    """faster-whisper's FeatureExtractor as far as the memo sees it."""

    hop_length = 160

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, waveform: np.ndarray, padding: int = 160, chunk_length: int | None = None) -> Any:
        self.calls += 1
        return np.full((80, waveform.size // self.hop_length), float(chunk_length or 0))


def test_the_features_of_the_same_audio_are_computed_once() -> None:
    model = FakeModel()
    model.feature_extractor = FakeExtractor()  # type: ignore[attr-defined]
    extractor = model.feature_extractor  # type: ignore[attr-defined]
    encoder_memo.install(model)
    audio = np.linspace(-1, 1, 16000, dtype=np.float32)
    first = model.feature_extractor(audio, chunk_length=30)  # type: ignore[attr-defined]
    assert model.feature_extractor(audio.copy(), chunk_length=30) is first  # type: ignore[attr-defined]
    assert extractor.calls == 1 and model.feature_extractor.hop_length == 160  # type: ignore[attr-defined]
    # Other audio, or other arguments, are computed again.
    model.feature_extractor(audio[:8000], chunk_length=30)  # type: ignore[attr-defined]
    model.feature_extractor(audio, chunk_length=20)  # type: ignore[attr-defined]
    assert extractor.calls == 3


def test_a_real_transcript_is_the_same_with_the_memo_and_uses_it() -> None:
    """The bundled example through the real model: same words and times, fewer encoder runs."""
    from pathlib import Path

    from voice_coach.asr import FasterWhisperTranscriber
    from voice_coach.pipeline import load_transcript

    example = Path(__file__).resolve().parent.parent / "voice_coach" / "data" / "example_answer.flac"
    with_memo = FasterWhisperTranscriber()
    got = load_transcript(example, lambda: with_memo)
    memo = with_memo.model.encode
    assert isinstance(memo, encoder_memo.EncoderMemo) and memo.hits >= 1
    from voice_coach.asr import AsrOptions

    # The model's own encode and features, no memo, and one decode at a time.
    plain = FasterWhisperTranscriber(options=AsrOptions(num_workers=1))
    plain.model.encode = plain.model.encode._encode
    plain.model.feature_extractor = plain.model.feature_extractor.extractor
    assert not plain.side_by_side and with_memo.side_by_side
    want = load_transcript(example, lambda: plain)
    assert got.words == want.words and got.words
