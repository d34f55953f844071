"""The adaptive coach without audio: skills of questions, goals, the choice of focus, the schedule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.skill_reports import report, seed_history
from voice_coach import bank, coach
from voice_coach.errors import UsageError
from voice_coach.schedule import MIN_EASE, SkillState, review
from voice_coach.skills import DELIVERY, derive_skills, goal_for, judge, skill_met
from voice_coach.store import Store

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(("text", "category", "focus", "expected"), [
    ("Design a system that ranks results for a product search engine.", "system_design", (),
     {"clarifying", "framing"}),
    ("How would you design a feature store for ten data scientists?", "data", (), {"clarifying", "framing"}),
    ("Would you start with gradient boosted trees or a neural network?", "core_concepts", (), {"tradeoffs"}),
    ("When would you fine-tune a model rather than prompt it?", "core_concepts", (), {"tradeoffs"}),
    ("What is overfitting?", "core_concepts", (), set()),
    ("What is overfitting?", "core_concepts", ("clarifying_questions",), {"clarifying"}),
])
def test_skills_are_derived_from_the_question(text: str, category: str, focus: tuple[str, ...],
                                              expected: set[str]) -> None:
    assert set(derive_skills(text, category, focus)) == expected | set(DELIVERY)


def test_a_bank_may_list_skills_and_a_wrong_one_names_the_line(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[[question]]\nid = "q1"\ntext = "What is overfitting, really?"\ncategory = "x"\n'
                    'difficulty = "easy"\ntarget_s = 60\nfocus = ["fillers"]\nskills = ["tradeoffs"]\n')
    (q,) = bank.parse_bank(good)
    assert q.skills == ("tradeoffs", *DELIVERY) and q.to_dict()["skills"] == list(q.skills)
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text().replace('"tradeoffs"', '"juggling"'))
    with pytest.raises(UsageError, match=r"bad.toml:8: question field 'skills': unknown skill 'juggling'"):
        bank.parse_bank(bad)


def test_every_shipped_question_exercises_the_delivery_skills_and_some_drill_tradeoffs() -> None:
    questions = bank.load_banks()
    assert all(set(DELIVERY) <= set(q.skills) for q in questions)
    assert sum("tradeoffs" in q.skills for q in questions) >= 10
    assert all("clarifying" in q.skills for q in questions if q.category == "system_design")


def test_the_goal_is_one_line_with_the_time_limit() -> None:
    assert goal_for("tradeoffs", 90).text == "This time: name one tradeoff (what your choice costs), in under 90 s."
    assert goal_for("framing", 150).text == "This time: open with your plan, in under 2.5 min."
    assert goal_for("fillers", None).text.endswith("instead.")
    with pytest.raises(ValueError):
        goal_for("juggling", 60)


def test_the_goal_is_met_only_when_the_skill_is_done_in_time() -> None:
    goal = goal_for("tradeoffs", 90)
    assert judge(goal, report(duration_s=60)).met is True
    missed = judge(goal, report({"tradeoffs"}, duration_s=60))
    assert missed.met is False and "no tradeoff" in missed.why
    late = judge(goal, report(duration_s=120))
    assert late.met is False and "over the 90 s limit" in late.why
    silent = report()
    silent["signals"]["tradeoffs"]["verdict"] = "n/a"
    assert judge(goal, silent).met is None
    assert judge(goal, report()).to_meta(goal) == {
        "focus": "tradeoffs", "goal": goal.text, "goal_met": True, "goal_why": "met: 2 tradeoffs stated",
        "goal_limit_s": 90.0}
    assert skill_met("framing", report({"framing"})) is False and skill_met("concise", report()) is True


# SM-2 arithmetic: a fresh skill reviewed in this order, and the state after each review.
SCHEDULE_EXAMPLES = [
    # met,  strong, interval_d, ease, streak, lapses
    (True, False, 1.0, 2.5, 1, 0),
    (True, True, 3.0, 2.6, 2, 0),
    (True, False, 7.8, 2.6, 3, 0),    # 3.0 * 2.6
    (True, False, 20.3, 2.6, 4, 0),   # 7.8 * 2.6 = 20.28
    (False, False, 0.0, 2.4, 0, 1),   # missed: reset, ease - 0.2
    (True, False, 1.0, 2.4, 1, 1),
    (False, False, 0.0, 2.2, 0, 2),
    (False, False, 0.0, 2.0, 0, 3),
    (True, False, 1.0, 2.0, 1, 3),
    (True, False, 3.0, 2.0, 2, 3),
    (True, False, 6.0, 2.0, 3, 3),    # 3.0 * 2.0
]


def test_the_interval_arithmetic_follows_the_examples_table() -> None:
    state = SkillState("tradeoffs")
    for step, (met, strong, interval, ease, streak, lapses) in enumerate(SCHEDULE_EXAMPLES):
        state = review(state, met, NOW, strong)
        assert (state.interval_d, state.ease, state.streak, state.lapses) == (interval, ease, streak, lapses), step
        assert state.due == NOW + dt.timedelta(days=interval) and state.reviews == step + 1
    assert state.is_due(NOW + dt.timedelta(days=6)) and not state.is_due(NOW + dt.timedelta(days=5.9))


def test_the_ease_never_drops_below_the_floor() -> None:
    state = SkillState("fillers")
    for _ in range(10):
        state = review(state, False, NOW)
    assert state.ease == MIN_EASE and state.interval_d == 0.0 and state.is_due(NOW)


def test_auto_picks_the_skill_that_failed_in_every_recent_answer() -> None:
    status = coach.statuses([report({"tradeoffs"}) for _ in range(5)], {})
    skill, why = coach.choose_focus(status, NOW)
    assert skill == "tradeoffs" and "missed in 5 of the last 5 answers" in why


def test_auto_weighs_recent_failures_and_importance() -> None:
    # fillers failed in the three newest answers, clarifying in the two oldest.
    reports = [report({"clarifying"})] * 2 + [report({"fillers"})] * 3
    status = {s.skill: s for s in coach.statuses(reports, {})}
    assert status["fillers"].weakness > status["clarifying"].weakness > 0
    assert coach.choose_focus(list(status.values()), NOW)[0] == "fillers"
    # Failed equally often: the more important skill (clarifying 4.5 > fillers 3.5) wins.
    both = coach.statuses([report({"clarifying", "fillers"})] * 3, {})
    assert coach.choose_focus(both, NOW)[0] == "clarifying"


def test_only_answers_to_questions_that_exercise_a_skill_count_for_it() -> None:
    drill = report({"framing", "clarifying"})  # a tradeoffs drill: no plan, no question asked
    drill["question"] = {"id": "drill-tradeoffs-sql-nosql", "text": "State one tradeoff.", "skills": ["tradeoffs"]}
    status = {s.skill: s for s in coach.statuses([drill] * 3, {})}
    assert status["tradeoffs"].record == (True, True, True)
    assert status["framing"].record == (None, None, None) and status["framing"].weakness == 0.0
    assert coach.exercised("framing", report()) is True  # no question skills: every skill counts


def test_auto_follows_the_schedule_and_starts_with_framing_without_history() -> None:
    assert coach.choose_focus(coach.statuses([], {}), NOW) == ("framing", "no history yet: starting with framing")
    reports = [report({"tradeoffs", "clarifying"})] * 4
    later = {"tradeoffs": SkillState("tradeoffs", interval_d=3.0, streak=2, due=NOW + dt.timedelta(days=2))}
    skill, why = coach.choose_focus(coach.statuses(reports, later), NOW)
    assert skill == "clarifying" and why.startswith("weakest due skill")
    all_later = {s: SkillState(s, due=NOW + dt.timedelta(days=1)) for s in coach.SKILLS}
    skill, why = coach.choose_focus(coach.statuses(reports, all_later), NOW)
    assert skill == "clarifying" and why.startswith("nothing is due")  # weight 4.5 beats tradeoffs' 4


def test_questions_for_a_skill_all_exercise_it() -> None:
    questions = bank.load_banks()
    chosen = coach.questions_for("tradeoffs", questions)
    assert chosen and all("tradeoffs" in q.skills for q in chosen)
    assert {q.id for q in chosen} == {q.id for q in questions if "tradeoffs" in q.skills}
    assert len(coach.questions_for("fillers", questions)) == len(questions)


def test_the_store_keeps_the_schedule_and_its_reviews(isolated_home: Path) -> None:
    with Store.open() as store:
        (sid,) = seed_history(store, [{"tradeoffs"}])
        store.review_skill("tradeoffs", True, sid, now=NOW)
        state = store.review_skill("tradeoffs", True, None, now=NOW + dt.timedelta(days=1))
        assert state.interval_d == 3.0
        store.forget(sid)  # a review outlives its session
    with Store.open() as store:
        assert store.skill_states()["tradeoffs"] == state
        reviews = store.skill_reviews("tradeoffs")
        assert [(r.met, r.interval_d, r.session_id) for r in reviews] == [(True, 1.0, None), (True, 3.0, None)]
        status = coach.statuses_from_store(store)
        assert {s.skill: s.state for s in status}["tradeoffs"] == state


def test_every_report_format_leads_with_the_goal() -> None:
    from voice_coach.report.html import render_html
    from voice_coach.report.markdown import render_markdown

    rep = report({"tradeoffs"})
    goal = goal_for("tradeoffs", 90)
    rep["meta"].update(judge(goal, rep).to_meta(goal))
    md = render_markdown(rep)
    assert md.index("**Drill goal missed:** This time: name one tradeoff") < md.index("## Signals")
    page = render_html(rep)
    assert 'class="goal goal-missed"' in page and "Drill goal missed:" in page
    assert page.index("Drill goal missed") < page.index('id="signal-')
    assert "Drill goal" not in render_markdown(report())


def test_the_follow_up_matches_the_missing_step_and_prefers_the_focus(tmp_path: Path) -> None:
    from voice_coach.followup import follow_up_for

    design = bank.find_question("sys-search-ranking")
    assert follow_up_for(report(), design) is None
    fu = follow_up_for(report({"clarifying", "tradeoffs"}), design)
    assert fu is not None and (fu.skill, fu.text) == ("clarifying", "What would you want to know before choosing?")
    fu = follow_up_for(report({"clarifying", "tradeoffs"}), design, focus="tradeoffs")
    assert fu is not None and (fu.skill, fu.text) == ("tradeoffs", "What does that choice cost you?")
    assert follow_up_for(report({"clarifying"}), bank.find_question("core-overfitting")) is None
    own = tmp_path / "own.toml"
    own.write_text('[[question]]\nid = "q1"\ntext = "Design a cache for user profiles."\ncategory = "system_design"\n'
                   'difficulty = "easy"\ntarget_s = 60\nfocus = ["framing"]\n'
                   'follow_ups = { clarifying = "Who reads these profiles, and how often?" }\n')
    (q,) = bank.parse_bank(own)
    fu = follow_up_for(report({"clarifying"}), q)
    assert fu is not None and fu.text == "Who reads these profiles, and how often?"
    assert fu.question(q).id == "q1.follow-up" and fu.question(q).skills == ("clarifying",)
    own.write_text(own.read_text().replace("clarifying =", "juggling ="))
    with pytest.raises(UsageError, match=r"own.toml:8: question field 'follow_ups'"):
        bank.parse_bank(own)


def test_the_follow_up_is_on_the_review_page_and_in_markdown() -> None:
    from voice_coach.followup import FollowUp, summary
    from voice_coach.report.html import render_html
    from voice_coach.report.markdown import render_markdown

    rep = report({"clarifying"})
    second = report()
    second["transcript"]["text"] = "How many users <do> we have?"
    rep["follow_up"] = summary(FollowUp("clarifying", "What would you want to know before choosing?",
                                        "no clarifying question"), second, "20261201-120000-abcdef")
    page = render_html(rep)
    assert '<section class="follow-up" id="follow-up">' in page and "What would you want to know" in page
    assert "How many users &lt;do&gt; we have?" in page and "goal-met" in page and "20261201-120000-abcdef" in page
    md = render_markdown(rep)
    assert "## Follow-up" in md and "> How many users <do> we have?" in md and "(met)" in md
    rep["follow_up"] = summary(FollowUp("tradeoffs", "What does that choice cost you?", "no tradeoff stated"),
                               None, None)
    assert "No answer was heard." in render_html(rep) and "No answer was heard." in render_markdown(rep)
