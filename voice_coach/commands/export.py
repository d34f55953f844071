"""``voice-coach export ID --to bundle.zip``: one session as a file to hand to a coach."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Add the ``export`` sub-command."""
    p = sub.add_parser("export", help="write a session to a zip bundle",
                       description="Write one session (audio, transcript, report, coach notes) to a zip "
                       "bundle that `voice-coach import` reads on another machine.")
    p.add_argument("id", help="session id (or a unique prefix, or `last`)")
    p.add_argument("--to", type=Path, required=True, metavar="FILE", help="the bundle to write (.zip)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the bundle."""
    from voice_coach.store import Store

    with Store.open() as store:
        sid = store.resolve(args.id)
        out = store.export_bundle(sid, args.to)
    print(f"Exported session {sid} to {out}", file=sys.stderr)
    return 0
