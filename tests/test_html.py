"""The HTML review page, checked as markup: DOM contract, escaping, marks, self-containment."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from voice_coach.audio.decode import write_wav
from voice_coach.report.html import audio_source, render_html
from voice_coach.report.html_model import mark_evidence, page_words
from voice_coach.service import report_for_transcript
from voice_coach.transcript import SpeechRegion, Transcript, Word, transcript_from_text


class Elements(HTMLParser):
    """Collects every start tag with its attributes, and the text inside <script> tags."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
        else:
            self.text.append(data)

    def with_class(self, cls: str) -> list[dict[str, str | None]]:
        return [a for _t, a in self.tags if cls in (a.get("class") or "").split()]


def parse(page: str) -> Elements:
    p = Elements()
    p.feed(page)
    return p


def timed(words: list[tuple[str, float, float]], duration: float) -> Transcript:
    return Transcript(
        words=tuple(Word(t, s, e) for t, s, e in words),
        duration=duration,
        speech_regions=(SpeechRegion(0.3, 4.0), SpeechRegion(7.0, 11.5)),
        source="audio",
    )


ANSWER = [
    ("Let", 0.3, 0.5), ("me", 0.5, 0.6), ("first", 0.6, 0.9), ("clarify", 0.9, 1.4), ("the", 1.4, 1.5),
    ("goal.", 1.5, 1.9), ("Um,", 2.2, 2.6), ("are", 2.7, 2.8), ("we", 2.8, 2.9), ("optimising", 2.9, 3.4),
    ("for", 3.4, 3.5), ("clicks?", 3.5, 4.0), ("So", 7.0, 7.2), ("the", 7.2, 7.3), ("tradeoff", 7.3, 7.8),
    ("is", 7.8, 7.9), ("latency", 7.9, 8.4), ("versus", 8.4, 8.8), ("accuracy.", 8.8, 9.4), ("Uh,", 9.6, 9.9),
    ("I'd", 10.0, 10.2), ("pick", 10.2, 10.4), ("latency.", 10.4, 11.5),
]


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return report_for_transcript(timed(ANSWER, 12.0))


def test_fillers_follow_the_dom_contract(report: dict[str, Any]) -> None:
    page = render_html(report)
    el = parse(page)
    fillers = el.with_class("filler")
    items = report["signals"]["fillers"]["items"]
    timed_items = [i for i in items if i.get("start") is not None]
    assert timed_items, "the fillers signal should find 'Um' and 'Uh' here"
    assert len(fillers) >= len(timed_items)
    starts = sorted(float(a["data-start"] or "nan") for a in fillers)
    for item in timed_items:
        assert any(abs(s - item["start"]) < 0.2 for s in starts)
    # Every word is clickable: it carries its start time.
    words = el.with_class("w")
    assert len(words) == len(ANSWER)
    assert [float(a["data-start"] or "nan") for a in words] == [s for _t, s, _e in ANSWER]


def test_long_pause_shown_inline_with_its_length(report: dict[str, Any]) -> None:
    long = report["signals"]["pauses"].get("long") or [{"start": 4.0, "end": 7.0}]
    report = {**report, "signals": {**report["signals"], "pauses": {**report["signals"]["pauses"], "long": long}}}
    page = render_html(report)
    chips = re.findall(r'<button type="button" class="pause" data-start="([\d.]+)"[^>]*>([^<]*)</button>', page)
    assert chips, page[:2000]
    start, label = chips[0]
    assert float(start) == pytest.approx(long[0]["start"])
    assert f"{long[0]['end'] - long[0]['start']:.1f} s" in label
    # The chip sits between the words around the silence, not at the end of the transcript.
    body = page[page.index('id="transcript"'):]
    assert body.index(label) < body.index(">So</span>")
    assert body.index(">clicks?</span>") < body.index(label)


def test_evidence_marks_framing_tradeoffs_and_questions() -> None:
    report = report_for_transcript(timed(ANSWER, 12.0))
    sig = report["signals"]
    texts = [w["text"] for w in report["transcript"]["words"]]
    starts = [w["start"] for w in report["transcript"]["words"]]
    trade = texts.index("tradeoff") - 1
    # Feed evidence explicitly: the page must mark whatever words the signals point at.
    sig["framing"]["evidence"] = [{"text": "Let me first clarify the goal.", "start": 0.3, "end": 1.9,
                                   "words": [0, 6]}]
    sig["tradeoffs"]["evidence"] = [{"text": "the tradeoff is latency versus accuracy", "start": None, "end": None,
                                     "words": [trade, trade + 6]}]
    # Evidence without indices (an older report) is not searched for by its text or time.
    sig["clarifying_questions"]["evidence"] = [{"text": "are we optimising for clicks?", "start": 2.0, "end": 4.0}]
    el = parse(render_html(report))
    framed = [a for a in el.with_class("m-framing") if a.get("data-start")]
    assert [float(a["data-start"] or 0) for a in framed] == pytest.approx(starts[0:6])
    traded = [a for a in el.with_class("m-tradeoffs") if a.get("data-start")]
    assert [float(a["data-start"] or 0) for a in traded] == pytest.approx(starts[trade:trade + 6])
    assert not [a for a in el.with_class("m-clarifying_questions") if a.get("data-start")]
    assert len(el.with_class("t-framing")) == 1  # one label at the start of the marked run


