"""The archive's routes: list, session page, notes, audio, export, import, forget, compare,
progress, static files.

Handlers are ``async`` and call the store directly, so the one SQLite connection is only
ever used from the event loop's thread (one request at a time, no lock needed); slow work
(analysis, speech synthesis) runs in worker threads and never touches the store.

Files leave the server by session id only: an id is looked up in the store, whose row
names a file inside ``<home>/audio``. No part of a request path is ever joined to a
directory, so ``../../etc/passwd`` in any encoding is simply an unknown id (404).
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from pathlib import Path
from typing import Any

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from voice_coach.serve import pages
from voice_coach.serve.context import Context
from voice_coach.serve.security import MAX_BUNDLE_BYTES, read_json, save_body
from voice_coach.store import ArchiveQuery, Session

SESSION_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,63}")
"""What a session id looks like (as bundles.py accepts them): no slash, no dot-dot start."""

STATIC = {"app.css": "text/css", "app.js": "text/javascript", "session.js": "text/javascript",
          "practice.js": "text/javascript"}
"""The only files /static serves, by exact name, from ``voice_coach/data/serve``."""
STATIC_DIR = Path(__file__).resolve().parent.parent / "data" / "serve"


def ctx(request: Request) -> Context:
    """The app's shared state."""
    c: Context = request.app.state.ctx
    return c


def session_or_404(request: Request, payload: bool = True) -> Session:
    """The session named by the path's ``sid``: exactly that id (no prefix, no ``last``)."""
    sid = request.path_params["sid"]
    store = ctx(request).store
    if not SESSION_ID.fullmatch(sid) or not store.exists(sid):
        raise HTTPException(404, "no such session")
    return store.get(sid, payload=payload)


def query_from(request: Request) -> ArchiveQuery:
    """The archive filters of a request's query string."""
    p = request.query_params
    try:
        page = int(p.get("page") or 1)
    except ValueError:
        page = 1
    return ArchiveQuery(text=p.get("q", ""), question=p.get("question", ""), category=p.get("category", ""),
                        since=p.get("since", ""), until=p.get("until", ""), kind=p.get("kind", ""),
                        signal=p.get("signal", ""), verdict=p.get("verdict", ""), page=page)


async def archive(request: Request) -> Response:
    """``GET /``: the filtered, searched list."""
    c = ctx(request)
    q = query_from(request)
    page = c.store.archive(q)
    return HTMLResponse(pages.layout("voice-coach archive", pages.archive(page, q), c.keys.csrf))


async def session_page(request: Request) -> Response:
    """``GET /session/{sid}``: the review page plus notes, export and forget."""
    from voice_coach.report.html import PLAYABLE, AudioSource, render_html
    from voice_coach.serve.security import content_security_policy

    c = ctx(request)
    s = session_or_404(request)
    audio = None
    if s.audio_path is not None and s.audio_path.is_file() and s.audio_path.suffix.lower() in PLAYABLE:
        audio = AudioSource(f"/audio/{s.id}", PLAYABLE[s.audio_path.suffix.lower()])
    if s.kind == "interview":
        body = _interview_page(c, s, audio)
    else:
        body = render_html(s.report or {}, audio=audio, notes=s.notes, session_id=s.id,
                           csp=content_security_policy(header=False), addon=pages.addon(s))
    # Our scripts read the CSRF token from this meta element, as on every other page.
    body = body.replace("<head>", f'<head><meta name="csrf-token" content="{pages.e(c.keys.csrf)}">'
                        '<link rel="stylesheet" href="/static/app.css">', 1)
    return HTMLResponse(body)


def _interview_page(c: Context, s: Session, audio: Any) -> str:
    """An interview's review page; each question links to its answer's own session page.

    The answers were saved in the interview's order (see ``save_interview``), so the n-th
    child session is the n-th answer.
    """
    from voice_coach.report.html_interview import render_interview_html
    from voice_coach.serve.security import content_security_policy

    report = s.report or {}
    children = c.store.children(s.id)
    indexes = [a.get("index") for a in report.get("answers") or [] if isinstance(a, dict)]
    links = {i: f"/session/{child.id}" for i, child in zip(indexes, children, strict=False) if isinstance(i, int)}
    return render_interview_html(report, audio=audio, session_id=s.id, csp=content_security_policy(header=False),
                                 addon=pages.addon(s, answers=len(children)), answer_links=links)


async def audio(request: Request) -> Response:
    """``GET /audio/{sid}``: a session's recording (range requests work, so seeking does)."""
    from voice_coach.report.html import PLAYABLE

    s = session_or_404(request, payload=False)
    path = s.audio_path
    if path is None or not path.is_file() or path.suffix.lower() not in PLAYABLE:
        raise HTTPException(404, "this session has no playable recording")
    return FileResponse(path, media_type=PLAYABLE[path.suffix.lower()])


def _note_fields(data: Any) -> tuple[str, float | None]:
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise HTTPException(400, "a note is {\"text\": ..., \"at\": seconds or null}")
    at = data.get("at")
    if at is not None and (isinstance(at, bool) or not isinstance(at, int | float)):
        raise HTTPException(400, "a note's time is a number of seconds or null")
    return data["text"], (float(at) if at is not None else None)


def _note_json(n: Any) -> dict[str, Any]:
    return {"id": n.id, "at": n.at, "text": n.text, "author": n.author, "created": n.created}


