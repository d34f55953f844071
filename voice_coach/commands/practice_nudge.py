"""Practice's live nudges for one answer: the :class:`~voice_coach.nudges.Nudger`, fed by the
live transcriber and the session's :class:`~voice_coach.live_peek.Peeker`, shown on screen.
"""

from __future__ import annotations

import argparse
from typing import Any

from voice_coach.commands.practice_screen import show_nudge
from voice_coach.nudges import Nudger


class LiveNudges:
    """``--nudge`` during one answer."""

    def __init__(self, peeker: Any, target_s: float | None, console: Any, args: argparse.Namespace) -> None:
        self.peeker = peeker
        self.console = console
        self.tone = bool(getattr(args, "nudge_tone", False))
        self.nudger = Nudger(target_s)
        self.nudger.peeking = True  # fillers come from the peeker's quick words, not the 8 s chunks
        peeker.begin(self.nudger.peeked)

    def live_options(self) -> dict[str, Any]:
        """The :class:`~voice_coach.live.LiveTranscriber` arguments that feed the nudger."""
        return {"on_words": self.nudger.words, "tap": self.peeker}

    def tick(self, rec: Any) -> None:
        """On the recorder's loop: show the nudge that is due, if any."""
        if rec.state != "answering":
            return
        if self.peeker.failed:  # no quick words: fillers from the live transcriber's chunks
            self.nudger.peeking = False
        nudge = self.nudger.due(rec.answer_elapsed)
        if nudge is not None:
            show_nudge(self.console, nudge, tone=self.tone)

    def end(self) -> None:
        """The answer is over: the peeker stops handing on its words."""
        self.peeker.end()

    def report(self) -> list[dict[str, Any]]:
        """The report's ``nudges``."""
        return self.nudger.report()
