"""The review page in a real browser: Debian's headless Chromium driven by Playwright.

Playwright's own browser download does not work offline, so the system Chromium is used
(``executable_path``). The page must load from a file URL with no console error and no
request beyond the page itself, and clicking a highlighted filler must seek the audio.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from voice_coach.audio.decode import write_wav
from voice_coach.report.html import audio_source, render_html
from voice_coach.service import report_for_transcript
from voice_coach.transcript import SpeechRegion, Transcript, Word

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--mute-audio"]

WORDS = [
    ("So", 0.4, 0.6), ("first,", 0.6, 1.0), ("let", 1.0, 1.2), ("me", 1.2, 1.3), ("clarify", 1.3, 1.8),
    ("the", 1.8, 1.9), ("goal.", 1.9, 2.3), ("Um,", 2.6, 3.0), ("is", 3.1, 3.2), ("it", 3.2, 3.3),
    ("clicks", 3.3, 3.7), ("or", 3.7, 3.8), ("purchases?", 3.8, 4.5), ("Uh,", 7.6, 8.0), ("the", 8.1, 8.2),
    ("tradeoff", 8.2, 8.7), ("is", 8.7, 8.8), ("recall", 8.8, 9.3), ("versus", 9.3, 9.7), ("latency.", 9.7, 10.4),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium package is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _answer_audio(path: Path, duration: float = 11.0) -> None:
    """Tone bursts where the words are, silence elsewhere: real, seekable audio."""
    sr = 16000
    t = np.arange(int(duration * sr)) / sr
    audio = np.zeros_like(t, dtype=np.float32)
    for _w, s, e in WORDS:
        m = (t >= s) & (t < e)
        audio[m] = 0.2 * np.sin(2 * np.pi * 220 * t[m])
    write_wav(path, audio.astype(np.float32))


def _report(words: list[tuple[str, float, float]]) -> dict[str, Any]:
    tr = Transcript(words=tuple(Word(*w) for w in words), duration=11.0,
                    speech_regions=(SpeechRegion(0.4, 4.5), SpeechRegion(7.6, 10.4)), source="audio")
    return report_for_transcript(tr)


def _open(browser: Any, page_path: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_path.as_uri())
    return page, errors, requests


def test_review_page_in_chromium(browser: Any, tmp_path: Path) -> None:
    wav = tmp_path / "answer.wav"
    _answer_audio(wav)
    report = _report(WORDS)
    out = tmp_path / "review.html"
    out.write_text(render_html(report, audio=audio_source(wav),
                               notes=[{"at": 8.2, "text": "name the tradeoff earlier"}]), encoding="utf-8")
    page, errors, requests = _open(browser, out)
    page.wait_for_function("document.getElementById('audio').readyState >= 1", timeout=10000)
    assert page.locator("audio").count() == 1
    fillers = page.locator(".filler[data-start]")
    assert fillers.count() >= 2
    target = fillers.nth(fillers.count() - 1)  # the "Uh" at 7.6 s
    start = float(target.get_attribute("data-start") or "nan")
    assert start > 5
    target.click()
    page.wait_for_function(f"Math.abs(document.getElementById('audio').currentTime - {start}) < 0.3",
                           timeout=5000)
    t = page.evaluate("document.getElementById('audio').currentTime")
    assert t == pytest.approx(start, abs=0.3)
    # An evidence button and a pause chip seek too (the same delegated contract).
    page.locator(".pause[data-start]").first.click()
    pause_start = float(page.locator(".pause[data-start]").first.get_attribute("data-start") or "nan")
    page.wait_for_function(f"Math.abs(document.getElementById('audio').currentTime - {pause_start}) < 0.5",
                           timeout=5000)
    assert page.locator(".note", has_text="name the tradeoff earlier").count() == 1
    shot = tmp_path / "review.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    # Printable: on paper the player disappears and the transcript stays.
    page.emulate_media(media="print")
    assert not page.locator("audio").is_visible() and page.locator("#transcript").is_visible()
    page.emulate_media(media="screen")
    # Laptop width: nothing overflows sideways.
    page.set_viewport_size({"width": 1024, "height": 700})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert errors == []
    assert requests == [out.as_uri()], requests  # the page itself and nothing else
    page.close()


def test_injected_script_renders_as_text(browser: Any, tmp_path: Path) -> None:
    evil = [("Um,", 0.4, 0.8), ('<script>window.__pwned=1</script>', 0.9, 1.5), ('"', 1.5, 1.6),
            ('onload="window.__pwned=2"', 1.6, 2.0), ("<img", 2.0, 2.1), ("src=x", 2.1, 2.2),
            ("onerror=window.__pwned=3>", 2.2, 2.4)]
    report = _report(evil)
    out = tmp_path / "evil.html"
    out.write_text(render_html(report, notes=[{"at": 1.0, "text": "<script>window.__pwned=4</script>"}]),
                   encoding="utf-8")
    page, errors, requests = _open(browser, out)
    assert page.evaluate("window.__pwned === undefined")
    text = page.locator("#transcript").inner_text()
    assert "<script>window.__pwned=1</script>" in text
    assert "<script>window.__pwned=4</script>" in text
    assert page.locator("#transcript img").count() == 0
    assert errors == [] and requests == [out.as_uri()]
    page.close()


def test_progress_png_is_rasterised_by_chromium(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not shutil.which("chromium"):
        pytest.skip("Debian's chromium package is not installed")
    from voice_coach.cli import main

    answers = ["Um, so, like, we train it. Uh, done.", "Let me first clarify the goal. Then a baseline."]
    for i, text in enumerate(answers):
        f = tmp_path / f"a{i}.txt"
        f.write_text(text)
        assert main(["analyze", str(f), "--format", "json"]) == 0
    png = tmp_path / "progress.png"
    assert main(["progress", "--plot", str(png), "--signal", "fillers", "--signal", "framing"]) == 0
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 400 and height > 150
