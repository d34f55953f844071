"""Live nudges from words and the clock (no audio: words with times stand in for the live recogniser)."""

from __future__ import annotations

from voice_coach.nudges import NudgeOptions, Nudger
from voice_coach.transcript import Word


def timed(text: str, start: float = 0.0, step: float = 0.4) -> list[Word]:
    """``text``'s words, one every ``step`` seconds from ``start``."""
    return [Word(w, round(start + i * step, 2), round(start + i * step + step * 0.8, 2))
            for i, w in enumerate(text.split())]


def test_a_burst_of_three_fillers_nudges_once_when_shown() -> None:
    n = Nudger(target_s=None)
    words = timed("I would um start with the data, uh, and then um look at the labels.")
    n.words(words[:6])
    assert n.due(3.0) is None  # one filler so far
    n.words(words)
    third = next(w for w in reversed(words) if w.text == "um")
    third_end = third.end or 0.0
    nudge = n.due(third_end + 0.4)
    assert nudge is not None and nudge.kind == "fillers" and nudge.at == third_end
    assert nudge.evidence == "um … uh … um" and nudge.shown_at == third_end + 0.4
    n.words(words)  # the same words again (the next chunk): no second nudge for the same burst
    assert n.due(30.0) is None
    assert [d["kind"] for d in n.report()] == ["fillers"] and n.report()[0]["cue"].startswith("Fillers")


def test_fillers_spread_over_more_than_twenty_seconds_do_not_nudge() -> None:
    n = Nudger(target_s=None)
    n.words(timed("um we start", 0.0) + timed("uh then we go", 12.0) + timed("um and finish", 24.0))
    assert n.due(30.0) is None


def test_one_nudge_per_fifteen_seconds_and_stale_bursts_are_dropped() -> None:
    n = Nudger(target_s=20.0)
    n.words(timed("um uh um we begin here.", 0.0))
    first = n.due(2.5)
    assert first is not None and first.kind == "fillers"
    n.words(timed("um uh um we begin here.", 0.0) + timed("um uh um and again.", 8.0))
    assert n.due(10.0) is None  # within 15 s of the last nudge: the new burst is dropped
    assert n.due(17.0) is None  # and not shown later
    late = n.due(21.0)  # the target length passed at 20 s
    assert late is not None and late.kind == "length" and late.at == 20.0
    assert [d["kind"] for d in n.report()] == ["fillers", "length"]


def test_a_long_stretch_and_no_plan_a_minute_in() -> None:
    n = Nudger(target_s=None, options=NudgeOptions(min_gap_s=1.0))
    stretch = " ".join(["we", "take", "the", "data", "and"] * 10)  # 50 words, no break
    n.words(timed(stretch, 1.0))
    run = n.due(22.0)
    assert run is not None and run.kind == "run" and run.evidence.startswith("50 words without a break")
    plan = n.due(60.0)
    assert plan is not None and plan.kind == "plan"


def test_a_framed_answer_gets_no_plan_nudge() -> None:
    n = Nudger(target_s=None)
    n.words(timed("I'll cover three things: the data, the model, and how to evaluate it."))
    assert n.due(61.0) is None


def test_nudges_are_on_the_review_page_and_in_markdown() -> None:
    from tests.skill_reports import report
    from voice_coach.report.html import render_html
    from voice_coach.report.markdown import render_markdown

    n = Nudger(target_s=None)
    n.words(timed("um uh um we <begin> here.", 0.0))
    assert n.due(2.5) is not None
    rep = report()
    rep["transcript"]["words"] = [{"text": w.text, "start": w.start, "end": w.end}
                                  for w in timed("um uh um we <begin> here.", 0.0)]
    rep["nudges"] = n.report()
    page = render_html(rep)
    assert '<section class="nudges" id="nudges">' in page and 'class="nudge nudge-fillers" data-start="' in page
    assert "Fillers are piling up" in page and "um … uh … um" in page
    assert '<circle class="tl-nudge" data-start="' in page  # on the timeline, where it was shown
    assert "## Live nudges" in render_markdown(rep) and "Live nudges" not in render_html(report())
    import jsonschema

    from tests.test_core_cli import SCHEMA

    jsonschema.validate(rep["nudges"], SCHEMA["properties"]["nudges"])


def test_the_peeker_hands_on_each_closed_region_words_and_stops_with_the_answer() -> None:
    import threading

    import numpy as np

    from tests.conftest import FakeTranscriber
    from voice_coach.live_peek import Peeker
    from voice_coach.transcript import SpeechRegion

    fake = FakeTranscriber([("um", 0.5, 0.8), ("so", 1.0, 1.2), ("later", 5.0, 5.4)])
    peeker = Peeker(lambda: fake)
    got: list[list[str]] = []
    done = threading.Event()

    def on_words(words: list[Word], seconds: float) -> None:
        assert seconds >= 0
        got.append([w.text for w in words])
        done.set()

    try:
        peeker.begin(on_words)
        peeker.audio(np.zeros(16000 * 2, np.float32))
        peeker.region(SpeechRegion(0.4, 1.3))
        assert done.wait(10)
        assert got == [["um", "so"]]
        peeker.wait_idle(5)  # nothing queued any more
        peeker.end()
        peeker.region(SpeechRegion(4.9, 5.5))  # after the answer: not handed on
        peeker.wait_idle(5)
        assert got == [["um", "so"]]
    finally:
        peeker.close()


def test_a_failing_peek_recogniser_ends_quietly() -> None:
    import numpy as np

    from voice_coach.live_peek import Peeker
    from voice_coach.transcript import SpeechRegion

    class Broken:
        name = "broken"

        def transcribe(self, audio: np.ndarray, *, offset: float = 0.0) -> list[object]:
            raise RuntimeError("no model")

    peeker = Peeker(lambda: Broken())
    try:
        peeker.begin(lambda words, seconds: None)
        peeker.audio(np.zeros(16000, np.float32))
        peeker.region(SpeechRegion(0.1, 0.9))
        peeker._thread.join(10)
        assert peeker.failed and not peeker._thread.is_alive()
        peeker.wait_idle(1)  # a live chunk never waits for a dead peeker
    finally:
        peeker.close()
