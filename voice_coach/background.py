"""Work done in background threads (model warm-up, live recognition), always finished before exit.

Why this exists: CTranslate2 is a C++ library behind pybind11, which lets go of the GIL
while a model loads, decodes or is freed, and takes it back afterwards. If the interpreter
has begun to shut down by then, CPython ends the (daemon) thread with ``pthread_exit``; its
forced stack unwinding meets a C++ ``noexcept`` destructor and the C++ runtime aborts the
whole process: ``terminate called without an active exception``, exit code 134, instead of
the documented one. That is what happened when ``analyze`` stopped early (silent audio, a
bad file) or practice was interrupted while the warm-up thread still held the model: the
thread dropped the last reference to it during shutdown.

So every thread that may touch the model is started with :func:`start`, and :func:`settle`
waits for them (and for the model-loading thread) before the interpreter shuts down. The
CLI calls it on every exit path; an ``atexit`` hook covers scripts and embedders. After a
Ctrl-C (exit 130) nothing is waited for: once the interrupted command has closed its files
(the recording is closed as the interrupt unwinds), :func:`os._exit` ends the process at
once, skipping the shutdown and so the abort, however long the model would still take.

Ctrl-C itself is delivered by :func:`interrupt` rather than Python's default handler. The
default raises ``KeyboardInterrupt`` wherever the main thread is, and inside importlib's
short critical sections that either leaves the global import lock held (every other thread
then hangs at its next import: a warm-up thread importing spaCy, the loader importing
CTranslate2) or is swallowed as an "exception ignored" (the Ctrl-C is lost). Seen in about
one Ctrl-C in twenty during the model load. :func:`interrupt` waits until no import holds
that lock.
"""

from __future__ import annotations

import _imp
import atexit
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

EXIT_INTERRUPTED = 130
SETTLE_LIMIT_S = 300.0  # a model still loading after this long is not worth waiting for

_INTERRUPTED = threading.Event()
_THREADS: list[threading.Thread] = []
_LOCK = threading.Lock()
_HOOKED = False


def start(target: Callable[[], None], name: str) -> threading.Thread:
    """Run ``target`` in a tracked daemon thread that :func:`settle` waits for."""
    global _HOOKED
    thread = threading.Thread(target=target, name=name, daemon=True)
    with _LOCK:
        _THREADS[:] = [t for t in _THREADS if t.is_alive()]
        _THREADS.append(thread)
        if not _HOOKED:
            atexit.register(_at_exit)
            _HOOKED = True
    thread.start()
    return thread


def running() -> list[threading.Thread]:
    """The tracked threads still running."""
    with _LOCK:
        return [t for t in _THREADS if t.is_alive()]


def warm_up(transcriber: Any = None, *, factory: Callable[[], Any] | None = None, language: bool = True) -> None:
    """Load the speech model and spaCy in the background, so neither is waited for later.

    The one warm-up of the project (analyze, practice and the live transcriber use it). In a
    fresh process each load takes a second or more; both release the GIL for much of it.
    The model is ``transcriber``'s, or that of the recogniser ``factory`` builds (built in
    the thread too). Failures are swallowed: the thread that really needs the model or spaCy
    loads again and reports the error there.
    """
    if language:
        from voice_coach import boundaries
        from voice_coach.language import get_nlp
        from voice_coach.learned import get_model

        def load_language() -> None:
            with contextlib.suppress(Exception):
                get_nlp()
                # The learned second opinion reads spaCy's token vectors; its weights load here
                # too, and so do the sentence-boundary restorer's.
                get_model()
                boundaries.get_model()

        start(load_language, "spacy-warm-up")
    if transcriber is None and factory is None:
        return

    def load_model() -> None:
        with contextlib.suppress(Exception):
            model_of(transcriber if transcriber is not None else factory())  # type: ignore[misc]

    start(load_model, "model-warm-up")


def model_of(transcriber: Any) -> Any:
    """Load ``transcriber``'s model now if it loads lazily (``.model`` property); fakes have none."""
    if isinstance(getattr(type(transcriber), "model", None), property):
        return transcriber.model
    return None


def settle(exit_code: int = 0, *, exit_process: bool = False, limit_s: float = SETTLE_LIMIT_S) -> None:
    """Finish background work before the process exits; call last, with the exit code.

    Waits for every tracked thread and the model loader. With ``exit_process`` (the CLI as
    a program), after an interrupt (``exit_code`` 130), a Ctrl-C while waiting or a wait past
    ``limit_s``, the process ends at once with that code (130 for a Ctrl-C), output flushed,
    skipping interpreter shutdown. Without it (the CLI called in-process), it returns instead.
    """
    if exit_code == EXIT_INTERRUPTED and exit_process:
        _exit_now(exit_code)
    deadline = time.monotonic() + limit_s
    try:
        while threads := running():
            for t in threads:
                t.join(max(0.0, min(0.5, deadline - time.monotonic())))
            if time.monotonic() >= deadline:
                break
        else:
            from voice_coach.asr import wait_for_loader

            if wait_for_loader(max(0.0, deadline - time.monotonic())):
                return
    except KeyboardInterrupt:
        if not exit_process:
            raise
        exit_code = EXIT_INTERRUPTED
    if exit_process:
        _exit_now(exit_code)


def _at_exit() -> None:
    """The ``atexit`` safety net for callers other than the CLI (scripts, embedders)."""
    try:
        settle()
    except KeyboardInterrupt:
        _exit_now(EXIT_INTERRUPTED)


def _exit_now(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def interrupt(signum: int = signal.SIGINT, frame: Any = None) -> None:
    """A signal handler that raises ``KeyboardInterrupt``, but never inside an import's lock.

    While any thread holds the global import lock the signal is sent again 20 ms later (a
    short-lived timer thread), so the interrupt is late by at most a few milliseconds,
    never lost, and never leaves the lock held.
    """
    _INTERRUPTED.set()
    if _imp.lock_held():
        timer = threading.Timer(0.02, signal.pthread_kill, (threading.main_thread().ident, signum))
        timer.daemon = True
        timer.start()
        return
    raise KeyboardInterrupt


def interrupted() -> bool:
    """Whether :func:`interrupt` was called since :func:`safe_interrupts` was entered.

    A Ctrl-C that lands inside a library's import can leave that library half-imported,
    and the error it causes later (a ``NameError``...) is the Ctrl-C's doing, not a bug.
    """
    return _INTERRUPTED.is_set()


@contextlib.contextmanager
def safe_interrupts(*signums: int) -> Iterator[None]:
    """Route ``signums`` (default: SIGINT) to :func:`interrupt` for the duration.

    Only from the main thread, and SIGINT only where Python's own handler is installed (a
    process started with Ctrl-C ignored keeps ignoring it).
    """
    saved: dict[int, Any] = {}
    _INTERRUPTED.clear()
    if threading.current_thread() is threading.main_thread():
        for signum in signums or (signal.SIGINT,):
            current = signal.getsignal(signum)
            if signum == signal.SIGINT and current is not signal.default_int_handler:
                continue
            saved[signum] = signal.signal(signum, interrupt)
    try:
        yield
    finally:
        for signum, old in saved.items():
            signal.signal(signum, old)
