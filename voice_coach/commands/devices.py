"""``voice-coach devices``: the audio devices PortAudio sees, microphones first.

The number or name in the first columns is what ``practice --device`` takes.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any


def register(sub: Any) -> None:
    """Add the ``devices`` sub-command."""
    p = sub.add_parser("devices", help="list audio input and output devices",
                       description="List the audio devices; pass a number or name to `practice --device`.")
    p.add_argument("--all", action="store_true", help="also list output-only devices")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the device table; exit 5 (DeviceError) when PortAudio cannot be used at all."""
    from voice_coach.audio.devices import NO_MIC_HINT, list_devices

    devices = list_devices()
    shown = devices if args.all else [d for d in devices if d.inputs > 0]
    if args.format == "json":
        sys.stdout.write(json.dumps([asdict(d) for d in shown], indent=2) + "\n")
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not shown:
        console.print(f"No microphones found. {NO_MIC_HINT[0].upper()}{NO_MIC_HINT[1:]}.")
        return 0
    table = Table(show_header=True, header_style="bold")
    for col in ("#", "name", "api", "in", "out", "rate", "default"):
        table.add_column(col, justify="right" if col in ("#", "in", "out", "rate") else "left")
    for d in shown:
        mark = ", ".join(x for x, on in (("input", d.default_input), ("output", d.default_output)) if on)
        table.add_row(str(d.index), d.name, d.hostapi, str(d.inputs), str(d.outputs), f"{d.default_rate:.0f}", mark)
    console.print(table)
    return 0
