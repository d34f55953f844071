"""The archive view of the store: one filtered, searched, paginated page of sessions, and
editing notes in place. Used by ``voice-coach serve``; the CLI lists with
:meth:`~voice_coach.store.Store.list_sessions`.

Search runs on the FTS5 tables and the verdict table of schema 2 (see
:data:`voice_coach.store.db.MIGRATIONS`), which triggers keep in step with every write, so a
page of 10,000 sessions costs a few indexed queries and never parses a report.
"""

from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from voice_coach.errors import UsageError
from voice_coach.signals import BY_NAME
from voice_coach.store import dates
from voice_coach.store.models import SESSION_COLUMNS, Note, Session, session_from_row

if TYPE_CHECKING:
    from voice_coach.store.core import Store

PER_PAGE = 50
VERDICTS = ("strength", "ok", "work_on", "n/a")
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class ArchiveQuery:
    """What the archive list shows. Empty fields do not filter.

    Attributes:
        text: full-text search over transcripts and notes (every word must occur; the last
            one may be a prefix, so results come as the user types).
        question: question id, or text contained in the question.
        category: the question's category.
        since, until: dates (both days included), as ``--since``/``--until`` take them.
        kind: ``analyze``, ``practice``, ``import`` ...
        signal, verdict: sessions where this signal got this verdict; with no signal, any.
        page: 1-based page number.
    """

    text: str = ""
    question: str = ""
    category: str = ""
    since: str = ""
    until: str = ""
    kind: str = ""
    signal: str = ""
    verdict: str = ""
    page: int = 1
    per_page: int = PER_PAGE


@dataclass(frozen=True)
class ArchivePage:
    """One page of the archive: its sessions (newest first), with each one's verdicts."""

    sessions: list[Session]
    verdicts: dict[str, dict[str, str]]
    total: int
    page: int
    pages: int
    categories: list[str] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)


def fts_query(text: str) -> str | None:
    """A user's words as an FTS5 query: each word quoted (no operator can be injected),
    all required, the last one a prefix. ``None`` when there is no word."""
    words = _TOKEN.findall(text)
    if not words:
        return None
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _where(q: ArchiveQuery) -> tuple[str, list[Any]]:
    """The ``WHERE`` clause (or "") and its parameters for the filters and search of ``q``."""
    where: list[str] = []
    params: list[Any] = []
    if q.question:
        where.append("(s.question_id = ? OR lower(s.question_text) LIKE ? ESCAPE '\\')")
        params += [q.question, f"%{like_escape(q.question.lower())}%"]
    if q.category:
        where.append("lower(s.category) = ?")
        params.append(q.category.lower())
    low, high = dates.created_range(q.since or None, q.until or None)
    if low is not None:
        where.append("s.created >= ?")
        params.append(low)
    if high is not None:
        where.append("s.created < ?")
        params.append(high)
    if q.kind:
        where.append("s.kind = ?")
        params.append(q.kind)
    if q.verdict:
        if q.verdict not in VERDICTS:
            raise UsageError(f"unknown verdict {q.verdict!r}; choose from {', '.join(VERDICTS)}")
        if q.signal:
            where.append("s.id IN (SELECT session_id FROM verdicts WHERE signal = ? AND verdict = ?)")
            params += [q.signal, q.verdict]
        else:
            where.append("s.id IN (SELECT session_id FROM verdicts WHERE verdict = ?)")
            params.append(q.verdict)
    match = fts_query(q.text)
    if match is not None:
        # By rowid (a search_docs row's, a note's): reading an FTS table's columns is slow.
        where.append("s.id IN (SELECT session_id FROM search_docs WHERE id IN "
                     "(SELECT rowid FROM transcript_fts WHERE transcript_fts MATCH ?) "
                     "UNION SELECT session_id FROM notes WHERE id IN "
                     "(SELECT rowid FROM note_fts WHERE note_fts MATCH ?))")
        params += [match, match]
    return (" WHERE " + " AND ".join(where)) if where else "", params


