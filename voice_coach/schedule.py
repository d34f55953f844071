"""Spaced repetition per skill: an SM-2-style schedule (pure arithmetic, no store).

Each skill has a :class:`SkillState`: an ease factor, an interval in days, a count of goals
met in a row, and when it is next due. After an answer focused on a skill,
:func:`review` moves it on:

* **goal met**: the run grows by one; the interval becomes 1 day after the first success,
  3 days after the second, then the previous interval times the ease (rounded to a tenth of
  a day). The ease rises a little (quality 4 in SM-2 terms: +0.0).
* **goal missed**: the run resets to 0 and the skill is due again in :data:`MISSED_INTERVAL_D`
  (the same day, so ``--focus auto`` drills it again soon); the ease drops by 0.2, never
  below :data:`MIN_EASE`.

SM-2 (Wozniak, 1990) uses 1 and 6 days for the first two intervals; a speaking habit
decays faster than a flash card, so the second interval here is 3 days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

START_EASE = 2.5
MIN_EASE = 1.3
FIRST_INTERVAL_D = 1.0
SECOND_INTERVAL_D = 3.0
MISSED_INTERVAL_D = 0.0
"""A missed goal leaves the skill due at once: the next ``--focus auto`` session drills it."""
EASE_STEP_MET = 0.0
EASE_STEP_STRONG = 0.1
EASE_STEP_MISSED = -0.2


@dataclass(frozen=True)
class SkillState:
    """Where one skill stands in the schedule.

    Attributes:
        skill: the skill's name.
        ease: how fast the interval grows after a success (SM-2's E-factor).
        interval_d: days between the last review and the next one.
        streak: goals met in a row (SM-2's repetition count ``n``).
        due: when the skill is due next (UTC); ``None``: never practised, due now.
        reviews: how many times it has been reviewed.
        lapses: how many of those missed the goal.
    """

    skill: str
    ease: float = START_EASE
    interval_d: float = 0.0
    streak: int = 0
    due: dt.datetime | None = None
    reviews: int = 0
    lapses: int = 0

    def is_due(self, now: dt.datetime) -> bool:
        """Whether the skill should be practised at ``now``."""
        return self.due is None or self.due <= now

    def overdue_d(self, now: dt.datetime) -> float:
        """Days past due (negative: due in that many days; never practised: 0)."""
        if self.due is None:
            return 0.0
        return (now - self.due).total_seconds() / 86400


def review(state: SkillState, met: bool, now: dt.datetime, strong: bool = False) -> SkillState:
    """The state after one answer focused on ``state.skill`` met (or missed) its goal.

    ``strong`` marks a clear success (the signal's verdict was a strength): the ease grows
    by :data:`EASE_STEP_STRONG` instead of :data:`EASE_STEP_MET`.
    """
    if met:
        streak = state.streak + 1
        if streak == 1:
            interval = FIRST_INTERVAL_D
        elif streak == 2:
            interval = SECOND_INTERVAL_D
        else:
            interval = round(state.interval_d * state.ease, 1)
        ease = state.ease + (EASE_STEP_STRONG if strong else EASE_STEP_MET)
        lapses = state.lapses
    else:
        streak, interval = 0, MISSED_INTERVAL_D
        ease = max(MIN_EASE, state.ease + EASE_STEP_MISSED)
        lapses = state.lapses + 1
    return replace(state, ease=round(ease, 2), interval_d=interval, streak=streak,
                   due=now + dt.timedelta(days=interval), reviews=state.reviews + 1, lapses=lapses)
