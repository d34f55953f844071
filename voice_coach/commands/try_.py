"""``voice-coach try``: the first thing a new user runs.

At a desk with a microphone (and a terminal) it starts a practice session on one question.
With no microphone, or when not run from a terminal, it analyses the bundled example
answer instead, so the whole pipeline still runs end to end.
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path
from typing import Any

EXAMPLE_QUESTION = "How would you design a model to rank search results?"


def example_path() -> Path:
    """The bundled example answer recording."""
    return Path(str(resources.files("voice_coach") / "data" / "example_answer.flac"))


def register(sub: Any) -> None:
    """Add the ``try`` sub-command."""
    p = sub.add_parser("try", help="practise one question, or analyse the bundled example",
                       description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--example", action="store_true", help="analyse the bundled example even with a microphone")
    p.add_argument("--format", choices=("terminal", "json", "markdown"), default="terminal")
    p.set_defaults(func=run)


def microphone_available() -> bool:
    """Whether an input device exists and we are talking to a person at a terminal."""
    if not sys.stdin.isatty():
        return False
    try:
        from voice_coach.audio.devices import default_input_device
    except ImportError:
        return False
    try:
        return default_input_device() is not None
    except Exception:
        return False


def run(args: argparse.Namespace) -> int:
    """Practise if we can, otherwise analyse the example."""
    if not args.example and microphone_available():
        from voice_coach.commands import practice

        return int(practice.run(practice.parse_defaults(count=1)))
    from voice_coach.commands.common import emit
    from voice_coach.question import Question
    from voice_coach.service import analyze_path

    path = example_path()
    if args.format == "terminal":
        print(f"No microphone here (or not a terminal): analysing the bundled example answer\n  {path}\n",
              file=sys.stderr)
    _t, report = analyze_path(path, Question("example", EXAMPLE_QUESTION))
    emit(report, args.format, None)
    return 0
