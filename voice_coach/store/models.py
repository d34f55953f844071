"""What the store hands out: :class:`Session` and :class:`Note`, built from rows by column name."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voice_coach.errors import StoreError
from voice_coach.store import dates

SESSION_COLUMNS = ("id", "created", "kind", "question_id", "question_text", "category", "audio", "source",
                   "model", "duration_s", "settings", "parent")
"""The ``sessions`` columns a :class:`Session` is made from (the payloads stay in their table)."""

NOTE_COLUMNS = ("id", "at_s", "text", "author", "created")


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
        kind: ``analyze``, ``practice``, ``import``, ``interview`` (a whole interview, whose
            report is a ``voice-coach.interview/1`` object) or ``answer`` (one answer of one).
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
        parent: the interview session an ``answer`` session belongs to.
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
    parent: str | None = None

    @property
    def day(self) -> str:
        """The date it was saved, ``2026-11-22`` (UTC)."""
        return dates.day(self.created)

    @property
    def minute(self) -> str:
        """When it was saved, to the minute: ``2026-11-22 06:45`` (UTC)."""
        return dates.minute(self.created)


def session_from_row(row: sqlite3.Row, audio_dir: Path, **extra: Any) -> Session:
    """A :class:`Session` from a ``sessions`` row (read by column name) plus loaded payloads."""
    sid = row["id"]
    settings = loads(row["settings"], sid) if row["settings"] else {}
    return Session(
        id=sid, created=row["created"], kind=row["kind"], question_id=row["question_id"],
        question_text=row["question_text"], category=row["category"],
        audio_path=(audio_dir / row["audio"]) if row["audio"] else None,
        source=row["source"], model=row["model"], duration_s=row["duration_s"],
        settings=settings if isinstance(settings, dict) else {}, parent=row["parent"], **extra,
    )


def note_from_row(row: sqlite3.Row) -> Note:
    """A :class:`Note` from a ``notes`` row."""
    return Note(row["id"], row["at_s"], row["text"], row["author"], row["created"])


def loads(text: str, sid: str) -> Any:
    """Stored JSON, or :class:`StoreError` naming the session whose JSON is damaged."""
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        raise StoreError(f"session {sid}: its stored JSON is damaged") from None
