#!/usr/bin/env python3
"""Benchmark voice-coach against naive faster-whisper use, and write ``docs/benchmarks.md``.

This is a benchmark, not a test: it times real processes on real audio and prints a table.
Speed goals live here, never in unit tests, because timings on a shared machine are noise.

What it measures, on answers of 30 s, 3 min and 10 min:

1. **Overhead ratio**: ``voice-coach analyze FILE --format json`` (a fresh process, as a user
   runs it) divided by a bare faster-whisper transcription of the same file with the same
   model in a fresh process (``WhisperModel(...).transcribe(path, word_timestamps=True)``
   with default settings, segments consumed). The two alternate; medians of ``--repeat``.
2. **Live feedback latency**: the answer is replayed through the practice recorder path and
   timed from the end-of-answer decision to the report being ready.
3. **Batch throughput**: audio seconds per wall second, ``analyze DIR --workers 1`` and ``2``.
4. **Peak RSS** of ``analyze`` on the 10-minute answer (``wait4`` rusage of that process).
5. **Start-up**: ``voice-coach --help`` wall time, and the model load time.

With ``--dev DIR`` (a labelled set such as ``../shared/eval/dev``) the answers are built from
its clips and the accuracy figures of its ``score.py`` are reported beside the speed, so a
speed win can never hide an accuracy loss. Without it, the answers are built from the
bundled example plus clips rendered with the local TTS voice, so anyone can rerun it.

usage::

    .venv/bin/python scripts/bench.py [--dev ../shared/eval/dev] [--repeat 3] [--quick]

Helper modes (``_bare``, ``_live``, ``_load``, ``_profile``, ``_prepare``) run inside the
fresh child processes the benchmark times; they are not meant to be called by hand. The
parts live in ``scripts/benchlib/``: this file only reads the options and runs the measures.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

# The project first, so the benchmark measures this checkout even without an install; the
# script's own folder (where ``benchlib`` lives) is already on the path when run as a script.
sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from benchlib import children  # noqa: E402
from benchlib.inputs import LENGTHS, prepare_in_child, prepare_main  # noqa: E402
from benchlib.measures import (  # noqa: E402
    analyze_supports,
    measure_batch,
    measure_live,
    measure_overhead,
    measure_startup,
    run_profile,
    run_score,
)
from benchlib.report import (  # noqa: E402
    DOC,
    Results,
    existing_notes,
    load_text,
    machine_info,
    print_table,
    render_markdown,
)
from benchlib.timing import VENV_BIN, bench_env  # noqa: E402


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Command-line options of the benchmark."""
    ap = argparse.ArgumentParser(description="Benchmark voice-coach and write docs/benchmarks.md.")
    ap.add_argument("--dev", type=Path, help="labelled clips to build answers from (and score.py beside)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per side for the overhead median (>= 3)")
    ap.add_argument("--lengths", default=",".join(LENGTHS), help="answers to use: 30s,3min,10min")
    ap.add_argument("--only", default="overhead,live,batch,startup,accuracy,profile",
                    help="measures to run (comma list)")
    ap.add_argument("--live-speed", type=float, default=1.0,
                    help="replay pace for live latency (1.0 = real time)")
    ap.add_argument("--live-tail", type=float, default=30.0,
                    help="with --live-speed > 1, the last N seconds still play at real time")
    ap.add_argument("--batch-files", type=int, default=8, help="files in the batch folder")
    ap.add_argument("--batch-len", type=float, default=45.0, help="seconds per batch file")
    ap.add_argument("--cmd", default=str(VENV_BIN / "voice-coach"), help="how to start the CLI")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "voice-coach-bench",
                    help="where the built answers are cached")
    ap.add_argument("--out", type=Path, default=DOC, help="the markdown file to write")
    ap.add_argument("--no-write", action="store_true", help="print the table only")
    ap.add_argument("--quick", action="store_true", help="repeat 1, 30s and 3min only, no profile")
    args = ap.parse_args(argv)
    if args.quick:
        args.repeat = 1
        args.lengths = "30s,3min"
        args.only = ",".join(x for x in args.only.split(",") if x != "profile")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns an exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "_bare":
        children.bare_main(argv[1])
        return 0
    if argv and argv[0] == "_load":
        children.load_main()
        return 0
    if argv and argv[0] == "_live":
        sub = argparse.ArgumentParser()
        sub.add_argument("path")
        sub.add_argument("--speed", type=float, default=1.0)
        sub.add_argument("--tail", type=float, default=30.0)
        a = sub.parse_args(argv[1:])
        children.live_main(a.path, a.speed, a.tail)
        return 0
    if argv and argv[0] == "_prepare":
        prepare_main(argv[1:])
        return 0
    if argv and argv[0] == "_profile":
        children.profile_main(argv[1], argv[2:])
        return 0
    args = parse_args(argv)
    only = set(args.only.split(","))
    unknown = [n for n in args.lengths.split(",") if n not in LENGTHS]
    if unknown:
        print(f"bench: unknown length {unknown[0]!r} (choose from {', '.join(LENGTHS)})", file=sys.stderr)
        return 2
    if args.dev is not None and not args.dev.is_dir():
        print(f"bench: {args.dev}: no such directory", file=sys.stderr)
        return 2

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    cmd = shlex.split(args.cmd)
    lengths = {n: LENGTHS[n] for n in args.lengths.split(",")}
    started = time.perf_counter()
    log(f"bench: building answers in {args.workdir} ...")
    inputs, batch_dir = prepare_in_child(args, lengths)
    shown = ["scripts/bench.py", *argv] if argv else ["scripts/bench.py"]
    res = Results(machine_info(), ".venv/bin/python " + shlex.join(shown), inputs)
    with tempfile.TemporaryDirectory(prefix="vc-bench-home-") as home:
        env = bench_env(Path(home))
        extra = ["--no-save"] if analyze_supports(cmd, env, "--no-save") else []
        res.options["analyze options"] = f"`--format json {' '.join(extra)}`".replace(" `", "`")
        if "startup" in only:
            log("bench: start-up")
            res.startup = measure_startup(cmd, env, max(1, args.repeat), log)
        if "overhead" in only:
            log("bench: overhead ratio")
            res.overhead = [measure_overhead(i, cmd, extra, env, max(1, args.repeat), log) for i in inputs]
        if "live" in only:
            log("bench: live latency")
            res.live = [measure_live(i, env, args.live_speed, args.live_tail, log) for i in inputs]
        if "batch" in only:
            if analyze_supports(cmd, env, "--workers"):
                log("bench: batch throughput")
                audio_s = args.batch_files * args.batch_len
                res.batch = [measure_batch(batch_dir, cmd, extra, env, w, audio_s, log) for w in (1, 2)]
            else:
                res.batch_note = "`analyze --workers` is not in this build yet"
        if "accuracy" in only and args.dev is not None:
            log("bench: accuracy (score.py)")
            res.accuracy = run_score(args.dev, cmd, env, "audio", log)
        if "profile" in only and inputs:
            log("bench: profile")
            res.profile = run_profile(inputs[-1], env, extra)
    res.load_after = load_text()
    log(f"bench: done in {time.perf_counter() - started:.0f} s")
    print_table(res)
    if not args.no_write:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(render_markdown(res, existing_notes(args.out)), encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
