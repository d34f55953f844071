"""The one atomic writer: a failure mid-write leaves the old file whole and no temp file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from voice_coach import fsutil
from voice_coach.fsutil import atomic_write_bytes, atomic_write_text, atomic_writer


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_writes_new_and_replaces_old(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "report.json"
    atomic_write_text(target, "first\n")
    assert target.read_text() == "first\n"
    atomic_write_text(target, "second, longer ünïcode\n")
    assert target.read_text(encoding="utf-8") == "second, longer ünïcode\n"
    atomic_write_bytes(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # it may quote someone's answer
    assert _leftovers(target.parent) == []


def test_failure_mid_write_keeps_the_old_content_and_no_temp(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "page.html"
    target.write_text("the old page")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        atomic_write_text(target, "x" * 100_000)
    assert target.read_text() == "the old page"
    assert _leftovers(tmp_path) == []


def test_exception_inside_the_block_and_failed_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "bundle.zip"
    target.write_bytes(b"old bundle")
    with pytest.raises(KeyboardInterrupt), atomic_writer(target, "wb") as fh:
        fh.write(b"half a bund")
        raise KeyboardInterrupt  # Ctrl-C mid-write
    assert target.read_bytes() == b"old bundle" and _leftovers(tmp_path) == []

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fsutil.os, "replace", refuse)
    with pytest.raises(PermissionError):
        atomic_write_bytes(target, b"new bundle")
    assert target.read_bytes() == b"old bundle" and _leftovers(tmp_path) == []


def test_unwritable_directory_is_an_oserror_and_text_mode_only_for_whole_files(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(OSError):
        atomic_write_text(blocker / "out.json", "{}")
    assert blocker.read_text() == "not a directory"
    with pytest.raises(ValueError, match="whole files"), atomic_writer(tmp_path / "x", "a"):
        pass
    assert not (tmp_path / "x").exists()


def test_batch_summary_failure_keeps_the_old_summary_and_no_temp(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from voice_coach.batch import SummaryWriter
    from voice_coach.errors import InputError

    (tmp_path / "summary.json").write_text('{"previous": "run"}')
    writer = SummaryWriter(tmp_path)
    writer.add({"index": 0, "path": "a.wav", "ok": True})

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(InputError, match=r"summary\.json: cannot write the summary"):
        writer.close()
    assert (tmp_path / "summary.json").read_text() == '{"previous": "run"}'
    assert _leftovers(tmp_path) == []
    monkeypatch.undo()
    _csv, json_path = SummaryWriter(tmp_path).close()
    assert json_path.read_text().startswith('{\n "schema": "voice-coach.batch-summary/1"')


def test_analyze_write_output_is_the_atomic_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from voice_coach.commands.common import write_output
    from voice_coach.errors import InputError

    out = tmp_path / "r.md"
    write_output(out, "# report\n")
    monkeypatch.setattr(fsutil.os, "replace", lambda a, b: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(InputError, match="cannot write"):
        write_output(out, "# a newer report\n")
    assert out.read_text() == "# report\n" and _leftovers(tmp_path) == []


def test_write_output_under_a_file_names_the_file(tmp_path: Path) -> None:
    """``--out report.json/x.json`` where report.json is a file says so, not "File exists"."""
    from voice_coach.commands.common import write_output
    from voice_coach.errors import InputError

    existing = tmp_path / "report.json"
    existing.write_text("{}")
    with pytest.raises(InputError, match=r"report\.json is a file, not a directory"):
        write_output(existing / "x.json", "{}")
    assert existing.read_text() == "{}"
