"""What practice shows and asks at the terminal: the question, the countdown, the recording
screen, the side-by-side comparison, the menus, and the start beep.

Nothing here records or analyses; :mod:`voice_coach.commands.practice` drives it.
"""

from __future__ import annotations

import contextlib
import select
import sys
import time
from typing import Any


def show_question(console: Any, q: Any, number: int, total: int) -> None:
    """The question panel."""
    from rich.panel import Panel

    target = f" · aim for about {q.target_s / 60:.1f} min" if q.target_s else ""
    title = f"Question {number}/{total} · {q.category or 'custom'} · {q.difficulty or '?'}{target}"
    console.print(Panel(f"[bold]{q.text}[/bold]", title=title, title_align="left", expand=False))


def show_goal(console: Any, goal: str, why: str) -> None:
    """The drill goal, one line under the question (and why this skill, in grey)."""
    from rich.markup import escape

    console.print(f"[bold magenta]🎯 {escape(goal)}[/bold magenta]" + (f"  [dim]({escape(why)})[/dim]" if why else ""))


def show_follow_up(console: Any, text: str, reason: str) -> None:
    """The follow-up question, as an interviewer would put it (and why it is asked, in grey)."""
    from rich.markup import escape

    console.print(f"[bold cyan]Follow-up:[/bold cyan] [bold]{escape(text)}[/bold]  [dim]({escape(reason)})[/dim]")


def show_nudge(console: Any, nudge: Any, tone: bool = False) -> None:
    """A live nudge: one quiet line while the candidate speaks, and a soft tone if asked for."""
    import threading

    from rich.markup import escape

    from voice_coach.report.model import fmt_time

    console.print(f"[yellow]  ↳ {escape(nudge.cue)}[/yellow] [dim]({fmt_time(nudge.shown_at)[:-2]})[/dim]")
    if tone:  # in the background: the recorder's loop must not wait for the speaker
        threading.Thread(target=beep, kwargs={"freq": 523.0, "seconds": 0.12, "volume": 0.08}, daemon=True).start()


def think(console: Any, seconds: float) -> None:
    """Count down the thinking time (Enter skips it at a terminal)."""
    if seconds <= 0:
        return
    end = time.monotonic() + seconds
    if not console.is_terminal:
        console.print(f"thinking time: {seconds:g} s")
        time.sleep(seconds)
        return
    with console.status("") as status:
        while (left := end - time.monotonic()) > 0:
            status.update(f"Think it through… [bold]{left:4.0f} s[/bold] left (Enter to start now)")
            if sys.stdin.isatty() and enter_pressed(0.2):
                break
            time.sleep(0.05 if sys.stdin.isatty() else 0.2)


def cue(console: Any, silence_stop: float) -> None:
    """The start cue: a clear line (the beep comes just before the microphone opens)."""
    console.print("[bold green]● Recording — start your answer when ready.[/bold green] "
                       f"It ends after {silence_stop:g} s of silence"
                       + (", or press Enter." if sys.stdin.isatty() else "."))


def render_report(console: Any, report: dict[str, Any], only: str | None = None) -> None:
    """The coaching report on screen (a drill shows its one signal: ``only``)."""
    from voice_coach.report.terminal import render_terminal

    render_terminal(report, console, only=only)


def compare(console: Any, before: dict[str, Any], after: dict[str, Any]) -> None:
    """Side by side: the same question, two attempts, signal by signal (as ``voice-coach compare``)."""
    from voice_coach.commands.compare import comparison_table

    console.print(comparison_table(before, after, ("attempt 1", "attempt 2"),
                                   title="Try again: side by side"))


def enter_pressed(timeout: float = 0.0) -> bool:
    """Whether a line (Enter) is waiting on stdin; consumes it."""
    try:
        ready, _, _ = select.select([sys.stdin], [], [], timeout)
    except (OSError, ValueError):
        return False
    if ready:
        sys.stdin.readline()
        return True
    return False


