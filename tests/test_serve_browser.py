"""``voice-coach serve`` in real Chromium (Playwright, Debian's browser), against the real
server (uvicorn in a thread) and a real store: no mocks below the HTTP layer.

A store of 200 generated sessions (see ``tests/serve_store.py``) plus one with a recording;
the practice test answers through Chromium's fake microphone with an answer rendered by the
repository's own TTS, and the real speech model analyses it (``slow``).
"""

from __future__ import annotations

import re
import shutil
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.serve_server import running
from tests.serve_store import fill_store
from voice_coach.report.model import fmt_time
from voice_coach.serve.context import Context
from voice_coach.serve.security import Secrets
from voice_coach.service import report_for_transcript
from voice_coach.store import ArchiveQuery, Store
from voice_coach.transcript import SpeechRegion, Transcript, Word

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--mute-audio"]
WORDS = [("So", 0.4, 0.6), ("first,", 0.6, 1.0), ("let", 1.0, 1.2), ("me", 1.2, 1.3), ("clarify", 1.3, 1.8),
         ("the", 1.8, 1.9), ("goal.", 1.9, 2.3), ("Um,", 2.6, 3.0), ("is", 3.1, 3.2), ("it", 3.2, 3.3),
         ("clicks", 3.3, 3.7), ("or", 3.7, 3.8), ("purchases?", 3.8, 4.5), ("Uh,", 7.6, 8.0), ("the", 8.1, 8.2),
         ("tradeoff", 8.2, 8.7), ("is", 8.7, 8.8), ("zanzibar", 8.8, 9.3), ("versus", 9.3, 9.7),
         ("latency.", 9.7, 10.4)]
ANSWER = ("I would break this down into three main parts: the data, the model, and the evaluation. "
          "First, for the data, I would collect click logs and purchases from the last few months. "
          "Then for the model, I would start with a simple gradient boosted ranker, because it is fast to train. "
          "The tradeoff is latency versus accuracy. Finally, I would measure success with an online test on "
          "conversion. To summarize, start simple and measure.")


def _write_pcm16(path: Path, audio: np.ndarray, rate: int = 16000) -> None:
    with wave.open(str(path), "wb") as wf:
        wf.setnchannels(1)
        wf.setsampwidth(2)
        wf.setframerate(rate)
        wf.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())


def _audio_session(store: Store, tmp: Path) -> str:
    """A session with a real, seekable recording: tone bursts where the words are."""
    sr = 16000
    t = np.arange(int(11.0 * sr)) / sr
    audio = np.zeros_like(t, dtype=np.float32)
    for _w, s, e in WORDS:
        audio[(t >= s) & (t < e)] = 0.2
    wav = tmp / "answer.wav"
    _write_pcm16(wav, audio * np.sin(2 * np.pi * 220 * t).astype(np.float32))
    tr = Transcript(words=tuple(Word(*w) for w in WORDS), duration=11.0,
                    speech_regions=(SpeechRegion(0.4, 4.5), SpeechRegion(7.6, 10.4)), source="audio")
    return store.save_session(kind="analyze", report=report_for_transcript(tr), transcript=tr.to_dict(),
                              audio_path=wav, question=None, model="tiny.en", settings={})


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Context, str]]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium package is not installed")
    tmp = tmp_path_factory.mktemp("serve")
    store = Store.open(tmp / "home")
    fill_store(store, 200)
    sid = _audio_session(store, tmp)
    (tmp / "t").mkdir()
    with running(lambda port: Context(store=store, keys=Secrets(), port=port, tmp_dir=tmp / "t")) as (base, ctx):
        yield base, ctx, sid
    store.close()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    """One Playwright for the module: a second sync instance cannot start inside the first."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Any) -> Iterator[Any]:
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield b
    b.close()


def _page(browser: Any, server: tuple[str, Context, str]) -> tuple[Any, list[str]]:
    base, ctx, _sid = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: errors.append(f"off-origin {r.url}") if not r.url.startswith(base) else None)
    page.goto(f"{base}/?token={ctx.keys.token}")
    assert page.url == f"{base}/"  # the token left the address bar
    return page, errors


def _clear_notes(store: Store, sid: str) -> None:
    """Another test's notes on the shared session (tests run in any order)."""
    for n in store.notes(sid):
        store.delete_note(sid, n.id)


def _count(page: Any) -> int:
    return int(page.locator("#count").inner_text().split()[0])


