"""The signal registry: one explicit, ordered list.

Each entry names a module in this package with a ``compute`` function and a ``Config``
dataclass. Order matters only for ``overall``, which reads the others' results and so
comes last. To add a signal: write ``signals/<name>.py`` (docstring saying what it measures
and why), add it here, and add rows to ``tests/examples.py``; a meta-test fails until the
signal has examples.
"""

from __future__ import annotations

from voice_coach.signals import (
    clarifying_questions,
    closing_summary,
    data_before_model,
    fillers,
    framing,
    hedging,
    justification,
    overall,
    pace,
    pauses,
    ramble,
    signposting,
    tradeoffs,
)
from voice_coach.signals.base import Context, Evidence, Signal, SignalResult, Verdict

SIGNALS: tuple[Signal, ...] = (
    Signal("fillers", fillers.compute, fillers.Config, "Filler words", contract=True),
    Signal("pauses", pauses.compute, pauses.Config, "Pauses", contract=True),
    Signal("pace", pace.compute, pace.Config, "Pace", contract=True),
    Signal("framing", framing.compute, framing.Config, "Framing", contract=True),
    Signal("ramble", ramble.compute, ramble.Config, "Ramble", contract=True),
    Signal("tradeoffs", tradeoffs.compute, tradeoffs.Config, "Tradeoffs", contract=True),
    Signal("clarifying_questions", clarifying_questions.compute, clarifying_questions.Config,
           "Clarifying questions", contract=True),
    Signal("signposting", signposting.compute, signposting.Config, "Signposting"),
    Signal("hedging", hedging.compute, hedging.Config, "Hedging and assumptions"),
    Signal("justification", justification.compute, justification.Config, "Justification"),
    Signal("closing_summary", closing_summary.compute, closing_summary.Config, "Closing summary"),
    Signal("data_before_model", data_before_model.compute, data_before_model.Config, "Data before model"),
    Signal("overall", overall.compute, overall.Config, "Overall"),
)

BY_NAME = {s.name: s for s in SIGNALS}

__all__ = ["BY_NAME", "SIGNALS", "Context", "Evidence", "Signal", "SignalResult", "Verdict"]