def confirm(prompt: str, default: bool) -> bool:
    """A yes/no question at the terminal."""
    suffix = " [Y/n] " if default else " [y/N] "
    try:
        answer = input(prompt + suffix).strip().lower()
    except EOFError:
        return default
    return default if not answer else answer.startswith("y")


def menu() -> str:
    """After an attempt: ``"again"``, ``"next"`` or ``"quit"``."""
    while True:
        try:
            answer = input("[a]gain · [n]ext question · [q]uit > ").strip().lower()
        except EOFError:
            return "quit"
        if answer in ("a", "again", "r", "retry"):
            return "again"
        if answer in ("", "n", "next"):
            return "next"
        if answer in ("q", "quit", "exit"):
            return "quit"


def beep(freq: float = 880.0, seconds: float = 0.15, volume: float = 0.3) -> None:
    """A short tone on the default output; silently skipped when there is no speaker."""
    import numpy as np

    t = np.arange(int(seconds * 16000)) / 16000
    tone = (volume * np.sin(2 * np.pi * freq * t) * np.hanning(t.size)).astype(np.float32)
    with contextlib.suppress(Exception):
        from voice_coach.audio.devices import sounddevice
        from voice_coach.audio.tts import quiet_alsa

        with quiet_alsa():
            sounddevice().play(tone, 16000, blocking=True)


class LiveDisplay:
    """The recording screen: timer, level meter, speaking/silent, at ~10 Hz (rich Live).

    When stdout is not a terminal it prints one line when the answer starts instead.
    """

    def __init__(self, console: Any, silence_stop: float, max_duration: float, interactive: bool) -> None:
        self.console = console
        self.silence_stop = silence_stop
        self.max_duration = max_duration
        self._live: Any = None
        self._last = 0.0
        self._said_start = False

    def __enter__(self) -> LiveDisplay:
        if self.console.is_terminal:
            from rich.live import Live

            self._live = Live(self._render(None), console=self.console, refresh_per_second=10, transient=True)
            self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.__exit__(None, None, None)
            self._live = None

    def update(self, rec: Any) -> None:
        """Redraw (throttled) from the recorder's state."""
        if self._live is None:
            if rec.state == "answering" and not self._said_start:
                self._said_start = True
                self.console.print("speech detected: recording the answer")
            return
        now = time.monotonic()
        if now - self._last >= 0.1:
            self._last = now
            self._live.update(self._render(rec))

    def _render(self, rec: Any) -> Any:
        from rich.text import Text

        from voice_coach.report.model import fmt_time

        text = Text()
        if rec is None or rec.state == "waiting":
            text.append("● ", style="bold red")
            text.append("listening… start speaking  ", style="bold")
            level = rec.level_db if rec is not None else -120.0
        else:
            text.append("● REC ", style="bold red")
            text.append(f"{fmt_time(rec.answer_elapsed)[:-2]:>5} / {fmt_time(self.max_duration)[:-2]}  ")
            level = rec.level_db
        bars = int(max(0.0, min(1.0, (level + 60.0) / 60.0)) * 20)
        colour = "green" if bars < 15 else ("yellow" if bars < 19 else "red")
        text.append("▮" * bars, style=colour)
        text.append("▯" * (20 - bars), style="dim")
        text.append(f" {max(level, -99):4.0f} dB  ")
        if rec is not None and rec.state == "answering":
            if rec.speaking:
                text.append("speaking", style="bold green")
            else:
                left = max(0.0, self.silence_stop - rec.silence_s)
                text.append(f"silent — ends in {left:.0f} s", style="yellow")
            text.append("   (Enter to finish)", style="dim")
        return text

    def ended(self, recording: Any) -> None:
        """One line saying how the answer ended."""
        from voice_coach.report.model import fmt_time

        why = {"silence": f"{self.silence_stop:g} s of silence", "max_duration": "maximum length reached",
               "enter": "Enter pressed", "no_speech": "nobody spoke", "device_lost": "the microphone stopped",
               "interrupted": "interrupted", "end_of_input": "end of input"}.get(recording.reason, recording.reason)
        self.console.print(f"■ answer recorded: {fmt_time(recording.duration)} ({why})")
