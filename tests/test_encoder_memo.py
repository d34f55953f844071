"""voice_coach.encoder_memo: the second pass of a window reuses the first pass's encoder output."""

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
    plain = FasterWhisperTranscriber()
    plain.model.encode = plain.model.encode._encode  # the model's own encode, no memo
    want = load_transcript(example, lambda: plain)
    assert got.words == want.words and got.words
