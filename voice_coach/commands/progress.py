"""``voice-coach progress``: each signal's trend across sessions, in the terminal or as a chart.

The point is the candidate's question "am I improving?": one row per signal with a
sparkline of its figure (see :mod:`voice_coach.report.figures`), the first and latest values
and the run of verdicts, plus ``--plot FILE`` for an SVG (or PNG) chart to keep.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

SPARK_WIDTH = 40
"""The terminal sparkline shows at most this many of the latest sessions."""


def register(sub: Any) -> None:
    """Add the ``progress`` sub-command."""
    from voice_coach.commands.sessions import add_filter_args

    p = sub.add_parser("progress", help="each signal's trend across sessions",
                       description="Show how each signal moved across sessions: a sparkline per signal, "
                       "first and latest values, the run of verdicts; --plot FILE writes a chart.")
    p.add_argument("--signal", action="append", default=[], metavar="NAME",
                   help="only this signal (repeatable), e.g. fillers")
    add_filter_args(p)
    p.add_argument("--plot", type=Path, metavar="FILE", help="write a chart to FILE (.svg, or .png)")
    p.add_argument("--format", choices=("terminal", "json"), default="terminal")
    p.set_defaults(func=run)


def collect(sessions: list[Any], only: list[str]) -> list[Any]:
    """One :class:`~voice_coach.report.figures.Series` per signal, sessions oldest first."""
    from voice_coach.report.figures import Series, report_values

    per = [report_values(s.report or {}) for s in sessions]
    names: list[str] = []
    for values in per:
        names += [n for n in values if n not in names]
    if only:
        names = [n for n in only if n in names]
    labels = tuple(s.day for s in sessions)
    return [Series(n, labels, tuple(v.get(n, (None, "n/a"))[0] for v in per),
                   tuple(v.get(n, (None, "n/a"))[1] for v in per)) for n in names]


def run(args: argparse.Namespace) -> int:
    """Print the trends (and write the chart)."""
    from voice_coach.errors import UsageError
    from voice_coach.signals import BY_NAME
    from voice_coach.store import Store

    unknown = [s for s in args.signal if s not in BY_NAME]
    if unknown:
        raise UsageError(f"unknown signal {unknown[0]!r}; choose from {', '.join(BY_NAME)}")
    with Store.open() as store:
        sessions = store.list_sessions(question=args.question, category=args.category, since=args.since,
                                       until=args.until, with_reports=True)
    # A whole interview has no signals of its own: its answers (kind "answer") carry them.
    sessions = [s for s in sessions if s.kind != "interview"]
    series = collect(sessions, args.signal)
    if args.plot:
        write_plot(args.plot, series)
        print(f"Wrote {args.plot}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps({"sessions": [s.id for s in sessions],
                          "signals": {s.name: {"dates": s.labels, "values": s.values, "verdicts": s.verdicts}
                                      for s in series}}, indent=1))
        return 0
    if not sessions:
        print("No sessions yet: practise or analyse a recording first.")
        return 0
    render_terminal(series, len(sessions))
    return 0


def render_terminal(series: list[Any], n_sessions: int) -> None:
    """The trend table (rich)."""
    from rich.console import Console
    from rich.table import Table

    from voice_coach.report.figures import format_value, sparkline
    from voice_coach.report.model import signal_title
    from voice_coach.report.terminal import STYLE

    console = Console()
    table = Table(title=f"Progress over {n_sessions} session{'s' if n_sessions != 1 else ''}",
                  show_header=True, header_style="bold")
    for col in ("signal", "trend", "first", "latest", "verdicts (latest last)"):
        table.add_column(col, no_wrap=col == "trend")
    for s in series:
        values = list(s.values[-SPARK_WIDTH:])
        nums = [v for v in s.values if v is not None]
        verdicts = "".join(
            f"[{STYLE.get(v, ('?', 'white'))[1]}]{STYLE.get(v, ('?', 'white'))[0]}[/]" for v in s.verdicts[-16:])
        table.add_row(signal_title(s.name), f"[cyan]{sparkline(values)}[/cyan]",
                      format_value(s.name, nums[0] if nums else None),
                      format_value(s.name, nums[-1] if nums else None), verdicts)
    console.print(table)


def write_plot(path: Path, series: list[Any]) -> None:
    """Write the chart: SVG by hand; PNG by rasterising that SVG in headless Chromium."""
    from voice_coach.commands.common import write_output
    from voice_coach.errors import UsageError
    from voice_coach.report.figures import svg_chart

    svg = svg_chart(series)
    suffix = path.suffix.lower()
    if suffix == ".svg":
        write_output(path, svg)
        return
    if suffix != ".png":
        raise UsageError(f"--plot writes .svg or .png, not {path.suffix or 'a file without a suffix'}")
    write_png(path, svg)


def write_png(path: Path, svg: str) -> None:
    """Rasterise ``svg`` to ``path`` with a local headless Chromium (no plotting library needed)."""
    import re

    from voice_coach.errors import InputError, UsageError
    from voice_coach.fsutil import atomic_write_bytes

    browser = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
    if browser is None:
        raise UsageError("a PNG chart needs a local Chromium (apt-get install chromium); "
                         "write an .svg instead (--plot progress.svg)")
    m = re.search(r'width="(\d+)" height="(\d+)"', svg)
    width, height = (int(m.group(1)), int(m.group(2))) if m else (960, 600)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "chart.html"
        page.write_text(f"<!DOCTYPE html><html><body style='margin:0'>{svg}</body></html>", encoding="utf-8")
        shot = Path(tmp) / "chart.png"
        cmd = [shutil.which(browser) or browser, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", "--hide-scrollbars", f"--user-data-dir={tmp}/profile",
               f"--window-size={width},{height}", f"--screenshot={shot}", page.as_uri()]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError) as err:
            raise InputError(f"{path}: Chromium could not render the chart ({type(err).__name__})") from None
        if not shot.is_file():
            raise InputError(f"{path}: Chromium did not write the chart")
        try:
            atomic_write_bytes(path, shot.read_bytes())
        except OSError as err:
            raise InputError(f"{path}: cannot write ({err.strerror or err})") from None
