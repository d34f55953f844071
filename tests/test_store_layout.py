"""The store package's contracts: old databases still open, rows are read by column name,
listing is one query, what is saved comes back as saved, and one date parser."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests import test_store
from voice_coach import store as store_pkg
from voice_coach.errors import UsageError
from voice_coach.store import SCHEMA_VERSION, ArchiveQuery, Store, dates

REPORT = {"schema": "voice-coach.report/1", "duration_s": 7.25,
          "question": {"id": "q-1", "text": "How would you rank search results?"},
          "signals": {"fillers": {"count": 3, "verdict": "work_on"}}}

# The version-1 schema exactly as the first voice-coach shipped it, with the sessions
# columns in a different order: a store must read its rows by name, not by position.
V1_SHUFFLED = """
CREATE TABLE sessions (
    settings TEXT NOT NULL DEFAULT '{}', duration_s REAL, model TEXT, source TEXT, audio TEXT,
    category TEXT, question_text TEXT, question_id TEXT, kind TEXT NOT NULL, created TEXT NOT NULL,
    id TEXT PRIMARY KEY);
CREATE INDEX sessions_created ON sessions(created);
CREATE INDEX sessions_question ON sessions(question_id);
CREATE TABLE payloads (session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    report TEXT NOT NULL, transcript TEXT, question TEXT);
CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, at_s REAL, text TEXT NOT NULL,
    author TEXT, created TEXT NOT NULL);
