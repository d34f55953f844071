"""The interview object from a hand-made conversation: contract, summary, renderers (no audio)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jsonschema
import pytest
from referencing import Registry, Resource

from tests.test_interview_split import ANSWER_1, ANSWER_2, BANK, conversation
from voice_coach.interview.build import build_interview
from voice_coach.interview.render import render_interview_markdown, render_interview_terminal
from voice_coach.interview.split import split

DOCS = Path(__file__).resolve().parent.parent / "docs"


def validator() -> jsonschema.Draft202012Validator:
    """The interview schema, with its ``$ref`` to the report schema resolved to the file."""
    schema = json.loads((DOCS / "interview-schema.json").read_text())
    report = json.loads((DOCS / "report-schema.json").read_text())
    ref = schema["properties"]["answers"]["items"]["properties"]["report"]["$ref"]
    registry = Registry().with_resource(urljoin(schema["$id"], ref), Resource.from_contents(report))
    return jsonschema.Draft202012Validator(schema, registry=registry)


@pytest.fixture(scope="module")
def interview() -> dict[str, Any]:
    conv = conversation(
        ("L", "How would you design a ranking system for search results?", 0.0),
        ("R", "Hmm, sorry, can I just check one thing first.", 3.0),  # overlaps: an interruption
        ("R", ANSWER_1, 9.0),
        ("L", "What is overfitting, how do you detect it, and what are three ways to reduce it?", 20.0),
        ("R", ANSWER_2, 27.0),
    )
    cand, answers = split(conv, BANK)
    return build_interview(conv, cand, answers)


def test_interview_follows_the_contract(interview: dict[str, Any]) -> None:
    v = validator()
    assert list(v.iter_errors(interview)) == []
    broken = json.loads(json.dumps(interview))
    broken["answers"][0]["report"]["schema"] = "something else"  # the nested report is checked too
    assert list(v.iter_errors(broken))


def test_reports_are_the_candidates_answers(interview: dict[str, Any]) -> None:
    first, second = interview["answers"]
    assert first["question"]["bank_id"] == "sys-ranking" and second["question"]["bank_id"] == "core-overfitting"
    assert first["report"]["question"]["id"] == "sys-ranking"
    assert second["report"]["transcript"]["text"] == ANSWER_2
    # time 0 of a report is the end of its question
    q_end = second["question"]["end"]
    assert second["offset_s"] == q_end
    assert second["report"]["transcript"]["words"][0]["start"] == pytest.approx(27.0 - q_end, abs=0.01)
    assert second["report"]["signals"]["pauses"]["time_to_first_word_s"] == pytest.approx(27.0 - q_end, abs=0.01)


def test_summary(interview: dict[str, Any]) -> None:
    s = interview["summary"]
    roles = {sp["id"]: sp["role"] for sp in interview["speakers"]}
    assert roles == {"L": "interviewer", "R": "candidate"}
    assert s["answers"] == 2
    assert sum(s["talk_share"].values()) == pytest.approx(1.0, abs=0.01)
    assert s["talk_share"]["R"] > s["talk_share"]["L"]
    assert s["interruptions"]["by"] == {"L": 0, "R": 1}
    assert s["tradeoff_share"] is not None and 0.0 <= s["tradeoff_share"] <= 1.0
    wpm = [a["report"]["signals"]["pace"]["wpm"] for a in interview["answers"]]
    assert s["mean_wpm"] == pytest.approx(sum(wpm) / 2, abs=0.01)
    again = s["practise_again"]
    if again is not None:
        assert again["index"] in (1, 2) and again["focus"] in again["needs_work"]


def test_renderers(interview: dict[str, Any]) -> None:
    from rich.console import Console

    md = render_interview_markdown(interview)
    assert md.count("## Answer ") == 2 and "[sys-ranking]" in md
    console = Console(record=True, width=120, file=io.StringIO())
    render_interview_terminal(interview, console)
    text = console.export_text()
    assert "Interview summary" in text and "core-overfitting" in text


def test_saved_as_an_interview_with_a_session_per_answer(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    import numpy as np

    from voice_coach.audio.decode import write_wav
    from voice_coach.cli import main
    from voice_coach.commands.common import save_interview
    from voice_coach.service import Settings
    from voice_coach.store import Store

    conv = conversation(
        ("L", "How would you design a ranking system for search results?", 0.0),
        ("R", ANSWER_1, 5.0),
        ("L", "What is overfitting, how do you detect it, and what are three ways to reduce it?", 20.0),
        ("R", ANSWER_2, 27.0),
    )
    cand, answers = split(conv, BANK)
    data = build_interview(conv, cand, answers)
    wav = tmp_path / "call.wav"
    write_wav(wav, np.zeros(16_000, np.float32))
    sid = save_interview(data, [a.transcript().to_dict() for a in answers], Settings(), wav)
    assert sid is not None
    with Store.open() as store:
        parent = store.get(sid)
        kids = store.list_sessions(kind="answer", with_reports=True)
    assert parent.kind == "interview" and parent.audio_path is not None and parent.audio_path.is_file()
    assert [k.parent for k in kids] == [sid, sid]
    assert [k.question_id for k in kids] == ["sys-ranking", "core-overfitting"]
    assert kids[1].report is not None and kids[1].report["transcript"]["text"] == ANSWER_2
    capfd.readouterr()
    # the review commands read both kinds
    assert main(["compare", kids[0].id, kids[1].id]) == 0
    capfd.readouterr()
    assert main(["progress", "--format", "json"]) == 0  # on the answers, not the interview
    assert json.loads(capfd.readouterr().out)["sessions"] == [k.id for k in kids]
    assert main(["sessions"]) == 0
    assert main(["show", sid]) == 0
    assert "Interview summary" in capfd.readouterr().out
    assert main(["report", sid, "--format", "markdown"]) == 0
    assert "## Answer 2" in capfd.readouterr().out
    # forgetting the interview forgets its answers, and then the recording
    with Store.open() as store:
        store.forget(sid)
        assert store.count() == 0
    assert not parent.audio_path.exists()


def test_review_page_keeps_the_dom_contract(tmp_path: Path, interview: dict[str, Any]) -> None:
    import numpy as np

    from tests.test_html import Elements
    from voice_coach.audio.decode import write_wav
    from voice_coach.report.html import audio_source
    from voice_coach.report.html_interview import render_interview_html

    wav = tmp_path / "call.wav"
    write_wav(wav, np.zeros(16_000, np.float32))
    page = render_interview_html(interview, audio=audio_source(wav), session_id="s1")
    el = Elements()
    el.feed(page)
    ids = [a.get("id") for _t, a in el.tags if a.get("id")]
    assert ids.count("audio") == 1 and ids.count("transcript") == 1 and ids.count("timeline") == 1
    assert [i for i in ids if i and i.startswith("answer-")] == ["answer-1", "answer-2"]
    assert [a.get("href") for t, a in el.tags if t == "a" and (a.get("href") or "").startswith("#answer-")][-2:] \
        == ["#answer-1", "#answer-2"]
    # Words carry seconds into the recording, not into the answer.
    starts = [float(a["data-start"] or 0) for a in el.with_class("w")]
    assert len(starts) == sum(len(a["report"]["transcript"]["words"]) for a in interview["answers"])
    second = interview["answers"][1]
    first_of_second = starts[len(interview["answers"][0]["report"]["transcript"]["words"])]
    assert first_of_second == pytest.approx(27.0, abs=0.01)
    assert first_of_second == pytest.approx(second["offset_s"] + second["report"]["transcript"]["words"][0]["start"],
                                            abs=0.01)
    # The timeline is coloured by speaker, and its turns seek too.
    assert el.with_class("tl-candidate") and el.with_class("tl-interviewer")
    assert all(a.get("data-start") for a in el.with_class("tl-candidate"))
    assert all(a.get("data-start") for a in el.with_class("ev"))
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
