"""The recordings under ``<home>/audio``: fresh paths, copies in, orphans, leftovers.

Recordings are written straight into the audio directory (:func:`new_audio_path`), so a
crash mid-answer still leaves the audio on disk; :func:`orphans` finds such files. Audio from
elsewhere (``analyze ~/rec.m4a``) is copied in (:func:`adopt`), so a session never depends on
a file the user may move. Copies go through :func:`voice_coach.fsutil.atomic_writer`, whose
temporary files are dot-files ending ``.tmp``: never listed as recordings, and swept by
:func:`sweep_tmp` when a killed process left one behind. Only :func:`remove` deletes a
recording, for :meth:`voice_coach.store.Store.forget`, which the user asks for.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Container
from pathlib import Path
from typing import IO

from voice_coach.errors import InputError, StoreError
from voice_coach.fsutil import atomic_writer
from voice_coach.store import dates

STALE_TMP_S = 3600.0
"""Temporary copy files older than this are leftovers of a killed process and are removed."""

COPY_CHUNK = 1 << 20


def private_dir(path: Path) -> None:
    """Create ``path`` (and its parents) and make it 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        path.chmod(0o700)


def new_audio_path(audio_dir: Path, suffix: str = ".wav") -> Path:
    """A fresh, unused path in ``audio_dir`` for a recorder to write into directly.

    Nothing is created; if the process dies before the session is saved, the file it
    wrote stays there and :func:`orphans` reports it.
    """
    if not suffix.startswith("."):
        suffix = "." + suffix
    while True:
        path = audio_dir / f"{dates.new_id()}{suffix.lower()}"
        if not path.exists():
            return path


def copy_in(src: IO[bytes], audio_dir: Path, suffix: str) -> Path:
    """Copy the stream ``src`` to a new recording in ``audio_dir`` (0600, atomically).

    Raises :class:`OSError` (the partial copy removed) when the copy fails.
    """
    dest = new_audio_path(audio_dir, suffix or ".wav")
    with atomic_writer(dest, "wb") as dst:
        shutil.copyfileobj(src, dst, COPY_CHUNK)
    return dest


def adopt(audio_dir: Path, audio_path: Path) -> Path:
    """The recording inside the store: kept where it is, or copied in atomically."""
    audio_path = Path(audio_path)
    try:
        inside = audio_path.resolve().parent == audio_dir.resolve()
    except OSError:
        inside = False
    if not audio_path.is_file():
        raise InputError(f"{audio_path}: the recording to save does not exist")
    if inside:
        with contextlib.suppress(OSError):
            audio_path.chmod(0o600)
        return audio_path
    try:
        with audio_path.open("rb") as src:
            return copy_in(src, audio_dir, audio_path.suffix)
    except OSError as err:
        raise StoreError(f"{audio_path}: cannot copy the recording into the store "
                         f"({err.strerror or err})") from None


def orphans(audio_dir: Path, known: Container[str]) -> list[Path]:
    """Files in ``audio_dir`` whose names are not in ``known`` (oldest first); dot-files
    (temporary copies) are not listed."""
    try:
        files = [p for p in audio_dir.iterdir()
                 if p.is_file() and not p.name.startswith(".") and p.name not in known]
    except OSError as err:
        raise StoreError(f"{audio_dir}: cannot list recordings ({err.strerror or err})") from None
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def sweep_tmp(audio_dir: Path, older_than_s: float = STALE_TMP_S) -> None:
    """Remove temporary copies left by killed processes (never real recordings)."""
    now = time.time()
    with contextlib.suppress(OSError):
        for p in audio_dir.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                if now - p.stat().st_mtime > older_than_s:
                    p.unlink()


def remove(path: Path) -> None:
    """Delete one recording (the user asked to forget its session)."""
    try:
        path.unlink(missing_ok=True)
    except OSError as err:
        raise StoreError(f"{path}: session deleted but the recording could not be removed "
                         f"({err.strerror or err})") from None
