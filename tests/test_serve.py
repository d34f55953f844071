"""``voice-coach serve`` over HTTP (Starlette's TestClient, the real app and store below it):
the security model (token, Host, CSRF, traversal, escaping, upload limits) and the archive,
notes, bundles, compare and progress routes."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.serve_store import fill_store
from voice_coach.serve.app import build_app
from voice_coach.serve.context import Context
from voice_coach.serve.security import Secrets
from voice_coach.store import ArchiveQuery, Store

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[TestClient, Context, list[str]]]:
    store = Store.open(tmp_path / "home")
    ids = fill_store(store, 30, variety=6)
    (tmp_path / "tmp").mkdir()
    ctx = Context(store=store, keys=Secrets(), port=PORT, tmp_dir=tmp_path / "tmp")
    with TestClient(build_app(ctx), base_url=BASE, follow_redirects=False) as client:
        yield client, ctx, ids
    store.close()


def _login(client: TestClient, ctx: Context) -> None:
    r = client.get(f"/?token={ctx.keys.token}")
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/").status_code == 200


def _csrf(ctx: Context) -> dict[str, str]:
    return {"X-CSRF-Token": ctx.keys.csrf}


def test_without_the_token_everything_is_403(served: Any) -> None:
    client, ctx, ids = served
    for path in ("/", f"/session/{ids[0]}", f"/audio/{ids[0]}", "/static/app.js", "/progress"):
        assert client.get(path).status_code == 403, path
    assert client.get("/?token=wrong").status_code == 403
    client.cookies.set("vc_token", "wrong")
    assert client.get("/").status_code == 403
    assert client.post("/import", content=b"x", headers=_csrf(ctx)).status_code == 403


def test_the_token_moves_into_a_cookie_and_the_query_keeps_the_rest(served: Any) -> None:
    client, ctx, _ids = served
    r = client.get(f"/?kind=practice&token={ctx.keys.token}")
    assert r.status_code == 303 and r.headers["location"] == "/?kind=practice"
    page = client.get("/?kind=practice")
    assert page.status_code == 200 and "10 sessions" in page.text
    # The redirect stays on this server, whatever the path.
    for path, where in (("/%2F%2Fevil.example/x", "/evil.example/x"),  # decoded: //evil.example/x
                        ("/a%0d%0aSet-Cookie:%20x=1", "/a%0D%0ASet-Cookie:%20x=1")):
        r = client.get(f"{path}?token={ctx.keys.token}")
        assert r.status_code == 303 and r.headers["location"] == where, r.headers["location"]
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "http" not in csp
    assert page.headers["x-frame-options"] == "DENY"


def test_a_wrong_host_header_is_403_even_with_the_token(served: Any) -> None:
    client, ctx, _ids = served
    _login(client, ctx)
    for host in ("evil.example", f"evil.example:{PORT}", "127.0.0.1:9999", "127.0.0.1.nip.io", ""):
        assert client.get("/", headers={"Host": host}).status_code == 403, host
    for host in ("localhost", f"localhost:{PORT}", f"127.0.0.1:{PORT}", f"[::1]:{PORT}"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host


def test_a_post_without_the_csrf_token_is_403(served: Any) -> None:
    client, ctx, ids = served
    _login(client, ctx)
    url = f"/session/{ids[0]}/notes"
    assert client.post(url, json={"text": "x", "at": 1}).status_code == 403
    assert client.post(url, json={"text": "x", "at": 1}, headers={"X-CSRF-Token": "nope"}).status_code == 403
    assert client.post(f"/session/{ids[0]}/forget").status_code == 403
    evil_origin = {**_csrf(ctx), "Origin": "http://evil.example"}
    assert client.post(url, json={"text": "x", "at": 1}, headers=evil_origin).status_code == 403
    assert ctx.store.notes(ids[0]) == [] and ctx.store.exists(ids[0])
    assert client.post(url, json={"text": "x", "at": 1}, headers=_csrf(ctx)).status_code == 201


@pytest.mark.parametrize("path", [
    "/audio/../../etc/passwd", "/audio/..%2f..%2fetc%2fpasswd", "/audio/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/audio/%2e%2e", "/static/../../../../etc/passwd", "/static/..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e%2fcommands%2fserve.py", "/session/..%2f..%2fetc%2fpasswd", "/audio/%252e%252e%252fpasswd",
    "/session/../../etc/passwd/export", "/static/app.css%00.js",
])
def test_traversal_paths_are_404(served: Any, path: str) -> None:
    client, ctx, _ids = served
    _login(client, ctx)
    r = client.get(path)
    assert r.status_code == 404, (path, r.status_code)
    assert "root:" not in r.text


def test_markup_in_a_transcript_and_a_note_renders_as_text(served: Any) -> None:
    client, ctx, _ids = served
    _login(client, ctx)
    evil = '<script>window.__pwned=1</script><img src=x onerror="alert(1)">'
    report = {"duration_s": 3.0, "transcript": {"text": evil, "words": [
        {"text": evil, "start": 0.5, "end": 1.0, "probability": 0.9}]}, "signals": {}}
    sid = ctx.store.save_session(kind="analyze", report=report, transcript=None, audio_path=None, question=None,
                                 model=None, settings={})
    r = client.post(f"/session/{sid}/notes", json={"text": evil, "at": 0.5}, headers=_csrf(ctx))
    assert r.status_code == 201
    page = client.get(f"/session/{sid}").text
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    assert page.count("&lt;script&gt;window.__pwned=1&lt;/script&gt;") >= 2  # transcript and note
    found = client.get("/?q=pwned").text
    assert "session-row" in found and "<script>window" not in found


def test_a_2gb_upload_is_refused_without_reading_it(tmp_path: Path) -> None:
    """Real HTTP against uvicorn: a declared 2 GB is refused before the body is read, and a
    chunked body with no length is cut off at the limit, not read to its end."""
    import http.client

    from tests.serve_server import running

    store = Store.open(tmp_path / "home")
    (tmp_path / "tmp").mkdir()
    with running(lambda port: Context(store=store, keys=Secrets(), port=port, tmp_dir=tmp_path / "tmp",
                                      limits={"bundle": 3 << 20})) as (base, ctx):
        host, port = base.removeprefix("http://").split(":")
        headers = {"Cookie": f"vc_token={ctx.keys.token}", "X-CSRF-Token": ctx.keys.csrf,
                   "Content-Type": "application/zip"}

        def post(declared: int | None) -> tuple[int, int]:
            conn = http.client.HTTPConnection(host, int(port), timeout=30)
            conn.putrequest("POST", "/import")
            for k, v in headers.items():
                conn.putheader(k, v)
            conn.putheader(*(("Content-Length", str(declared)) if declared else ("Transfer-Encoding", "chunked")))
            conn.endheaders()
            sent = 0
            chunk = b"\0" * (1 << 20)
            try:
                for _ in range(2048):  # 2 GB in 1 MB chunks, were it all accepted
                    conn.send(chunk if declared else b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    sent += len(chunk)
            except OSError:
                pass  # the server answered and closed: it stopped reading
            status = conn.getresponse().status
            conn.close()
            return status, sent

        status, sent = post(2 << 30)
        assert status == 413 and sent < 64 << 20, sent
        status, sent = post(None)
        assert status == 413 and sent < 64 << 20, sent
        assert not list(ctx.tmp_dir.iterdir())  # the partial upload is gone
    store.close()


def test_archive_filters_search_and_pages(served: Any) -> None:
    client, ctx, ids = served
    _login(client, ctx)
    assert "30 sessions" in client.get("/").text
    assert "page 1 of 2" not in client.get("/").text  # 30 < 50 per page
    page = client.get("/?category=metrics").text
    assert all("metrics" in row for row in re.findall(r'<tr class="session-row".*?</tr>', page))
    n = ctx.store.archive(ArchiveQuery(signal="fillers", verdict="work_on")).total
    assert f"{n} session" in client.get("/?signal=fillers&verdict=work_on").text
    ctx.store.add_note(ids[3], "remember the okapi example", 2.0)
    found = client.get("/?q=okapi").text
    assert "1 session" in found and ids[3] in found
    assert "0 sessions" in client.get("/?q=okapi&kind=import&category=nothing").text
    assert client.get("/?since=not-a-date").status_code == 400
    # FTS5 syntax in the search box is taken as words, never as an operator or an error.
    for q in ('" OR NEAR(', "purchases OR zzz", "*", "body:purchases"):
        assert client.get("/", params={"q": q}).status_code == 200, q
    assert "0 sessions" in client.get("/", params={"q": "purchases OR zzz"}).text


def test_notes_edit_and_delete_in_place(served: Any) -> None:
    client, ctx, ids = served
    _login(client, ctx)
    n = client.post(f"/session/{ids[1]}/notes", json={"text": "slow down", "at": 2.5}, headers=_csrf(ctx)).json()
    r = client.post(f"/session/{ids[1]}/notes/{n['id']}", json={"text": "breathe", "at": 2.5}, headers=_csrf(ctx))
    assert r.status_code == 200 and r.json()["text"] == "breathe"
    assert [x.text for x in ctx.store.notes(ids[1])] == ["breathe"]
    page = client.get(f"/session/{ids[1]}").text
    assert "breathe" in page and "self-contained" not in page  # served: it loads from this server
    # A note id of another session is not this session's note.
    assert client.post(f"/session/{ids[2]}/notes/{n['id']}/delete", headers=_csrf(ctx)).status_code == 400
    assert client.post(f"/session/{ids[1]}/notes/{n['id']}/delete", headers=_csrf(ctx)).status_code == 200
    assert ctx.store.notes(ids[1]) == []
    assert client.post(f"/session/{ids[1]}/notes", json={"text": "x", "at": 9999}, headers=_csrf(ctx)).status_code \
        == 400


def test_export_import_and_forget(served: Any) -> None:
    client, ctx, ids = served
    _login(client, ctx)
    ctx.store.add_note(ids[5], "good framing", 1.0)
    bundle = client.get(f"/session/{ids[5]}/export")
    assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/zip"
    assert "session.json" in zipfile.ZipFile(io.BytesIO(bundle.content)).namelist()
    assert client.post(f"/session/{ids[5]}/forget", headers=_csrf(ctx)).json() == {"deleted": ids[5]}
    assert not ctx.store.exists(ids[5]) and client.get(f"/session/{ids[5]}").status_code == 404
    r = client.post("/import", content=bundle.content, headers={**_csrf(ctx), "Content-Type": "application/zip"})
    assert r.status_code == 201 and r.json()["id"] == ids[5]
    assert [n.text for n in ctx.store.notes(ids[5])] == ["good framing"]
    bad = client.post("/import", content=b"not a zip", headers=_csrf(ctx))
    assert bad.status_code == 400 and "not a voice-coach bundle" in bad.text


def test_compare_and_progress(served: Any) -> None:
    client, ctx, ids = served
    _login(client, ctx)
    from voice_coach.commands.compare import comparison

    page = client.get(f"/compare?id={ids[0]}&id={ids[1]}")
    assert page.status_code == 200
    rows = comparison(ctx.store.get(ids[0]).report, ctx.store.get(ids[1]).report)
    assert page.text.count("<tr data-signal=") == len(rows)
    assert client.get(f"/compare?id={ids[0]}").status_code == 400
    from voice_coach.commands.progress import collect
    from voice_coach.report.figures import svg_chart

    chart = client.get("/progress?category=metrics").text
    expected = svg_chart(collect(ctx.store.list_sessions(category="metrics", with_reports=True), []))
    assert expected in chart  # the figures of `voice-coach progress --category metrics`
    # The archive's search narrows it too: the chart of exactly the sessions listed.
    ctx.store.add_note(ids[4], "the wombat answer", 1.0)
    chart = client.get("/progress?q=wombat").text
    assert "over 1 session " in chart and svg_chart(collect([ctx.store.get(ids[4])], [])) in chart


def test_a_practice_upload_that_is_not_audio_is_refused_and_not_kept(served: Any) -> None:
    client, ctx, _ids = served
    _login(client, ctx)
    before = set(ctx.store.audio_dir.iterdir())
    def post(body: bytes, mime: str) -> Any:
        return client.post("/practice/answer", content=body, headers={**_csrf(ctx), "Content-Type": mime})

    r = post(b"not audio at all", "text/plain")
    assert r.status_code == 415
    r = post(b"RIFF....WAVEjunk", "audio/wav")
    assert r.status_code == 400 and "\n" not in r.text.strip()
    assert client.post("/practice/answer?question=no-such-q", content=b"x",
                       headers={**_csrf(ctx), "Content-Type": "audio/wav"}).status_code == 404
    assert set(ctx.store.audio_dir.iterdir()) == before  # nothing left behind
    assert ctx.store.count() == 30


def test_the_command_serves_until_sigterm_and_refuses_a_remote_host(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import urllib.error
    import urllib.request

    from voice_coach.cli import main

    env = {**os.environ, "VOICE_COACH_HOME": str(tmp_path / "home"), "PYTHONPATH": str(Path(__file__).parent.parent)}
    os.environ["VOICE_COACH_HOME"] = env["VOICE_COACH_HOME"]
    try:
        assert main(["serve", "--host", "0.0.0.0"]) == 2
    finally:
        del os.environ["VOICE_COACH_HOME"]
    proc = subprocess.Popen([sys.executable, "-m", "voice_coach", "serve", "--port", "0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(2)]
        url = lines[1].strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[\w-]{40,}", url), lines
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url.split("?")[0], timeout=10)
        assert refused.value.code == 403

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any) -> None:
                return None

        with pytest.raises(urllib.error.HTTPError) as moved:
            urllib.request.build_opener(NoRedirect).open(url, timeout=10)
        assert moved.value.code == 303 and "HttpOnly" in moved.value.headers["Set-Cookie"]
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Stopped." in err


def test_websockets_are_refused(served: Any) -> None:
    from starlette.websockets import WebSocketDisconnect

    client, ctx, _ids = served
    _login(client, ctx)
    with pytest.raises(WebSocketDisconnect) as closed, client.websocket_connect("/") as ws:
        ws.receive_text()
    assert closed.value.code == 1008


def test_forgotten_words_leave_the_database_file(tmp_path: Path) -> None:
    """The search index must not keep what forget and note edits remove."""
    home = tmp_path / "home"
    with Store.open(home) as store:
        fill_store(store, 5, variety=2)
        report = {"duration_s": 2.0, "transcript": {"text": "quetzalcoatl answer", "words": []}, "signals": {}}
        sid = store.save_session(kind="analyze", report=report, transcript=None, audio_path=None, question=None,
                                 model=None, settings={})
        kept = store.save_session(kind="analyze", report={**report, "transcript": {"text": "kept", "words": []}},
                                  transcript=None, audio_path=None, question=None, model=None, settings={})
        note = store.add_note(kept, "xylophone remark", 1.0)
        store.update_note(kept, note.id, "marimba remark", 1.0)
        other = store.add_note(kept, "ocarina remark", 1.0)
        store.delete_note(kept, other.id)
        assert store.archive(ArchiveQuery(text="quetzalcoatl")).total == 1
        store.forget(sid)
        assert store.archive(ArchiveQuery(text="quetzalcoatl")).total == 0
        assert store.archive(ArchiveQuery(text="marimba")).total == 1
        assert store.archive(ArchiveQuery(text="xylophone")).total == 0
    data = b"".join(p.read_bytes() for p in home.glob("sessions.db*"))
    for word in (b"quetzalcoatl", b"xylophone", b"ocarina"):
        assert word not in data, word
    assert b"marimba" in data  # the check can see words that are there


def test_remote_hosts_only_when_allowed(tmp_path: Path) -> None:
    from voice_coach.serve.security import Guard

    async def app(scope: Any, receive: Any, send: Any) -> None:  # pragma: no cover - never reached here
        raise AssertionError

    keys = Secrets()
    named = Guard(app, keys, PORT, frozenset({"192.168.1.20"}))
    assert named.host_ok(f"192.168.1.20:{PORT}") and named.host_ok("localhost")
    assert not named.host_ok(f"evil.example:{PORT}") and not named.host_ok("192.168.1.20:1")
    anywhere = Guard(app, keys, PORT, any_host=True)
    assert anywhere.host_ok(f"my-laptop.lan:{PORT}") and not anywhere.host_ok("my-laptop.lan:1")
    assert not Guard(app, keys, PORT).host_ok(f"192.168.1.20:{PORT}")
