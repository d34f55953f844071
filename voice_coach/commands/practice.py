"""``voice-coach practice``: a question is read aloud, the spoken answer recorded and coached.

One attempt: show and speak the question, count down the optional think time, give a clear
start cue, record from the microphone until the answer ends (silence, Enter, or the maximum
length), transcribe it (mostly while it was being spoken, see :mod:`voice_coach.live`), show
the report and save the session. At a terminal a menu then offers *try again* (with a
side-by-side comparison of the two attempts), *next question* or *quit*. With ``--yes`` or
when stdin is not a terminal it runs the requested questions once each, without menus.

Nothing is lost: the recording goes straight to ``<data dir>/audio/`` while it is made, so
Ctrl-C, SIGTERM, a crash or a vanished microphone keep it; the next run offers to analyse it.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voice_coach.commands.practice_args import (
    DEFAULT_MAX_DURATION_S,
    DEFAULT_SILENCE_STOP_S,
    add_arguments,
    add_session_arguments,
    check_numbers,
    choose_focus,
    select_questions,
)
from voice_coach.commands.practice_recover import sidecar_path, sigterm_as_interrupt, write_sidecar
from voice_coach.commands.practice_screen import (
    LiveDisplay,
    beep,
    compare,
    confirm,
    cue,
    enter_pressed,
    menu,
    render_report,
    show_goal,
    show_question,
    think,
)
from voice_coach.errors import DeviceError

# Seams tests replace, and the options other commands share, kept importable here.
__all__ = ["DEFAULT_MAX_DURATION_S", "DEFAULT_SILENCE_STOP_S", "add_session_arguments", "beep", "choose_focus",
           "confirm", "enter_pressed", "menu"]


def register(sub: Any) -> None:
    """Add the ``practice`` sub-command."""
    p = sub.add_parser(
        "practice", help="practise answering questions out loud and get coached",
        description="Read a question aloud, record your spoken answer, and report on how it was "
        "structured. Runs without menus when stdin is not a terminal or with --yes.")
    add_arguments(p)
    p.set_defaults(func=run)


def parse_defaults(**overrides: Any) -> argparse.Namespace:
    """Practice arguments with every default, changed by ``overrides`` (used by ``try``)."""
    p = argparse.ArgumentParser(add_help=False)
    add_arguments(p)
    args = p.parse_args([])
    for key, value in overrides.items():
        if not hasattr(args, key):
            raise TypeError(f"practice has no option {key!r}")
        setattr(args, key, value)
    args.func = run
    return args


# --------------------------------------------------------------------------- the session


@dataclass
class Attempt:
    """One recorded and analysed answer."""

    question: Any
    report: dict[str, Any]
    session_id: str
    audio: Path | None
    latency_s: float
    reason: str


@dataclass
class Recorded:
    """One answer, recorded and analysed but not yet saved."""

    recording: Any
    transcript: Any
    report: dict[str, Any]
    latency_s: float
    error: str | None
    sidecar: Path


class Practice:
    """A practice session: the state shared by every attempt."""

    def __init__(self, args: argparse.Namespace, console: Any, interactive: bool) -> None:
        from voice_coach.commands.common import settings_from_args
        from voice_coach.store import Store

        self.args = args
        self.console = console
        self.interactive = interactive
        self.settings = settings_from_args(args)
        self.factory = transcriber_factory(self.settings)
        self.store = Store.open()
        self.device: Any = None
        self.voice: Any = None
        self.unsaved: Path | None = None  # a recording not yet saved as a session
        self.focus: str | None = None  # the skill each answer's goal drills
        self.focus_why = ""
        self.only: str | None = None  # a drill shows this signal only
        self.pool: list[Any] = []  # where [n]ext past the plan draws questions from
        self.peeker: Any = None  # with --nudge: a quick look at each speech region (live_peek)

    # -- set-up -----------------------------------------------------------------
    def open_voice(self) -> None:
        """Start the TTS voice; a failure is a one-line notice, never the end of practice."""
        if self.args.no_tts:
            return
        from voice_coach.audio.tts import TtsUnavailable, make_voice

        try:
            self.voice = make_voice(self.args.voice)
        except TtsUnavailable as err:
            self.console.print(f"[yellow]Not reading questions aloud:[/yellow] {err}")

    def warm_up(self) -> None:
        """Load the speech and language models in the background while the question is read."""
        from voice_coach.background import warm_up

        warm_up(factory=self.factory)

    # -- one attempt --------------------------------------------------------------
    def attempt(self, question: Any, number: int, total: int) -> Attempt | None:
        """Ask ``question``, record and coach the answer; ``None`` if nothing was said."""
        from voice_coach.coach import record_goal, review_goal
        from voice_coach.skills import goal_for

        show_question(self.console, question, number, total)
        goal = goal_for(self.focus, question.target_s) if self.focus else None
        if goal is not None:
            show_goal(self.console, goal.text, self.focus_why)
        # The goal is read out after the question, as an interviewer-coach would say it.
        self.say(question.text + (f" {goal.text}" if goal else ""))
        think(self.console, self.args.think_time)
        answer = self.record(question, self.args.max_duration)
        if answer is None:
            return None
        report = answer.report
        judgement = record_goal(goal, report, self.focus_why) if goal is not None else None
        sid = self.save(question, answer)
        if goal is not None and judgement is not None:
            review_goal(self.store, goal, judgement, report, sid)
        render_report(self.console, report, self.only)
        self.console.print(f"[dim]saved as session {sid} · report {answer.latency_s:.1f} s after the answer "
                           "ended[/dim]")
        if getattr(self.args, "follow_up", False) and not answer.error:
            self.follow_up(question, sid, report)
        self.write_json(report)
        if answer.error:
            raise DeviceError(f"{answer.error}; the partial answer was analysed and saved as session {sid}")
        return Attempt(question, report, sid, answer.recording.path, answer.latency_s, answer.recording.reason)

    def follow_up(self, question: Any, sid: str, report: dict[str, Any]) -> None:
        """Ask the follow-up the answer calls for, if any (see :mod:`voice_coach.followup`)."""
        from voice_coach.commands.practice_followup import ask_follow_up

        ask_follow_up(self, question, sid, report)

    def say(self, text: str) -> None:
        """Read ``text`` aloud (when TTS is on); a failure is a one-line notice."""
        from voice_coach.audio.tts import speak_question

        notice = speak_question(self.voice, text)
        if notice:
            self.console.print(f"[yellow]{notice}[/yellow]")

    def record(self, question: Any, max_duration: float) -> Recorded | None:
        """Record and analyse one answer to ``question``; ``None`` (and nothing kept) if nobody spoke."""
        from voice_coach.answer import record_answer
        from voice_coach.audio.record import RecorderOptions
        from voice_coach.commands.practice_nudge import LiveNudges
        from voice_coach.live import LiveTranscriber
        from voice_coach.service import report_for_transcript

        audio_path = self.store.new_audio_path(".wav")
        sidecar = sidecar_path(audio_path)
        options = RecorderOptions(silence_stop_s=self.args.silence_stop, max_duration_s=max_duration)

        def started() -> None:
            # Written before the audio grows, so a crash still knows the question.
            write_sidecar(sidecar, question)
            self.unsaved = audio_path

        if self.voice is not None:
            beep()  # before the microphone opens, so the beep is not recorded
        display = LiveDisplay(self.console, self.args.silence_stop, max_duration, self.interactive)
        nudges = LiveNudges(self.peeker, question.target_s, self.console, self.args) if self.peeker else None
        live = LiveTranscriber(self.factory, recovery=self.settings.pipeline.recovery,
                               **(nudges.live_options() if nudges is not None else {}))

        def tick(rec: Any) -> None:
            display.update(rec)
            if nudges is not None:
                nudges.tick(rec)

        with open_source(self.device) as source:
            cue(self.console, self.args.silence_stop)  # once the microphone is open: nothing said after it is lost
            try:
                with display:
                    answer = record_answer(source, live, options, audio_path=audio_path, on_start=started,
                                           on_tick=tick, should_stop=enter_pressed if sys.stdin.isatty() else None)
            finally:
                if nudges is not None:
                    nudges.end()
        recording = answer.recording
        mic_start = getattr(source, "first_block_s", None)
        display.ended(recording)
        if not answer.has_speech or recording.path is None:
            with contextlib.suppress(OSError):
                sidecar.unlink()
            if answer.error:
                raise DeviceError(f"{answer.error}; nothing had been said yet")
            self.console.print("[yellow]No speech was heard.[/yellow] Check the microphone and its "
                               "input level (`voice-coach devices`, `--device`), then try again.")
            return None
        with self.console.status("analysing…") if self.console.is_terminal else contextlib.nullcontext():
            transcript = answer.transcribe()
            report = report_for_transcript(transcript, question, self.settings)
        latency = time.perf_counter() - answer.ended_at
        report["meta"]["latency_s"] = round(latency, 3)
        report["meta"]["end_reason"] = recording.reason
        # The answer's timeline starts at the first speech; how long the candidate waited
        # after the start cue (thinking before speaking) is kept here.
        report["meta"]["start_delay_s"] = round(recording.offset_s + options.pre_roll_s, 2)
        if mic_start is not None:  # how long the microphone took to deliver its first audio
            report["meta"]["mic_start_s"] = round(mic_start, 2)
        if nudges is not None:
            report["nudges"] = nudges.report()
        return Recorded(recording, transcript, report, latency, answer.error, sidecar)

    def save(self, question: Any, answer: Recorded) -> str:
        """Save an analysed answer as a session; returns its id (also put in ``meta.session_id``)."""
        sid = self.store.save_session(
            kind="practice", report=answer.report, transcript=answer.transcript.to_dict(),
            audio_path=answer.recording.path, question=question, model=str(answer.transcript.meta.get("model")),
            settings=self.describe(),
        )
        self.unsaved = None
        with contextlib.suppress(OSError):
            answer.sidecar.unlink()
        answer.report["meta"]["session_id"] = sid
        return sid

    def write_json(self, report: dict[str, Any]) -> None:
        """``--report-json``: the latest attempt's report, overwriting the file."""
        if self.args.report_json:
            from voice_coach.commands.common import write_output
            from voice_coach.report.json_out import render_json

            write_output(self.args.report_json, render_json(report) + "\n")

    def describe(self) -> dict[str, Any]:
        """The settings of this session, as saved with each attempt."""
        return {
            "silence_stop_s": self.args.silence_stop, "max_duration_s": self.args.max_duration,
            "think_time_s": self.args.think_time, "voice": None if self.args.no_tts else self.args.voice,
            "device": getattr(self.device, "name", None), "focus": self.focus, **self.settings.describe(),
        }

    # -- leftovers -------------------------------------------------------------------
    def leftovers(self, ask: bool) -> int:
        """Offer to analyse recordings an interrupted run left behind; returns how many were saved."""
        from voice_coach.commands.practice_recover import leftovers

        return leftovers(self, confirm if ask else None)


