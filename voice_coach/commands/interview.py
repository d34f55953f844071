"""``voice-coach interview PATH``: a whole recorded mock interview, coached answer by answer.

The recording is split into questions and the candidate's answers (see
:mod:`voice_coach.interview`); each answer gets the full report, computed on the candidate's
words only, and the interview a summary. ``--format json`` prints exactly one
``voice-coach.interview/1`` object.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from voice_coach.commands.common import (
    FORMATS,
    add_model_args,
    emit_interview,
    progress_bar,
    save_interview,
    settings_from_args,
)


def register(sub: Any) -> None:
    """Add the ``interview`` sub-command."""
    p = sub.add_parser(
        "interview",
        help="analyse a whole recorded mock interview, question by question",
        description="Split a recorded interview (audio or video; stereo with one speaker per "
        "channel, or mono) into questions and the candidate's answers, and coach each answer.",
    )
    p.add_argument("path", type=Path, metavar="PATH", help="the recording (audio or video)")
    p.add_argument("--candidate", metavar="SPEAKER",
                   help="who the candidate is: left or right for a stereo recording, a speaker "
                   "label (S0, S1 ...) for a mono one (default: who talks most after the questions)")
    p.add_argument("--bank", type=Path, action="append", default=[], metavar="FILE",
                   help="an extra question bank file to match questions against (repeatable)")
    add_model_args(p)
    p.add_argument("--format", choices=FORMATS, default="terminal",
                   help="output format (default: terminal); html is the review page of the whole interview")
    p.add_argument("--out", type=Path, help="write the output to FILE instead of stdout")
    p.add_argument("--no-save", action="store_true",
                   help="do not save the interview (one session, with a session per answer)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Analyse the interview and print it."""
    from voice_coach import bank
    from voice_coach.interview.service import analyze_interview

    settings = settings_from_args(args)
    questions = bank.load_banks(list(args.bank or []))
    prog, update = progress_bar()
    if prog is not None:
        with prog:
            result = analyze_interview(args.path, settings, questions, args.candidate, progress=update)
    else:
        result = analyze_interview(args.path, settings, questions, args.candidate)
    transcripts = [a.transcript().to_dict() for a in result.answers]
    sid = None if args.no_save else save_interview(result.data, transcripts, settings, args.path)
    emit_interview(result.data, args.format, args.out, audio_path=args.path, session_id=sid)
    if sid:
        if args.format == "terminal" and args.out is None:
            print(f"Saved as session {sid}, with one session per answer (voice-coach sessions "
                  "--kind answer; --no-save to skip)")
        elif sys.stderr.isatty():
            print(f"Saved as session {sid}", file=sys.stderr)
    return 0
