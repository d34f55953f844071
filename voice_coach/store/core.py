""":class:`Store`: sessions, notes and recordings under one data home (see the package docs)."""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from pathlib import Path
from typing import Any

from voice_coach.errors import StoreError, UsageError
from voice_coach.question import Question
from voice_coach.store import archive, audio_files, bundles, dates
from voice_coach.store import skills as skill_rows
from voice_coach.store.archive import ArchivePage, ArchiveQuery
from voice_coach.store.archive import like_escape as _like_escape
from voice_coach.store.db import Database
from voice_coach.store.models import (
    NOTE_COLUMNS,
    SESSION_COLUMNS,
    Note,
    Session,
    loads,
    note_from_row,
    session_from_row,
)

DB_NAME = "sessions.db"
AUDIO_DIR = "audio"

_SESSION_SELECT = ", ".join(f"s.{c}" for c in SESSION_COLUMNS)


class Store:
    """The session database and the audio directory under one data home."""

    def __init__(self, home: Path, db: Database) -> None:
        """Use :meth:`open`; this only wires an already migrated database."""
        self.home = home
        self.audio_dir = home / AUDIO_DIR
        self.db_path = home / DB_NAME
        self._db = db

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, home: Path | None = None) -> Store:
        """Open (creating and migrating if needed) the store in ``home``.

        ``home`` defaults to :func:`voice_coach.paths.data_home`. Raises
        :class:`StoreError` when the database is corrupt, from a newer version, or the
        directory cannot be written.
        """
        from voice_coach.paths import data_home

        home = Path(home).expanduser() if home is not None else data_home()
        try:
            audio_files.private_dir(home)
            audio_files.private_dir(home / AUDIO_DIR)
        except OSError as err:
            raise StoreError(f"{home}: cannot create the data directory ({err.strerror or err})") from None
        store = cls(home, Database.open(home / DB_NAME, home / AUDIO_DIR))
        audio_files.sweep_tmp(store.audio_dir)
        return store

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def __enter__(self) -> Store:
        """Context-manager use closes the store on exit."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the connection."""
        self.close()

    def check(self) -> None:
        """Scan the whole database; raises :class:`StoreError` if any page is damaged."""
        self._db.check()

    @property
    def schema_version(self) -> int:
        """The schema version of the open database."""
        with self._db.guard():
            return self._db.user_version()

    # ------------------------------------------------------------------ audio files
    def new_audio_path(self, suffix: str = ".wav") -> Path:
        """A fresh, unused path in ``<home>/audio/`` for a recorder to write into directly.

        Nothing is created; if the process dies before :meth:`save_session`, the file it
        wrote stays there and :meth:`orphan_recordings` reports it.
        """
        return audio_files.new_audio_path(self.audio_dir, suffix)

    def orphan_recordings(self) -> list[Path]:
        """Audio files in ``<home>/audio`` that belong to no session (oldest first).

        These are answers whose process died before saving: worth offering to analyse.
        """
        known = {r["audio"] for r in self._db.rows("SELECT audio FROM sessions WHERE audio IS NOT NULL")}
        return audio_files.orphans(self.audio_dir, known)

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
        parent: str | None = None,
    ) -> str:
        """Save one session atomically and return its id.

        ``parent`` is the interview session an ``answer`` session belongs to; forgetting
        the interview forgets its answers.

        Audio already in ``<home>/audio`` is referenced where it is; audio elsewhere is
        copied in first (the copy is complete before the rows are written, so a crash
        leaves at worst an orphan file, never a session without its audio). ``created``
        is an ISO 8601 time (default: now), stored in UTC.
        """
        if not isinstance(report, dict):
            raise UsageError("a session needs a report object")
        try:
            created = dates.stored_time(created) if created else dates.now()
        except ValueError:
            raise UsageError(f"{created!r} is not an ISO 8601 time") from None
        stored_audio = audio_files.adopt(self.audio_dir, audio_path) if audio_path is not None else None
        q = question.to_dict() if question is not None else _question_from_report(report)
        sid = session_id or dates.new_id()
        row = {
            "id": sid,
            "created": created,
            "kind": kind,
            "question_id": q.get("id") if q else None,
            "question_text": q.get("text") if q else None,
            "category": (question.category if question is not None else (q or {}).get("category")),
            "audio": stored_audio.name if stored_audio is not None else None,
            "source": source,
            "model": model,
            "duration_s": _float_or_none(report.get("duration_s")),
            "settings": json.dumps(settings or {}, ensure_ascii=False, default=str),
            "parent": parent,
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
                    row["id"] = payload["session_id"] = dates.new_id()
            self._insert_session(conn, row, payload)
            return str(row["id"])

        return self._db.write(insert)

    def _insert_session(self, conn: sqlite3.Connection, row: dict[str, Any], payload: dict[str, Any]) -> None:
        """The rows of one session; runs inside the caller's transaction."""
        conn.execute(
            f"INSERT INTO sessions ({', '.join(SESSION_COLUMNS)}) "
            f"VALUES ({', '.join(':' + c for c in SESSION_COLUMNS)})",
            row,
        )
        conn.execute(
            "INSERT INTO payloads (session_id, report, transcript, question) "
            "VALUES (:session_id, :report, :transcript, :question)",
            payload,
        )

    # ------------------------------------------------------------------ reading
    def exists(self, sid: str) -> bool:
        """Whether a session has exactly this id."""
        return self._db.row("SELECT 1 FROM sessions WHERE id = ?", (sid,)) is not None

    def resolve(self, ident: str) -> str:
        """The full id of the session ``ident`` names (a full id or a unique prefix).

        ``last`` names the newest session. Raises :class:`UsageError` when nothing or more
        than one session matches.
        """
        ident = ident.strip()
        if ident in ("last", "latest"):
            row = self._db.row("SELECT id FROM sessions ORDER BY created DESC, rowid DESC LIMIT 1")
            if row is None:
                raise UsageError("there are no saved sessions yet")
            return str(row["id"])
        if not ident:
            raise UsageError("empty session id")
        rows = self._db.rows("SELECT id FROM sessions WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 3",
                             (_like_escape(ident) + "%",))
        ids = [str(r["id"]) for r in rows]
        if ident in ids:
            return ident
        if not ids:
            raise UsageError(f"no session {ident!r} (see `voice-coach sessions`)")
        if len(ids) > 1:
            raise UsageError(f"session id {ident!r} is ambiguous: {', '.join(ids)} ...")
        return ids[0]

    def get(self, ident: str, *, payload: bool = True) -> Session:
        """One session by id or unique prefix, with its report, transcript and notes."""
        sid = self.resolve(ident)
        if not payload:
            row = self._db.row(f"SELECT {_SESSION_SELECT} FROM sessions s WHERE s.id = ?", (sid,))
        else:
            row = self._db.row(
                f"SELECT {_SESSION_SELECT}, p.session_id AS p_id, p.report AS p_report, "
                "p.transcript AS p_transcript, p.question AS p_question "
                "FROM sessions s LEFT JOIN payloads p ON p.session_id = s.id WHERE s.id = ?", (sid,))
        if row is None:  # pragma: no cover - deleted between resolve and read
            raise UsageError(f"no session {ident!r}")
        if not payload:
            return session_from_row(row, self.audio_dir)
        if row["p_id"] is None:
            raise StoreError(self._db.corrupt_message(f"session {sid} has no report"))
        return session_from_row(
            row, self.audio_dir,
            report=loads(row["p_report"], sid),
            transcript=loads(row["p_transcript"], sid) if row["p_transcript"] else None,
            question=loads(row["p_question"], sid) if row["p_question"] else None,
            notes=tuple(self._notes(sid)),
        )

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
        """Sessions, oldest first, filtered; one query however many there are.

        Args:
            question: a question id, or text contained in the question (case-insensitive).
            category: the question's category.
            since, until: ISO dates or times (``2026-11-01``); both include their day (or,
                given as a time, their second).
            kind: ``analyze``, ``practice`` or ``import``.
            limit: keep only the newest ``limit`` sessions.
            with_reports: also load each report (for progress charts and "work on").
        """
        where: list[str] = []
        params: list[Any] = []
        if question:
            where.append("(s.question_id = ? OR lower(s.question_text) LIKE ? ESCAPE '\\')")
            params += [question, f"%{_like_escape(question.lower())}%"]
        if category:
            where.append("lower(s.category) = ?")
            params.append(category.lower())
        low, high = dates.created_range(since, until)
        if low is not None:
            where.append("s.created >= ?")
            params.append(low)
        if high is not None:
            where.append("s.created < ?")
            params.append(high)
        if kind:
            where.append("s.kind = ?")
            params.append(kind)
        sql = f"SELECT {_SESSION_SELECT}"
        if with_reports:
            sql += ", p.report AS p_report FROM sessions s LEFT JOIN payloads p ON p.session_id = s.id"
        else:
            sql += " FROM sessions s"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY s.created DESC, s.rowid DESC"  # rowid: saving order within one second
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        out = []
        for row in reversed(self._db.rows(sql, params)):
            if with_reports:
                report = loads(row["p_report"], row["id"]) if row["p_report"] is not None else None
                out.append(session_from_row(row, self.audio_dir, report=report))
            else:
                out.append(session_from_row(row, self.audio_dir))
        return out

    def children(self, sid: str) -> list[Session]:
        """The ``answer`` sessions of the interview ``sid``, in the order they were saved."""
        rows = self._db.rows(f"SELECT {_SESSION_SELECT} FROM sessions s WHERE s.parent = ? ORDER BY s.rowid", (sid,))
        return [session_from_row(r, self.audio_dir) for r in rows]

    def count(self) -> int:
        """How many sessions are stored."""
        row = self._db.row("SELECT count(*) AS n FROM sessions")
        return int(row["n"]) if row is not None else 0

    # ------------------------------------------------------------------ notes
    def add_note(self, ident: str, text: str, at: float | None = None, author: str | None = None) -> Note:
        """Attach a coach's note to a session, at ``at`` seconds (``None``: the whole answer)."""
        text = text.strip()
        if not text:
            raise UsageError("a note needs some text")
        if at is not None and (at != at or at < 0):
            raise UsageError(f"--at must be a time in seconds >= 0, not {at}")
        sid = self.resolve(ident)
        created = dates.now()

        def insert(conn: sqlite3.Connection) -> int:
            cur = conn.execute(
                "INSERT INTO notes (session_id, at_s, text, author, created) VALUES (?, ?, ?, ?, ?)",
                (sid, at, text, author, created),
            )
            return int(cur.lastrowid or 0)

        nid = self._db.write(insert)
        return Note(nid, at, text, author, created)

    def update_note(self, sid: str, note_id: int, text: str, at: float | None) -> Note:
        """Change the text and time of note ``note_id`` of session ``sid`` (full id)."""
        return archive.update_note(self, sid, note_id, text, at)

    def delete_note(self, sid: str, note_id: int) -> None:
        """Delete note ``note_id`` of session ``sid`` (full id)."""
        archive.delete_note(self, sid, note_id)

    def archive(self, query: ArchiveQuery) -> ArchivePage:
        """One filtered, searched page of sessions, newest first (see :mod:`.archive`)."""
        return archive.archive_page(self, query)

    def matching(self, query: ArchiveQuery) -> list[Session]:
        """Every session the archive query selects, oldest first, with reports."""
        return archive.matching_sessions(self, query)

    def notes(self, ident: str) -> list[Note]:
        """A session's notes, in answer order (whole-answer notes first)."""
        return self._notes(self.resolve(ident))

    def _notes(self, sid: str) -> list[Note]:
        rows = self._db.rows(f"SELECT {', '.join(NOTE_COLUMNS)} FROM notes WHERE session_id = ? "
                             "ORDER BY at_s IS NOT NULL, at_s, id", (sid,))
        return [note_from_row(r) for r in rows]

    def update_report(self, ident: str, report: dict[str, Any]) -> None:
        """Replace a session's report (a follow-up answered after it was saved is added to it)."""
        sid = self.resolve(ident)
        text = json.dumps(report, ensure_ascii=False, default=str)
        self._db.write(lambda conn: conn.execute("UPDATE payloads SET report = ? WHERE session_id = ?", (text, sid)))

    # ------------------------------------------------------------------ the skill schedule
    def skill_states(self) -> dict[str, Any]:
        """Each reviewed skill's :class:`~voice_coach.schedule.SkillState`, by name."""
        return skill_rows.states(self._db)

    def skill_reviews(self, skill: str | None = None, limit: int = 50) -> list[skill_rows.Review]:
        """The latest goals met or missed (of ``skill``, or of all), oldest first."""
        return skill_rows.reviews(self._db, skill, limit)

    def review_skill(self, skill: str, met: bool, session_id: str | None = None,
                     now: _dt.datetime | None = None, strong: bool = False) -> Any:
        """Move ``skill`` on in its schedule after a goal was met or missed; returns its new state."""
        return skill_rows.record(self._db, skill, met, session_id, now or _dt.datetime.now(_dt.timezone.utc), strong)

    # ------------------------------------------------------------------ forgetting
    def forget(self, ident: str) -> Session:
        """Delete a session's rows and its recording from disk; returns what was deleted.

        Rows go first (in one transaction), then the file: a crash in between leaves an
        orphan recording, which is listed and can be removed, never a session whose audio
        is missing. A recording another session also refers to is kept.
        """
        session = self.get(ident, payload=False)

        def delete(conn: sqlite3.Connection) -> bool:
            conn.execute("DELETE FROM notes WHERE session_id = ?", (session.id,))
            conn.execute("DELETE FROM payloads WHERE session_id = ?", (session.id,))
            conn.execute("DELETE FROM sessions WHERE id = ?", (session.id,))
            if session.audio_path is None:
                return False
            return conn.execute("SELECT 1 FROM sessions WHERE audio = ? LIMIT 1",
                                (session.audio_path.name,)).fetchone() is not None

        shared = self._db.write(delete)
        if session.audio_path is not None and not shared:
            audio_files.remove(session.audio_path)
        return session

    # ------------------------------------------------------------------ bundles
    def export_bundle(self, ident: str, dest: Path) -> Path:
        """Write one session (audio, transcript, report, notes) to a zip file at ``dest``."""
        return bundles.export_bundle(self, ident, dest)

    def import_bundle(self, path: Path) -> str:
        """Read a bundle made by :meth:`export_bundle`; returns the new session's id."""
        return bundles.import_bundle(self, path)


def _float_or_none(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _question_from_report(report: dict[str, Any]) -> dict[str, Any] | None:
    q = report.get("question")
    return q if isinstance(q, dict) and (q.get("id") or q.get("text")) else None
