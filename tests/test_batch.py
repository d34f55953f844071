"""Batch analysis: parallel workers give the one-by-one results, bad files are skipped,
the summary table has a row per file and a column per signal, and Dask runs the same."""

from __future__ import annotations

import concurrent.futures as cf
import csv
import json
import logging
import random
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from voice_coach import batch, model_cache
from voice_coach.cli import main
from voice_coach.service import Settings
from voice_coach.store import Store

FILLERS = ["um", "uh", "like", "you know", "so"]
PHRASES = [
    "let me first clarify the goal", "are we optimising for clicks or purchases?",
    "the tradeoff is latency versus accuracy", "I would start with a simple baseline",
    "then I would look at the data we already log", "to sum up, data first, then the model",
    "we could also use a two tower model", "it depends on how fresh the results must be",
]


def _answer(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(3, 7)):
        if rng.random() < 0.5:
            parts.append(rng.choice(FILLERS).capitalize() + ",")
        parts.append(rng.choice(PHRASES).capitalize() + ".")
    return " ".join(parts)


def _timed_json(text: str, rng: random.Random) -> dict[str, Any]:
    t, words, regions = 0.5, [], []
    start = t
    for tok in text.split():
        d = 0.15 + 0.05 * len(tok) / 3
        words.append({"text": tok, "start": round(t, 2), "end": round(t + d, 2)})
        t += d + 0.08
        if tok.endswith(".") and rng.random() < 0.3:
            regions.append({"start": round(start, 2), "end": round(t, 2)})
            t += rng.uniform(2.0, 4.0)  # a long pause
            start = t
    regions.append({"start": round(start, 2), "end": round(t, 2)})
    return {"words": words, "duration_s": round(t + 0.5, 2), "speech_regions": regions}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """20 generated transcripts (half plain text, half timed JSON) in nested folders."""
    rng = random.Random(7)
    root = tmp_path / "archive"
    for i in range(20):
        folder = root / f"student{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        text = _answer(rng)
        if i % 2:
            (folder / f"answer{i:02d}.json").write_text(json.dumps(_timed_json(text, rng)))
        else:
            (folder / f"answer{i:02d}.txt").write_text(text)
    (root / ".hidden.txt").write_text("never picked up")
    (root / "notes.md").write_text("not an answer")
    return root


def _comparable(report: dict[str, Any]) -> dict[str, Any]:
    """A report without the fields that legitimately differ between runs (timestamps)."""
    out = dict(report)
    out["meta"] = {k: v for k, v in (report.get("meta") or {}).items() if k != "created"}
    return out


def test_expand_inputs(corpus: Path, tmp_path: Path) -> None:
    files, problems = batch.expand_inputs([corpus])
    assert len(files) == 20 and problems == []
    assert all(f.suffix in (".txt", ".json") and not f.name.startswith(".") for f in files)
    files, problems = batch.expand_inputs([str(corpus / "student1" / "*.json"), corpus / "student1",
                                           tmp_path / "missing.wav", str(tmp_path / "*.nothing")])
    assert len(files) == 7 + 1  # student1 once, however often it is named; the missing file kept
    assert files[-1] == tmp_path / "missing.wav"
    assert problems == [f"{tmp_path / '*.nothing'}: no files match"]