CREATE INDEX notes_session ON notes(session_id, at_s);
PRAGMA user_version = 1;
"""
SHIPPED_V1_SHA256 = "dac04c5bc591d9328f3bad2bed926a62d40d47037d88b868dd34e2509e06f687"


def _save(s: Store, **kw: object) -> str:
    """test_store's helper (model tiny.en, settings {"beam": 1}) with this file's report."""
    return test_store._save(s, **{"report": REPORT, **kw})


def test_a_store_written_by_an_earlier_voice_coach_opens_and_reads_by_column_name(tmp_path: Path) -> None:
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / "old.wav").write_bytes(b"RIFF old answer")
    conn = sqlite3.connect(tmp_path / "sessions.db")
    conn.executescript(V1_SHUFFLED)
    conn.execute("INSERT INTO sessions (id, created, kind, question_id, question_text, category, audio, source, "
                 "model, duration_s, settings) VALUES ('20260105-100000-aaaaaa', '2026-01-05T10:00:00+00:00', "
                 "'practice', 'rank-01', 'Rank search results', 'ranking', 'old.wav', 'mic', 'base.en', 61.5, "
                 "'{\"beam\": 5}')")
    conn.execute("INSERT INTO payloads VALUES ('20260105-100000-aaaaaa', ?, NULL, NULL)", (json.dumps(REPORT),))
    conn.execute("INSERT INTO notes (session_id, at_s, text, author, created) VALUES "
                 "('20260105-100000-aaaaaa', 4.5, 'breathe', 'ana', '2026-01-06T09:00:00+00:00')")
    conn.commit()
    conn.close()
    with Store.open(tmp_path) as s:
        # Migrated forward (the skill schedule's tables, the archive's search tables, the
        # interview parent column); the old rows are read as they are...
        assert s.schema_version == SCHEMA_VERSION == 4
        # ... which index what was already there: the old note, transcript and verdicts.
        assert [x.id for x in s.archive(ArchiveQuery(text="breathe")).sessions] == ["20260105-100000-aaaaaa"]
        assert s.archive(ArchiveQuery(text="rank")).total == 0  # the question is a filter, not text
        assert s.archive(ArchiveQuery(signal="fillers", verdict="work_on")).total == 1
        (listed,) = s.list_sessions(with_reports=True)
        full = s.get("last")
        assert s.orphan_recordings() == []
        new = _save(s, created="2026-02-01T00:00:00+00:00")
    for got in (listed, full):
        assert (got.id, got.created, got.kind) == ("20260105-100000-aaaaaa", "2026-01-05T10:00:00+00:00", "practice")
        assert (got.question_id, got.question_text, got.category) == ("rank-01", "Rank search results", "ranking")
        assert got.audio_path == tmp_path / "audio" / "old.wav"
        assert (got.source, got.model, got.duration_s, got.settings) == ("mic", "base.en", 61.5, {"beam": 5})
        assert got.report == REPORT
        assert got.parent is None
    assert [(n.at, n.text, n.author) for n in full.notes] == [(4.5, "breathe", "ana")]
    row = sqlite3.connect(tmp_path / "sessions.db").execute(
        "SELECT kind, model, settings FROM sessions WHERE id = ?", (new,)).fetchone()
    assert row == ("analyze", "tiny.en", '{"beam": 1}')


def test_listing_with_reports_is_one_query(tmp_path: Path) -> None:
    with Store.open(tmp_path) as s:
        ids = [_save(s, report={**REPORT, "n": i}) for i in range(12)]
        seen: list[str] = []
        s._db.conn.set_trace_callback(seen.append)
        listed = s.list_sessions(with_reports=True)
        s._db.conn.set_trace_callback(None)
    assert [x.id for x in listed] == ids
    assert [x.report["n"] for x in listed if x.report] == list(range(12))
    assert len([q for q in seen if q.lstrip().upper().startswith("SELECT")]) == 1


def test_what_is_saved_comes_back_as_saved_and_as_a_copy(tmp_path: Path) -> None:
    report = {**REPORT, "source": Path("/rec/answer.wav"), "span": (1.5, 2.0), "ünï": "cødé ✓"}
    with Store.open(tmp_path) as s:
        sid = _save(s, report=report, settings={"asr": {"beam": 2, "path": Path("/m")}})
        first = s.get(sid)
        assert first.report is not None
        first.report["signals"]["fillers"]["count"] = 99  # a caller's edit stays the caller's
        again = s.get(sid)
    assert again.report is not None and again.report["signals"]["fillers"]["count"] == 3
    # Values JSON cannot hold are kept as text, not dropped; tuples come back as lists.
    assert again.report["source"] == "/rec/answer.wav" and again.report["span"] == [1.5, 2.0]
    assert again.report["ünï"] == "cødé ✓" and again.duration_s == 7.25
    assert again.settings == {"asr": {"beam": 2, "path": "/m"}}
    with pytest.raises(UsageError, match="report object"), Store.open(tmp_path) as s:
        _save(s, report=["not", "a", "dict"])


def test_dates_one_parser_for_filters_saving_and_display(tmp_path: Path) -> None:
    with Store.open(tmp_path) as s:
        a = _save(s, created="2026-02-05T10:00:00Z")
        b = _save(s, created="2026-02-05 12:30:00+02:00")  # 10:30 UTC
        c = _save(s, created="2026-02-06")
        with pytest.raises(UsageError, match="ISO 8601"):
            _save(s, created="last tuesday")
        got = {x.id: x for x in s.list_sessions()}
        assert got[a].created == "2026-02-05T10:00:00+00:00" and got[b].created == "2026-02-05T10:30:00+00:00"
        assert got[c].created == "2026-02-06T00:00:00+00:00"
        assert (got[b].day, got[b].minute) == ("2026-02-05", "2026-02-05 10:30")

        def ids(**kw: Any) -> list[str]:
            return [x.id for x in s.list_sessions(**kw)]

        assert ids(until="2026-02-05") == [a, b]  # a bare date includes its whole day
        assert ids(until="2026-02-05T10:30:00") == [a, b]  # a time includes its second
        assert ids(until="2026-02-05T10:29:59") == [a]
        assert ids(since="2026-02-05T10:30") == [b, c]
        assert ids(since="2026-02-05T12:00+02:00", until="2026-02-05 10:00Z") == [a]
        assert ids(since="2026-02-06", until="2026-02-06") == [c]
    assert dates.normalise_date(" 2026-11-01 ") == "2026-11-01"
    assert store_pkg.normalise_date is dates.normalise_date
    for bad in ("yesterday", "2026-13-01", "2026-02-30T10:00", "T"):
        with pytest.raises(UsageError, match="not a date"):
            dates.created_range(bad, None)
    assert dates.minute("not a time") == "not a time"  # a listing never fails over one odd row
    assert dates.new_id()[:8] == dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d")


def test_imported_bundle_with_odd_created_gets_the_import_time(tmp_path: Path) -> None:
    bundle = tmp_path / "b.zip"
    meta = {"schema": store_pkg.BUNDLE_SCHEMA, "id": "hand-made", "created": "last week", "audio": None,
            "question": {"id": "q-7", "text": "Why?"}, "model": 3, "notes": [{"text": "ok", "at": "x"}]}
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("session.json", json.dumps(meta))
        zf.writestr("report.json", json.dumps(REPORT))
    before = dates.now()
    with Store.open(tmp_path / "home") as s:
        sid = s.import_bundle(bundle)
        got = s.get(sid)
    assert sid == "hand-made" and got.created >= before and got.model is None
    assert got.question_id == "q-7" and [(n.at, n.text) for n in got.notes] == [(None, "ok")]
    # An id that is not typeable as one (a path, a wildcard, a keyword) is replaced.
    for odd in ("last", "../../etc/passwd", "50%_off", "", 42):
        with zipfile.ZipFile(bundle, "w") as zf:
            zf.writestr("session.json", json.dumps({**meta, "id": odd}))
            zf.writestr("report.json", json.dumps(REPORT))
        with Store.open(tmp_path / "home") as s:
            new = s.import_bundle(bundle)
            assert new != odd and re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{6}", new)
            assert s.resolve("last") == new


def test_the_shipped_migration_is_never_edited() -> None:
    # Databases in the field were made by this exact text; a change must be a new entry.
    digest = hashlib.sha256(store_pkg.MIGRATIONS[0].encode()).hexdigest()
    assert digest == SHIPPED_V1_SHA256


def test_forget_keeps_a_recording_another_session_uses(tmp_path: Path) -> None:
    with Store.open(tmp_path) as s:
        rec = s.new_audio_path()
        rec.write_bytes(b"RIFF shared")
        one, two = _save(s, audio_path=rec), _save(s, audio_path=rec)
        s.forget(one)
        assert rec.exists() and [x.id for x in s.list_sessions()] == [two]
        s.forget(two)
        assert not rec.exists() and s.count() == 0