# --------------------------------------------------------------------------- pieces


def transcriber_factory(settings: Any) -> Callable[[], Any]:
    """The recogniser factory (a seam for tests, which substitute a fake)."""
    return settings.transcriber_factory()


def peek_factory(settings: Any) -> Callable[[], Any]:
    """The live nudges' own recogniser (a seam, like :func:`transcriber_factory`): one per thread,
    so a peek never waits for a live chunk on the same model."""
    from voice_coach.model_cache import shared_transcriber

    return lambda: shared_transcriber(settings.model, settings.asr, per_thread=True)


def is_interactive(args: argparse.Namespace) -> bool:
    """Menus and questions only for a person at a terminal who did not pass ``--yes``."""
    return sys.stdin.isatty() and not args.yes


def find_device(spec: str | None) -> Any:
    """The microphone ``--device`` names (a seam, like :func:`open_source`)."""
    from voice_coach.audio.devices import resolve_input_device

    return resolve_input_device(spec)


def open_source(device: Any) -> Any:
    """The microphone as a frame source (a seam: tests replay files through the same loop)."""
    from voice_coach.audio.sources import MicSource

    if device is None:
        return MicSource(None)
    return MicSource(device.index, name=device.name)


# --------------------------------------------------------------------------- entry point


def run(args: argparse.Namespace) -> int:
    """Run a practice session; see the module docstring."""

    def plan(session: Practice) -> list[Any]:
        session.focus, session.focus_why = choose_focus(args, session.store)
        questions, session.pool = select_questions(args, session.focus)
        return questions

    return run_session(args, plan)


