"""Session bundles: one session (audio, transcript, report, notes) as a zip to hand over.

A bundle holds ``session.json`` (the metadata, ``"schema": "voice-coach.bundle/1"``),
``report.json``, ``transcript.json`` when there is one, and ``audio.<ext>`` when the session
has a recording. The format is shared with other machines' voice-coach: change it only by
bumping :data:`BUNDLE_SCHEMA`.
"""

from __future__ import annotations

import contextlib
import json
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voice_coach.errors import InputError
from voice_coach.fsutil import atomic_writer
from voice_coach.question import Question
from voice_coach.store import audio_files, dates

if TYPE_CHECKING:
    from voice_coach.store.core import Store

BUNDLE_SCHEMA = "voice-coach.bundle/1"

_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,63}")
"""A bundle's id is kept only when it looks like one (typeable, no path or SQL wildcard)."""


def export_bundle(store: Store, ident: str, dest: Path) -> Path:
    """Write one session of ``store`` to a zip file at ``dest`` (atomically)."""
    s = store.get(ident)
    meta = {
        "schema": BUNDLE_SCHEMA,
        "id": s.id, "created": s.created, "kind": s.kind, "question": s.question,
        "category": s.category, "model": s.model, "settings": s.settings, "source": s.source,
        "audio": None,
        "notes": [n.to_dict() for n in s.notes],
    }
    dest = Path(dest)
    try:
        with atomic_writer(dest, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            if s.audio_path is not None and s.audio_path.is_file():
                name = "audio" + s.audio_path.suffix
                meta["audio"] = name
                # Compressed audio does not deflate; store it as is.
                zf.write(s.audio_path, name, compress_type=zipfile.ZIP_STORED)
            zf.writestr("report.json", _dumps(s.report))
            if s.transcript is not None:
                zf.writestr("transcript.json", _dumps(s.transcript))
            zf.writestr("session.json", _dumps(meta))
    except OSError as err:
        raise InputError(f"{dest}: cannot write the bundle ({err.strerror or err})") from None
    return dest


def import_bundle(store: Store, path: Path) -> str:
    """Read a bundle made by :func:`export_bundle` into ``store``; returns the session id.

    The original id is kept when it is free and looks like an id (so a coach and a
    candidate talk about the same id); otherwise a new one is given. Notes come along. A bundle's ``created`` that is
    not an ISO 8601 time is replaced by the time of the import.
    """
    path = Path(path)
    meta, report, transcript, audio = _read(store, path)
    q = meta.get("question") if isinstance(meta.get("question"), dict) else None
    question = None
    if q:
        question = Question(q.get("id"), q.get("text"), meta.get("category") or q.get("category"))
    sid = meta.get("id")
    if not isinstance(sid, str) or not _ID.fullmatch(sid) or sid in ("last", "latest") or store.exists(sid):
        sid = dates.new_id()
    try:
        sid = store.save_session(
            kind="import", report=report, transcript=transcript, audio_path=audio,
            question=question, model=_str(meta.get("model")),
            settings=meta.get("settings") if isinstance(meta.get("settings"), dict) else {},
            source=str(path), created=_created(meta.get("created")), session_id=sid,
        )
    except BaseException:
        if audio is not None:
            with contextlib.suppress(OSError):
                audio.unlink()
        raise
    for n in meta.get("notes") or []:
        if isinstance(n, dict) and isinstance(n.get("text"), str) and n["text"].strip():
            at = n.get("at")
            store.add_note(sid, n["text"], float(at) if isinstance(at, int | float) else None,
                           _str(n.get("author")))
    return sid


def _read(store: Store, path: Path) -> tuple[dict[str, Any], dict[str, Any], Any, Path | None]:
    """The bundle's metadata, report, transcript, and its audio copied into the store."""
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
        audio: Path | None = None
        if audio_name:
            if not isinstance(audio_name, str) or audio_name not in names or "/" in audio_name \
                    or "\\" in audio_name:
                raise InputError(f"{path}: the bundle's audio {audio_name!r} is missing")
            try:
                with zf.open(audio_name) as src:
                    audio = audio_files.copy_in(src, store.audio_dir, Path(audio_name).suffix)
            except (OSError, zipfile.BadZipFile) as err:
                raise InputError(f"{path}: cannot extract the audio ({err})") from None
    return meta, report, transcript, audio


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _created(value: Any) -> str | None:
    """The bundle's time in the stored form, or ``None`` (now) when it is not a time."""
    if not isinstance(value, str):
        return None
    try:
        return dates.stored_time(value)
    except ValueError:
        return None
