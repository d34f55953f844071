"""Reuse Whisper's encoder output when the same 30-second window is decoded again.

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
    """``encode(features)`` of one model, remembered for the last :data:`SIZE` inputs."""

    def __init__(self, encode: Callable[[np.ndarray], Any], size: int = SIZE) -> None:
        self._encode = encode
        self._size = size
        self._outputs: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __call__(self, features: np.ndarray) -> Any:
        key = _key(features)
        with self._lock:
            if key in self._outputs:
                self._outputs.move_to_end(key)
                self.hits += 1
                return self._outputs[key]
        out = self._encode(features)
        with self._lock:
            self.misses += 1
            self._outputs[key] = out
            while len(self._outputs) > self._size:
                self._outputs.popitem(last=False)
        return out


def install(model: Any) -> EncoderMemo:
    """Wrap ``model.encode`` (a faster-whisper ``WhisperModel``) with a memo; returns it."""
    memo = EncoderMemo(model.encode)
    model.encode = memo
    return memo
