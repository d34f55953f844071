"""The skill schedule's rows: one :class:`~voice_coach.schedule.SkillState` per skill, and every review.

A review (an answer whose goal was met or missed) is written with the new state in one
transaction, so the schedule and its history never disagree.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from voice_coach.schedule import SkillState, review
from voice_coach.store.db import Database

_COLUMNS = ("skill", "ease", "interval_d", "streak", "due", "reviews", "lapses")


@dataclass(frozen=True)
class Review:
    """One answer's goal on one skill: met or missed, and the interval that followed."""

    skill: str
    session_id: str | None
    created: str
    met: bool
    interval_d: float


def states(db: Database) -> dict[str, SkillState]:
    """Every skill that has been reviewed, by name."""
    rows = db.rows(f"SELECT {', '.join(_COLUMNS)} FROM skill_schedule")
    return {r["skill"]: _state(r) for r in rows}


def reviews(db: Database, skill: str | None = None, limit: int = 50) -> list[Review]:
    """The latest ``limit`` reviews (of ``skill``, or of all), oldest first."""
    sql = "SELECT skill, session_id, created, met, interval_d FROM skill_reviews"
    params: tuple[str, ...] = ()
    if skill is not None:
        sql += " WHERE skill = ?"
        params = (skill,)
    sql += f" ORDER BY created DESC, id DESC LIMIT {int(limit)}"
    return [Review(r["skill"], r["session_id"], r["created"], bool(r["met"]), float(r["interval_d"]))
            for r in reversed(db.rows(sql, params))]


def record(db: Database, skill: str, met: bool, session_id: str | None, now: dt.datetime,
           strong: bool = False) -> SkillState:
    """Review ``skill`` (goal ``met`` or not) at ``now``; returns the new state."""

    def write(conn: sqlite3.Connection) -> SkillState:
        row = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM skill_schedule WHERE skill = ?",
                           (skill,)).fetchone()
        new = review(_state(row) if row is not None else SkillState(skill), met, now, strong)
        conn.execute(
            f"INSERT OR REPLACE INTO skill_schedule ({', '.join(_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (skill, new.ease, new.interval_d, new.streak, new.due.isoformat(timespec="seconds") if new.due else None,
             new.reviews, new.lapses))
        conn.execute("INSERT INTO skill_reviews (skill, session_id, created, met, interval_d) VALUES (?, ?, ?, ?, ?)",
                     (skill, session_id, now.isoformat(timespec="seconds"), int(met), new.interval_d))
        return new

    return db.write(write)


def _state(row: sqlite3.Row) -> SkillState:
    due = dt.datetime.fromisoformat(row["due"]) if row["due"] else None
    return SkillState(row["skill"], float(row["ease"]), float(row["interval_d"]), int(row["streak"]), due,
                      int(row["reviews"]), int(row["lapses"]))
