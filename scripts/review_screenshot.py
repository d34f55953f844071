"""Make docs/img/review.png: the review page of a real session, screenshotted in headless Chromium.

Runs the real pipeline on the bundled example answer (a recorded spoken answer), saves it as a
session in a throw-away store, adds two coach notes, renders ``voice-coach report ID --html``
and takes a screenshot with Debian's Chromium through Playwright. Usage:

    .venv/bin/python scripts/review_screenshot.py [OUT.png]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--mute-audio"]


def main() -> int:
    """Build the session, the page and the screenshot."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img" / "review.png"
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["VOICE_COACH_HOME"] = str(Path(tmp) / "home")
        from voice_coach.cli import main as cli
        from voice_coach.store import Store

        example = ROOT / "voice_coach" / "data" / "example_answer.flac"
        rc = cli(["analyze", str(example), "--question", "How would you design a model to rank search results?",
                  "--format", "json", "--out", str(Path(tmp) / "report.json")])
        if rc:
            return rc
        with Store.open() as store:
            sid = store.resolve("last")
        cli(["note", sid, "--at", "5.5", "Good clarifying question; drop the 'umm' before it.", "--author", "coach"])
        cli(["note", sid, "Clear structure: goal, data, baseline. Close with a one-line summary."])
        page = Path(tmp) / "review.html"
        if cli(["report", sid, "--html", str(page)]):
            return 1
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            tab = browser.new_page(viewport={"width": 1100, "height": 1500}, device_scale_factor=1)
            tab.goto(page.as_uri())
            tab.wait_for_function("document.getElementById('audio').readyState >= 1")
            # Show the player mid-answer, as a coach would see it after clicking a filler.
            tab.locator(".filler[data-start]").nth(1).click()
            tab.evaluate("document.getElementById('audio').pause()")
            out.parent.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(out))  # the top: header, timeline, transcript, first cards
            browser.close()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
