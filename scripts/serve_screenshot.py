#!/usr/bin/env python3
"""Make docs/img/serve.png: the archive page of ``voice-coach serve``, in headless Chromium.

A throw-away store of generated sessions (``tests/serve_store.py``: real reports from the
real signals on synthetic transcripts) plus the bundled example answer analysed by the real
pipeline, served by uvicorn, filtered by a search, screenshotted through Playwright. Usage:

    PYTHONPATH=. .venv/bin/python scripts/serve_screenshot.py [OUT.png]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--mute-audio"]


def main() -> int:
    """Build the store, serve it, take the screenshot."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img" / "serve.png"
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["VOICE_COACH_HOME"] = str(Path(tmp) / "home")
        from tests.serve_server import running
        from tests.serve_store import fill_store
        from voice_coach.cli import main as cli
        from voice_coach.serve.context import Context
        from voice_coach.serve.security import Secrets
        from voice_coach.store import Store

        with Store.open() as store:
            fill_store(store, 120)
        example = ROOT / "voice_coach" / "data" / "example_answer.flac"
        if cli(["analyze", str(example), "--question", "How would you design a model to rank search results?",
                "--format", "json", "--out", str(Path(tmp) / "report.json")]):
            return 1
        with Store.open() as store:
            store.add_note("last", "Good clarifying question; drop the 'umm' before it.", 5.5, "coach")
            (Path(tmp) / "t").mkdir()
            with running(lambda port: Context(store=store, keys=Secrets(), port=port, tmp_dir=Path(tmp) / "t")) \
                    as (base, ctx):
                from playwright.sync_api import sync_playwright

                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                    tab = browser.new_page(viewport={"width": 1240, "height": 900}, device_scale_factor=1)
                    tab.goto(f"{base}/?token={ctx.keys.token}")
                    tab.goto(f"{base}/?q=latency&category=system_design")
                    out.parent.mkdir(parents=True, exist_ok=True)
                    tab.screenshot(path=str(out))
                    browser.close()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
