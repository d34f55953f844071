"""The security model of ``voice-coach serve``, in one ASGI middleware and one upload reader.

The server holds people's recorded voices and a coach's notes, so although it listens on
loopback only, it assumes that other things on the machine talk to it:

* **Per-run token.** Every request must carry the random token printed with the URL: as
  ``?token=`` on the first visit (answered with a redirect that moves it into an
  ``HttpOnly; SameSite=Strict`` cookie, so it leaves the address bar and history), then as
  that cookie. Another local user, or a web page in the browser, does not know it: 403.
* **Host check.** The ``Host`` header must name loopback (``127.0.0.1``, ``localhost``,
  ``[::1]``) and this port. A hostile site that re-points its DNS name at 127.0.0.1
  ("DNS rebinding") sends its own name as Host, so it gets 403 even if it had the cookie.
* **CSRF.** A state-changing request (anything but GET/HEAD) must send the per-run CSRF
  token in the ``X-CSRF-Token`` header, which only our own pages can read; a cross-site
  form cannot set headers. A present ``Origin`` must be our own.
* **Uploads are bounded while streaming**: a ``Content-Length`` over the limit is refused
  before one byte is read, and a body without one is counted as it arrives and dropped at
  the limit (:func:`save_body`). Nothing is ever held whole in memory.
* **Headers on every response**: a Content-Security-Policy that allows our own origin only
  (no CDN, no inline script but the review page's own, by hash), no framing, no referrer,
  no sniffing, no caching.

What it does not protect against: a process running as the same user (it can read the
store's files directly anyway), and anyone who sees the printed URL before the first visit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "vc_token"
CSRF_HEADER = "x-csrf-token"
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]"})
SAFE_METHODS = frozenset({"GET", "HEAD"})

MAX_AUDIO_BYTES = 200 * 1024 * 1024
"""A browser-recorded answer (Opus in WebM, ~4 KB/s) stays far below this even at an hour."""
MAX_BUNDLE_BYTES = 1024 * 1024 * 1024
"""A bundle holds one session's recording; a two-hour WAV is ~230 MB."""
MAX_JSON_BYTES = 64 * 1024
"""A note, as JSON."""
CHUNK = 1 << 16


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script (``'sha256-...'``)."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(header: bool = True) -> str:
    """Our origin only; the one inline script allowed is the review page's, by its hash.

    ``header=False`` gives the form for a ``<meta>`` element, where browsers ignore (and
    complain about) ``frame-ancestors``; the header, sent with every response, has it.
    """
    from voice_coach.report.html_assets import SCRIPT

    csp = ("default-src 'none'; script-src 'self' " + script_hash(SCRIPT) + "; style-src 'self' 'unsafe-inline'; "
           "img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; form-action 'self'; base-uri 'none'")
    return csp + "; frame-ancestors 'none'" if header else csp


@dataclass(frozen=True)
class Secrets:
    """The per-run secrets, fresh each time the server starts."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))


class Guard:
    """ASGI middleware: Host check, token (query or cookie), CSRF, security headers."""

    def __init__(self, app: ASGIApp, keys: Secrets, port: int, extra_hosts: frozenset[str] = frozenset(),
                 any_host: bool = False) -> None:
        """``extra_hosts``: a non-loopback name the user allowed with ``--allow-remote``;
        ``any_host``: listening on every address (``0.0.0.0``), where the machine's names are
        not known, so the Host check is off and only the token guards (the docs say so)."""
        self.app = app
        self.keys = keys
        self.port = port
        self.hosts = LOOPBACK_NAMES | extra_hosts
        self.any_host = any_host
        self.csp = content_security_policy()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse, redirect (token into a cookie) or pass the request on with our headers."""
        if scope["type"] == "websocket":  # the app has none; refuse before any route sees it
            await receive()
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":  # lifespan
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if not self.host_ok(headers.get("host", "")):
            await _plain(send, 403, "Forbidden: this server answers to localhost only.", self.csp)
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        cookie_token = _cookie(headers.get("cookie", ""), COOKIE)
        if self._same(query.get("token"), self.keys.token):
            # Move the token from the URL into a cookie, and drop it from the address bar.
            rest = urlencode([(k, v) for k, v in query.items() if k != "token"])
            # One leading slash and the path re-quoted: "//evil.example" would be another
            # site, and a decoded CR/LF would break the header.
            path = "/" + quote(str(scope.get("path", "/")).lstrip("/"), safe="/-._~!$&'()*+,;=:@")
            location = path + (f"?{rest}" if rest else "")
            cookie = f"{COOKIE}={self.keys.token}; HttpOnly; SameSite=Strict; Path=/"
            await _plain(send, 303, "See other", self.csp, [("location", location), ("set-cookie", cookie)])
            return
        if not self._same(cookie_token, self.keys.token):
            await _plain(send, 403, "Forbidden: open the URL voice-coach serve printed (it carries the token).",
                         self.csp)
            return
        if scope.get("method", "GET") not in SAFE_METHODS:
            origin = headers.get("origin")
            if not self._same(headers.get(CSRF_HEADER), self.keys.csrf) or (
                    origin is not None and origin != f"http://{headers.get('host', '')}"):
                await _plain(send, 403, "Forbidden: missing or wrong CSRF token.", self.csp)
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"content-security-policy", self.csp.encode()), (b"x-frame-options", b"DENY"),
                         (b"referrer-policy", b"no-referrer"), (b"x-content-type-options", b"nosniff"),
                         (b"cache-control", b"no-store"), (b"cross-origin-resource-policy", b"same-origin")]
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in extra if h[0] not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def host_ok(self, host: str) -> bool:
        """Whether ``Host`` names an allowed host and our port (or no port)."""
        host = host.strip().lower()
        if not host:
            return False
        if host.startswith("["):
            name, _, rest = host.partition("]")
            name += "]"
            port = rest[1:] if rest.startswith(":") else ""
        else:
            name, _, port = host.partition(":")
        return (self.any_host or name in self.hosts) and (port == "" or port == str(self.port))

    @staticmethod
    def _same(given: str | None, expected: str) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), expected.encode())


async def save_body(request: Request, dest: Path, limit: int) -> int:
    """Stream the request body into ``dest`` (created 0600), refusing more than ``limit`` bytes.

    Raises ``HTTPException(413)`` (and removes ``dest``) when the declared or the actual size
    is over the limit; the declared size is checked before anything is read.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise HTTPException(400, "bad Content-Length")
        if int(declared) > limit:
            raise too_large(limit)
    import os

    size = 0
    fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise too_large(limit)
                fh.write(chunk)
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return size


def too_large(limit: int) -> HTTPException:
    """413, closing the connection: otherwise the server would drain the rest of the body
    to keep the connection alive, reading the 2 GB it just refused."""
    return HTTPException(413, f"upload too large (limit {limit / (1024 * 1024):g} MB)", headers={"Connection": "close"})


async def read_json(request: Request, limit: int = MAX_JSON_BYTES) -> Any:
    """A small JSON body, bounded like an upload; 400 when it is not JSON."""
    import json

    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise too_large(limit)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large(limit)
    try:
        return json.loads(body or b"null")
    except ValueError:
        raise HTTPException(400, "the body is not JSON") from None


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


async def _plain(send: Send, status: int, text: str, csp: str, headers: Sequence[tuple[str, str]] = ()) -> None:
    body = text.encode("utf-8")
    raw = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
           (b"content-security-policy", csp.encode()), (b"cache-control", b"no-store"),
           (b"referrer-policy", b"no-referrer")]
    raw += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
