"""The options of ``practice`` (and ``drill``), and choosing what to practise: questions and focus."""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

from voice_coach.errors import UsageError

DEFAULT_SILENCE_STOP_S = 4.0
DEFAULT_MAX_DURATION_S = 600.0


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The practice options (shared with :func:`parse_defaults`)."""
    from voice_coach.skills import SKILLS

    g = p.add_argument_group("questions")
    g.add_argument("--focus", choices=("auto", *SKILLS),
                   help="drill one skill: pick questions that exercise it and state a goal before each answer; "
                   "auto: the weakest skill that is due (see `voice-coach plan`)")
    g.add_argument("--category", metavar="C", help="pick questions from this category (see `voice-coach questions`)")
    g.add_argument("--difficulty", choices=("easy", "medium", "hard"), help="pick questions of this difficulty")
    g.add_argument("--count", type=int, default=1, metavar="N", help="how many questions (default: 1)")
    g.add_argument("--question-id", action="append", default=[], metavar="ID",
                   help="practise this question (repeatable; overrides --category/--count)")
    g.add_argument("--bank", type=Path, action="append", default=[], metavar="FILE",
                   help="an extra question bank file (repeatable)")
    g.add_argument("--seed", type=int, help="seed for the random choice of questions")
    g.add_argument("--follow-up", action="store_true",
                   help="when an answer asked no clarifying question or stated no tradeoff, ask the matching "
                   "follow-up aloud and record a short second answer")
    add_session_arguments(p)


def add_session_arguments(p: argparse.ArgumentParser) -> None:
    """The options of any recorded session: audio, output, model (shared with ``drill``)."""
    from voice_coach.commands.common import add_model_args

    a = p.add_argument_group("audio")
    a.add_argument("--voice", choices=("pyttsx3", "piper"), default="pyttsx3",
                   help="voice that reads the question (default: pyttsx3, the system voice; "
                   "piper: the local neural voice from the 'piper' extra)")
    a.add_argument("--no-tts", action="store_true", help="do not read the question aloud (and no start beep)")
    a.add_argument("--think-time", type=float, default=0.0, metavar="S",
                   help="seconds of thinking time, counted down before recording starts (default: 0)")
    a.add_argument("--silence-stop", type=float, default=DEFAULT_SILENCE_STOP_S, metavar="S",
                   help=f"end the answer after S seconds of silence (default: {DEFAULT_SILENCE_STOP_S:g}; "
                   "long enough for thinking pauses)")
    a.add_argument("--max-duration", type=float, default=DEFAULT_MAX_DURATION_S, metavar="S",
                   help=f"stop recording after S seconds of answer (default: {DEFAULT_MAX_DURATION_S:g})")
    a.add_argument("--nudge", action="store_true",
                   help="quiet cues on screen while you speak: a burst of fillers, a 45-word stretch, no plan "
                   "a minute in, past the target length")
    a.add_argument("--nudge-tone", action="store_true", help="with --nudge, also play a soft tone")
    a.add_argument("--device", metavar="N_OR_NAME", help="input device number or name (see `voice-coach devices`)")
    o = p.add_argument_group("output")
    o.add_argument("--yes", "-y", action="store_true", help="no menus or questions: run and exit (for scripts)")
    o.add_argument("--report-json", type=Path, metavar="FILE",
                   help="write each attempt's report (the analyze JSON contract, with \"question\") to FILE, "
                   "overwriting it")
    o.add_argument("--recover", action="store_true",
                   help="analyse and save recordings left by an interrupted run, then exit")
    add_model_args(p)


# --------------------------------------------------------------------------- choosing questions


def select_questions(args: argparse.Namespace, skill: str | None = None) -> tuple[list[Any], list[Any]]:
    """The questions to practise, in order, and the pool ``[n]ext`` draws more from.

    With a focus ``skill`` only questions that exercise it qualify. :class:`UsageError` for
    bad choices.
    """
    from voice_coach import bank

    if args.count < 1:
        raise UsageError("--count must be at least 1")
    questions = bank.load_banks(args.bank)
    if args.question_id:
        chosen = [bank.find_question(q, extra=args.bank) for q in args.question_id]
        return chosen, bank.filter_questions(questions, args.category, args.difficulty)
    bank.check_category(args.category, questions)
    pool = bank.filter_questions(questions, args.category, args.difficulty)
    if skill is not None:
        from voice_coach.coach import questions_for

        pool = questions_for(skill, pool)
    if not pool:
        why = f" and exercises {skill}" if skill else ""
        raise UsageError(f"no question matches --category/--difficulty{why}; `voice-coach questions` lists them")
    rng = random.Random(args.seed)
    return rng.sample(pool, min(args.count, len(pool))), pool


def choose_focus(args: argparse.Namespace, store: Any) -> tuple[str | None, str]:
    """The skill ``--focus`` names (``auto``: chosen from the history and schedule), and why."""
    import datetime as dt

    from voice_coach import coach

    if not getattr(args, "focus", None):
        return None, ""
    if args.focus != "auto":
        return args.focus, "chosen with --focus"
    return coach.choose_focus(coach.statuses_from_store(store), dt.datetime.now(dt.timezone.utc))


def check_numbers(args: argparse.Namespace) -> None:
    """:class:`UsageError` for a recording option outside its sane range."""
    if not 0.5 <= args.silence_stop <= 60:
        raise UsageError("--silence-stop must be between 0.5 and 60 seconds")
    if not 5 <= args.max_duration <= 3600:
        raise UsageError("--max-duration must be between 5 and 3600 seconds")
    if not 0 <= args.think_time <= 600:
        raise UsageError("--think-time must be between 0 and 600 seconds")
