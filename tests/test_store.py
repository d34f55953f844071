"""The session store: migrations, atomic saves, concurrent writers, crashes and corruption."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from voice_coach.errors import InputError, StoreError, UsageError
from voice_coach.question import Question
from voice_coach.store import SCHEMA_VERSION, Store

REPORT = {
    "schema": "voice-coach.report/1",
    "duration_s": 12.5,
    "question": {"id": "q-1", "text": "How would you rank search results?"},
    "transcript": {"text": "um so first", "words": []},
    "signals": {"fillers": {"count": 1, "verdict": "ok", "advice": "", "evidence": []}},
}


def _save(store: Store, **kw: object) -> str:
    args: dict[str, object] = dict(kind="analyze", report=REPORT, transcript={"words": []}, audio_path=None,
                                   question=None, model="tiny.en", settings={"beam": 1})
    args.update(kw)
    return store.save_session(**args)  # type: ignore[arg-type]


def test_migrates_an_empty_database(tmp_path: Path) -> None:
    (tmp_path / "sessions.db").write_bytes(b"")  # an empty file is a valid, empty database
    with Store.open(tmp_path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.count() == 0
        sid = _save(store)
    # Re-opening a current database migrates nothing and keeps the data.
    with Store.open(tmp_path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [s.id for s in store.list_sessions()] == [sid]
    conn = sqlite3.connect(tmp_path / "sessions.db")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"sessions", "payloads", "notes"} <= tables
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_default_home_is_private(isolated_home: Path) -> None:
    with Store.open() as store:
        assert store.home == isolated_home
        _save(store)
    assert stat.S_IMODE((isolated_home / "sessions.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((isolated_home / "audio").stat().st_mode) == 0o700


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "sessions.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer voice-coach"):
        Store.open(tmp_path)


def test_corrupt_database_is_a_clear_error_and_keeps_audio(tmp_path: Path) -> None:
    (tmp_path / "audio").mkdir()
    rec = tmp_path / "audio" / "answer.wav"
    rec.write_bytes(b"RIFF-precious")
    (tmp_path / "sessions.db").write_bytes(b"this is not sqlite at all, just junk " * 200)
    with pytest.raises(StoreError, match="corrupt") as err:
        Store.open(tmp_path)
    assert "untouched" in str(err.value)
    assert rec.read_bytes() == b"RIFF-precious"
    assert (tmp_path / "sessions.db").exists()  # never deleted behind the user's back


def test_damaged_pages_are_reported_by_check(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        for _ in range(30):
            _save(store, report={**REPORT, "pad": "x" * 3000})
    db = tmp_path / "sessions.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    raw = bytearray(db.read_bytes())
    raw[8192:40960] = b"\xff" * (40960 - 8192)  # scribble over pages in the middle of the file
    db.write_bytes(bytes(raw))
    with pytest.raises(StoreError, match="corrupt"):
        store = Store.open(tmp_path)
        store.check()
        store.list_sessions(with_reports=True)


def test_save_copies_outside_audio_and_keeps_inside_audio(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.flac"
    outside.write_bytes(b"fLaC data")
    with Store.open(tmp_path / "home") as store:
        inside = store.new_audio_path()
        inside.write_bytes(b"RIFF data")
        a = _save(store, audio_path=inside, question=Question("q-9", "Design a feed", "system_design"))
        b = _save(store, audio_path=outside)
        sa, sb = store.get(a), store.get(b)
        assert sa.audio_path == inside
        assert sa.question_id == "q-9" and sa.category == "system_design"
        assert sb.audio_path is not None and sb.audio_path.parent == store.audio_dir
        assert sb.audio_path.read_bytes() == b"fLaC data" and sb.audio_path.suffix == ".flac"
        assert stat.S_IMODE(sb.audio_path.stat().st_mode) == 0o600
        assert outside.exists()
        # Question taken from the report when none is given.
        assert sb.question_id == "q-1"
        assert sb.report == REPORT and sb.transcript == {"words": []} and sb.settings == {"beam": 1}
        assert store.orphan_recordings() == []
        with pytest.raises(InputError):
            _save(store, audio_path=tmp_path / "missing.wav")


def test_orphans_prefix_ids_notes_and_forget(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        crashed = store.new_audio_path()
        crashed.write_bytes(b"half an answer")
        kept = store.new_audio_path()
        kept.write_bytes(b"whole answer")
        sid = _save(store, audio_path=kept)
        assert store.orphan_recordings() == [crashed]
        assert store.resolve(sid[:-2]) == sid
        assert store.resolve("last") == sid
        with pytest.raises(UsageError):
            store.resolve("nope")
        store.add_note(sid, "second note", at=9.0)
        store.add_note(sid, "first note", at=1.5)
        store.add_note(sid, "overall")
        assert [n.text for n in store.notes(sid)] == ["overall", "first note", "second note"]
        with pytest.raises(UsageError):
            store.add_note(sid, "  ")
        gone = store.forget(sid)
        assert gone.id == sid
        assert not kept.exists()
        assert crashed.exists()  # forget touches only the session's own audio
        assert store.count() == 0
        assert sqlite3.connect(store.db_path).execute("SELECT count(*) FROM notes").fetchone()[0] == 0


def test_filters(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        rank = Question("rank-01", "Rank search results", "ranking")
        _save(store, question=rank, created="2026-01-05T10:00:00+00:00")
        _save(store, question=Question("met-01", "Design a metrics pipeline", "metrics"),
              created="2026-02-05T10:00:00+00:00")
        _save(store, question=rank, created="2026-03-05T10:00:00+00:00")
        assert len(store.list_sessions(question="rank-01")) == 2
        assert len(store.list_sessions(question="METRICS pipe")) == 1
        assert len(store.list_sessions(category="ranking")) == 2
        assert len(store.list_sessions(since="2026-02-01")) == 2
        assert len(store.list_sessions(until="2026-02-05")) == 2
        assert [s.created[:7] for s in store.list_sessions(limit=2)] == ["2026-02", "2026-03"]
        with pytest.raises(UsageError):
            store.list_sessions(since="yesterday")


def test_export_import_round_trip(tmp_path: Path) -> None:
    with Store.open(tmp_path / "candidate") as cand:
        rec = cand.new_audio_path(".wav")
        rec.write_bytes(b"RIFF the answer")
        sid = _save(cand, audio_path=rec, question=Question("q-2", "Why <this>?", "ml"))
        cand.add_note(sid, "nice framing", at=3.25, author="coach")
        bundle = cand.export_bundle(sid, tmp_path / "b.zip")
    with Store.open(tmp_path / "coach") as coach:
        new = coach.import_bundle(bundle)
        assert new == sid  # the id survives, so both sides talk about the same session
        s = coach.get(new)
        assert s.report == REPORT and s.question_id == "q-2" and s.category == "ml"
        assert s.audio_path is not None and s.audio_path.read_bytes() == b"RIFF the answer"
        assert [(n.at, n.text, n.author) for n in s.notes] == [(3.25, "nice framing", "coach")]
        again = coach.import_bundle(bundle)
        assert again != sid and coach.count() == 2
        junk = tmp_path / "junk.zip"
        junk.write_bytes(b"PK not really")
        with pytest.raises(InputError):
            coach.import_bundle(junk)


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from voice_coach.store import Store
    home, tag, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = Store.open(home)
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    for i in range(n):
        store.save_session(kind="analyze", report={"tag": tag, "i": i, "duration_s": 1.0},
                           transcript=None, audio_path=None, question=None, model=None,
                           settings=None, session_id=f"{tag}-{i:03d}")
    print("done", flush=True)
    """
)


