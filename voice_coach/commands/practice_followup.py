"""Practice's follow-up question: asked aloud when the answer skipped a step, and recorded.

What to ask is decided in :mod:`voice_coach.followup`; this wires it to the practice
session's voice, recording path, screen and store.
"""

from __future__ import annotations

from typing import Any

from voice_coach.commands.practice_screen import render_report, show_follow_up
from voice_coach.errors import DeviceError
from voice_coach.skills import SIGNAL


def ask_follow_up(session: Any, question: Any, sid: str, report: dict[str, Any]) -> None:
    """Ask the follow-up the answer calls for (if any), record and score the second answer.

    ``session`` is the :class:`~voice_coach.commands.practice.Practice`. The second answer
    is recorded through its :meth:`record` and saved as its own session
    (``meta.follow_up_of``); the first session's report gets a ``follow_up`` object and is
    updated in the store.
    """
    from voice_coach.followup import MAX_DURATION_S, follow_up_for, summary

    fu = follow_up_for(report, question, session.focus)
    if fu is None:
        return
    show_follow_up(session.console, fu.text, fu.reason)
    session.say(fu.text)
    fq = fu.question(question)
    answer = session.record(fq, min(session.args.max_duration, MAX_DURATION_S))
    fsid = None
    if answer is not None:
        answer.report["meta"].update(follow_up_of=sid, follow_up_reason=fu.reason)
        fsid = session.save(fq, answer)
        render_report(session.console, answer.report, SIGNAL[fu.skill])
        session.console.print(f"[dim]follow-up saved as session {fsid}[/dim]")
    report["follow_up"] = summary(fu, answer.report if answer is not None else None, fsid)
    session.store.update_report(sid, report)
    if answer is not None and answer.error:
        raise DeviceError(f"{answer.error}; the follow-up was analysed and saved as session {fsid}")
