"""``voice-coach import bundle.zip``: take in a session exported elsewhere."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Add the ``import`` sub-command."""
    p = sub.add_parser("import", help="read a session bundle made by `export`",
                       description="Read session bundles (zip files made by `voice-coach export`) into the "
                       "local store; prints each new session id.")
    p.add_argument("bundles", nargs="+", type=Path, metavar="BUNDLE")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Import each bundle and print its session id on stdout."""
    from voice_coach.store import Store

    with Store.open() as store:
        for bundle in args.bundles:
            sid = store.import_bundle(bundle)
            print(sid)
            print(f"Imported {bundle} as session {sid}", file=sys.stderr)
    return 0