def test_twenty_files_two_workers_match_one_by_one(corpus: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    bad = corpus / "student0" / "zz-corrupt.json"
    bad.write_text('{"words": [ {"text": "truncated"')
    summary = tmp_path / "summary"
    code = main(["analyze", str(corpus), "--workers", "2", "--summary", str(summary), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 3  # finished, but one file failed
    assert err.count("skipped") == 1 and "zz-corrupt.json" in err and "not valid JSON" in err
    stdout_rows = json.loads(out)["rows"]
    data = json.loads((summary / "summary.json").read_text())
    rows = data["rows"]
    assert stdout_rows == rows
    assert len(rows) == 21 and [r["index"] for r in rows] == list(range(21))
    failed = [r for r in rows if r["status"] == "failed"]
    assert [Path(r["path"]).name for r in failed] == ["zz-corrupt.json"]
    with (summary / "summary.csv").open() as fh:
        csv_rows = list(csv.DictReader(fh))
    assert len(csv_rows) == 21
    signals = batch.signal_columns()
    assert set(signals) <= set(csv_rows[0]) and "fillers" in signals and "overall" not in signals

    # The same files one by one, in this process, must give identical reports.
    paths, _ = batch.expand_inputs([corpus])
    settings = Settings()
    with Store.open() as store:
        sessions = {s.source: s.id for s in store.list_sessions()}
        assert len(sessions) == 20  # every good file saved as a session, the bad one not
        for row in rows:
            one = batch.analyze_file(row["index"], str(paths[row["index"]]), None, settings)
            assert one.path == row["path"]
            if row["status"] == "failed":
                assert one.error is not None
                continue
            assert one.report is not None
            expected = batch.summary_row(one, row["session"])
            assert {k: v for k, v in expected.items() if k != "seconds"} == \
                   {k: v for k, v in row.items() if k != "seconds"}
            saved = store.get(row["session"]).report
            assert saved is not None and _comparable(saved) == _comparable(one.report)
    values = [r["fillers"] for r in rows if r["status"] == "ok"]
    assert len(set(values)) > 3  # the corpus is varied, so the comparison means something


def crashing_task(index: int, path: str) -> batch.Outcome:
    """A worker task that kills its process on one file, like a decoder segfault would."""
    import os

    if "crash" in path:
        os._exit(13)
    return batch.Outcome(index, path, None, {"path": path})


def test_a_worker_crash_blames_only_its_file() -> None:
    tasks = [(i, f"file{i}.wav") for i in range(6)] + [(6, "crash.wav")] + [(i, f"file{i}.wav") for i in (7, 8)]
    out = {o.index: o for o in batch._run_pool(iter(tasks), None, Settings(), batch.BatchOptions(workers=2),
                                               task_fn=crashing_task)}
    assert sorted(out) == list(range(9))
    assert [i for i, o in out.items() if not o.ok] == [6]
    assert "worker process died" in (out[6].error or "")
    assert all(out[i].report == {"path": f"file{i}.wav"} for i in out if i != 6)


def test_a_pool_that_breaks_between_submits_loses_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker can die after the last wait and before the next submit: the pool then refuses
    the submit itself. That file never ran, so it is neither lost nor blamed (CI once failed
    here with BrokenProcessPool out of _run_pool)."""
    from concurrent.futures.process import BrokenProcessPool

    refused = []

    class RefusesOnce(cf.ThreadPoolExecutor):
        submits = 0

        def __init__(self, max_workers: int, mp_context: Any = None, initializer: Any = None,
                     initargs: Any = ()) -> None:
            super().__init__(max_workers=max_workers)

        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            RefusesOnce.submits += 1
            if RefusesOnce.submits == 4:
                refused.append(args)
                raise BrokenProcessPool("a worker died")
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(batch.cf, "ProcessPoolExecutor", RefusesOnce)
    tasks = [(i, f"file{i}.wav") for i in range(8)]
    out = {o.index: o for o in batch._run_pool(iter(tasks), None, Settings(), batch.BatchOptions(workers=2),
                                               task_fn=crashing_task)}
    assert refused and sorted(out) == list(range(8))
    assert all(o.ok and o.report == {"path": f"file{i}.wav"} for i, o in out.items())


def test_files_are_fed_through_a_bounded_window() -> None:
    consumed = 0

    def tasks() -> Any:
        nonlocal consumed
        for i in range(12):
            consumed += 1
            yield i, f"file{i}.wav"

    options = batch.BatchOptions(workers=2, window=3)
    seen = 0
    for outcome in batch._run_pool(tasks(), None, Settings(), options, task_fn=crashing_task):
        assert outcome.ok
        assert consumed - seen <= options.in_flight  # never more than the window read ahead
        seen += 1
    assert seen == consumed == 12


def test_model_is_built_once_per_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    import voice_coach.asr

    built: list[Any] = []

    class Counting:
        def __init__(self, model: Any, options: Any) -> None:
            built.append(model)

    monkeypatch.setattr(voice_coach.asr, "FasterWhisperTranscriber", Counting)
    monkeypatch.setattr(model_cache, "_CACHE", {})
    settings = Settings(model="tiny.en")
    first = batch._transcriber(settings)
    assert batch._transcriber(settings) is first
    assert batch._transcriber(Settings(model="base.en")) is not first
    assert [m.name for m in built] == ["tiny.en", "base.en"]


def test_batch_and_settings_share_one_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch and ``Settings.transcriber_factory`` get the same recogniser on one thread."""
    import voice_coach.asr

    monkeypatch.setattr(voice_coach.asr, "FasterWhisperTranscriber", lambda spec, options: object())
    monkeypatch.setattr(model_cache, "_CACHE", {})
    settings = Settings(model="tiny.en")
    shared = settings.transcriber_factory()()
    assert Settings(model="tiny.en").transcriber_factory()() is shared
    assert batch._transcriber(settings) is shared
    other: list[Any] = []
    thread = threading.Thread(target=lambda: other.extend([batch._transcriber(settings)] * 2))
    thread.start()
    thread.join()
    assert other[0] is not shared  # a Dask worker thread has its own decoder
    assert len(model_cache._CACHE) == 2


def test_dask_local_cluster_on_loopback(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    distributed = pytest.importorskip("distributed")
    files = sorted(corpus.rglob("answer0[0-5].*"))
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
                                  host="127.0.0.1", dashboard_address=None, silence_logs=logging.WARNING) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        code = main(["analyze", *map(str, files), str(bad), "--scheduler", address, "--format", "json",
                     "--no-save"])
    out, err = capsys.readouterr()
    rows = json.loads(out)["rows"]
    assert code == 3 and "broken.wav" in err
    assert [r["status"] for r in rows] == ["ok"] * len(files) + ["failed"]
    for row, path in zip(rows, files, strict=False):
        one = batch.analyze_file(0, str(path), None, Settings())
        assert one.report is not None and row["fillers"] == batch.summary_row(one)["fillers"]
    with Store.open() as store:
        assert store.count() == 0  # --no-save


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr(batch, "CONNECT_TIMEOUT_S", 1.0)
    f = tmp_path / "a.txt"
    f.write_text("Um, hello.")
    code = main(["analyze", str(f), "--scheduler", "tcp://127.0.0.1:9", "--no-save"])
    err = capsys.readouterr().err
    assert code == 2 and "Dask scheduler" in err and "Traceback" not in err


@pytest.mark.slow
def test_real_audio_batch_matches_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A few real recordings (Piper voice) through the real model, two worker processes.

    The workers start with one BLAS/OpenMP thread, as a Dask nanny starts its workers (and as
    any spawned worker does once something in the parent has set these variables), while
    this process keeps the thread count it started with (docs/signals-delivery.md).
    """
    from voice_coach.audio.decode import write_wav
    from voice_coach.audio.synth import available_voice, render_script

    if available_voice() is None:
        pytest.skip("no local TTS voice to make test audio")
    scripts = [
        "Um, let me first clarify the goal. [pause 2.5] The tradeoff is latency versus accuracy.",
        "Are we optimising for clicks or purchases? Uh, I would pick purchases.",
    ]
    paths = []
    for i, script in enumerate(scripts):
        p = tmp_path / f"clip{i}.wav"
        write_wav(p, render_script(script).audio)
        paths.append(p)
    junk = tmp_path / "junk.flac"
    junk.write_bytes(np.random.default_rng(0).bytes(4000))
    paths.insert(1, junk)
    settings = Settings()
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.setenv(var, "1")  # read by the spawned workers only
    parallel = {o.index: o for o in batch.run_batch(paths, None, settings, batch.BatchOptions(workers=2))}
    assert sorted(parallel) == [0, 1, 2]
    assert parallel[1].error is not None and parallel[0].ok
    serial = {o.index: o for o in batch.run_batch(paths, None, settings, batch.BatchOptions(workers=1))}
    for i in (0, 2):
        a, b = parallel[i].report, serial[i].report
        assert a is not None and b is not None
        assert a["transcript"]["text"] and _comparable(a) == _comparable(b)
        assert a["duration_s"] == pytest.approx(b["duration_s"])