def run_session(args: argparse.Namespace, choose: Callable[[Practice], list[Any]]) -> int:
    """Record and coach the questions ``choose`` plans (it may set the session's focus)."""
    from rich.console import Console

    check_numbers(args)
    interactive = is_interactive(args)
    console = Console(highlight=False)
    session = Practice(args, console, interactive)
    with sigterm_as_interrupt():
        recovered = session.leftovers(ask=interactive)
        if args.recover:
            if not recovered:
                console.print("Nothing to recover.")
            return 0
        plan = choose(session)
        session.factory()  # resolves --model now: a bad name fails before anyone speaks
        session.device = find_device(args.device)
        session.open_voice()
        session.warm_up()
        if getattr(args, "nudge", False):  # loads its own model now, while the question is read
            from voice_coach.live_peek import Peeker

            session.peeker = Peeker(peek_factory(session.settings))
        try:
            return _loop(session, plan, interactive)
        except KeyboardInterrupt:
            if session.unsaved is not None and session.unsaved.exists():
                console.print(f"\n[yellow]Stopped.[/yellow] Your answer so far is kept in {session.unsaved}; "
                              "the next `voice-coach practice` offers to analyse it.")
            else:
                console.print("\n[yellow]Stopped.[/yellow]")
            raise
        finally:
            if session.peeker is not None:
                session.peeker.close()


def _loop(session: Practice, plan: list[Any], interactive: bool) -> int:
    """Attempts in order; at a terminal, the again/next/quit menu after each."""
    i = 0
    previous: Attempt | None = None
    silent = 0
    rng = random.Random(session.args.seed)
    while i < len(plan):
        q = plan[i]
        attempt = session.attempt(q, i + 1, len(plan))
        silent += attempt is None
        if previous is not None and attempt is not None and previous.question.id == q.id:
            compare(session.console, previous.report, attempt.report)
        if not interactive:
            i += 1
            continue
        choice = menu()
        if choice == "quit":
            break
        if choice == "again":
            previous = attempt or previous
            continue
        previous = None
        i += 1
        if i == len(plan):  # "next" past the plan: another question from the same pool
            fresh = [x for x in session.pool if x.id not in {p.id for p in plan}]
            if fresh:
                plan.append(rng.choice(fresh))
    # A script must notice an attempt in which nobody spoke: nothing was saved for it.
    return 1 if silent and not interactive else 0
