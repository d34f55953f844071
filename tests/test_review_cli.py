"""The review commands, driven through the CLI entry point: sessions, show, compare, progress,
note, report, export, import, forget, and analyze's saving."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from voice_coach.audio.decode import write_wav
from voice_coach.cli import main
from voice_coach.store import Store

ANSWER_1 = ("Um, so, like, I would, um, just train a model. Uh, then, like, ship it, you know. "
            "Basically it works.")
ANSWER_2 = ("Let me first clarify the goal: are we optimising for clicks or purchases? "
            "Assuming purchases, I would start with the data we log. The tradeoff is recall versus "
            "latency, so I would pick a simple ranker first. To sum up: data, baseline, then iterate.")


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def two_sessions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Two analysed text answers, the second better than the first."""
    ids = []
    for i, text in enumerate((ANSWER_1, ANSWER_2)):
        f = tmp_path / f"answer{i}.txt"
        f.write_text(text)
        code, out, _err = cli(capsys, "analyze", str(f), "--format", "json", "--question", "Rank search results?")
        assert code == 0
        json.loads(out)  # still exactly one JSON object on stdout
        with Store.open() as store:
            ids.append(store.resolve("last"))
    return ids


def test_analyze_saves_a_session_unless_no_save(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "a.txt"
    f.write_text(ANSWER_2)
    code, out, _ = cli(capsys, "analyze", str(f), "--format", "json", "--no-save")
    assert code == 0 and json.loads(out)["schema"] == "voice-coach.report/1"
    with Store.open() as store:
        assert store.count() == 0
    code, out, _err = cli(capsys, "analyze", str(f), "--format", "json")
    report = json.loads(out)
    with Store.open() as store:
        (s,) = store.list_sessions()
        full = store.get(s.id)
    assert s.kind == "analyze" and s.source == str(f) and s.audio_path is None
    assert full.report is not None and full.report["signals"] == report["signals"]
    assert full.transcript is not None and full.transcript["text"] == report["transcript"]["text"]
    assert "asr" in full.settings


def test_analyze_audio_copies_the_recording(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # Silence: the pipeline finds no speech and never needs the model.
    wav = tmp_path / "quiet.wav"
    write_wav(wav, np.zeros(16000 * 2, np.float32))
    code, out, _ = cli(capsys, "analyze", str(wav), "--format", "json")
    assert code == 0 and json.loads(out)
    with Store.open() as store:
        s = store.get("last")
    assert s.audio_path is not None and s.audio_path.read_bytes() == wav.read_bytes()
    assert s.audio_path.parent == store.audio_dir


def test_sessions_show_and_filters(two_sessions: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "sessions", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and [r["id"] for r in rows] == two_sessions
    assert rows[0]["question"] == "Rank search results?"
    code, out, _ = cli(capsys, "sessions", "--format", "json", "--question", "nothing like this")
    assert json.loads(out) == []
    code, out, _ = cli(capsys, "sessions", "--format", "json", "--since", "2000-01-01", "--limit", "1")
    assert [r["id"] for r in json.loads(out)] == two_sessions[1:]
    code, out, _ = cli(capsys, "sessions")
    assert code == 0 and two_sessions[0] in out
    code, out, _ = cli(capsys, "show", two_sessions[0][:-1], "--format", "json")
    shown = json.loads(out)
    assert shown["id"] == two_sessions[0] and shown["report"]["signals"]["fillers"]["count"] >= 4
    code, out, _ = cli(capsys, "show", "last")
    assert code == 0 and two_sessions[1] in out
    code, _out, err = cli(capsys, "show", "no-such-id")
    assert code == 2 and "no session" in err and "Traceback" not in err
    code, _out, err = cli(capsys, "sessions", "--since", "last week")
    assert code == 2 and "not a date" in err


def test_compare(two_sessions: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "compare", *two_sessions, "--format", "json")
    data = json.loads(out)
    rows = {r["signal"]: r for r in data["signals"]}
    assert code == 0 and data["first"] == two_sessions[0]
    assert rows["fillers"]["first"] > rows["fillers"]["second"]
    assert rows["fillers"]["change"] == "better"
    code, out, _ = cli(capsys, "compare", *two_sessions)
    assert code == 0 and "Filler words" in out and "better" in out



def test_practice_try_again_uses_the_compare_table(two_sessions: list[str]) -> None:
    """Practice's side by side is compare's table: the same rows and the same verdict on each change."""
    from rich.console import Console

    from voice_coach.commands.compare import comparison, comparison_table
    from voice_coach.report.model import signal_title

    with Store.open() as store:
        a, b = (store.get(i).report or {} for i in two_sessions)
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(comparison_table(a, b, ("attempt 1", "attempt 2"), title="Try again: side by side"))
    text = console.export_text()
    lines = {line.split("│")[1].strip(): line for line in text.splitlines() if line.count("│") == 5}
    assert {"Length", "Words"} <= set(lines)
    for row in comparison(a, b):
        line = lines[signal_title(row["signal"])]
        assert (row["change"] or "") in line and (row["change"] != "better" or "▲" in line)
    assert comparison(a, b) and any(r["change"] == "better" for r in comparison(a, b))

def test_progress_sparkline_and_svg(two_sessions: list[str], tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    svg = tmp_path / "trend.svg"
    code, out, _ = cli(capsys, "progress", "--format", "json", "--plot", str(svg))
    data = json.loads(out)
    assert code == 0 and data["sessions"] == two_sessions
    fillers = data["signals"]["fillers"]["values"]
    assert len(fillers) == 2 and fillers[0] > fillers[1]
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    circles = root.findall(".//{http://www.w3.org/2000/svg}circle")
    assert len(circles) >= 2 * 3  # two sessions, at least three measurable signals
    code, out, _ = cli(capsys, "progress", "--signal", "fillers")
    assert code == 0 and "Filler words" in out and "Pace" not in out
    assert re.search("[▁▂▃▄▅▆▇█]{2}", out)
    code, _out, err = cli(capsys, "progress", "--signal", "charisma")
    assert code == 2 and "unknown signal" in err
    code, _out, err = cli(capsys, "progress", "--plot", str(tmp_path / "x.gif"))
    assert code == 2


def test_note_and_html_report(two_sessions: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sid = two_sessions[1]
    code, out, _ = cli(capsys, "note", sid, "--at", "0:01.5", "<b>slow down</b> here", "--author", "Ana")
    assert code == 0 and "0:01.5" in out
    cli(capsys, "note", sid, "strong close overall")
    code, out, _ = cli(capsys, "note", sid)
    assert out.splitlines() == ["overall\tstrong close overall", "0:01.5\tAna: <b>slow down</b> here"]
    code, _out, err = cli(capsys, "note", sid, "--at", "soon", "x")
    assert code == 2 and "--at" in err
    page = tmp_path / "review.html"
    code, _out, _err = cli(capsys, "report", sid, "--html", str(page))
    html = page.read_text()
    assert code == 0 and "&lt;b&gt;slow down&lt;/b&gt; here" in html and "<b>slow down</b>" not in html
    assert 'data-start="1.5"' in html and sid in html
    code, out, _ = cli(capsys, "report", sid, "--format", "markdown")
    assert code == 0 and out.startswith("# voice-coach report")


def test_export_import_and_forget(two_sessions: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    sid = two_sessions[0]
    cli(capsys, "note", sid, "--at", "2", "listen here")
    bundle = tmp_path / "b.zip"
    code, _out, _err = cli(capsys, "export", sid, "--to", str(bundle))
    assert code == 0 and bundle.exists()
    monkeypatch.setenv("VOICE_COACH_HOME", str(tmp_path / "coach-home"))
    code, out, _ = cli(capsys, "import", str(bundle))
    assert code == 0 and out.strip() == sid
    code, out, _ = cli(capsys, "show", sid, "--format", "json")
    shown: dict[str, Any] = json.loads(out)
    assert shown["kind"] == "import" and shown["notes"][0]["text"] == "listen here"
    code, _out, err = cli(capsys, "import", str(tmp_path / "missing.zip"))
    assert code == 3 and "missing.zip" in err
    code, _out, _err = cli(capsys, "forget", sid, "--yes")
    assert code == 0
    code, out, _ = cli(capsys, "sessions", "--format", "json")
    assert json.loads(out) == []


def test_corrupt_store_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        isolated_home: Path) -> None:
    (isolated_home / "sessions.db").write_bytes(b"garbage, not sqlite " * 100)
    code, _out, err = cli(capsys, "sessions")
    assert code == 6 and "corrupt" in err and len(err.strip().splitlines()) == 1
    # analyze still prints its report (exactly one JSON object); saving is a warning.
    f = tmp_path / "a.txt"
    f.write_text(ANSWER_2)
    code, out, err = cli(capsys, "analyze", str(f), "--format", "json")
    assert code == 0 and json.loads(out)["schema"] == "voice-coach.report/1"
    assert "not saved" in err


def test_analyze_html_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Um, <script>x()</script> so, like, the tradeoff is cost versus speed.")
    out_file = tmp_path / "page.html"
    code, _out, _err = cli(capsys, "analyze", str(f), "--format", "html", "--out", str(out_file), "--no-save")
    page = out_file.read_text()
    assert code == 0 and page.startswith("<!DOCTYPE html>")
    assert "&lt;script&gt;x()&lt;/script&gt;" in page and re.search(r'class="w [^"]*\bfiller\b', page)