def test_two_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    n = 40
    # No store yet: both processes create and migrate it at the same moment, too.
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), tag, str(n)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for tag in ("a", "b")
    ]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        out, _ = p.communicate(timeout=60)
        assert p.returncode == 0 and "done" in out
    with Store.open(tmp_path) as store:
        ids = {s.id for s in store.list_sessions()}
        assert ids == {f"{t}-{i:03d}" for t in "ab" for i in range(n)}
        assert store.get("b-017").report == {"tag": "b", "i": 17, "duration_s": 1.0}


KILLED = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from voice_coach.store import Store

    class Stuck(Store):
        def _insert_session(self, conn, row, payload):
            super()._insert_session(conn, row, payload)
            print("inside", flush=True)  # both rows written, not committed
            time.sleep(120)

    store = Stuck.open(Path(sys.argv[1]))
    rec = store.new_audio_path()
    rec.write_bytes(b"RIFF recorded before the crash")
    store.save_session(kind="practice", report={"duration_s": 1.0}, transcript=None, audio_path=rec,
                       question=None, model=None, settings=None)
    """
)


def test_killed_mid_save_leaves_the_store_consistent(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        before = _save(store)
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "inside"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    with Store.open(tmp_path) as store:
        assert [s.id for s in store.list_sessions()] == [before]
        store.check()
        conn = sqlite3.connect(store.db_path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM payloads").fetchone()[0] == 1
        # The recording made before the crash survives, and is found as an orphan.
        orphans = store.orphan_recordings()
        assert len(orphans) == 1 and orphans[0].read_bytes() == b"RIFF recorded before the crash"
        # And the store still takes writes: the dead process's lock is gone.
        after = _save(store)
        assert store.count() == 2 and store.get(after).report == REPORT
