"""``voice-coach drill SKILL``: short single-skill prompts (30-60 s), scored on that skill only.

The practice loop as it is (:func:`voice_coach.commands.practice.run_session`: the prompt
read aloud, the goal, the recording, the saved session, the schedule), with prompts from
``prompts/drills/`` (:mod:`voice_coach.drills`) and a report that shows the one signal that
judges the skill.
"""

from __future__ import annotations

import argparse
import random
from typing import Any

DEFAULT_COUNT = 3
DEFAULT_MAX_DURATION_S = 120.0
"""A drill answer is 30-60 s; two minutes is plenty, and a forgotten microphone stops sooner."""


def register(sub: Any) -> None:
    """Add the ``drill`` sub-command."""
    from voice_coach.commands.practice import add_session_arguments
    from voice_coach.skills import SKILLS

    p = sub.add_parser("drill", help="short single-skill drills (30-60 s), scored on that skill only",
                       description="Run short prompts that exercise one skill and score the answers on that "
                       "skill only. auto: the weakest skill that is due (see `voice-coach plan`).")
    p.add_argument("skill", choices=("auto", *SKILLS), help="the skill to drill")
    p.add_argument("--count", type=int, default=DEFAULT_COUNT, metavar="N",
                   help=f"how many prompts (default: {DEFAULT_COUNT})")
    p.add_argument("--prompt-id", action="append", default=[], metavar="ID",
                   help="this drill prompt (repeatable; ids in prompts/drills/)")
    p.add_argument("--seed", type=int, help="seed for the random choice of prompts")
    add_session_arguments(p)
    p.set_defaults(func=run, max_duration=DEFAULT_MAX_DURATION_S)


def choose_prompts(args: argparse.Namespace, skill: str) -> tuple[list[Any], list[Any]]:
    """The prompts to drill, in order, and the pool ``[n]ext`` draws more from."""
    from voice_coach.drills import load_drills
    from voice_coach.errors import UsageError

    if args.count < 1:
        raise UsageError("--count must be at least 1")
    pool = load_drills(skill)
    if args.prompt_id:
        by_id = {d.id: d for d in pool}
        missing = [p for p in args.prompt_id if p not in by_id]
        if missing:
            raise UsageError(f"no {skill} drill prompt {missing[0]!r} (see prompts/drills/{skill}.toml)")
        return [by_id[p] for p in args.prompt_id], pool
    if not pool:
        raise UsageError(f"no drill prompts for {skill} (prompts/drills/ is missing)")
    return random.Random(args.seed).sample(pool, min(args.count, len(pool))), pool


def run(args: argparse.Namespace) -> int:
    """Drill the skill; see the module docstring."""
    from voice_coach.commands.practice import Practice, choose_focus, run_session
    from voice_coach.skills import SIGNAL

    def plan(session: Practice) -> list[Any]:
        args.focus = args.skill
        skill, why = choose_focus(args, session.store)
        assert skill is not None
        session.focus, session.focus_why, session.only = skill, why, SIGNAL[skill]
        prompts, session.pool = choose_prompts(args, skill)
        return prompts

    return run_session(args, plan)
