"""Which skill to drill next, and which questions drill it: the adaptive coach's choices.

``--focus auto`` follows the schedule (:mod:`voice_coach.schedule`) and the history:

1. Each skill's recent record is read from the last :data:`RECENT` saved reports (did the
   answer do it? see :func:`voice_coach.skills.skill_met`), counting only answers to
   questions that exercise it (:func:`exercised`). Its *weakness* is how often it
   failed, the newest answers counting most (each older one by :data:`DECAY` less), times
   the skill's importance (:data:`WEIGHTS`, the overall signal's weights).
2. Among the skills that are due (never drilled, or past their due date), the weakest wins;
   ties go to the most overdue, then to the order of :data:`~voice_coach.skills.SKILLS`.
   When nothing is due, the weakest of all wins.

Everything but :func:`statuses_from_store` is pure, so the choice is unit-tested without audio.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from voice_coach.schedule import SkillState
from voice_coach.signals.overall import Config as _OverallConfig
from voice_coach.skills import SIGNAL, SKILLS, skill_met

RECENT = 10
"""How many of the latest saved answers the weakness is measured on."""

DECAY = 0.8
"""Each older answer counts this much less than the next newer one."""

WEIGHTS: dict[str, float] = {skill: _OverallConfig().weights.get(sig, 1.0) for skill, sig in SIGNAL.items()}
"""How much a failure of each skill matters (the ``overall`` signal's weights)."""


@dataclass(frozen=True)
class SkillStatus:
    """One skill's standing: its recent record, its weakness and its schedule.

    Attributes:
        skill: the skill.
        record: met (``True``), missed (``False``) or not judged (``None``) in each recent
            answer, oldest first.
        weakness: importance times the recency-weighted failure rate (0: never failed).
        state: its schedule, or ``None`` when it was never drilled.
    """

    skill: str
    record: tuple[bool | None, ...]
    weakness: float
    state: SkillState | None

    @property
    def failed(self) -> int:
        """Recent answers that missed the skill."""
        return sum(1 for r in self.record if r is False)

    @property
    def judged(self) -> int:
        """Recent answers in which the skill could be judged."""
        return sum(1 for r in self.record if r is not None)

    def is_due(self, now: dt.datetime) -> bool:
        """Never drilled, or past its due date."""
        return self.state is None or self.state.is_due(now)

    def why(self, now: dt.datetime) -> str:
        """Why it stands where it does, in a few words."""
        parts = []
        if self.judged:
            parts.append(f"missed in {self.failed} of the last {self.judged} answers")
        else:
            parts.append("no answers judged yet")
        if self.state is None:
            parts.append("never drilled")
        elif self.state.is_due(now):
            last = "last goal missed" if self.state.streak == 0 else f"{self.state.streak} goals met in a row"
            parts.append(f"due ({last})")
        else:
            parts.append(f"goal met {self.state.streak}x in a row, next in {-self.state.overdue_d(now):.1f} d")
        return "; ".join(parts)


def weakness(skill: str, record: Sequence[bool | None]) -> float:
    """Importance times the recency-weighted share of judged answers that missed ``skill``."""
    total = failed = 0.0
    for age, met in enumerate(reversed(record)):
        if met is None:
            continue
        w = DECAY ** age
        total += w
        failed += w * (not met)
    return round(WEIGHTS[skill] * failed / total, 4) if total else 0.0


def exercised(skill: str, report: Mapping[str, Any]) -> bool:
    """Whether the answer in ``report`` was meant to show ``skill``: its question exercises it.

    A drill or a follow-up exercises one skill, and "What is overfitting?" asks for no
    clarifying question, so missing the others there is no failure. A report without the
    question's skills (analyze of a file, older reports) counts for every skill.
    """
    question = report.get("question")
    skills = question.get("skills") if isinstance(question, Mapping) else None
    return not skills or skill in skills


def statuses(reports: Sequence[Mapping[str, Any]], states: Mapping[str, SkillState]) -> list[SkillStatus]:
    """Every skill's status from the recent ``reports`` (oldest first) and the schedule."""
    out = []
    for skill in SKILLS:
        record = tuple(skill_met(skill, r) if exercised(skill, r) else None for r in reports)
        out.append(SkillStatus(skill, record, weakness(skill, record), states.get(skill)))
    return out


def choose_focus(status: Sequence[SkillStatus], now: dt.datetime) -> tuple[str, str]:
    """The skill ``--focus auto`` drills, and why (see the module doc)."""
    due = [s for s in status if s.is_due(now)]
    pool = due or list(status)

    def rank(s: SkillStatus) -> tuple[float, float, int]:
        overdue = s.state.overdue_d(now) if s.state is not None else 0.0
        return (s.weakness, overdue, -SKILLS.index(s.skill))

    best = max(pool, key=rank)
    if not any(s.judged for s in status):
        return best.skill, f"no history yet: starting with {best.skill}"
    lead = "weakest due skill" if due else "nothing is due; weakest skill"
    return best.skill, f"{lead}: {best.why(now)}"


def statuses_from_store(store: Any) -> list[SkillStatus]:
    """:func:`statuses` from the latest :data:`RECENT` saved answers and the stored schedule."""
    sessions = store.list_sessions(limit=RECENT, with_reports=True)
    return statuses([s.report or {} for s in sessions], store.skill_states())


def questions_for(skill: str, questions: Sequence[Any]) -> list[Any]:
    """The questions that exercise ``skill`` (``practice --focus`` draws from these)."""
    return [q for q in questions if skill in q.skills]


def record_goal(goal: Any, report: dict[str, Any], why: str) -> Any:
    """Judge ``report`` against ``goal`` and write the verdict into its ``meta`` (``focus``,
    ``goal``, ``goal_met``, ``goal_why``, ``goal_limit_s``, ``focus_why``); the
    :class:`~voice_coach.skills.Judgement`, for :func:`review_goal` once the answer is saved."""
    from voice_coach.skills import judge

    judgement = judge(goal, report)
    report.setdefault("meta", {}).update(judgement.to_meta(goal), focus_why=why)
    return judgement


def review_goal(store: Any, goal: Any, judgement: Any, report: Mapping[str, Any], sid: str) -> None:
    """Move the skill's schedule on by the saved answer ``sid`` (not when nothing could be judged)."""
    if judgement.met is None:
        return
    strong = ((report.get("signals") or {}).get(SIGNAL[goal.skill]) or {}).get("verdict") == "strength"
    store.review_skill(goal.skill, judgement.met, sid, strong=strong)
