"""The session store: every practice attempt and analyze run, kept locally and privately.

One SQLite database (``<home>/sessions.db``) plus the recordings (``<home>/audio/``), where
``<home>`` is :func:`voice_coach.paths.data_home` (``VOICE_COACH_HOME`` overrides it). The
directory is 0700 and the files 0600, because they hold people's voices.

The package, one job a module:

* :mod:`~voice_coach.store.core`: :class:`Store`, the API the commands use (save, list,
  get, notes, forget).
* :mod:`~voice_coach.store.db`: SQLite: opening, migrations (``PRAGMA user_version``),
  one-transaction writes, retries when another process holds the lock, clear errors.
* :mod:`~voice_coach.store.models`: :class:`Session` and :class:`Note`, read from rows by
  column name.
* :mod:`~voice_coach.store.audio_files`: the recordings: fresh paths, atomic copies in,
  orphans of a crashed run, leftover temporary files.
* :mod:`~voice_coach.store.archive`: the archive page (filters, FTS5 search, pages) and
  note edits, for ``voice-coach serve``.
* :mod:`~voice_coach.store.bundles`: ``export``/``import`` zip bundles.
* :mod:`~voice_coach.store.dates`: the one parser for stored times and ``--since``/``--until``.

Nothing here ever deletes audio except :meth:`Store.forget`, which the user asks for; a
corrupt database raises :class:`~voice_coach.errors.StoreError` (exit code 6) and is kept.
"""

from __future__ import annotations

from voice_coach.store.archive import ArchivePage, ArchiveQuery
from voice_coach.store.audio_files import STALE_TMP_S
from voice_coach.store.bundles import BUNDLE_SCHEMA
from voice_coach.store.core import AUDIO_DIR, DB_NAME, Store
from voice_coach.store.dates import normalise_date
from voice_coach.store.db import BUSY_TIMEOUT_S, MIGRATIONS, SCHEMA_VERSION, WRITE_RETRIES
from voice_coach.store.models import Note, Session

__all__ = [
    "AUDIO_DIR",
    "BUNDLE_SCHEMA",
    "BUSY_TIMEOUT_S",
    "DB_NAME",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STALE_TMP_S",
    "WRITE_RETRIES",
    "ArchivePage",
    "ArchiveQuery",
    "Note",
    "Session",
    "Store",
    "normalise_date",
]
