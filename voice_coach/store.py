"""The session store: every practice attempt and analyze run, kept locally and privately.

One SQLite database (``<home>/sessions.db``) plus the recordings (``<home>/audio/``), where
``<home>`` is :func:`voice_coach.paths.data_home` (``VOICE_COACH_HOME`` overrides it). The
directory is 0700 and the files 0600, because they hold people's voices.

Why SQLite, and how it is used:

* A session is written in one ``BEGIN IMMEDIATE`` transaction, so a crash or a ``kill -9``
  never leaves half a session: either every row is there or none is.
* WAL journal mode plus a busy timeout plus a retry loop let several processes (a practice
  run and a batch analysis, say) save at the same time without losing anything.
* The schema is versioned with ``PRAGMA user_version`` and migrated forward on open, each
  step in its own transaction; a database from a newer voice-coach is refused, not mangled.
* A corrupt database raises :class:`~voice_coach.errors.StoreError` with a clear message.
  Nothing here ever deletes audio except :meth:`Store.forget`, which the user asks for.

Recordings are written straight into ``<home>/audio/`` (:meth:`Store.new_audio_path`), so a
crash mid-answer still leaves the audio on disk; :meth:`Store.orphan_recordings` finds such
files. Audio from elsewhere (``analyze ~/rec.m4a``) is copied in, so a session never depends
on a file the user may move.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import secrets
import shutil
import sqlite3
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from voice_coach.errors import InputError, StoreError, UsageError
from voice_coach.question import Question

DB_NAME = "sessions.db"
AUDIO_DIR = "audio"
BUNDLE_SCHEMA = "voice-coach.bundle/1"

BUSY_TIMEOUT_S = 30.0
"""How long SQLite itself waits for another process's write lock before giving up."""

WRITE_RETRIES = 8
"""Extra attempts (with growing back-off) after SQLite's own busy timeout has run out."""

STALE_TMP_S = 3600.0
"""Temporary copy files older than this are leftovers of a killed process and are removed."""