async def add_note(request: Request) -> Response:
    """``POST /session/{sid}/notes`` ``{"text", "at"}``: a note at a moment (or overall)."""
    s = session_or_404(request, payload=False)
    text, at = _note_fields(await read_json(request))
    if at is not None and s.duration_s is not None and at > s.duration_s + 0.5:
        raise HTTPException(400, f"{at:g} s is past the end of the answer ({s.duration_s:.1f} s)")
    return JSONResponse(_note_json(ctx(request).store.add_note(s.id, text, at)), status_code=201)


def _note_id(request: Request) -> int:
    raw = request.path_params["nid"]
    if not raw.isdigit():
        raise HTTPException(404, "no such note")
    return int(raw)


async def edit_note(request: Request) -> Response:
    """``POST /session/{sid}/notes/{nid}``: change a note's text (and time)."""
    s = session_or_404(request, payload=False)
    text, at = _note_fields(await read_json(request))
    return JSONResponse(_note_json(ctx(request).store.update_note(s.id, _note_id(request), text, at)))


async def delete_note(request: Request) -> Response:
    """``POST /session/{sid}/notes/{nid}/delete``."""
    s = session_or_404(request, payload=False)
    ctx(request).store.delete_note(s.id, _note_id(request))
    return JSONResponse({"deleted": True})


async def export(request: Request) -> Response:
    """``GET /session/{sid}/export``: the session as a bundle download."""
    c = ctx(request)
    s = session_or_404(request, payload=False)
    tmp = Path(tempfile.mkdtemp(prefix="vc-export-", dir=c.tmp_dir))
    out = c.store.export_bundle(s.id, tmp / f"{s.id}.zip")

    def cleanup() -> None:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)

    return FileResponse(out, media_type="application/zip", filename=out.name, background=BackgroundTask(cleanup))


async def import_bundle(request: Request) -> Response:
    """``POST /import``: one bundle as the raw body (size-limited while it streams)."""
    import secrets

    c = ctx(request)
    path = c.tmp_dir / f"import-{secrets.token_hex(8)}.zip"  # save_body creates it exclusively, 0600
    try:
        await save_body(request, path, c.limits.get("bundle", MAX_BUNDLE_BYTES))
        sid = c.store.import_bundle(path)
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
    return JSONResponse({"id": sid, "url": f"/session/{sid}"}, status_code=201)


async def forget(request: Request) -> Response:
    """``POST /session/{sid}/forget``: delete the session and its recording."""
    s = session_or_404(request, payload=False)
    ctx(request).store.forget(s.id)
    return JSONResponse({"deleted": s.id})


async def compare(request: Request) -> Response:
    """``GET /compare?id=A&id=B``: two sessions side by side, judged as ``compare`` judges."""
    from voice_coach.commands.compare import comparison

    c = ctx(request)
    ids = request.query_params.getlist("id")
    if len(ids) != 2:
        raise HTTPException(400, "select exactly two sessions to compare")
    found = []
    for sid in ids:
        if not SESSION_ID.fullmatch(sid) or not c.store.exists(sid):
            raise HTTPException(404, "no such session")
        found.append(c.store.get(sid))
    a, b = sorted(found, key=lambda s: s.created)
    rows = comparison(a.report or {}, b.report or {})
    return HTMLResponse(pages.layout("Compare", pages.compare(a, b, rows), c.keys.csrf))


def _progress_chart(home: Path, q: ArchiveQuery) -> tuple[str, int]:
    """The chart and its session count, read on a connection of its own (see :func:`progress`)."""
    from voice_coach.commands.progress import collect
    from voice_coach.report.figures import svg_chart
    from voice_coach.store import Store

    with Store.open(home) as store:
        sessions = store.matching(q)  # the archive's filters and search, every page
    return svg_chart(collect(sessions, [])), len(sessions)


async def progress(request: Request) -> Response:
    """``GET /progress``: the chart of ``voice-coach progress`` for the list's filters.

    It reads every matching report, as ``progress`` does (seconds for thousands of
    sessions), so it runs in a worker thread on its own read connection (WAL lets it read
    while the event loop's connection writes): the rest of the app stays responsive.
    """
    c = ctx(request)
    q = query_from(request)
    svg, n = await run_in_threadpool(_progress_chart, c.store.home, q)
    return HTMLResponse(pages.layout("Progress", pages.progress(svg, n, q), c.keys.csrf))


async def static(request: Request) -> Response:
    """``GET /static/{name}``: one of the app's own files, by exact name."""
    name = request.path_params["name"]
    if name not in STATIC:
        raise HTTPException(404, "not found")
    return FileResponse(STATIC_DIR / name, media_type=STATIC[name])


async def favicon(request: Request) -> Response:
    """``GET /favicon.ico``: none (browsers ask on every page; a 404 would be logged as an error)."""
    return Response(status_code=204)


ROUTES = [
    Route("/favicon.ico", favicon),
    Route("/", archive),
    Route("/session/{sid}", session_page),
    Route("/session/{sid}/notes", add_note, methods=["POST"]),
    Route("/session/{sid}/notes/{nid}", edit_note, methods=["POST"]),
    Route("/session/{sid}/notes/{nid}/delete", delete_note, methods=["POST"]),
    Route("/session/{sid}/export", export),
    Route("/session/{sid}/forget", forget, methods=["POST"]),
    Route("/audio/{sid}", audio),
    Route("/import", import_bundle, methods=["POST"]),
    Route("/compare", compare),
    Route("/progress", progress),
    Route("/static/{name}", static),
]
