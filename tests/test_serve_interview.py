"""``voice-coach serve`` with interviews and focused practice (Starlette's TestClient, the real
app and store below it): an interview's page links each question to its answer's page and
back, the kind filter, forgetting an interview takes its answers, and ``/practice?focus=``
picks a question and states the goal as ``practice --focus`` does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from starlette.testclient import TestClient

from tests.serve_store import fill_store
from tests.test_interview_split import ANSWER_1, ANSWER_2, BANK, conversation
from voice_coach.audio.decode import write_wav
from voice_coach.bank import load_banks
from voice_coach.commands.common import save_interview
from voice_coach.interview.build import build_interview
from voice_coach.interview.split import split
from voice_coach.serve.app import build_app
from voice_coach.serve.context import Context
from voice_coach.serve.security import Secrets
from voice_coach.service import Settings
from voice_coach.store import Store

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
Served = tuple[TestClient, Context, str]


def _interview(tmp_path: Path, store: Store) -> str:
    """An interview saved as ``voice-coach interview`` saves one: two answers under one session."""
    conv = conversation(
        ("L", "How would you design a ranking system for search results?", 0.0),
        ("R", ANSWER_1, 6.0),
        ("L", "What is overfitting, how do you detect it, and what are three ways to reduce it?", 20.0),
        ("R", ANSWER_2, 27.0),
    )
    cand, answers = split(conv, BANK)
    data = build_interview(conv, cand, answers)
    recording = tmp_path / "interview.wav"
    write_wav(recording, np.zeros(1600, np.float32))  # a short silent recording stands in for the real one
    sid = save_interview(data, [None] * len(data["answers"]), Settings(), recording, store)
    assert sid is not None
    return sid


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[Served]:
    store = Store.open(tmp_path / "home")
    fill_store(store, 6, variety=2)
    iid = _interview(tmp_path, store)
    (tmp_path / "tmp").mkdir()
    ctx = Context(store=store, keys=Secrets(), port=PORT, tmp_dir=tmp_path / "tmp")
    with TestClient(build_app(ctx), base_url=BASE, follow_redirects=False) as client:
        assert client.get(f"/?token={ctx.keys.token}").status_code == 303  # the token becomes a cookie
        yield client, ctx, iid
    store.close()


def test_the_interview_page_lists_its_questions_and_links_each_answer(served: Served) -> None:
    client, ctx, iid = served
    page = client.get(f"/session/{iid}")
    assert page.status_code == 200
    html = page.text
    assert "Mock interview" in html and 'class="questions"' in html
    assert "How would you design a ranking system" in html and "What is overfitting" in html
    # Served like a single session: our CSP in the page, our notes/actions, our scripts only.
    assert "Content-Security-Policy" in html and "connect-src 'self'" in html
    assert 'id="serve-tools"' in html and "/static/session.js" in html and "(and its 2 answers)" in html
    assert not re.search(r"""(src|href)=["']https?:""", html)
    assert f'src="/audio/{iid}"' in html and client.get(f"/audio/{iid}").status_code == 200
    links = re.findall(r'class="answer-page" href="(/session/[^"]+)"', html)
    children = ctx.store.children(iid)
    assert links == [f"/session/{c.id}" for c in children] and len(links) == 2
    for link, text in zip(links, ("latency budget", "overfitting"), strict=True):
        answer = client.get(link)
        assert answer.status_code == 200 and text in answer.text
        assert f'href="/session/{iid}"' in answer.text and 'id="parent-interview"' in answer.text


def test_the_list_shows_and_filters_by_kind(served: Served) -> None:
    client, _ctx, iid = served
    everything = client.get("/").text
    assert '<option value="interview">' in everything and '<option value="answer">' in everything
    interviews = client.get("/?kind=interview").text
    assert "1 session<" in interviews and f'data-id="{iid}"' in interviews and "<td>interview</td>" in interviews
    answers = client.get("/?kind=answer").text
    assert "2 sessions" in answers and answers.count("<td>answer</td>") == 2 and f'data-id="{iid}"' not in answers
    practice = client.get("/?kind=practice").text
    assert "session-row" in practice and "<td>answer</td>" not in practice and "<td>interview</td>" not in practice


