"""``voice-coach serve``: the archive and browser practice as a local web app."""

from __future__ import annotations

import argparse
import sys
from typing import Any

LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARD = ("0.0.0.0", "::")


def register(sub: Any) -> None:
    """Add the ``serve`` sub-command."""
    from voice_coach.commands.common import add_model_args

    p = sub.add_parser("serve", help="browse, search and annotate sessions (and practise) in the browser",
                       description="Serve the session archive and browser practice on 127.0.0.1. The printed URL "
                       "carries a token for this run; only a browser given it gets in.")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    p.add_argument("--open", action="store_true", help="open the URL in the default browser")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; anything else needs --allow-remote)")
    p.add_argument("--allow-remote", action="store_true",
                   help="allow a non-loopback --host (the recordings become reachable from the network)")
    p.add_argument("--voice", choices=("pyttsx3", "piper", "none"), default="pyttsx3",
                   help="voice that reads practice questions (as `practice --voice`)")
    add_model_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C."""
    import signal
    import socket
    import tempfile
    import webbrowser
    from pathlib import Path

    from voice_coach.commands.common import settings_from_args
    from voice_coach.errors import UsageError

    if args.host not in LOOPBACK and not args.allow_remote:
        raise UsageError(f"--host {args.host} is reachable from other machines; add --allow-remote to mean it")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be 0-65535, not {args.port}")
    try:
        import uvicorn
    except ImportError:
        raise UsageError("serve needs the 'serve' extra: pip install 'voice-coach[serve]'") from None
    from voice_coach.serve.app import build_app
    from voice_coach.serve.context import Context
    from voice_coach.serve.security import Secrets
    from voice_coach.store import Store

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
        sock.listen(128)  # so the URL works the moment it is printed (connections queue)
    except OSError as err:
        sock.close()
        raise UsageError(f"cannot listen on {args.host}:{args.port} ({err.strerror or err})") from None
    port = sock.getsockname()[1]
    keys = Secrets()
    with Store.open() as store, tempfile.TemporaryDirectory(prefix="vc-serve-") as tmp:
        ctx = Context(store=store, keys=keys, port=port, tmp_dir=Path(tmp), settings=settings_from_args(args),
                      voice=args.voice)
        remote = args.host not in LOOPBACK
        wildcard = args.host in WILDCARD
        name = f"[{args.host}]" if ":" in args.host else args.host
        app = build_app(ctx, frozenset({name.lower()}) if remote and not wildcard else frozenset(), wildcard)
        shown = "[::1]" if args.host == "::1" else ("127.0.0.1" if not remote or wildcard else name)
        url = f"http://{shown}:{port}/?token={keys.token}"
        if remote:
            print(f"voice-coach: warning: serving on {args.host}: anyone on the network who gets this URL can "
                  "hear every recording; the token travels unencrypted (plain HTTP)"
                  + ("; the Host check is off (any name of this machine is accepted)" if wildcard else ""),
                  file=sys.stderr)
        print(f"Serving the archive of {store.count()} sessions at\n  {url}\nCtrl-C to stop.", flush=True)
        if args.open:
            webbrowser.open(url)
        config = uvicorn.Config(app, log_level="warning", lifespan="off", server_header=False)
        # uvicorn shuts down gracefully on SIGTERM, then raises the signal again for the
        # handler it found; the default one would kill the process before the store closes
        # and the temporary directory (uploads in flight) is removed. This one lets us finish.
        previous = signal.signal(signal.SIGTERM, lambda *_: None)
        try:
            uvicorn.Server(config).run(sockets=[sock])
        finally:
            signal.signal(signal.SIGTERM, previous)
    print("Stopped.", file=sys.stderr)
    return 0
