"""``voice-coach report ID --html FILE``: the review page (or another format) for a saved session."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Add the ``report`` sub-command."""
    p = sub.add_parser("report", help="render a saved session: the HTML review page, or markdown/json",
                       description="Render a saved session. --html FILE writes the self-contained review page "
                       "(audio embedded, clickable transcript, timeline, signal cards, coach notes).")
    p.add_argument("id", help="session id (or a unique prefix, or `last`)")
    p.add_argument("--html", type=Path, metavar="FILE", help="write the HTML review page to FILE")
    p.add_argument("--format", choices=("html", "json", "markdown", "terminal"), default=None,
                   help="output format (default: html with --html, else terminal)")
    p.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--no-audio", action="store_true", help="leave the recording out of the HTML page")
    p.set_defaults(func=run)


def page_for_session(session: Any, page: Path | None, with_audio: bool = True) -> str:
    """The review page HTML for a stored session (audio embedded or placed beside ``page``)."""
    from voice_coach.report.html import audio_source, render_html

    audio = None
    if with_audio and session.audio_path is not None:
        if session.audio_path.is_file():
            audio = audio_source(session.audio_path, page)
        else:
            print(f"voice-coach: warning: the recording {session.audio_path} is missing; "
                  "the page has no player", file=sys.stderr)
    return render_html(session.report or {}, audio=audio, notes=session.notes, session_id=session.id)


def run(args: argparse.Namespace) -> int:
    """Render the session."""
    from voice_coach.commands.common import emit, write_output
    from voice_coach.errors import UsageError
    from voice_coach.store import Store

    fmt = args.format or ("html" if args.html else "terminal")
    if args.html and fmt != "html":
        raise UsageError("--html writes the HTML page; use --format with --out for other formats")
    out = args.html or args.out
    with Store.open() as store:
        session = store.get(args.id)
    from voice_coach.interview import SCHEMA as INTERVIEW_SCHEMA

    if (session.report or {}).get("schema") == INTERVIEW_SCHEMA:
        from voice_coach.commands.common import emit_interview

        audio = session.audio_path if fmt == "html" and not args.no_audio else None
        if audio is not None and not audio.is_file():
            print(f"voice-coach: warning: the recording {audio} is missing; the page has no player", file=sys.stderr)
            audio = None
        emit_interview(session.report or {}, fmt, out, audio_path=audio, session_id=session.id)
        if fmt == "html" and out is not None:
            print(f"Wrote {out}", file=sys.stderr)
        return 0
    if fmt == "html":
        text = page_for_session(session, out, with_audio=not args.no_audio)
        if out is None:
            sys.stdout.write(text)
        else:
            write_output(out, text)
            print(f"Wrote {out}", file=sys.stderr)
        return 0
    emit(session.report or {}, fmt, out)
    return 0
