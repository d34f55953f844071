"""Atomic file writes: the one place voice-coach replaces a file's content.

A reader (or a crash) sees either the old file or the whole new one, never a truncated
mix: the data goes to a temporary file in the target's own directory (same file system,
so the final ``os.replace`` is atomic), is flushed and fsynced, then renamed over the
target. On any failure, including ``KeyboardInterrupt``, the temporary file is removed and
the target is left as it was.

The temporary file is created 0600 (by :func:`tempfile.mkstemp`) and keeps that mode after
the rename: reports, pages and recordings may quote a person's answer. Its name is
``.<target name>.<random>.tmp``, so a directory sweep for ``.*.tmp`` finds leftovers of a
process killed by ``SIGKILL`` (the one failure no ``finally`` can clean up).

Errors are raised as :class:`OSError`; callers turn them into their own one-line message.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def atomic_writer(path: Path, mode: str = "wb", encoding: str | None = None) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on a clean exit it replaces ``path``.

    Args:
        path: the file to (re)place. Its directory is created if missing.
        mode: ``"wb"`` or ``"w"``.
        encoding: for text mode (default UTF-8).

    Yields the open temporary file. If the ``with`` body raises, the temporary file is
    removed, ``path`` is untouched and the exception propagates.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_writer writes whole files: mode 'w' or 'wb', not {mode!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if mode == "w":
            fh: IO[Any] = os.fdopen(fd, "w", encoding=encoding or "utf-8", newline="")
        else:
            fh = os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        _remove(tmp)
        raise
    try:
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise
    _sync_dir(path.parent)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path``'s content with ``data``, atomically (see the module docstring)."""
    with atomic_writer(path, "wb") as fh:
        fh.write(data)


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Replace ``path``'s content with ``text``, atomically; newlines are written as given."""
    with atomic_writer(path, "w", encoding=encoding) as fh:
        fh.write(text)


def _remove(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _sync_dir(directory: Path) -> None:
    """Persist the rename itself (best effort: not every file system lets a directory open)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
