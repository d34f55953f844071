"""A question put to the candidate. Banks of them live in ``prompts/`` (see :mod:`voice_coach.bank`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Question:
    """One interview question.

    Attributes:
        id: stable identifier, unique across all banks (``"sys-ranking-01"``).
        text: the question as read aloud.
        category: the area it probes (``"system_design"``, ``"metrics"`` ...).
        difficulty: ``"easy"``, ``"medium"`` or ``"hard"``.
        target_s: how long a good spoken answer takes, in seconds.
        focus: the signals that matter most for this question (``"clarifying_questions"``).
        source: the bank file it came from.
        skills: the skills it exercises (see :mod:`voice_coach.skills`).
    """

    id: str | None
    text: str | None
    category: str | None = None
    difficulty: str | None = None
    target_s: float | None = None
    focus: tuple[str, ...] = ()
    source: str | None = None
    skills: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The report's ``question`` object (``id`` and ``text`` are the contract)."""
        d: dict[str, Any] = {"id": self.id, "text": self.text}
        if self.category:
            d["category"] = self.category
        if self.difficulty:
            d["difficulty"] = self.difficulty
        if self.target_s:
            d["target_s"] = self.target_s
        if self.focus:
            d["focus"] = list(self.focus)
        if self.skills:
            d["skills"] = list(self.skills)
        return d
