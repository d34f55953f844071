"""Reuse Whisper's features and encoder output when the same audio is decoded again.

Every window is decoded at least twice (:mod:`voice_coach.two_pass`): a plain pass for the
words and a prompted pass for the filled pauses, on the same audio. The prompt only changes
the decoder's input; the encoder sees the same log-mel features both times and, being
deterministic, gives the same output. On the benchmark's 30 s answer the encoder was 0.29-0.49
CPU-s of a 0.94-1.56 CPU-s greedy pass (docs/benchmarks.md), all of it spent again by the
second pass.

:func:`install` wraps a loaded ``WhisperModel``'s ``encode`` with a small memo keyed by a
digest of the features (their shape, type and bytes), so the second pass of a window takes
the first pass's output. A window whose features differ in any byte (another seek position,
a later window) is encoded as before. The memo holds the last :data:`SIZE` outputs (about
2.3 MB each for tiny.en), one memo per model instance, behind a lock.

The same holds one step earlier: each pass computes the log-mel features of the whole
recognition window (up to 120 s) from the same audio, in several float64 copies. The
feature extractor gets a memo of one, keyed by a digest of the audio and its arguments, so
the second pass takes the first one's features: the short-time Fourier transform runs once
a window, and two passes side by side never hold its buffers at the same time.

The two passes may run side by side (:mod:`voice_coach.two_pass`), so both can ask for the
same input at once: the second caller waits for the first one's run instead of starting its
own.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np

# The plain and the prompted pass of one window, and the beam fallback's decode of it.
SIZE = 2


def _key(features: np.ndarray) -> tuple[Any, ...]:
    a = np.ascontiguousarray(features)
    return a.shape, a.dtype.str, hashlib.blake2b(a.tobytes(), digest_size=16).digest()


class EncoderMemo:
    """``encode(features, *args)`` of one model, remembered for the last :data:`SIZE` inputs
    (the arguments are part of the key)."""

    def __init__(self, encode: Callable[..., Any], size: int = SIZE) -> None:
        self._encode = encode
        self._size = size
        self._outputs: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._running: dict[tuple[Any, ...], threading.Event] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __call__(self, features: np.ndarray, *args: Any, **kwargs: Any) -> Any:
        key = (*_key(features), args, tuple(sorted(kwargs.items())))
        while True:
            with self._lock:
                if key in self._outputs:
                    self._outputs.move_to_end(key)
                    self.hits += 1
                    return self._outputs[key]
                running = self._running.get(key)
                if running is None:
                    done = self._running[key] = threading.Event()
                    break
            running.wait()  # another pass is encoding this window; then take its output
        try:
            out = self._encode(features, *args, **kwargs)
            with self._lock:
                self.misses += 1
                self._outputs[key] = out
                while len(self._outputs) > self._size:
                    self._outputs.popitem(last=False)
            return out
        finally:
            with self._lock:
                del self._running[key]
            done.set()


class FeatureMemo:
    """A faster-whisper ``FeatureExtractor`` whose calls are remembered for the last audio.

    Every attribute is the extractor's own. A call sets ``n_samples`` and ``nb_max_frames``
    from ``chunk_length``; faster-whisper always passes the extractor's own 30 s, so a
    remembered call leaves them as they are.
    """

    def __init__(self, extractor: Any) -> None:
        self.extractor = extractor
        self.memo = EncoderMemo(extractor.__call__, size=1)

    def __call__(self, waveform: np.ndarray, *args: Any, **kwargs: Any) -> Any:
        return self.memo(waveform, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.extractor, name)


def install(model: Any) -> EncoderMemo:
    """Wrap ``model.encode`` (a faster-whisper ``WhisperModel``) with a memo, and its
    ``feature_extractor`` when it has one; returns the encoder's memo."""
    memo = EncoderMemo(model.encode)
    model.encode = memo
    if hasattr(model, "feature_extractor"):
        model.feature_extractor = FeatureMemo(model.feature_extractor)
    return memo