def test_list_filter_search_and_page(browser: Any, server: Any) -> None:
    _base, ctx, _sid = server
    page, errors = _page(browser, server)
    total = ctx.store.count()
    assert _count(page) == total >= 201  # 200 generated, one recorded (and practice's, if it ran first)
    assert page.locator("tr.session-row").count() == 50
    page.locator(".pager a[rel=next]").click()
    assert f"page 2 of {-(-total // 50)}" in page.locator("#count").inner_text()
    page.fill("#search", "purchases")
    page.press("#search", "Enter")
    page.wait_for_url(re.compile(r"q=purchases"))
    assert _count(page) == ctx.store.archive(ArchiveQuery(text="purchases")).total > 0
    # A verdict some but not all of the matching sessions got, so the filter has to work.
    signal, verdict, want = next(
        (sig, v, got) for sig in ("fillers", "framing", "pauses", "pace", "closing_summary")
        for v in ("work_on", "ok", "strength")
        for got in [ctx.store.archive(ArchiveQuery(text="purchases", category="metrics", signal=sig, verdict=v))]
        if 0 < got.total < ctx.store.archive(ArchiveQuery(text="purchases", category="metrics")).total)
    page.select_option("select[name=category]", "metrics")
    page.select_option("select[name=signal]", signal)
    page.select_option("select[name=verdict]", verdict)
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(f"verdict={verdict}"))
    assert _count(page) == want.total > 0
    shown = page.locator("tr.session-row").evaluate_all("rows => rows.map(r => r.dataset.id)")
    assert shown == [s.id for s in want.sessions]
    assert errors == []
    page.close()


def test_open_seek_note_reload_edit(browser: Any, server: Any) -> None:
    base, ctx, sid = server
    _clear_notes(ctx.store, sid)
    page, errors = _page(browser, server)
    page.fill("#search", "zanzibar")
    page.press("#search", "Enter")
    page.wait_for_url(re.compile(r"q=zanzibar"))
    page.click(f'tr[data-id="{sid}"] a')
    page.wait_for_url(f"{base}/session/{sid}")
    page.wait_for_function("() => document.getElementById('audio').readyState >= 1", timeout=10000)
    word = page.locator('.w[data-start="8.2"]')  # "tradeoff"
    word.click()
    page.wait_for_function("() => Math.abs(document.getElementById('audio').currentTime - 8.2) < 0.3", timeout=5000)
    page.evaluate("() => document.getElementById('audio').pause()")  # the seek plays on; hold the moment
    at = page.evaluate("() => document.getElementById('audio').currentTime")
    page.wait_for_function(f"() => document.getElementById('note-time').textContent === '{fmt_time(at)}'",
                           timeout=5000)
    page.fill("#note-text", "name the <b>tradeoff</b> earlier")
    page.click("#note-form button[type=submit]")
    page.locator("#notes-list .note-text", has_text="name the <b>tradeoff</b> earlier").wait_for()
    # In place: inline in the transcript too, with no reload, where the server puts it.
    inline = page.locator("#transcript aside.note", has_text="name the <b>tradeoff</b> earlier")
    assert inline.count() == 1
    next_word = inline.evaluate("a => a.nextElementSibling.getAttribute('data-start')")
    (note,) = ctx.store.notes(sid)
    assert note.text == "name the <b>tradeoff</b> earlier" and note.at == pytest.approx(8.2, abs=0.3)
    page.reload()
    assert page.locator("#notes-list .note-text").inner_text() == "name the <b>tradeoff</b> earlier"
    assert page.locator("aside.note", has_text="name the <b>tradeoff</b> earlier").count() == 1  # inline, as text
    assert inline.evaluate("a => a.nextElementSibling.getAttribute('data-start')") == next_word
    assert float(next_word) >= note.at > float(next_word) - 0.6
    assert page.locator("b", has_text="tradeoff").count() == 0
    page.click("#notes-list .note-edit")
    page.fill("#notes-list .note-input", "say it sooner")
    page.click("#notes-list .note-save")
    page.locator("#notes-list .note-text", has_text="say it sooner").wait_for()
    assert [n.text for n in ctx.store.notes(sid)] == ["say it sooner"]
    assert page.locator("#transcript aside.note").all_inner_texts() == [f"✎ {fmt_time(note.at)} say it sooner"]
    page.click("#notes-list .note-delete")
    page.wait_for_function("() => document.querySelectorAll('#notes-list li').length === 0")
    assert page.locator("#transcript aside.note").count() == 0
    assert ctx.store.notes(sid) == []
    assert errors == []
    page.close()


def test_compare_two(browser: Any, server: Any) -> None:
    _base, ctx, _sid = server
    page, errors = _page(browser, server)
    rows = page.locator("tr.session-row")
    ids = [rows.nth(i).get_attribute("data-id") for i in (0, 1, 2)]
    for i in (0, 1):
        rows.nth(i).locator("input[type=checkbox]").check()
    rows.nth(2).locator("input[type=checkbox]").click()  # a third: at most two stay selected
    assert not rows.nth(2).locator("input[type=checkbox]").is_checked()
    assert page.locator("input[type=checkbox][form=compare]:checked").count() == 2
    page.click("#compare-btn")
    page.wait_for_url(re.compile(r"/compare\?"))
    from voice_coach.commands.compare import comparison

    a, b = sorted((ctx.store.get(i) for i in ids[:2]), key=lambda s: s.created)
    assert page.locator("#comparison tbody tr").count() == len(comparison(a.report, b.report))
    assert a.id in page.content() and b.id in page.content()
    assert errors == []
    page.close()


