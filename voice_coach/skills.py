"""Skills: the habits the coach drills, which questions exercise them, and whether a goal was met.

A *skill* is a habit a candidate can practise on purpose; each one is judged by one signal
of the report (:data:`SIGNAL`). A question exercises the skills its bank entry lists in
``skills``, or, without that field, the ones derived from it (:func:`derive_skills`):

* a design question (category ``system_design``, or text starting "Design ...") exercises
  ``clarifying`` and ``framing``;
* an "X or Y?" question (or one in the ``tradeoffs`` category, or "... rather than ...")
  exercises ``tradeoffs``;
* a question whose ``focus`` lists ``clarifying_questions``, ``framing``/``signposting`` or
  ``tradeoffs`` exercises the matching skill;
* every question exercises the delivery skills: ``fillers``, ``concise`` and ``pauses``.

Before an answer with a focus the coach states a one-line :class:`Goal` ("This time: name one
tradeoff, in under 2 min."); :func:`judge` says whether the answer met it. Everything here is
pure: no store, no audio (the choice from history is :mod:`voice_coach.coach`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

SKILLS: tuple[str, ...] = ("framing", "clarifying", "tradeoffs", "fillers", "concise", "pauses")
"""Every skill, in the order ``plan`` lists them (most important for structure first)."""

DELIVERY: tuple[str, ...] = ("fillers", "concise", "pauses")
"""Skills every spoken answer exercises, whatever the question."""

SIGNAL: dict[str, str] = {
    "framing": "framing", "clarifying": "clarifying_questions", "tradeoffs": "tradeoffs",
    "fillers": "fillers", "concise": "ramble", "pauses": "pauses",
}
"""The report signal that judges each skill."""

CLAUSE: dict[str, str] = {
    "framing": "open with your plan",
    "clarifying": "ask one clarifying question before you solve",
    "tradeoffs": "name one tradeoff (what your choice costs)",
    "fillers": "no more than a few fillers: pause silently instead",
    "concise": "short sentences, no run-on stretch",
    "pauses": "no long hesitation mid-sentence",
}
"""The one-line instruction for each skill, as the goal states it."""

# Whose text names two options and asks which: "Would you start with trees or a network?"
_EITHER_OR = re.compile(r"\b\w+\b[^?.]*\bor\b[^?.]*\?", re.IGNORECASE)
_RATHER = re.compile(r"\b(rather than|versus|vs\.?|compared (to|with))\b", re.IGNORECASE)
_DESIGN = re.compile(r"^\s*(design|how would you design|architect)\b", re.IGNORECASE)


def check_skills(names: Iterable[str]) -> list[str]:
    """The unknown names in ``names`` (empty when all are skills)."""
    return [n for n in names if n not in SKILLS]


def derive_skills(text: str, category: str | None, focus: Iterable[str]) -> tuple[str, ...]:
    """The skills a question exercises when its bank entry does not list them (see module doc)."""
    focus = set(focus)
    found: set[str] = set(DELIVERY)
    if category == "system_design" or _DESIGN.search(text):
        found |= {"clarifying", "framing"}
    if category == "tradeoffs" or _EITHER_OR.search(text) or _RATHER.search(text) or "tradeoffs" in focus:
        found.add("tradeoffs")
    if "clarifying_questions" in focus:
        found.add("clarifying")
    if focus & {"framing", "signposting"}:
        found.add("framing")
    return tuple(s for s in SKILLS if s in found)


def with_delivery(skills: Iterable[str]) -> tuple[str, ...]:
    """An explicit ``skills`` list plus the delivery skills every answer exercises, in order."""
    found = set(skills) | set(DELIVERY)
    return tuple(s for s in SKILLS if s in found)


@dataclass(frozen=True)
class Goal:
    """A one-line drill goal for one answer.

    Attributes:
        skill: the skill in focus.
        limit_s: the answer should end within this many seconds (``None``: no limit).
    """

    skill: str
    limit_s: float | None

    @property
    def text(self) -> str:
        """``"This time: name one tradeoff (what your choice costs), in under 2 min."``"""
        limit = f", in under {fmt_limit(self.limit_s)}" if self.limit_s else ""
        return f"This time: {CLAUSE[self.skill]}{limit}."


def fmt_limit(seconds: float) -> str:
    """``90`` -> ``"90 s"``, ``120`` -> ``"2 min"``, ``150`` -> ``"2.5 min"``."""
    if seconds < 100 or seconds % 30:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:g} min"


def goal_for(skill: str, target_s: float | None) -> Goal:
    """The goal for an answer focused on ``skill`` to a question aiming at ``target_s``."""
    if skill not in SKILLS:
        raise ValueError(f"unknown skill {skill!r}")
    return Goal(skill, float(target_s) if target_s else None)


def skill_met(skill: str, report: Mapping[str, Any]) -> bool | None:
    """Whether ``report`` shows ``skill`` done; ``None`` when the signal could not judge it."""
    sig = ((report.get("signals") or {}).get(SIGNAL[skill])) or {}
    verdict = sig.get("verdict")
    if not isinstance(sig, Mapping) or verdict in (None, "n/a"):
        return None
    if skill == "framing":
        return bool(sig.get("present"))
    if skill in ("clarifying", "tradeoffs"):
        return int(sig.get("count") or 0) >= 1
    return verdict != "work_on"


@dataclass(frozen=True)
class Judgement:
    """Whether an answer met its goal, and why not."""

    met: bool | None
    why: str

    def to_meta(self, goal: Goal) -> dict[str, Any]:
        """The report ``meta`` fields: ``focus``, ``goal``, ``goal_met``, ``goal_why``, ``goal_limit_s``."""
        return {"focus": goal.skill, "goal": goal.text, "goal_met": self.met, "goal_why": self.why,
                "goal_limit_s": goal.limit_s}


def judge(goal: Goal, report: Mapping[str, Any]) -> Judgement:
    """Did the answer in ``report`` meet ``goal``? Its skill must be done, within the time limit."""
    done = skill_met(goal.skill, report)
    if done is None:
        return Judgement(None, "no speech to judge")
    sig = (report.get("signals") or {}).get(SIGNAL[goal.skill]) or {}
    duration = report.get("duration_s")
    late = goal.limit_s is not None and isinstance(duration, int | float) and duration > goal.limit_s
    if not done:
        return Judgement(False, f"missed: {sig.get('headline') or goal.skill}")
    if late:
        limit = fmt_limit(goal.limit_s or 0)
        return Judgement(False, f"{goal.skill} done, but {duration:.0f} s is over the {limit} limit")
    return Judgement(True, f"met: {sig.get('headline') or goal.skill}")
