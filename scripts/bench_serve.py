#!/usr/bin/env python3
"""Benchmark the ``voice-coach serve`` archive on a large store (a benchmark, not a test).

Builds a store of ``--sessions`` generated sessions (real reports from the real signals, see
``tests/serve_store.py``), serves it with uvicorn on loopback, and times whole HTTP requests
for archive pages (first page, a deep page, full-text search, a verdict filter, filters and
search together). Prints the median and the worst of ``--repeat`` requests for each; the
goal is a list page in at most 200 ms with 10,000 sessions.

usage::

    PYTHONPATH=. .venv/bin/python scripts/bench_serve.py [--sessions 10000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import http.client
import sys
import tempfile
from pathlib import Path

from benchlib.timing import ROOT, median, timed

sys.path.insert(0, str(ROOT))

GOAL_MS = 200.0
QUERIES = {
    "first page": "/",
    "page 150 (deep offset)": "/?page=150",
    "search 'purchases'": "/?q=purchases",
    "search, prefix 'retent'": "/?q=retent",
    "fillers = work on": "/?signal=fillers&verdict=work_on",
    "category + kind + search + dates": "/?category=metrics&kind=practice&q=latency&since=2026-03-01&until=2026-10-01",
}


def main(argv: list[str] | None = None) -> int:
    """Build the store, serve it, time the pages, print the table."""
    from tests.serve_server import running
    from tests.serve_store import fill_store
    from voice_coach.serve.context import Context
    from voice_coach.serve.security import Secrets
    from voice_coach.store import Store

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vc-bench-serve-") as tmp:
        store = Store.open(Path(tmp) / "home")
        with timed() as built:
            fill_store(store, args.sessions)
        print(f"built {store.count()} sessions in {built.wall_s:.1f} s", file=sys.stderr)
        (Path(tmp) / "t").mkdir()
        with running(lambda port: Context(store=store, keys=Secrets(), port=port, tmp_dir=Path(tmp) / "t")) \
                as (base, ctx):
            host, port = base.removeprefix("http://").split(":")
            conn = http.client.HTTPConnection(host, int(port), timeout=60)
            headers = {"Cookie": f"vc_token={ctx.keys.token}", "Host": f"{host}:{port}"}
            print(f"| page ({args.sessions} sessions) | matches | median ms | worst ms |")
            print("|---|---|---|---|")
            worst_median = 0.0
            for label, path in QUERIES.items():
                times = []
                body = b""
                for _ in range(args.repeat + 1):
                    with timed() as took:
                        conn.request("GET", path, headers=headers)
                        resp = conn.getresponse()
                        body = resp.read()
                    times.append(took.wall_s * 1000)
                    assert resp.status == 200, (path, resp.status)
                times = times[1:]  # the first request warms SQLite's page cache
                count = body.split(b'id="count">', 1)[1].split(b" ", 1)[0].decode()
                med = median(times)
                worst_median = max(worst_median, med)
                print(f"| {label} | {count} | {med:.1f} | {max(times):.1f} |")
            # Not a list page: the chart reads every matching report, as `voice-coach progress`.
            for label, path in (("progress, all sessions", "/progress"),
                                ("progress, one category", "/progress?category=metrics")):
                with timed() as took:
                    conn.request("GET", path, headers=headers)
                    resp = conn.getresponse()
                    resp.read()
                assert resp.status == 200, (path, resp.status)
                print(f"| {label} (not a list page) | | {took.wall_s * 1000:.0f} (one request) | |")
            conn.close()
        store.close()
    verdict = "meets" if worst_median <= GOAL_MS else "MISSES"
    print(f"\nslowest median {worst_median:.1f} ms: {verdict} the goal of {GOAL_MS:.0f} ms")
    return 0 if worst_median <= GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