def test_import_a_bundle_then_forget_it(browser: Any, server: Any, tmp_path: Path) -> None:
    _base, ctx, sid = server
    _clear_notes(ctx.store, sid)
    ctx.store.add_note(sid, "kept through the bundle", 1.0)
    bundle = ctx.store.export_bundle(sid, tmp_path / "b.zip")
    ctx.store.forget(sid)
    page, errors = _page(browser, server)
    page.set_input_files("#import-file", str(bundle))
    page.locator("#import-status a.imported").wait_for(timeout=15000)
    assert page.locator("#import-status a.imported").inner_text() == f"Imported session {sid}"
    assert ctx.store.exists(sid) and [n.text for n in ctx.store.notes(sid)] == ["kept through the bundle"]
    page.click("#import-status a.imported")
    page.wait_for_url(re.compile(f"/session/{sid}$"))
    assert page.locator("audio").count() == 1
    # Forget asks first: dismissed, nothing happens; accepted, the session is gone.
    page.once("dialog", lambda d: d.dismiss())
    page.click("#forget")
    assert ctx.store.exists(sid) and page.url.endswith(f"/session/{sid}")
    page.once("dialog", lambda d: d.accept())
    page.click("#forget")
    page.wait_for_url(re.compile(r"/$"))
    assert not ctx.store.exists(sid)
    ctx.store.import_bundle(bundle)  # the module's other tests keep their session
    assert errors == []
    page.close()


def test_import_by_drag_and_drop(browser: Any, server: Any, tmp_path: Path) -> None:
    import base64

    _base, ctx, _sid = server
    ids = [s.id for s in ctx.store.archive(ArchiveQuery(per_page=2)).sessions]
    bundles = [ctx.store.export_bundle(i, tmp_path / f"{i}.zip") for i in ids]
    for i in ids:
        ctx.store.forget(i)
    page, errors = _page(browser, server)
    # A drop event carrying two files, as the browser makes one when files are dragged in.
    page.evaluate("""(files) => {
        const dt = new DataTransfer();
        for (const [name, b64] of files) {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            dt.items.add(new File([bytes], name, {type: "application/zip"}));
        }
        const zone = document.getElementById("import-zone");
        zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
        zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
    }""", [[b.name, base64.b64encode(b.read_bytes()).decode()] for b in bundles])
    page.wait_for_function("() => document.querySelectorAll('#import-status a.imported').length === 2",
                           timeout=15000)
    assert sorted(page.locator("#import-status a.imported").all_inner_texts()) == sorted(
        f"Imported session {i}" for i in ids)
    assert all(ctx.store.exists(i) for i in ids)
    assert errors == []
    page.close()


@pytest.mark.slow
def test_practise_in_the_browser_with_the_fake_microphone(playwright: Any, server: Any, tmp_path: Path) -> None:
    from voice_coach.audio.synth import render_script

    base, ctx, _sid = server
    rendered = render_script(ANSWER)
    wav = tmp_path / "answer.wav"
    _write_pcm16(wav, np.concatenate([rendered.audio, np.zeros(16000, np.float32)]))
    seconds = rendered.duration + 1.0
    args = [*ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}"]
    before = {s.id for s in ctx.store.list_sessions(kind="practice")}
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
    try:
        page, errors = _page(b, server)
        page.goto(f"{base}/practice")
        # A focus picks a question that drills it, and the answer is judged against its goal.
        page.select_option("#focus", "framing")
        page.click("#focus-form button[type=submit]")
        page.wait_for_selector("#goal")
        assert page.locator("#goal-text").inner_text().startswith("This time: open with your plan")
        page.select_option("#question", index=0)
        page.click("#play-question")
        page.wait_for_function("() => document.getElementById('question-audio').duration > 1", timeout=30000)
        page.click("#record")
        page.wait_for_function("() => document.getElementById('practice-status').textContent.startsWith('Recording')")
        page.wait_for_timeout(int(seconds * 1000))
        page.click("#stop")
        page.wait_for_url(re.compile(r"/session/"), timeout=240_000)
        n_words = len(page.locator(".w").all())
        assert n_words > 40
        assert page.locator(".m-framing").count() > 0  # the framing sentence is marked
        assert page.locator("#signal-framing .verdict").inner_text() != "✘ work on"
        assert errors == []
    finally:
        b.close()
    (new,) = [s for s in ctx.store.list_sessions(kind="practice", with_reports=True) if s.id not in before]
    assert new.audio_path is not None and new.audio_path.suffix == ".webm" and new.question_id
    meta = (new.report or {})["meta"]
    assert meta["focus"] == "framing" and meta["goal"].startswith("This time: open with your plan")
    assert meta["goal_met"] is not None and meta["focus_why"]
