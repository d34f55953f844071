"""``voice-coach practice`` end to end, with a replayed answer in place of the microphone.

Only the two seams at the very edge are replaced (the device lookup and the frame source,
here a file replayed through the same capture loop) plus the recogniser (a fake, so these
tests need no model). The PulseAudio test (test_pulse_e2e.py) replaces nothing.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pytest

from tests.conftest import FakeTranscriber
from tests.practice_audio import answer, with_silence
from voice_coach.audio.record import FileSource, WavWriter
from voice_coach.cli import main
from voice_coach.commands import practice
from voice_coach.errors import DeviceError
from voice_coach.store import Store

SR = 16_000
WORDS = [("Before", 0.3, 0.6), ("I", 0.6, 0.7), ("pick", 0.7, 0.9), ("a", 0.9, 1.0), ("model,", 1.0, 1.4),
         ("can", 1.5, 1.7), ("I", 1.7, 1.8), ("ask", 1.8, 2.0), ("how", 2.0, 2.2), ("many", 2.2, 2.4),
         ("users?", 2.4, 2.9), ("To", 9.0, 9.2), ("summarize,", 9.2, 9.8), ("start", 9.9, 10.2),
         ("simple.", 10.2, 10.7)]


@pytest.fixture
def rigged(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """practice wired to a replayed answer and a fake recogniser; yields knobs for the test."""
    state: dict[str, Any] = {"audio": with_silence(answer().audio, 1.0, 6.0), "source": None, "opened": 0}
    fake = FakeTranscriber(WORDS)

    def open_source(device: Any) -> Any:
        state["opened"] += 1
        src = state["source"] or FileSource(state["audio"])
        return contextlib.nullcontext(src)

    monkeypatch.setattr(practice, "find_device", lambda spec: None)
    monkeypatch.setattr(practice, "open_source", open_source)
    monkeypatch.setattr(practice, "transcriber_factory", lambda settings: (lambda: fake))
    state["fake"] = fake
    yield state


def test_scripted_practice_saves_the_session_and_writes_the_report(
        rigged: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.json"
    code = main(["practice", "--yes", "--no-tts", "--question-id", "sys-search-ranking", "--report-json", str(out)])
    assert code == 0
    report = json.loads(out.read_text())
    assert report["schema"] == "voice-coach.report/1"
    assert report["question"]["id"] == "sys-search-ranking"
    assert report["question"]["text"].startswith("Design a system that ranks")
    assert [w["text"] for w in report["transcript"]["words"]] == [w[0] for w in WORDS]
    assert report["transcript"]["speech_regions"], "speech regions come from the recorder's VAD"
    assert report["meta"]["end_reason"] == "silence" and report["meta"]["latency_s"] >= 0
    assert report["signals"]["clarifying_questions"]["count"] >= 1
    with Store.open() as store:
        sessions = store.list_sessions()
        assert len(sessions) == 1
        s = store.get(sessions[0].id)
        assert s.question_id == "sys-search-ranking" and s.kind == "practice"
        assert report["meta"]["session_id"] == s.id
        assert store.orphan_recordings() == []
        assert len(list(store.audio_dir.glob("*.wav"))) == 1
    printed = capsys.readouterr().out
    assert "Design a system that ranks" in printed and "saved as session" in printed


def test_count_and_category_run_several_questions(rigged: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert main(["practice", "-y", "--no-tts", "--category", "metrics", "--count", "2", "--seed", "3",
                 "--report-json", str(out)]) == 0
    assert rigged["opened"] == 2
    assert json.loads(out.read_text())["question"]["category"] == "metrics"
    with Store.open() as store:
        assert store.count() == 2


def test_try_again_shows_a_side_by_side_comparison(
        rigged: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    choices = iter(["again", "quit"])
    monkeypatch.setattr(practice, "is_interactive", lambda args: True)
    monkeypatch.setattr(practice, "menu", lambda: next(choices))
    monkeypatch.setattr(practice, "confirm", lambda prompt, default: False)
    assert main(["practice", "--no-tts", "--question-id", "core-overfitting"]) == 0
    printed = capsys.readouterr().out
    assert "side by side" in printed and "attempt 2" in printed
    with Store.open() as store:
        assert store.count() == 2


def test_silence_only_saves_nothing_and_fails_a_script(rigged: dict[str, Any],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    rigged["audio"] = np.zeros(65 * SR, np.float32)
    assert main(["practice", "--yes", "--no-tts", "--question-id", "core-overfitting"]) == 1
    assert "No speech was heard" in capsys.readouterr().out
    with Store.open() as store:
        assert store.count() == 0 and store.orphan_recordings() == []


def test_no_microphone_offers_the_bundled_example(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from voice_coach.audio import devices

    monkeypatch.setattr(devices, "list_devices", lambda: [])
    assert main(["practice", "--yes", "--no-tts", "--question-id", "core-overfitting"]) == 5
    err = capsys.readouterr().err
    assert "no microphone" in err and "try --example" in err


class _VanishingSource:
    def __init__(self, audio: np.ndarray, after_s: float) -> None:
        self.inner, self.left = FileSource(audio), int(after_s * SR)

    def read(self, timeout: float) -> np.ndarray | None:
        if self.left <= 0:
            raise DeviceError("the microphone stopped delivering audio (unplugged?)")
        block = self.inner.read(timeout)
        self.left -= 0 if block is None else block.size
        return block


def test_vanished_microphone_keeps_and_analyses_the_partial_answer(
        rigged: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    rigged["source"] = _VanishingSource(rigged["audio"], 6.0)
    assert main(["practice", "--yes", "--no-tts", "--question-id", "core-overfitting"]) == 5
    err = capsys.readouterr().err
    assert "stopped delivering audio" in err and "saved as session" in err
    with Store.open() as store:
        (s,) = store.list_sessions()
        assert 4.0 < (s.duration_s or 0) < 6.0


def test_interrupted_answer_is_kept_and_recovered_next_run(
        rigged: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    class _Interrupting(FileSource):
        def read(self, timeout: float) -> np.ndarray | None:
            if self._pos > 5 * SR:
                raise KeyboardInterrupt
            return super().read(timeout)

    rigged["source"] = _Interrupting(rigged["audio"])
    assert main(["practice", "--yes", "--no-tts", "--question-id", "math-p-value"]) == 130
    assert "Your answer so far is kept in" in capsys.readouterr().out
    with Store.open() as store:
        (orphan,) = store.orphan_recordings()
        assert store.count() == 0
    # The next run notices it; --recover analyses and saves it, with its question.
    import os
    import time

    old = time.time() - 60
    os.utime(orphan, (old, old))
    out = tmp_path / "rec.json"
    assert main(["practice", "--recover", "--report-json", str(out)]) == 0
    assert "recovered" in capsys.readouterr().out
    assert json.loads(out.read_text())["question"]["id"] == "math-p-value"
    with Store.open() as store:
        assert store.orphan_recordings() == []
        (s,) = store.list_sessions()
        assert s.question_id == "math-p-value" and 3.0 < (s.duration_s or 0) < 4.5


def test_sigterm_keeps_the_answer_like_ctrl_c(rigged: dict[str, Any]) -> None:
    import os
    import signal

    class _Terminated(FileSource):
        def read(self, timeout: float) -> np.ndarray | None:
            if self._pos > 4 * SR:
                os.kill(os.getpid(), signal.SIGTERM)
            return super().read(timeout)

    rigged["source"] = _Terminated(rigged["audio"])
    before = signal.getsignal(signal.SIGTERM)
    assert main(["practice", "--yes", "--no-tts", "--question-id", "math-p-value"]) == 130
    assert signal.getsignal(signal.SIGTERM) == before  # the handler is only there while practising
    with Store.open() as store:
        (orphan,) = store.orphan_recordings()
        assert orphan.stat().st_size > 44 + 2 * SR * 2


def test_a_killed_recorder_leaves_a_file_the_next_run_repairs(rigged: dict[str, Any]) -> None:
    with Store.open() as store:
        path = store.new_audio_path(".wav")
    w = WavWriter(path)
    w.write(with_silence(answer().audio, 0.0, 0.5)[: 3 * SR])  # never closed: as after kill -9
    import os
    import time

    old = time.time() - 60
    os.utime(path, (old, old))
    assert main(["practice", "--recover"]) == 0
    with Store.open() as store:
        (s,) = store.list_sessions()
        assert s.duration_s == pytest.approx(3.0, abs=0.05)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--count", "0"], "--count"),
        (["--question-id", "nope-nope"], "unknown question id"),
        (["--silence-stop", "0"], "--silence-stop"),
        (["--max-duration", "1"], "--max-duration"),
        (["--category", "astrology"], "unknown category"),
    ],
)
def test_bad_options_are_usage_errors(rigged: dict[str, Any], argv: list[str], message: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["practice", "--yes", "--no-tts", *argv]) == 2
    assert message in capsys.readouterr().err


def test_unknown_model_fails_before_recording(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["practice", "--yes", "--no-tts", "--model", "no-such-model", "--question-id", "core-overfitting"]) == 4
    assert "no-such-model" in capsys.readouterr().err
    with Store.open() as store:
        assert store.orphan_recordings() == []


def test_parse_defaults_for_try() -> None:
    args = practice.parse_defaults(count=1)
    assert args.count == 1 and args.silence_stop == practice.DEFAULT_SILENCE_STOP_S and args.func is practice.run
    with pytest.raises(TypeError):
        practice.parse_defaults(colour="red")


def test_device_choice_by_number_or_name(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from voice_coach.audio import devices
    from voice_coach.audio.devices import DeviceInfo, resolve_input_device

    table = [
        DeviceInfo(0, "HDA Intel PCH: ALC257 Analog", "ALSA", 2, 2, 44100.0),
        DeviceInfo(1, "USB Audio Mic", "ALSA", 1, 0, 48000.0, default_input=True),
        DeviceInfo(2, "HDMI 0", "ALSA", 0, 8, 48000.0, default_output=True),
        DeviceInfo(3, "USB Audio Headset", "ALSA", 1, 2, 48000.0),
    ]
    monkeypatch.setattr(devices, "list_devices", lambda: table)
    assert resolve_input_device(None).index == 1
    assert resolve_input_device("0").index == 0
    assert resolve_input_device("headset").index == 3
    assert resolve_input_device("USB Audio Mic").index == 1
    for spec, message in (("usb", "matches several"), ("2", "has no inputs"), ("9", "no audio device number"),
                          ("kazoo", "no microphone matches")):
        with pytest.raises(DeviceError, match=message):
            resolve_input_device(spec)
    assert main(["devices", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [d["index"] for d in listed] == [0, 1, 3]
    assert main(["devices", "--all"]) == 0
    assert "HDMI 0" in capsys.readouterr().out


def test_focus_auto_drills_the_skill_every_recent_answer_missed(
        rigged: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.skill_reports import seed_history

    with Store.open() as store:
        seed_history(store, [{"tradeoffs"}] * 5)
    out = tmp_path / "r.json"
    assert main(["practice", "--focus", "auto", "--yes", "--no-tts", "--count", "1", "--seed", "2",
                 "--report-json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert "tradeoffs" in report["question"]["skills"]
    meta = report["meta"]
    assert meta["focus"] == "tradeoffs" and meta["goal"].startswith("This time: name one tradeoff")
    # The scripted answer asks a question and summarises, but weighs nothing: the goal is missed.
    assert meta["goal_met"] is False and "missed in 5 of the last 5" in meta["focus_why"]
    printed = capsys.readouterr().out
    assert printed.index("This time: name one tradeoff") < printed.index("Goal missed") < printed.index("Signal")
    with Store.open() as store:
        state = store.skill_states()["tradeoffs"]
        assert (state.streak, state.lapses, state.reviews) == (0, 1, 1)
        (rev,) = store.skill_reviews()
        assert rev.session_id == meta["session_id"] and rev.met is False


def test_an_explicit_focus_picks_questions_that_exercise_it(rigged: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert main(["practice", "--focus", "clarifying", "-y", "--no-tts", "--seed", "5",
                 "--report-json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert "clarifying" in report["question"]["skills"]
    # The scripted answer opens with "Before I pick a model, can I ask how many users?".
    assert report["meta"]["focus"] == "clarifying" and report["meta"]["goal_met"] is True
    with Store.open() as store:
        assert store.skill_states()["clarifying"].interval_d == 1.0


def test_drill_scores_the_one_skill_and_moves_its_schedule(
        rigged: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    assert main(["drill", "clarifying", "--yes", "--no-tts", "--count", "1", "--seed", "1",
                 "--report-json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["question"]["category"] == "drill" and report["question"]["skills"] == ["clarifying"]
    assert report["question"]["text"].startswith("Ask two clarifying questions about:")
    assert 30 <= report["question"]["target_s"] <= 60
    assert report["meta"]["focus"] == "clarifying" and report["meta"]["goal_met"] is True
    printed = capsys.readouterr().out
    # Scored on that skill only: its row and evidence, no other signal, no overall advice.
    assert "Goal met" in printed and "Clarifying questions" in printed
    assert "Filler words" not in printed and "Practise next" not in printed
    with Store.open() as store:
        assert store.skill_states()["clarifying"].streak == 1 and store.count() == 1
    assert main(["drill", "framing", "-y", "--no-tts", "--prompt-id", "nope"]) == 2
    assert "no framing drill prompt 'nope'" in capsys.readouterr().err


def test_follow_up_asks_for_the_missing_tradeoff_and_saves_the_second_answer(
        rigged: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    # The scripted answer asks a clarifying question but weighs nothing.
    assert main(["practice", "--yes", "--no-tts", "--question-id", "sys-search-ranking", "--follow-up",
                 "--report-json", str(out)]) == 0
    assert rigged["opened"] == 2  # the answer, then the follow-up's answer
    report = json.loads(out.read_text())
    fu = report["follow_up"]
    assert fu["skill"] == "tradeoffs" and fu["question"] == "What does that choice cost you?"
    assert fu["reason"] == "no tradeoff stated" and fu["answered"] is True and fu["met"] is False
    assert fu["transcript"].startswith("Before I pick a model") and fu["signal"]["name"] == "tradeoffs"
    from tests.test_core_cli import SCHEMA

    jsonschema.validate(report, SCHEMA)  # follow_up and the goal fields are in the contract's schema
    printed = capsys.readouterr().out
    assert "Follow-up: What does that choice cost you?" in printed and "follow-up saved as session" in printed
    with Store.open() as store:
        first = store.get(report["meta"]["session_id"])
        second = store.get(fu["session_id"])
        assert first.report is not None and first.report["follow_up"] == fu  # part of the saved session
        assert second.question_id == "sys-search-ranking.follow-up" and second.audio_path is not None
        assert second.report is not None and second.report["meta"]["follow_up_of"] == first.id
        assert second.report["question"]["skills"] == ["tradeoffs"]


def test_no_follow_up_when_the_answer_did_what_the_question_needs(rigged: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    # core-overfitting exercises neither clarifying nor tradeoffs: nothing to follow up.
    assert main(["practice", "--yes", "--no-tts", "--question-id", "core-overfitting", "--follow-up",
                 "--report-json", str(out)]) == 0
    assert rigged["opened"] == 1 and "follow_up" not in json.loads(out.read_text())
