"""voice_coach.mel_projection: features, and so transcripts, do not depend on BLAS threads.

A batch worker does not always run numpy with the thread count of the process that would
analyse the same file one by one (a Dask nanny sets OMP/OPENBLAS_NUM_THREADS=1 for its
workers; a spawned worker inherits whatever the parent's environment says by then), and
OpenBLAS's float32 product differs in the last bit between 1 and 2 threads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from voice_coach import mel_projection

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "voice_coach" / "data" / "example_answer.flac"

# Run in a fresh process, so numpy's BLAS starts with the thread count of its environment.
# It builds the recogniser the way every path does (model_cache), then reports the log-mel
# features' digest and both passes' words with their probabilities.
CHILD = """
import hashlib, json, sys
from pathlib import Path
from types import SimpleNamespace
from voice_coach.asr import AsrOptions
from voice_coach.audio.decode import load_audio
from voice_coach.model_cache import shared_transcriber

audio = load_audio(Path(sys.argv[1]))
t = shared_transcriber(None, AsrOptions())
features = t.model.feature_extractor(audio)
passes = {}
for name, prompt in (("plain", None), ("prompted", t.options.initial_prompt)):
    segs = t.transcribe_with_prompt(audio, prompt=prompt)
    passes[name] = [[w.text, w.start, w.end, w.probability] for s in segs for w in s.words]
print(json.dumps({"features": hashlib.blake2b(features.tobytes()).hexdigest(), "passes": passes}))
"""


def _decode_with_threads(threads: int) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS=str(threads),
               OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    done = subprocess.run([sys.executable, "-c", CHILD, str(EXAMPLE)], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_product_equals_numpys_and_install_is_idempotent() -> None:
    rng = np.random.default_rng(3)
    filters = rng.random((80, 201), dtype=np.float32)
    power = rng.random((201, 700), dtype=np.float32)

    model = SimpleNamespace(feature_extractor=SimpleNamespace(mel_filters=filters))  # a WhisperModel's shape

    first = mel_projection.install(model)
    assert model.feature_extractor.mel_filters is first
    assert mel_projection.install(model) is first  # a second install does not wrap twice
    got = first @ power
    assert got.dtype == np.float32 and got.shape == (80, 700)
    np.testing.assert_allclose(got, filters @ power, rtol=1e-5)
    np.testing.assert_array_equal(np.asarray(first), filters)
    batched = first @ np.stack([power, power[:, ::-1]])
    np.testing.assert_array_equal(batched[0], got)


@pytest.mark.slow
def test_one_and_two_blas_threads_give_the_same_features_and_transcript() -> None:
    """What a Dask worker (OMP/OPENBLAS_NUM_THREADS=1) and a 2-core `analyze` compute.

    Without thread-free mel filters the features of this file differ between the two, and
    the words' probabilities with them.
    """
    one, two = _decode_with_threads(1), _decode_with_threads(2)
    assert one["features"] == two["features"]
    assert one["passes"]["plain"] and one["passes"]["prompted"]
    assert one["passes"] == two["passes"]
