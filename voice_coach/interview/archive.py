"""Archives of whole interviews: ``voice-coach analyze DIR --interview`` (see :mod:`voice_coach.batch`).

Each file is one interview: the unit of work runs :func:`voice_coach.interview.service.analyze_interview`
in a worker process or on a Dask worker, with the batch's per-worker recogniser and its
one error path; the summary gets one row per answer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from voice_coach.batch import Outcome, guarded, summary_row, worker_settings
from voice_coach.batch import _transcriber as batch_transcriber
from voice_coach.interview import SCHEMA


def analyze_interview_file(
    index: int,
    path: str,
    settings: Any,
    transcriber_factory: Callable[[], Any] | None = None,
) -> Outcome:
    """Analyse one whole interview (``analyze --interview``); never raises for a bad file.

    The outcome's ``report`` is the ``voice-coach.interview/1`` object and its
    ``transcript`` is ``{"answers": [...]}``, each answer's transcript (for its session).
    """
    from voice_coach import bank
    from voice_coach.interview.service import analyze_interview

    def work() -> tuple[dict[str, Any], dict[str, Any]]:
        factory = transcriber_factory or (lambda: batch_transcriber(settings))
        result = analyze_interview(Path(path), settings, bank.load_banks(), transcriber_factory=factory)
        return result.data, {"answers": [a.transcript().to_dict() for a in result.answers]}

    return guarded(index, path, work)


def pool_task(index: int, path: str) -> Outcome:
    """The task a local worker process runs (module level, so it pickles)."""
    return analyze_interview_file(index, path, worker_settings())


def summary_rows(outcome: Outcome, session_id: str | None = None) -> list[dict[str, Any]]:
    """The summary rows of one outcome: one for an answer, one per answer for an interview.

    An interview's rows are named ``file (answer N)`` and keep the file's index, so they
    sort together in the file's place.
    """
    report = outcome.report or {}
    if not outcome.ok or report.get("schema") != SCHEMA:
        return [summary_row(outcome, session_id)]
    return [summary_row(Outcome(outcome.index, f"{outcome.path} (answer {a.get('index')})", None,
                                a.get("report"), None, outcome.seconds), session_id)
            for a in report.get("answers") or []]
