"""The interview object (contract ``voice-coach.interview/1``, docs/interview-schema.json).

Each answer gets the full single-answer report (``voice-coach.report/1``) computed on the
candidate's words only, with time 0 at the end of the question; the interview adds who spoke
when, the questions, and a summary across answers.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

from voice_coach import __version__
from voice_coach.interview import SCHEMA
from voice_coach.interview.conversation import Conversation
from voice_coach.interview.split import Answer, SplitOptions, interruptions
from voice_coach.question import Question
from voice_coach.service import Settings, report_for_transcript


def answer_question(answer: Answer) -> Question:
    """The question an answer's report names: the bank question when matched, else the asked text.

    A bank question brings its focus (which signals weigh double) and target length.
    """
    if answer.bank is not None:
        return answer.bank.question
    return Question(None, answer.question)


def build_interview(conv: Conversation, candidate: str, answers: Sequence[Answer],
                    settings: Settings | None = None, options: SplitOptions | None = None,
                    meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """Assemble the interview object: speakers, turns, one report per answer, summary."""
    settings = settings or Settings()
    items = []
    for a in answers:
        report = report_for_transcript(a.transcript(dict(conv.meta)), answer_question(a), settings)
        report["meta"]["offset_s"] = a.question_end  # report times are seconds after this
        items.append({
            "index": a.index,
            "question": {"text": a.question, "start": a.question_start, "end": a.question_end,
                         "bank_id": a.bank.question.id if a.bank else None,
                         "bank_score": a.bank.score if a.bank else None},
            "start": a.start, "end": a.end, "offset_s": a.question_end, "report": report,
        })
    speakers = [{"id": s, "role": "candidate" if s == candidate else "interviewer",
                 "talk_s": conv.talk_s(s)} for s in conv.speakers]
    interrupts = interruptions(conv, options)
    return {
        "schema": SCHEMA,
        "duration_s": round(float(conv.duration), 3),
        "speakers": speakers,
        "turns": [{"speaker": t.speaker, "start": t.start, "end": t.end} for t in conv.turns],
        "answers": items,
        "summary": summarise(items, speakers, interrupts, settings),
        "meta": {
            "voice_coach": __version__,
            "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            **conv.meta, **(meta or {}), "settings": settings.describe(),
        },
    }


def _share(reports: Sequence[dict[str, Any]], test: Any) -> float | None:
    if not reports:
        return None
    return round(sum(1 for r in reports if test(r["signals"])) / len(reports), 3)


def _mean(values: Sequence[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return round(sum(got) / len(got), 2) if got else None


def summarise(items: Sequence[dict[str, Any]], speakers: Sequence[dict[str, Any]],
              interrupts: Sequence[dict[str, Any]], settings: Settings) -> dict[str, Any]:
    """Signals across answers, the answer to practise again, talk time and interruptions."""
    reports = [it["report"] for it in items]
    total_talk = sum(s["talk_s"] for s in speakers) or 1.0
    by: dict[str, int] = {s["id"]: 0 for s in speakers}
    for i in interrupts:
        by[str(i["by"])] = by.get(str(i["by"]), 0) + 1
    return {
        "answers": len(items),
        "framed_share": _share(reports, lambda s: bool(s["framing"].get("present"))),
        "clarified_share": _share(reports, lambda s: (s["clarifying_questions"].get("count") or 0) > 0),
        "tradeoff_share": _share(reports, lambda s: (s["tradeoffs"].get("count") or 0) > 0),
        "mean_fillers_per_100_words": _mean([r["signals"]["fillers"].get("per_100_words") for r in reports]),
        "mean_wpm": _mean([r["signals"]["pace"].get("wpm") for r in reports]),
        "practise_again": practise_again(items, settings),
        "talk_share": {s["id"]: round(s["talk_s"] / total_talk, 3) for s in speakers},
        "interruptions": {"count": len(interrupts), "by": by, "items": list(interrupts)},
    }


def practise_again(items: Sequence[dict[str, Any]], settings: Settings) -> dict[str, Any] | None:
    """The answer with the most (weighted) to work on, and what to practise in it.

    Weights are the overall signal's (framing and clarifying count more than pace), so the
    pick agrees with what each answer's own summary says matters most.
    """
    from voice_coach.signals import overall

    cfg = (settings.configs or {}).get("overall") or overall.Config()
    best: tuple[float, int] | None = None
    pick: dict[str, Any] | None = None
    for it in items:
        values = it["report"]["signals"]["overall"]
        needs = values.get("needs_work") or []
        score = sum(float(cfg.weights.get(n, 1.0)) for n in needs)
        key = (score, -it["index"])
        if needs and (best is None or key > best):
            best, pick = key, it
    if pick is None:
        return None
    focus = pick["report"]["signals"]["overall"].get("focus")
    return {"index": pick["index"], "focus": focus, "needs_work": list(
        pick["report"]["signals"]["overall"].get("needs_work") or []),
        "advice": pick["report"].get("summary")}
