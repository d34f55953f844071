"""Command line: argv -> a command function -> an exit status.

Each command lives in ``voice_coach/commands/<name>.py`` with ``register(subparsers)`` and
``run(args) -> int``; this module only dispatches and turns errors into one line on stderr
and a documented exit code (see :mod:`voice_coach.errors`). Command modules import heavy
libraries inside ``run``, so ``voice-coach --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from voice_coach import __version__
from voice_coach.background import interrupted, safe_interrupts, settle
from voice_coach.errors import EXIT_INTERRUPTED, UsageError, VoiceCoachError

# The explicit list of commands, in the order --help shows them.
COMMANDS: tuple[str, ...] = (
    "try_",
    "analyze",
    "interview",
    "questions",
    "practice",
    "plan",
    "drill",
    "devices",
    "sessions",
    "show",
    "compare",
    "progress",
    "note",
    "report",
    "export",
    "import_",
    "forget",
    "serve",
)

EXIT_INTERNAL = 70


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors share the one error path."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (importing only the light command modules)."""
    parser = _Parser(
        prog="voice-coach",
        description="A local, private think-aloud coach: it listens to spoken interview "
        "answers and reports on how they are structured and delivered.",
    )
    parser.add_argument("--version", action="version", version=f"voice-coach {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"voice_coach.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit status.

    Background work (model warm-up, live recognition) is finished before returning: a
    process that exits while CTranslate2 is busy in another thread aborts (exit 134); see
    :mod:`voice_coach.background`.
    """
    with safe_interrupts():
        code = _main(argv)
        # As the program (no argv given) it may end the process itself; in-process it returns.
        settle(code, exit_process=argv is None)
    return code


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "command", None):
            parser.print_help()
            return 0
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
    except Exception as err:
        if interrupted():  # a Ctrl-C broke a library mid-import: what follows is its echo
            _error("interrupted")
            return EXIT_INTERRUPTED
        if isinstance(err, VoiceCoachError):
            _error(str(err))
            return err.exit_code
        if isinstance(err, BrokenPipeError):
            return 0
        # never show a user a traceback unless asked
        if os.environ.get("VOICE_COACH_DEBUG"):
            raise
        _error(f"internal error: {type(err).__name__}: {str(err)[:200]} "
               "(set VOICE_COACH_DEBUG=1 for details)")
        return EXIT_INTERNAL


def _error(message: str) -> None:
    message = " ".join(message.split())
    print(f"voice-coach: error: {message}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
