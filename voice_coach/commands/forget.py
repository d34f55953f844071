"""``voice-coach forget ID``: delete a session's recording from disk and its rows."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    """Add the ``forget`` sub-command."""
    p = sub.add_parser("forget", help="delete a session and its recording",
                       description="Delete sessions for good: the audio file, the transcript, the report "
                       "and the notes. Asks first when run at a terminal, unless --yes.")
    p.add_argument("ids", nargs="+", metavar="ID", help="session id(s) or unique prefixes")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Delete the sessions."""
    from voice_coach.store import Store

    with Store.open() as store:
        sessions = [store.get(i, payload=False) for i in args.ids]
        if not args.yes and sys.stdin.isatty():
            names = ", ".join(s.id for s in sessions)
            answer = input(f"Delete {names} and its audio for good? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                print("Nothing deleted.", file=sys.stderr)
                return 1
        for s in sessions:
            store.forget(s.id)
            gone = " and its recording" if s.audio_path else ""
            print(f"Deleted session {s.id}{gone}.", file=sys.stderr)
    return 0
