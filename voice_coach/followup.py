"""Follow-up questions: what an interviewer asks when the answer skipped a step.

When an answer to a question that exercises ``clarifying`` asked no clarifying question,
or one that exercises ``tradeoffs`` stated no tradeoff, the coach asks the matching
follow-up aloud and records a short second answer, scored on that skill. A bank question
may carry its own wording (``follow_ups = { clarifying = "...", tradeoffs = "..." }``);
otherwise :data:`DEFAULT_TEXT` is used. At most one follow-up per answer: the focus skill
first, then clarifying, then tradeoffs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from voice_coach.question import Question
from voice_coach.skills import SIGNAL, skill_met

SKILLS: tuple[str, ...] = ("clarifying", "tradeoffs")
"""The skills a follow-up can repair, in the order they are tried."""

DEFAULT_TEXT: dict[str, str] = {
    "clarifying": "What would you want to know before choosing?",
    "tradeoffs": "What does that choice cost you?",
}
REASON: dict[str, str] = {"clarifying": "no clarifying question", "tradeoffs": "no tradeoff stated"}

TARGET_S = 45.0
"""A follow-up answer is short: the goal's time limit."""

MAX_DURATION_S = 90.0
"""The follow-up's recording stops here at the latest (or at ``--max-duration`` if shorter)."""


@dataclass(frozen=True)
class FollowUp:
    """A follow-up to ask: the skill it repairs, its words, and why it is asked."""

    skill: str
    text: str
    reason: str

    def question(self, parent: Question) -> Question:
        """The follow-up as a question of its own (saved as its own session)."""
        return Question(id=f"{parent.id or 'question'}.follow-up", text=self.text, category=parent.category,
                        difficulty=parent.difficulty, target_s=TARGET_S, focus=(SIGNAL[self.skill],),
                        source=parent.source, skills=(self.skill,))


def follow_up_for(report: Mapping[str, Any], question: Question | None, focus: str | None = None) -> FollowUp | None:
    """The follow-up ``report``'s answer calls for, or ``None``."""
    if question is None:
        return None
    order = ([focus] if focus in SKILLS else []) + [s for s in SKILLS if s != focus]
    own = question.extra.get("follow_ups") or {}
    for skill in order:
        if skill in question.skills and skill_met(skill, report) is False:
            return FollowUp(skill, own.get(skill) or DEFAULT_TEXT[skill], REASON[skill])
    return None


def summary(follow_up: FollowUp, report: Mapping[str, Any] | None, session_id: str | None) -> dict[str, Any]:
    """The main report's ``follow_up`` object: what was asked, why, and how the second answer did."""
    out: dict[str, Any] = {"skill": follow_up.skill, "question": follow_up.text, "reason": follow_up.reason,
                           "session_id": session_id, "answered": report is not None}
    if report is None:
        return out
    sig = (report.get("signals") or {}).get(SIGNAL[follow_up.skill]) or {}
    out.update({
        "met": skill_met(follow_up.skill, report), "duration_s": report.get("duration_s"),
        "transcript": (report.get("transcript") or {}).get("text", ""),
        "signal": {"name": SIGNAL[follow_up.skill], "verdict": sig.get("verdict"), "headline": sig.get("headline"),
                   "evidence": sig.get("evidence") or []},
    })
    return out
