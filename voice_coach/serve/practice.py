"""Practice in the browser: the question read by the same TTS as ``practice``, the answer
recorded by the page (MediaRecorder), uploaded, analysed by the same pipeline
(:func:`voice_coach.service.analyze_path`) and saved as a ``practice`` session.

The upload streams straight into a fresh file in ``<home>/audio`` (bounded, see
:func:`~voice_coach.serve.security.save_body`), so a crash mid-analysis leaves the answer as
an orphan recording that ``voice-coach`` offers to analyse, exactly as a terminal practice.
"""

from __future__ import annotations

import contextlib
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from voice_coach.serve import pages
from voice_coach.serve.routes import SESSION_ID, ctx
from voice_coach.serve.security import MAX_AUDIO_BYTES, save_body

AUDIO_TYPES = {"audio/webm": ".webm", "audio/ogg": ".ogg", "audio/wav": ".wav", "audio/x-wav": ".wav",
               "audio/wave": ".wav"}
"""What a browser's MediaRecorder (or a test) uploads, and the suffix it is stored under."""


def _questions() -> dict[str, Any]:
    from voice_coach.bank import load_banks

    return {q.id: q for q in load_banks() if q.id and q.text}


def _focus(store: Any, focus: str) -> tuple[str, str, list[Any], Any]:
    """``practice --focus``'s choice: the skill (``auto``: from the history and schedule), why,
    the questions that exercise it and the one picked, by the command's own functions."""
    from voice_coach.commands.practice import parse_defaults
    from voice_coach.commands.practice_args import choose_focus, select_questions

    args = parse_defaults(focus=focus, count=1)
    skill, why = choose_focus(args, store)
    assert skill is not None  # a focus was given
    chosen, pool = select_questions(args, skill)
    return skill, why, pool, chosen[0]


async def practice_page(request: Request) -> Response:
    """``GET /practice[?focus=SKILL|auto]``: pick a question (or have the focus pick one),
    hear it, answer it."""
    from voice_coach.skills import SKILLS, goal_for

    c = ctx(request)
    focus = request.query_params.get("focus", "")
    if focus and focus not in ("auto", *SKILLS):
        raise HTTPException(400, f"focus is auto or one of {', '.join(SKILLS)}, not {focus!r}")
    if focus:
        # The store is read on the event loop's thread (see routes); choosing is quick.
        skill, why, pool, picked = _focus(c.store, focus)
        body = pages.practice(pool, focus=focus, skill=skill, why=why, picked=picked.id,
                              goals={q.id: goal_for(skill, q.target_s).text for q in pool})
    else:
        questions = await run_in_threadpool(_questions)
        body = pages.practice(list(questions.values()))
    return HTMLResponse(pages.layout("Practise", body, c.keys.csrf, scripts=("app.js", "practice.js")))


async def question_audio(request: Request) -> Response:
    """``GET /practice/question/{qid}``: the question as speech (a WAV rendered once a run)."""
    from voice_coach.audio.tts import TtsUnavailable, make_voice

    c = ctx(request)
    qid = request.path_params["qid"]
    if not SESSION_ID.fullmatch(qid):
        raise HTTPException(404, "no such question")
    path = c.question_audio.get(qid)
    if path is None or not path.is_file():
        question = (await run_in_threadpool(_questions)).get(qid)
        if question is None:
            raise HTTPException(404, "no such question")
        path = c.tmp_dir / f"question-{len(c.question_audio)}.wav"

        def render() -> None:
            voice = make_voice(c.voice)
            if voice is None:
                raise TtsUnavailable("questions are not read aloud (--voice none)")
            voice.save(question.text, path)

        try:
            await run_in_threadpool(render)
        except TtsUnavailable as err:
            raise HTTPException(503, str(err)) from None
        c.question_audio[qid] = path
    return FileResponse(path, media_type="audio/wav")


async def answer(request: Request) -> Response:
    """``POST /practice/answer?question=ID``: the recorded answer as the raw body; analysed,
    saved, and answered with the new session's id and page."""
    from voice_coach.coach import record_goal, review_goal
    from voice_coach.service import Settings, analyze_path

    c = ctx(request)
    qid = request.query_params.get("question", "")
    question = (await run_in_threadpool(_questions)).get(qid) if qid else None
    if qid and question is None:
        raise HTTPException(404, "no such question")
    goal = _goal(request, question)
    mime = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if mime not in AUDIO_TYPES:
        raise HTTPException(415, f"an answer is audio ({', '.join(sorted(set(AUDIO_TYPES)))}), not {mime or 'nothing'}")
    path = c.store.new_audio_path(AUDIO_TYPES[mime])
    size = await save_body(request, path, c.limits.get("audio", MAX_AUDIO_BYTES))
    if size == 0:
        path.unlink(missing_ok=True)
        raise HTTPException(400, "the recording is empty")
    settings = c.settings or Settings()
    try:
        transcript, report = await run_in_threadpool(analyze_path, path, question, settings)
    except BaseException:
        # Not analysable (say, no audio in it): nothing to keep, the browser shows why.
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    judgement = None
    if goal is not None:
        judgement = record_goal(goal, report, request.query_params.get("why", "")[:200] or "chosen in the browser")
    sid = c.store.save_session(kind="practice", report=report, transcript=transcript.to_dict(), audio_path=path,
                               question=question, model=str(transcript.meta.get("model")),
                               settings=settings.describe(), source="browser")
    if goal is not None and judgement is not None:
        review_goal(c.store, goal, judgement, report, sid)
    words = len((report.get("transcript") or {}).get("words") or [])
    return JSONResponse({"id": sid, "url": f"/session/{sid}", "words": words,
                         "goal_met": judgement.met if judgement is not None else None}, status_code=201)


def _goal(request: Request, question: Any) -> Any:
    """The drill goal of ``?focus=SKILL`` (the skill the page chose), or ``None``."""
    from voice_coach.skills import SKILLS, goal_for

    skill = request.query_params.get("focus", "")
    if not skill:
        return None
    if skill not in SKILLS:
        raise HTTPException(400, f"focus is one of {', '.join(SKILLS)}, not {skill!r}")
    if question is None:
        raise HTTPException(400, "a focused answer needs its question")
    return goal_for(skill, question.target_s)


ROUTES = [
    Route("/practice", practice_page),
    Route("/practice/question/{qid}", question_audio),
    Route("/practice/answer", answer, methods=["POST"]),
]
