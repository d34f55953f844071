"""``voice-coach note ID --at 42.5 "..."``: a coach's remark pinned to a moment of an answer."""

from __future__ import annotations

import argparse
import math
from typing import Any


def register(sub: Any) -> None:
    """Add the ``note`` sub-command."""
    p = sub.add_parser("note", help="add a timestamped coach note to a session",
                       description="Pin a note to a moment of a session (it shows on the review page at "
                       "that moment). Without TEXT, list the session's notes.")
    p.add_argument("id", help="session id (or a unique prefix, or `last`)")
    p.add_argument("text", nargs="*", help="the note")
    p.add_argument("--at", type=parse_time, metavar="SECONDS",
                   help="where in the answer: seconds (42.5) or m:ss (0:42.5); omit for the whole answer")
    p.add_argument("--author", help="who wrote it (shown with the note)")
    p.set_defaults(func=run)
    _parse_intermixed(p)


def _parse_intermixed(parser: argparse.ArgumentParser) -> None:
    """Let TEXT come after the options, as in ``note ID --at 42.5 "..."``.

    Plain argparse binds every positional in the first run of them (ID, and an empty TEXT),
    so a TEXT after ``--at`` would be "unrecognized"; intermixed parsing fixes that. The
    intermixed parser calls ``parse_known_args`` itself, hence the swap while it runs.
    """
    plain = parser.parse_known_args

    def parse_known_args(args: Any = None, namespace: Any = None) -> Any:
        parser.parse_known_args = plain  # type: ignore[method-assign]
        try:
            return parser.parse_known_intermixed_args(args, namespace)
        finally:
            parser.parse_known_args = parse_known_args  # type: ignore[method-assign]

    parser.parse_known_args = parse_known_args  # type: ignore[method-assign]


def parse_time(text: str) -> float:
    """``42.5`` or ``1:02.5`` -> seconds; anything else is a usage error."""
    from voice_coach.errors import UsageError

    try:
        parts = [float(p) for p in text.strip().split(":")]
    except ValueError:
        raise UsageError(f"--at takes seconds (42.5) or m:ss (0:42.5), not {text!r}") from None
    if not 1 <= len(parts) <= 3 or any(p < 0 or not math.isfinite(p) for p in parts):
        raise UsageError(f"--at takes seconds (42.5) or m:ss (0:42.5), not {text!r}")
    seconds = 0.0
    for p in parts:
        seconds = seconds * 60 + p
    return seconds


def run(args: argparse.Namespace) -> int:
    """Add the note, or list the notes."""
    from voice_coach.report.model import fmt_time
    from voice_coach.store import Store

    with Store.open() as store:
        text = " ".join(args.text or []).strip()
        if not text:
            for n in store.notes(args.id):
                at = fmt_time(n.at) if n.at is not None else "overall"
                print(f"{at}\t{n.author + ': ' if n.author else ''}{n.text}")
            return 0
        s = store.get(args.id, payload=False)
        if args.at is not None and s.duration_s is not None and args.at > s.duration_s + 0.5:
            from voice_coach.errors import UsageError

            raise UsageError(f"--at {args.at:g} is past the end of the answer ({s.duration_s:.1f} s)")
        n = store.add_note(s.id, text, args.at, args.author)
    where = f"at {fmt_time(n.at)}" if n.at is not None else "on the whole answer"
    print(f"Noted {where} of session {s.id}.")
    return 0
