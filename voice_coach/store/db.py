"""The SQLite side of the store: opening, schema migrations, transactions, retries, errors.

* A session is written in one ``BEGIN IMMEDIATE`` transaction (:meth:`Database.write`), so a
  crash or a ``kill -9`` never leaves half a session: either every row is there or none is.
* WAL journal mode plus a busy timeout plus a retry loop let several processes (a practice
  run and a batch analysis, say) save at the same time without losing anything.
* The schema is versioned with ``PRAGMA user_version`` and migrated forward on open, in
  one transaction; a database from a newer voice-coach is refused, not mangled.
* Every SQLite failure becomes one :class:`~voice_coach.errors.StoreError` (exit code 6)
  with a clear message; a corrupt database is reported, never deleted.

Rows come back as :class:`sqlite3.Row`, so callers read columns by name.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from voice_coach.errors import StoreError

BUSY_TIMEOUT_S = 30.0
"""How long SQLite itself waits for another process's write lock before giving up."""

WRITE_RETRIES = 8
"""Extra attempts (with growing back-off) after SQLite's own busy timeout has run out."""

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
    # 2: the spaced-repetition schedule per skill, and every goal met or missed (the trend).
    """
    CREATE TABLE skill_schedule (
        skill      TEXT PRIMARY KEY,
        ease       REAL NOT NULL,
        interval_d REAL NOT NULL,
        streak     INTEGER NOT NULL,
        due        TEXT,                       -- ISO 8601 UTC, or NULL: due now
        reviews    INTEGER NOT NULL,
        lapses     INTEGER NOT NULL
    );
    CREATE TABLE skill_reviews (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        skill      TEXT NOT NULL,
        session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
        created    TEXT NOT NULL,
        met        INTEGER NOT NULL,           -- 1: goal met, 0: missed
        interval_d REAL NOT NULL               -- the interval the review set
    );
    CREATE INDEX skill_reviews_skill ON skill_reviews(skill, created);
    """,
    # 3: what the archive (``voice-coach serve``) filters and searches on, kept in sync by
    # triggers so every writer (save, import, note, forget) updates it without knowing.
    # Full-text search (FTS5) over transcripts and notes. An FTS row is found by rowid, so
    # each points at a row with an INTEGER PRIMARY KEY (VACUUM renumbers implicit rowids):
    # a note's id, or a small ``search_docs`` row naming the session (reading session_id
    # from a payload row instead means reading a page of report JSON per match).
    # Verdicts get a table of their own: filtering by parsing every report is too slow.
    # Forgetting must leave no word behind: an FTS5 delete only marks the row deleted in
    # the index, whose segments still hold its terms, so every delete is followed by an
    # 'optimize' (the segments rewritten without it; secure_delete zeroes the old pages).
    """
    CREATE TABLE search_docs (
        id         INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL UNIQUE REFERENCES sessions(id) ON DELETE CASCADE
    );
    CREATE VIRTUAL TABLE transcript_fts USING fts5(body);
    CREATE VIRTUAL TABLE note_fts USING fts5(body);
    CREATE INDEX sessions_category ON sessions(category);
    CREATE TABLE verdicts (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        signal     TEXT NOT NULL,
        verdict    TEXT NOT NULL
    );
    CREATE INDEX verdicts_signal ON verdicts(signal, verdict, session_id);
    CREATE INDEX verdicts_session ON verdicts(session_id);
    CREATE TRIGGER payloads_index AFTER INSERT ON payloads BEGIN
        INSERT INTO search_docs(session_id) VALUES (new.session_id);
        INSERT INTO transcript_fts(rowid, body) VALUES (
            (SELECT id FROM search_docs WHERE session_id = new.session_id),
            coalesce(json_extract(new.transcript, '$.text'), json_extract(new.report, '$.transcript.text'), ''));
        INSERT INTO verdicts(session_id, signal, verdict)
            SELECT new.session_id, key, json_extract(value, '$.verdict') FROM json_each(new.report, '$.signals')
            WHERE json_type(value) = 'object' AND json_type(value, '$.verdict') = 'text';
    END;
    CREATE TRIGGER payloads_unindex AFTER DELETE ON payloads BEGIN
        DELETE FROM transcript_fts WHERE rowid IN (SELECT id FROM search_docs WHERE session_id = old.session_id);
        INSERT INTO transcript_fts(transcript_fts) VALUES ('optimize');
        DELETE FROM search_docs WHERE session_id = old.session_id;
        DELETE FROM verdicts WHERE session_id = old.session_id;
    END;
    CREATE TRIGGER notes_index AFTER INSERT ON notes BEGIN
        INSERT INTO note_fts(rowid, body) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER notes_reindex AFTER UPDATE OF text ON notes BEGIN
        DELETE FROM note_fts WHERE rowid = old.id;
        INSERT INTO note_fts(note_fts) VALUES ('optimize');
        INSERT INTO note_fts(rowid, body) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER notes_unindex AFTER DELETE ON notes BEGIN
        DELETE FROM note_fts WHERE rowid = old.id;
        INSERT INTO note_fts(note_fts) VALUES ('optimize');
    END;
    INSERT INTO search_docs(session_id) SELECT session_id FROM payloads;
    INSERT INTO transcript_fts(rowid, body) SELECT d.id,
        coalesce(json_extract(p.transcript, '$.text'), json_extract(p.report, '$.transcript.text'), '')
        FROM payloads p JOIN search_docs d ON d.session_id = p.session_id
        WHERE json_valid(p.report) AND (p.transcript IS NULL OR json_valid(p.transcript));
    INSERT INTO verdicts(session_id, signal, verdict)
        SELECT p.session_id, j.key, json_extract(j.value, '$.verdict')
        FROM payloads p, json_each(p.report, '$.signals') j
        WHERE json_valid(p.report) AND json_type(j.value) = 'object' AND json_type(j.value, '$.verdict') = 'text';
    INSERT INTO note_fts(rowid, body) SELECT id, text FROM notes;
    """,
    # 4: a whole interview is one session (kind "interview") with a child session per answer
    # (kind "answer", its parent set).
    """
    ALTER TABLE sessions ADD COLUMN parent TEXT REFERENCES sessions(id) ON DELETE CASCADE;
    CREATE INDEX sessions_parent ON sessions(parent);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

T = TypeVar("T")


class Database:
    """One connection to ``sessions.db``, migrated, with error translation and retries."""

    def __init__(self, path: Path, conn: sqlite3.Connection, audio_dir: Path) -> None:
        """Use :meth:`open`; this only wires an already open connection."""
        self.path = path
        self.audio_dir = audio_dir  # named in the "corrupt" message: the recordings are safe
        self.conn = conn

    @classmethod
    def open(cls, path: Path, audio_dir: Path) -> Database:
        """Open (creating 0600 and migrating if needed) the database at ``path``."""
        try:
            if not path.exists():
                # Create the file ourselves so it is 0600 from the first byte; SQLite gives
                # its -wal and -shm files the same mode as the database.
                os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"{path}: cannot open the session store ({err})") from None
        conn.row_factory = sqlite3.Row
        db = cls(path, conn, audio_dir)
        try:
            db._setup()
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        """Close the connection."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def _setup(self) -> None:
        with self.guard():
            conn = self.conn
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            # Deleted rows and index pages are overwritten with zeros, not left in free pages:
            # `forget` must remove the words of an answer from the file, not only the rows.
            conn.execute("PRAGMA secure_delete = ON")
            # A header check before anything writes: a non-database file fails here.
            version = self.user_version()
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: the session store was made by a newer voice-coach "
                    f"(schema {version}, this one knows {SCHEMA_VERSION}); upgrade voice-coach"
                )
            self.retry(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
            conn.execute("PRAGMA synchronous = NORMAL")  # durable enough in WAL, much faster
            if version < SCHEMA_VERSION:
                self._migrate()
            # Reading the schema touches the first pages: a clobbered header fails here.
            # A full integrity scan (see :meth:`check`) is O(size), too slow for every open.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        with contextlib.suppress(OSError):
            for suffix in ("", "-wal", "-shm"):
                p = Path(str(self.path) + suffix)
                if p.exists():
                    p.chmod(0o600)

    def user_version(self) -> int:
        """``PRAGMA user_version``: the schema version stored in the file."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        """Apply every migration past the stored version, in one immediate transaction."""

        def step(conn: sqlite3.Connection) -> None:
            # Re-read under the write lock: another process may have migrated meanwhile.
            for i in range(self.user_version(), SCHEMA_VERSION):
                for stmt in statements(MIGRATIONS[i]):
                    conn.execute(stmt)
                conn.execute(f"PRAGMA user_version = {i + 1}")

        self.retry(lambda: self._transaction(step))

    def check(self) -> None:
        """Scan the whole database; raises :class:`StoreError` if any page is damaged."""
        with self.guard():
            result = self.conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        if result != "ok":
            raise StoreError(self.corrupt_message(result))

    # ------------------------------------------------------------------ reading and writing
    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """All rows of a query (columns by name), SQLite errors translated."""
        with self.guard():
            return self.conn.execute(sql, params).fetchall()

    def row(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        """The first row of a query, or ``None``."""
        with self.guard():
            row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
            return row

    def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` inside one immediate transaction (all or nothing), with retries."""
        with self.guard():
            return self.retry(lambda: self._transaction(fn))

    def _transaction(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn(conn)
            conn.execute("COMMIT")
            return result
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------------ errors and retries
    def corrupt_message(self, detail: object) -> str:
        """The one-line "corrupt" error, which says the recordings are untouched."""
        return (
            f"{self.path}: the session store is corrupt ({detail}). Move it aside to start a "
            f"new one; your recordings in {self.audio_dir} are untouched"
        )

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Turn SQLite failures into one clear :class:`StoreError`."""
        try:
            yield
        except sqlite3.IntegrityError as err:
            raise StoreError(f"{self.path}: {err}") from None
        except sqlite3.OperationalError as err:
            msg = str(err)
            if "locked" in msg or "busy" in msg:
                raise StoreError(f"{self.path}: the session store is busy (another voice-coach "
                                 "is writing); try again") from None
            if "full" in msg:
                raise StoreError(f"{self.path}: the disk is full; nothing was saved") from None
            if "malformed" in msg or "not a database" in msg:
                raise StoreError(self.corrupt_message(msg)) from None
            raise StoreError(f"{self.path}: {msg}") from None
        except sqlite3.DatabaseError as err:
            raise StoreError(self.corrupt_message(err)) from None

    def retry(self, fn: Callable[[], T]) -> T:
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


def statements(script: str) -> list[str]:
    """Split a migration script into statements.

    A trigger's body holds semicolons of its own, so pieces are joined until SQLite says the
    statement is complete. ``--`` comments are dropped (no string in our DDL contains one).
    """
    out = []
    pending = ""
    for piece in script.split(";"):
        lines = [ln.split("--")[0].rstrip() for ln in piece.splitlines()]
        text = "\n".join(ln for ln in lines if ln.strip())
        if not text.strip() and not pending:
            continue
        pending = f"{pending};\n{text}" if pending else text
        if sqlite3.complete_statement(pending + ";"):
            out.append(pending)
            pending = ""
    if pending.strip():
        out.append(pending)
    return out