def matching_sessions(store: Store, q: ArchiveQuery) -> list[Session]:
    """Every session ``q`` selects (its page ignored), oldest first, with its report: what
    the progress chart of a filtered archive is drawn from."""
    from voice_coach.store.models import loads

    clause, params = _where(q)
    cols = ", ".join(f"s.{c}" for c in SESSION_COLUMNS)
    rows = store._db.rows(f"SELECT {cols}, p.report AS p_report FROM sessions s "
                          f"LEFT JOIN payloads p ON p.session_id = s.id{clause} ORDER BY s.created, s.rowid", params)
    return [session_from_row(r, store.audio_dir,
                             report=loads(r["p_report"], r["id"]) if r["p_report"] is not None else None)
            for r in rows]


def archive_page(store: Store, q: ArchiveQuery) -> ArchivePage:
    """The sessions ``q`` selects, newest first, one page of them."""
    db = store._db
    clause, params = _where(q)
    per_page = max(1, min(int(q.per_page), 500))
    cols = ", ".join(f"s.{c}" for c in SESSION_COLUMNS)
    # One pass over the filters and the search: the matching rowids in order (integers,
    # cheap to carry), whose length is the total; then only the page's rows are read.
    order = [r[0] for r in db.rows(f"SELECT s.rowid FROM sessions s{clause} "
                                    "ORDER BY s.created DESC, s.rowid DESC", params)]
    total = len(order)
    pages = max(1, math.ceil(total / per_page))
    page = max(1, min(int(q.page), pages))
    chosen = order[(page - 1) * per_page: page * per_page]
    rows = db.rows(f"SELECT {cols} FROM sessions s WHERE s.rowid IN ({', '.join('?' for _ in chosen)}) "
                   "ORDER BY s.created DESC, s.rowid DESC", chosen) if chosen else []
    sessions = [session_from_row(r, store.audio_dir) for r in rows]
    verdicts: dict[str, dict[str, str]] = {s.id: {} for s in sessions}
    if sessions:
        marks = ", ".join("?" for _ in sessions)
        for r in db.rows(f"SELECT session_id, signal, verdict FROM verdicts WHERE session_id IN ({marks})",
                         [s.id for s in sessions]):
            verdicts[r["session_id"]][r["signal"]] = r["verdict"]
    categories = [r["category"] for r in db.rows(
        "SELECT DISTINCT category FROM sessions WHERE category IS NOT NULL ORDER BY category")]
    signals = list(BY_NAME)  # the registry: scanning every verdict for the names is slow
    kinds = [r["kind"] for r in db.rows("SELECT DISTINCT kind FROM sessions ORDER BY kind")]
    return ArchivePage(sessions, verdicts, total, page, pages, categories, signals, kinds)


def update_note(store: Store, sid: str, note_id: int, text: str, at: float | None) -> Note:
    """Change a note's text and time; :class:`UsageError` when the session has no such note."""
    text = text.strip()
    if not text:
        raise UsageError("a note needs some text")
    if at is not None and (not math.isfinite(at) or at < 0):
        raise UsageError(f"a note's time must be seconds >= 0, not {at}")

    def change(conn: sqlite3.Connection) -> sqlite3.Row:
        cur = conn.execute("UPDATE notes SET text = ?, at_s = ? WHERE id = ? AND session_id = ?",
                           (text, at, note_id, sid))
        if cur.rowcount != 1:
            raise UsageError(f"session {sid} has no note {note_id}")
        row: sqlite3.Row = conn.execute("SELECT id, at_s, text, author, created FROM notes WHERE id = ?",
                                        (note_id,)).fetchone()
        return row

    row = store._db.write(change)
    return Note(row["id"], row["at_s"], row["text"], row["author"], row["created"])


def delete_note(store: Store, sid: str, note_id: int) -> None:
    """Delete one note of a session; :class:`UsageError` when it has no such note."""

    def remove(conn: sqlite3.Connection) -> None:
        cur = conn.execute("DELETE FROM notes WHERE id = ? AND session_id = ?", (note_id, sid))
        if cur.rowcount != 1:
            raise UsageError(f"session {sid} has no note {note_id}")

    store._db.write(remove)


def like_escape(text: str) -> str:
    """``text`` as a literal inside a ``LIKE ... ESCAPE '\\'`` pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
