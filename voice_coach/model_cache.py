"""The process-wide cache of speech recognisers: one loaded Whisper model per model and settings.

Loading a model takes about a second and a few hundred MB, so every path that needs one
(analyze, practice, a batch worker process, a Dask worker thread) asks here instead of
building its own: :meth:`voice_coach.service.Settings.transcriber_factory` and
:func:`voice_coach.batch.analyze_file` both land in :func:`shared_transcriber`.
"""

from __future__ import annotations

import threading
from typing import Any

from voice_coach.asr import AsrOptions, Transcriber

_CACHE: dict[tuple[Any, ...], Transcriber] = {}
_LOCK = threading.Lock()


def shared_transcriber(model: str | None, options: AsrOptions, per_thread: bool = False) -> Transcriber:
    """This process's recogniser for ``model`` and ``options``, built on first use, then reused.

    The model name is resolved first (``None`` means ``VOICE_COACH_MODEL`` or the default), so
    the cache follows the environment. ``per_thread`` gives each thread other than the main
    one its own instance: a Dask worker runs tasks on several threads, and one decoder should
    not serve two at once. The model itself loads lazily, on the first transcription.
    """
    from voice_coach import asr

    spec = asr.resolve_model(model)
    own = per_thread and threading.current_thread() is not threading.main_thread()
    key = (spec, repr(options), threading.get_ident() if own else None)
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = asr.FasterWhisperTranscriber(spec, options)
        return _CACHE[key]


def clear() -> None:
    """Forget every cached recogniser (tests; a long-lived process that changes models)."""
    with _LOCK:
        _CACHE.clear()