def test_forgetting_an_interview_forgets_its_answers(served: Served) -> None:
    client, ctx, iid = served
    children = [c.id for c in ctx.store.children(iid)]
    before = ctx.store.count()
    assert len(children) == 2
    r = client.post(f"/session/{iid}/forget", headers={"X-CSRF-Token": ctx.keys.csrf})
    assert r.status_code == 200 and r.json() == {"deleted": iid}
    assert ctx.store.count() == before - 3
    for sid in (iid, *children):
        assert not ctx.store.exists(sid)
        assert client.get(f"/session/{sid}").status_code == 404
    assert "<td>answer</td>" not in client.get("/").text


def test_focused_practice_picks_a_question_that_drills_the_skill(served: Served) -> None:
    client, _ctx, _iid = served
    page = client.get("/practice?focus=tradeoffs")
    assert page.status_code == 200
    html = page.text
    assert 'data-skill="tradeoffs"' in html and "This time: name one tradeoff" in html
    picked = re.search(r'<option value="([^"]+)" selected data-goal="([^"]+)"', html)
    assert picked is not None
    bank = {q.id: q for q in load_banks()}
    ids = re.findall(r'<select id="question" name="question">(.*?)</select>', html, re.S)[0]
    offered = re.findall(r'<option value="([^"]+)"', ids)
    assert offered and all("tradeoffs" in bank[q].skills for q in offered)
    assert len(offered) < len(bank)  # only the questions that drill it
    assert "tradeoffs" in bank[picked.group(1)].skills
    # Without a focus every question is offered, and no goal is set.
    plain = client.get("/practice").text
    assert 'id="goal"' not in plain and plain.count("<option value=") > len(offered)


def test_auto_focus_names_a_skill_and_a_bad_focus_is_400(served: Served) -> None:
    client, ctx, _iid = served
    auto = client.get("/practice?focus=auto").text
    skill = re.search(r'id="goal" data-skill="(\w+)"', auto)
    assert skill is not None and "This time:" in auto
    bad = client.get("/practice?focus=juggling")
    assert bad.status_code == 400 and "juggling" in bad.text and "\n" not in bad.text.strip()
    answer = client.post("/practice/answer?focus=juggling", content=b"x",
                         headers={"X-CSRF-Token": ctx.keys.csrf, "Content-Type": "audio/wav"})
    assert answer.status_code == 400 and "focus" in answer.text
    orphan = client.post("/practice/answer?focus=tradeoffs", content=b"x",
                         headers={"X-CSRF-Token": ctx.keys.csrf, "Content-Type": "audio/wav"})
    assert orphan.status_code == 400 and "question" in orphan.text


def test_a_goal_is_recorded_and_reviewed_as_the_cli_does(tmp_path: Path) -> None:
    """The helpers both ``practice`` and the browser's answer call: meta fields and the schedule."""
    from voice_coach.coach import record_goal, review_goal
    from voice_coach.skills import goal_for

    with Store.open(tmp_path / "home") as store:
        sid = fill_store(store, 1, variety=1)[0]
        report: dict[str, Any] = store.get(sid).report or {}
        goal = goal_for("fillers", 120)
        judgement = record_goal(goal, report, "chosen in the browser")
        meta = report["meta"]
        assert meta["focus"] == "fillers" and meta["goal"] == goal.text and meta["goal_limit_s"] == 120
        assert meta["goal_met"] is judgement.met and meta["focus_why"] == "chosen in the browser"
        assert judgement.met is not None
        review_goal(store, goal, judgement, report, sid)
        assert [r.session_id for r in store.skill_reviews("fillers")] == [sid]