# Each entry moves the schema from version i to i+1. Never edit a shipped entry: append one.
MIGRATIONS: tuple[str, ...] = (
    # 1: sessions, their large payloads (kept apart so listing never reads them), notes.
    """
    CREATE TABLE sessions (
        id            TEXT PRIMARY KEY,
        created       TEXT NOT NULL,           -- ISO 8601 UTC, sorts as text
        kind          TEXT NOT NULL,           -- analyze | practice | import
        question_id   TEXT,
        question_text TEXT,
        category      TEXT,
        audio         TEXT,                    -- file name inside <home>/audio, or NULL
        source        TEXT,                    -- where the input came from (informational)
        model         TEXT,
        duration_s    REAL,
        settings      TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX sessions_created ON sessions(created);
    CREATE INDEX sessions_question ON sessions(question_id);
    CREATE TABLE payloads (
        session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
        report     TEXT NOT NULL,
        transcript TEXT,
        question   TEXT
    );
    CREATE TABLE notes (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        at_s       REAL,
        text       TEXT NOT NULL,
        author     TEXT,
        created    TEXT NOT NULL
    );
    CREATE INDEX notes_session ON notes(session_id, at_s);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

T = TypeVar("T")


@dataclass(frozen=True)
class Note:
    """A coach's timestamped remark on a session.

    Attributes:
        id: row id.
        at: seconds into the answer (``None``: about the whole answer).
        text: the remark, as typed (render it escaped).
        author: who wrote it, if known.
        created: when it was written (ISO 8601 UTC).
    """

    id: int
    at: float | None
    text: str
    author: str | None
    created: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form (used in bundles and ``show --format json``)."""
        return {"at": self.at, "text": self.text, "author": self.author, "created": self.created}


@dataclass(frozen=True)
class Session:
    """One stored session.

    Attributes:
        id: the session id (``20261122-064501-3fa2c1``: sortable, typeable by prefix).
        created: ISO 8601 UTC time it was saved.
        kind: ``analyze``, ``practice`` or ``import``.
        question_id, question_text, category: the question answered, if known.
        audio_path: the recording inside the store, if there is one.
        source: where the input came from (the path analysed), informational only.
        model: the speech model used.
        duration_s: length of the answer in seconds (``None`` for text input).
        settings: the settings the report was made with.
        report: the report JSON (``None`` when listed without payloads).
        transcript: the transcript JSON (``None`` when absent or not loaded).
        question: the full question object as saved (``None`` when unknown or not loaded).
        notes: coach notes, ordered by time (empty when not loaded).
    """

    id: str
    created: str
    kind: str
    question_id: str | None
    question_text: str | None
    category: str | None
    audio_path: Path | None
    source: str | None
    model: str | None
    duration_s: float | None
    settings: dict[str, Any] = field(default_factory=dict)
    report: dict[str, Any] | None = None
    transcript: dict[str, Any] | None = None
    question: dict[str, Any] | None = None
    notes: tuple[Note, ...] = ()


class Store:
    """The session database and the audio directory under one data home."""

    def __init__(self, home: Path, conn: sqlite3.Connection) -> None:
        """Use :meth:`open`; this only wires an already migrated connection."""
        self.home = home
        self.audio_dir = home / AUDIO_DIR
        self.db_path = home / DB_NAME
        self._conn = conn

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, home: Path | None = None) -> Store:
        """Open (creating and migrating if needed) the store in ``home``.

        ``home`` defaults to :func:`voice_coach.paths.data_home`. Raises
        :class:`StoreError` when the database is corrupt, from a newer version, or the
        directory cannot be written.
        """
        from voice_coach.paths import data_home

        if home is None:
            home = data_home()
        home = Path(home).expanduser()
        try:
            _private_dir(home)
            _private_dir(home / AUDIO_DIR)
        except OSError as err:
            raise StoreError(f"{home}: cannot create the data directory ({err.strerror or err})") from None
        db = home / DB_NAME
        try:
            if not db.exists():
                # Create the file ourselves so it is 0600 from the first byte; SQLite gives
                # its -wal and -shm files the same mode as the database.
                os.close(os.open(db, os.O_CREAT | os.O_RDWR, 0o600))
            conn = sqlite3.connect(db, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"{db}: cannot open the session store ({err})") from None
        store = cls(home, conn)
        store._setup()
        store._sweep_tmp()
        return store

    def close(self) -> None:
        """Close the database connection."""
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()

    def __enter__(self) -> Store:
        """Context-manager use closes the store on exit."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the connection."""
        self.close()

    def _setup(self) -> None:
        with self._guard():
            conn = self._conn
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            # A header check before anything writes: a non-database file fails here.
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.db_path}: the session store was made by a newer voice-coach "
                    f"(schema {version}, this one knows {SCHEMA_VERSION}); upgrade voice-coach"
                )
            self._retry(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
            conn.execute("PRAGMA synchronous = NORMAL")  # durable enough in WAL, much faster
            if version < SCHEMA_VERSION:
                self._migrate()
            # Reading the schema touches the first pages: a clobbered header fails here.
            # A full integrity scan (see :meth:`check`) is O(size), too slow for every open.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        with contextlib.suppress(OSError):
            for suffix in ("", "-wal", "-shm"):
                p = Path(str(self.db_path) + suffix)
                if p.exists():
                    p.chmod(0o600)

    def _migrate(self) -> None:
        """Apply every migration past the stored version, each in its own transaction."""

        def step() -> None:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Re-read under the write lock: another process may have migrated meanwhile.
                version = int(conn.execute("PRAGMA user_version").fetchone()[0])
                for i in range(version, SCHEMA_VERSION):
                    for stmt in _statements(MIGRATIONS[i]):
                        conn.execute(stmt)
                    conn.execute(f"PRAGMA user_version = {i + 1}")
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise

        self._retry(step)

    def check(self) -> None:
        """Scan the whole database; raises :class:`StoreError` if any page is damaged."""
        with self._guard():
            result = self._conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        if result != "ok":
            raise StoreError(self._corrupt_message(result))

    @property
    def schema_version(self) -> int:
        """The schema version of the open database."""
        with self._guard():
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    # ------------------------------------------------------------------ errors and retries
    def _corrupt_message(self, detail: object) -> str:
        return (
            f"{self.db_path}: the session store is corrupt ({detail}). Move it aside to start a "
            f"new one; your recordings in {self.audio_dir} are untouched"
        )

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn SQLite failures into one clear :class:`StoreError`."""
        try:
            yield
        except sqlite3.IntegrityError as err:
            raise StoreError(f"{self.db_path}: {err}") from None
        except sqlite3.OperationalError as err:
            msg = str(err)
            if "locked" in msg or "busy" in msg:
                raise StoreError(f"{self.db_path}: the session store is busy (another voice-coach "
                                 "is writing); try again") from None
            if "full" in msg:
                raise StoreError(f"{self.db_path}: the disk is full; nothing was saved") from None
            if "malformed" in msg or "not a database" in msg:
                raise StoreError(self._corrupt_message(msg)) from None
            raise StoreError(f"{self.db_path}: {msg}") from None
        except sqlite3.DatabaseError as err:
            raise StoreError(self._corrupt_message(err)) from None

    def _retry(self, fn: Callable[[], T]) -> T:
        """Run ``fn``, retrying when another process holds the write lock past the timeout."""
        delay = 0.05
        for attempt in range(WRITE_RETRIES + 1):
            try:
                return fn()
            except sqlite3.OperationalError as err:
                busy = "locked" in str(err) or "busy" in str(err)
                if not busy or attempt == WRITE_RETRIES:
                    raise
                # Jitter so two waiting writers do not wake in lock-step.
                time.sleep(delay * (1 + secrets.randbelow(100) / 100))
                delay = min(delay * 2, 2.0)
        raise AssertionError("unreachable")  # pragma: no cover

    def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` inside one immediate transaction (all or nothing), with retries."""

        def attempt() -> T:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(conn)
                conn.execute("COMMIT")
                return result
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise

        with self._guard():
            return self._retry(attempt)

    # ------------------------------------------------------------------ audio files
    def new_audio_path(self, suffix: str = ".wav") -> Path:
        """A fresh, unused path in ``<home>/audio/`` for a recorder to write into directly.

        Nothing is created; if the process dies before :meth:`save_session`, the file it
        wrote stays there and :meth:`orphan_recordings` reports it.
        """
        if not suffix.startswith("."):
            suffix = "." + suffix
        while True:
            path = self.audio_dir / f"{_new_id()}{suffix.lower()}"
            if not path.exists():
                return path

    def orphan_recordings(self) -> list[Path]:
        """Audio files in ``<home>/audio`` that belong to no session (oldest first).

        These are answers whose process died before saving: worth offering to analyse.
        Temporary copy files (dot-files) are not listed.
        """
        with self._guard():
            known = {r[0] for r in self._conn.execute("SELECT audio FROM sessions WHERE audio IS NOT NULL")}
        try:
            files = [p for p in self.audio_dir.iterdir()
                     if p.is_file() and not p.name.startswith(".") and p.name not in known]
        except OSError as err:
            raise StoreError(f"{self.audio_dir}: cannot list recordings ({err.strerror or err})") from None
        return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))

    def _adopt_audio(self, audio_path: Path) -> Path:
        """The audio inside the store: kept where it is, or copied in atomically."""
        audio_path = Path(audio_path)
        try:
            inside = audio_path.resolve().parent == self.audio_dir.resolve()
        except OSError:
            inside = False
        if not audio_path.is_file():
            raise InputError(f"{audio_path}: the recording to save does not exist")
        if inside:
            with contextlib.suppress(OSError):
                audio_path.chmod(0o600)
            return audio_path
        dest = self.new_audio_path(audio_path.suffix or ".wav")
        tmp = self.audio_dir / f".{dest.name}.tmp"
        try:
            with audio_path.open("rb") as src, _open_private(tmp) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
                dst.flush()
                os.fsync(dst.fileno())
            os.replace(tmp, dest)
        except OSError as err:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise StoreError(f"{audio_path}: cannot copy the recording into the store "
                             f"({err.strerror or err})") from None
        return dest

    def _sweep_tmp(self) -> None:
        """Remove temporary copies left by killed processes (never real recordings)."""
        now = time.time()
        with contextlib.suppress(OSError):
            for p in self.audio_dir.glob(".*.tmp"):
                with contextlib.suppress(OSError):
                    if now - p.stat().st_mtime > STALE_TMP_S:
                        p.unlink()

    # ------------------------------------------------------------------ saving
    def save_session(
        self,
        *,
        kind: str,
        report: dict[str, Any],
        transcript: dict[str, Any] | None,
        audio_path: Path | None,
        question: Question | None,
        model: str | None,
        settings: dict[str, Any] | None,
        source: str | None = None,
        created: str | None = None,
        session_id: str | None = None,
    ) -> str:
        """Save one session atomically and return its id.

        Audio already in ``<home>/audio`` is referenced where it is; audio elsewhere is
        copied in first (the copy is complete before the rows are written, so a crash
        leaves at worst an orphan file, never a session without its audio).
        """
        if not isinstance(report, dict):
            raise UsageError("a session needs a report object")
        stored_audio = self._adopt_audio(audio_path) if audio_path is not None else None
        q = question.to_dict() if question is not None else _question_from_report(report)
        sid = session_id or _new_id()
        row = {
            "id": sid,
            "created": created or _now(),
            "kind": kind,
            "question_id": q.get("id") if q else None,
            "question_text": q.get("text") if q else None,
            "category": (question.category if question is not None else (q or {}).get("category")),
            "audio": stored_audio.name if stored_audio is not None else None,
            "source": source,
            "model": model,
            "duration_s": _float_or_none(report.get("duration_s")),
            "settings": json.dumps(settings or {}, ensure_ascii=False, default=str),
        }
        payload = {
            "session_id": sid,
            "report": json.dumps(report, ensure_ascii=False, default=str),
            "transcript": json.dumps(transcript, ensure_ascii=False) if transcript is not None else None,
            "question": json.dumps(q, ensure_ascii=False) if q else None,
        }

        def insert(conn: sqlite3.Connection) -> str:
            if session_id is None:
                # A generated id can (very rarely) collide with one saved the same second.
                while conn.execute("SELECT 1 FROM sessions WHERE id = ?", (row["id"],)).fetchone():
                    row["id"] = payload["session_id"] = _new_id()
            self._insert_session(conn, row, payload)
            return str(row["id"])

        return self._write(insert)

    def _insert_session(self, conn: sqlite3.Connection, row: dict[str, Any], payload: dict[str, Any]) -> None:
        """The rows of one session; runs inside the caller's transaction."""
        conn.execute(
            "INSERT INTO sessions (id, created, kind, question_id, question_text, category, audio, "
            "source, model, duration_s, settings) VALUES (:id, :created, :kind, :question_id, "
            ":question_text, :category, :audio, :source, :model, :duration_s, :settings)",
            row,
        )
        conn.execute(
            "INSERT INTO payloads (session_id, report, transcript, question) "
            "VALUES (:session_id, :report, :transcript, :question)",
            payload,
        )

    # ------------------------------------------------------------------ reading
    def resolve(self, ident: str) -> str:
        """The full id of the session ``ident`` names (a full id or a unique prefix).

        ``last`` names the newest session. Raises :class:`UsageError` when nothing or more
        than one session matches.
        """
        ident = ident.strip()
        with self._guard():
            if ident in ("last", "latest"):
                row = self._conn.execute(
                    "SELECT id FROM sessions ORDER BY created DESC, rowid DESC LIMIT 1").fetchone()
                if row is None:
                    raise UsageError("there are no saved sessions yet")
                return str(row[0])
            if not ident:
                raise UsageError("empty session id")
            pattern = ident.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = self._conn.execute(
                "SELECT id FROM sessions WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 3", (pattern,)
            ).fetchall()
        exact = [r[0] for r in rows if r[0] == ident]
        if exact:
            return str(exact[0])
        if not rows:
            raise UsageError(f"no session {ident!r} (see `voice-coach sessions`)")
        if len(rows) > 1:
            raise UsageError(f"session id {ident!r} is ambiguous: {', '.join(r[0] for r in rows)} ...")
        return str(rows[0][0])

    def get(self, ident: str, *, payload: bool = True) -> Session:
        """One session by id or unique prefix, with its report, transcript and notes."""
        sid = self.resolve(ident)
        with self._guard():
            row = self._conn.execute(f"SELECT {_COLS} FROM sessions WHERE id = ?", (sid,)).fetchone()
            if row is None:  # pragma: no cover - deleted between resolve and read
                raise UsageError(f"no session {ident!r}")
            extra: dict[str, Any] = {}
            if payload:
                prow = self._conn.execute(
                    "SELECT report, transcript, question FROM payloads WHERE session_id = ?", (sid,)
                ).fetchone()
                if prow is None:
                    raise StoreError(self._corrupt_message(f"session {sid} has no report"))
                extra = {
                    "report": _loads(prow[0], sid),
                    "transcript": _loads(prow[1], sid) if prow[1] else None,
                    "question": _loads(prow[2], sid) if prow[2] else None,
                    "notes": tuple(self.notes(sid)),
                }
        return self._session(row, **extra)

    def list_sessions(
        self,
        *,
        question: str | None = None,
        category: str | None = None,
        since: str | None = None,
        until: str | None = None,
        kind: str | None = None,
        limit: int | None = None,
        with_reports: bool = False,
    ) -> list[Session]:
        """Sessions, oldest first, filtered.

        Args:
            question: a question id, or text contained in the question (case-insensitive).
            category: the question's category.
            since, until: ISO dates or times (``2026-11-01``); ``until`` includes that day.
            kind: ``analyze``, ``practice`` or ``import``.
            limit: keep only the newest ``limit`` sessions.
            with_reports: also load each report (for progress charts).
        """
        where: list[str] = []
        params: list[Any] = []
        if question:
            where.append("(question_id = ? OR lower(question_text) LIKE ? ESCAPE '\\')")
            esc = question.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params += [question, f"%{esc}%"]
        if category:
            where.append("lower(category) = ?")
            params.append(category.lower())
        if since:
            where.append("created >= ?")
            params.append(normalise_date(since))
        if until:
            u = normalise_date(until)
            # A bare date means "to the end of that day".
            where.append("created < ?" if "T" in until else "substr(created, 1, 10) <= ?")
            params.append(u if "T" in until else u[:10])
        if kind:
            where.append("kind = ?")
            params.append(kind)
        sql = f"SELECT {_COLS} FROM sessions"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created DESC, rowid DESC"  # rowid: saving order within one second
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self._guard():
            rows = self._conn.execute(sql, params).fetchall()
            out = []
            for row in reversed(rows):
                if with_reports:
                    prow = self._conn.execute("SELECT report FROM payloads WHERE session_id = ?",
                                              (row[0],)).fetchone()
                    out.append(self._session(row, report=_loads(prow[0], row[0]) if prow else None))
                else:
                    out.append(self._session(row))
        return out

    def count(self) -> int:
        """How many sessions are stored."""
        with self._guard():
            return int(self._conn.execute("SELECT count(*) FROM sessions").fetchone()[0])

    def _session(self, row: Sequence[Any], **extra: Any) -> Session:
        settings = _loads(row[10], row[0]) if row[10] else {}
        return Session(
            id=row[0], created=row[1], kind=row[2], question_id=row[3], question_text=row[4],
            category=row[5], audio_path=(self.audio_dir / row[6]) if row[6] else None,
            source=row[7], model=row[8], duration_s=row[9],
            settings=settings if isinstance(settings, dict) else {}, **extra,
        )

    # ------------------------------------------------------------------ notes
    def add_note(self, ident: str, text: str, at: float | None = None, author: str | None = None) -> Note:
        """Attach a coach's note to a session, at ``at`` seconds (``None``: the whole answer)."""
        text = text.strip()
        if not text:
            raise UsageError("a note needs some text")
        if at is not None and (at != at or at < 0):
            raise UsageError(f"--at must be a time in seconds >= 0, not {at}")
        sid = self.resolve(ident)
        created = _now()

        def insert(conn: sqlite3.Connection) -> int:
            cur = conn.execute(
                "INSERT INTO notes (session_id, at_s, text, author, created) VALUES (?, ?, ?, ?, ?)",
                (sid, at, text, author, created),
            )
            return int(cur.lastrowid or 0)

        nid = self._write(insert)
        return Note(nid, at, text, author, created)

    def notes(self, ident: str) -> list[Note]:
        """A session's notes, in answer order (whole-answer notes first)."""
        sid = self.resolve(ident)
        with self._guard():
            rows = self._conn.execute(
                "SELECT id, at_s, text, author, created FROM notes WHERE session_id = ? "
                "ORDER BY at_s IS NOT NULL, at_s, id", (sid,)
            ).fetchall()
        return [Note(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    # ------------------------------------------------------------------ forgetting
    def forget(self, ident: str) -> Session:
        """Delete a session's rows and its recording from disk; returns what was deleted.

        Rows go first (in one transaction), then the file: a crash in between leaves an
        orphan recording, which is listed and can be removed, never a session whose audio
        is missing.
        """
        session = self.get(ident, payload=False)

        def delete(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM notes WHERE session_id = ?", (session.id,))
            conn.execute("DELETE FROM payloads WHERE session_id = ?", (session.id,))
            conn.execute("DELETE FROM sessions WHERE id = ?", (session.id,))

        self._write(delete)
        if session.audio_path is not None:
            with self._guard():
                shared = self._conn.execute("SELECT count(*) FROM sessions WHERE audio = ?",
                                            (session.audio_path.name,)).fetchone()[0]
            if not shared:
                try:
                    session.audio_path.unlink(missing_ok=True)
                except OSError as err:
                    raise StoreError(f"{session.audio_path}: session deleted but the recording could "
                                     f"not be removed ({err.strerror or err})") from None
        return session

    # ------------------------------------------------------------------ bundles
    def export_bundle(self, ident: str, dest: Path) -> Path:
        """Write one session (audio, transcript, report, notes) to a zip file at ``dest``."""
        s = self.get(ident)
        meta = {
            "schema": BUNDLE_SCHEMA,
            "id": s.id, "created": s.created, "kind": s.kind, "question": s.question,
            "category": s.category, "model": s.model, "settings": s.settings, "source": s.source,
            "audio": None,
            "notes": [n.to_dict() for n in s.notes],
        }
        dest = Path(dest)
        tmp = dest.with_name(f".{dest.name}.tmp")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
                if s.audio_path is not None and s.audio_path.is_file():
                    name = "audio" + s.audio_path.suffix
                    meta["audio"] = name
                    # Compressed audio does not deflate; store it as is.
                    zf.write(s.audio_path, name, compress_type=zipfile.ZIP_STORED)
                zf.writestr("report.json", json.dumps(s.report, ensure_ascii=False, indent=1))
                if s.transcript is not None:
                    zf.writestr("transcript.json", json.dumps(s.transcript, ensure_ascii=False, indent=1))
                zf.writestr("session.json", json.dumps(meta, ensure_ascii=False, indent=1))
            os.replace(tmp, dest)
        except OSError as err:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise InputError(f"{dest}: cannot write the bundle ({err.strerror or err})") from None
        return dest

    def import_bundle(self, path: Path) -> str:
        """Read a bundle made by :meth:`export_bundle` into this store; returns the session id.

        The original id is kept when it is free (so a coach and a candidate talk about the
        same id); otherwise a new one is given. Notes come along.
        """
        path = Path(path)
        try:
            zf = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except (zipfile.BadZipFile, OSError) as err:
            raise InputError(f"{path}: not a voice-coach bundle ({err})") from None
        with zf:
            names = set(zf.namelist())
            try:
                meta = json.loads(zf.read("session.json"))
                report = json.loads(zf.read("report.json"))
                transcript = json.loads(zf.read("transcript.json")) if "transcript.json" in names else None
            except KeyError as err:
                raise InputError(f"{path}: not a voice-coach bundle (missing {err})") from None
            except (ValueError, zipfile.BadZipFile, OSError) as err:
                raise InputError(f"{path}: damaged bundle ({err})") from None
            if not isinstance(meta, dict) or not isinstance(report, dict):
                raise InputError(f"{path}: not a voice-coach bundle")
            if meta.get("schema") != BUNDLE_SCHEMA:
                raise InputError(f"{path}: not a voice-coach bundle (schema {meta.get('schema')!r})")
            audio_name = meta.get("audio")
            audio_tmp: Path | None = None
            if audio_name:
                if audio_name not in names or "/" in audio_name or "\\" in audio_name:
                    raise InputError(f"{path}: the bundle's audio {audio_name!r} is missing")
                audio_tmp = self.new_audio_path(Path(audio_name).suffix or ".wav")
                part = self.audio_dir / f".{audio_tmp.name}.tmp"
                try:
                    with zf.open(audio_name) as src, _open_private(part) as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
                    os.replace(part, audio_tmp)
                except (OSError, zipfile.BadZipFile) as err:
                    with contextlib.suppress(OSError):
                        part.unlink()
                    raise InputError(f"{path}: cannot extract the audio ({err})") from None
        q = meta.get("question") if isinstance(meta.get("question"), dict) else None
        question = None
        if q:
            question = Question(q.get("id"), q.get("text"), meta.get("category") or q.get("category"))
        sid = str(meta.get("id") or "")
        with self._guard():
            taken = not sid or self._conn.execute("SELECT 1 FROM sessions WHERE id = ?", (sid,)).fetchone()
        if taken:
            sid = _new_id()
        try:
            sid = self.save_session(
                kind="import", report=report, transcript=transcript, audio_path=audio_tmp,
                question=question, model=meta.get("model"),
                settings=meta.get("settings") if isinstance(meta.get("settings"), dict) else {},
                source=str(path),
                created=meta.get("created") if isinstance(meta.get("created"), str) else None,
                session_id=sid,
            )
        except BaseException:
            if audio_tmp is not None:
                with contextlib.suppress(OSError):
                    audio_tmp.unlink()
            raise
        for n in meta.get("notes") or []:
            if isinstance(n, dict) and isinstance(n.get("text"), str) and n["text"].strip():
                at = n.get("at")
                self.add_note(sid, n["text"], float(at) if isinstance(at, int | float) else None,
                              n.get("author") if isinstance(n.get("author"), str) else None)
        return sid


# ---------------------------------------------------------------------- helpers
_COLS = ("id, created, kind, question_id, question_text, category, audio, source, model, "
         "duration_s, settings")


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (no semicolons inside our DDL)."""
    out = []
    for stmt in script.split(";"):
        lines = [ln.split("--")[0].rstrip() for ln in stmt.splitlines()]
        text = "\n".join(ln for ln in lines if ln.strip())
        if text.strip():
            out.append(text)
    return out


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        path.chmod(0o700)


def _open_private(path: Path) -> Any:
    """Open ``path`` for writing, created 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(fd, "wb")


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _new_id() -> str:
    """``YYYYMMDD-HHMMSS-xxxxxx``: sorts by time; six random hex digits keep sessions saved
    in the same second (a batch, two processes) apart."""
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)


def _float_or_none(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _loads(text: str, sid: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        raise StoreError(f"session {sid}: its stored JSON is damaged") from None


def _question_from_report(report: dict[str, Any]) -> dict[str, Any] | None:
    q = report.get("question")
    return q if isinstance(q, dict) and (q.get("id") or q.get("text")) else None


def normalise_date(text: str) -> str:
    """``2026-11-01`` or ``2026-11-01T08:00`` -> a string comparable with stored times.

    Raises :class:`UsageError` for anything else (``--since yesterday`` is not a date).
    """
    text = text.strip()
    try:
        if "T" in text or " " in text:
            d = _dt.datetime.fromisoformat(text.replace(" ", "T"))
            if d.tzinfo is None:
                d = d.replace(tzinfo=_dt.timezone.utc)
            return d.astimezone(_dt.timezone.utc).isoformat(timespec="seconds")
        return _dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise UsageError(f"{text!r} is not a date (use YYYY-MM-DD)") from None