def test_evidence_marks_the_words_it_names() -> None:
    """Evidence with word indices marks exactly those words, whatever its text says (a quote cut
    with an ellipsis, untimed words); analysed evidence names the words it quotes."""
    report = report_for_transcript(transcript_from_text(
        "Let me first clarify the goal. Is it clicks or revenue? Then I'd pick a model."))
    words = [w["text"] for w in report["transcript"]["words"]]
    named = [ev for sig in report["signals"].values() for ev in sig["evidence"] if "words" in ev]
    assert len(named) >= 2
    for ev in named:
        a, b = ev["words"]
        assert " ".join(words[a:b]) == ev["text"]
    report["signals"]["framing"]["evidence"] = [
        {"text": "first clarify \u2026", "start": None, "end": None, "words": [2, 5]}]
    page = page_words(report)
    mark_evidence(page, report["signals"])
    assert [w.text for w in page if "framing" in w.marks] == ["first", "clarify", "the"]


def test_everything_user_supplied_is_escaped() -> None:
    evil = 'Um, <script>alert("x")</script> and " onload="alert(1) <img src=x onerror=alert(2)>'
    report = report_for_transcript(transcript_from_text(evil))
    report["question"] = {"id": None, "text": "<b>bold</b> question </title><script>bad()</script>"}
    page = render_html(report, notes=[{"at": None, "text": "<script>note()</script>", "author": "<i>me</i>"}])
    el = parse(page)
    assert len(el.scripts) == 1 and "alert" not in el.scripts[0] and "note()" not in el.scripts[0]
    assert not any(t == "img" for t, _a in el.tags)
    # The page's own <b>/<i> always carry a class; the user's would not.
    assert all(a.get("class") for t, a in el.tags if t in ("b", "i"))
    assert not any("onload" in a or "onerror" in a for _t, a in el.tags)
    text = "".join(el.text)
    assert '<script>alert("x")</script>' in text
    assert "<script>note()</script>" in text and "<b>bold</b>" in text


def test_notes_appear_at_their_moment(report: dict[str, Any]) -> None:
    notes = [{"at": 7.1, "text": "good transition", "author": "coach"}, {"at": None, "text": "overall fine"}]
    page = render_html(report, notes=notes)
    body = page[page.index('id="transcript"'):]
    i = body.index("good transition")
    assert body.index(">goal.</span>") < i < body.index('data-start="7.3"')  # the word "tradeoff"
    assert re.search(r'<aside class="note" data-start="7.1">', page)
    assert "overall fine" in page[: page.index('id="transcript"')]
    assert 'class="tl-note" data-start="7.1"' in page


def test_timeline_and_cards(report: dict[str, Any]) -> None:
    el = parse(render_html(report))
    assert el.with_class("timeline") and len([t for t, _ in el.tags if t == "svg"]) == 1
    assert len(el.with_class("tl-speech")) == 2
    assert len(el.with_class("tl-filler")) == len(el.with_class("filler"))
    cards = el.with_class("card")
    names = [a["id"] for a in cards]
    assert names == [f"signal-{n}" for n in report["signals"] if n != "overall"]
    for ev in el.with_class("ev"):
        if "untimed" not in (ev.get("class") or ""):
            assert ev.get("data-start") is not None


def test_page_is_self_contained_with_embedded_audio(tmp_path: Path, report: dict[str, Any]) -> None:
    wav = tmp_path / "a.wav"
    write_wav(wav, np.zeros(16000, np.float32))
    page = render_html(report, audio=audio_source(wav))
    el = parse(page)
    audios = [a for t, a in el.tags if t == "audio"]
    assert len(audios) == 1
    src = audios[0]["src"] or ""
    assert src.startswith("data:audio/wav;base64,")
    assert base64.b64decode(src.split(",", 1)[1]) == wav.read_bytes()
    csp = [a for t, a in el.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")
    # No URL the browser could fetch: every src/href is a data: URI.
    for _t, attrs in el.tags:
        for key in ("src", "href"):
            if attrs.get(key):
                assert (attrs[key] or "").startswith("data:"), attrs
    assert not re.search(r"https?://", page)


def test_long_audio_goes_next_to_the_page(tmp_path: Path, report: dict[str, Any]) -> None:
    wav = tmp_path / "long.wav"
    write_wav(wav, np.zeros(16000 * 2, np.float32))
    page = tmp_path / "out" / "review.html"
    page.parent.mkdir()
    src = audio_source(wav, page, embed_limit=1000)
    assert src.src == "review.wav" and (page.parent / "review.wav").read_bytes() == wav.read_bytes()


def test_unplayable_container_is_reencoded_to_wav(tmp_path: Path) -> None:
    import av

    path = tmp_path / "call.mkv"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("pcm_s16le", rate=16000)
        frame = av.AudioFrame.from_ndarray(np.zeros((1, 16000), np.int16), format="s16", layout="mono")
        frame.sample_rate = 16000
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    src = audio_source(path)
    assert src.mime == "audio/wav"
    data = base64.b64decode(src.src.split(",", 1)[1])
    assert data[:4] == b"RIFF" and len(data) > 16000
    # Too large to embed: streamed into a WAV beside the page instead.
    beside = audio_source(path, tmp_path / "page.html", embed_limit=1000)
    assert beside.src == "page.wav" and (tmp_path / "page.wav").read_bytes() == data


def test_text_report_and_broken_reports_still_render() -> None:
    report = report_for_transcript(transcript_from_text("Um, I think, like, we should start simple."))
    el = parse(render_html(report))
    assert el.with_class("filler")  # highlighted even without times
    assert not [t for t, _ in el.tags if t in ("audio", "svg")]
    for broken in ({}, {"signals": None, "transcript": {"words": [None, {"text": 3}]}},
                   {"signals": {"fillers": {"items": [{"word": 99}, "x"]}, "pauses": {"long": [{"start": "a"}]}}}):
        assert "<main" in render_html(broken)
