"""Recordings an interrupted practice left behind: SIGTERM as Ctrl-C, the sidecar that names their question, recovery.

Every answer is written to ``<data dir>/audio/`` while it is spoken, next to a hidden sidecar
(``.<id>.wav.question.json``) saying which question it answers. A run that dies before saving
leaves both; the next ``practice`` finds them (:func:`leftovers`) and analyses them.
"""

from __future__ import annotations

import contextlib
import json
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def sidecar_path(audio: Path) -> Path:
    """The hidden file that remembers which question a recording answers (for recovery)."""
    return audio.with_name(f".{audio.name}.question.json")


def write_sidecar(path: Path, question: Any) -> None:
    """Remember ``question`` for the recording beside ``path`` (best effort: never stops practice)."""
    with contextlib.suppress(OSError):
        path.write_text(json.dumps({**question.to_dict(), "source": question.source}), encoding="utf-8")
        path.chmod(0o600)


def read_sidecar(path: Path) -> Any:
    """The question a sidecar names, or ``None`` when it is missing or damaged."""
    from voice_coach.question import Question

    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        return Question(d.get("id"), d.get("text"), d.get("category"), d.get("difficulty"),
                        d.get("target_s"), tuple(d.get("focus") or ()), d.get("source"),
                        tuple(d.get("skills") or ()))
    except (OSError, ValueError, AttributeError):
        return None


def leftovers(session: Any, confirm: Callable[..., bool] | None) -> int:
    """Offer to analyse the recordings an interrupted run left; returns how many were saved.

    ``session`` is the :class:`~voice_coach.commands.practice.Practice` (its store, console,
    settings and arguments); ``confirm`` asks the person at the terminal (``None``: a script).
    """
    from voice_coach.audio.record import repair_wav
    from voice_coach.errors import VoiceCoachError
    from voice_coach.service import analyze_path

    orphans = [p for p in session.store.orphan_recordings() if time.time() - p.stat().st_mtime > 2.0]
    if not orphans:
        return 0
    total = sum(max(0, p.stat().st_size - 44) for p in orphans) / 32000
    session.console.print(f"[yellow]{len(orphans)} unfinished recording(s)[/yellow] from an interrupted "
                          f"session ({total:.0f} s of audio) in {orphans[0].parent}.")
    if confirm is not None and not confirm("Analyse and save them now?", default=True):
        return 0
    if confirm is None and not session.args.recover:
        session.console.print("Run `voice-coach practice --recover` to analyse and save them.")
        return 0
    saved = 0
    for path in orphans:
        repair_wav(path)
        question = read_sidecar(sidecar_path(path))
        try:
            transcript, report = analyze_path(path, question, session.settings, session.factory)
        except VoiceCoachError as err:
            session.console.print(f"[red]skipped[/red] {path.name}: {err}")
            continue
        report["meta"]["recovered"] = True
        sid = session.store.save_session(kind="practice", report=report, transcript=transcript.to_dict(),
                                         audio_path=path, question=question,
                                         model=str(transcript.meta.get("model")), settings={"recovered": True})
        with contextlib.suppress(OSError):
            sidecar_path(path).unlink()
        saved += 1
        q = f" ({question.id})" if question is not None and question.id else ""
        session.console.print(f"recovered {path.name}{q}: {report.get('duration_s') or 0:.0f} s, "
                              f"saved as session {sid}")
        if session.args.report_json:
            from voice_coach.commands.common import write_output
            from voice_coach.report.json_out import render_json

            write_output(session.args.report_json, render_json(report) + "\n")
    return saved


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM behaves like Ctrl-C: the recording is closed and kept, the exit code is 130."""
    from voice_coach.background import interrupt

    try:
        old = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (embedded use): leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)
