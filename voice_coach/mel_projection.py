"""Log-mel features that do not depend on how many threads numpy's BLAS runs.

faster-whisper projects the power spectrum onto the mel filters with ``filters @ power``, a
float32 matrix product that numpy hands to OpenBLAS. Its result with one thread differs from
its result with 2, 3, 4 or 8 (which agree) in the last bit (0.4% of the values of a rendered
clip, by 1.2e-7), and Whisper's greedy decode amplifies that: word probabilities
moved by up to 0.047 and 3 of 8 test recordings changed words (docs/signals-delivery.md, "A
determinism gap"). The thread count is not the same everywhere a file is analysed: OpenBLAS
takes ``OPENBLAS_NUM_THREADS`` or ``OMP_NUM_THREADS`` when numpy loads, else one thread per
core; a Dask nanny starts its workers with both set to 1, and any process that sets them
later (a Dask nanny in this process, a training script imported by a test) gives its
spawned batch workers 1 thread while it keeps its own count.

:func:`install` gives a loaded ``WhisperModel``'s feature extractor mel filters whose ``@``
is ``numpy.einsum``: numpy's own loop, no BLAS, no threads, the same sums in the same order
in every process. It takes 4 ms per 30 s of audio and 27 ms per 3 minutes (OpenBLAS: 1-12
and 3-6 ms), against 1-2 CPU-s of decoding per 30 s pass. CTranslate2's own
thread settings (``cpu_threads`` 1, 2, 4 or 0, ``inter_threads``, another process decoding
at once) were measured not to change a single probability, so they are chosen for speed
alone (``asr.AsrOptions``).
"""

from __future__ import annotations

from typing import Any

import numpy as np


class EinsumFilters:
    """Mel filters (``n_mels x n_freqs``) whose matrix product never goes through BLAS."""

    def __init__(self, filters: np.ndarray) -> None:
        self.filters = np.asarray(filters)

    def __matmul__(self, power: np.ndarray) -> np.ndarray:
        return np.einsum("ij,...jk->...ik", self.filters, power)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        return self.filters if dtype is None else self.filters.astype(dtype)


def install(model: Any) -> EinsumFilters:
    """Give ``model.feature_extractor`` (a faster-whisper ``WhisperModel``'s) thread-free filters."""
    extractor = model.feature_extractor
    filters = extractor.mel_filters
    if not isinstance(filters, EinsumFilters):
        filters = EinsumFilters(filters)
        extractor.mel_filters = filters
    return filters
