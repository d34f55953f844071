#!/usr/bin/env python3
"""Time mono diarization on a long two-voice recording and score it: the figures in docs/interview.md.

The two-voice mock interview of ``tests/two_voice.py`` (espeak-ng interviewer, Piper
candidate) is rendered, looped to ``--minutes``, and diarized in a fresh child process, so
the peak RSS is diarization's own (plus the audio it holds). Printed: wall and CPU real-time
factors, peak RSS and DER against the known turns. With ``--real DIR`` (the real-voice
folder) the real phone call in ``DIR/pyannote_sample`` is scored too.

usage::

    .venv/bin/python scripts/bench_diarize.py [--minutes 30] [--real ../shared/eval/real-voice]

Wall time is only meaningful on an otherwise idle machine; CPU time is less sensitive to
other load, so both are printed.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _peak_rss_mb() -> float:
    """This process's own peak RSS. Not ``ru_maxrss``: Linux carries the parent's peak
    across fork and exec into it, and the parent holds the rendering voices."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(npy: Path) -> None:
    """Child mode: diarize the saved audio and print timings and turns as JSON."""
    import numpy as np

    from voice_coach.diarize import load_diarizer

    audio = np.load(npy)
    wall, cpu = time.perf_counter(), time.process_time()
    turns = load_diarizer().diarize(audio, 16_000)
    print(json.dumps({
        "wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
        "peak_rss_mb": _peak_rss_mb(),
        "turns": [[t.speaker, t.start, t.end] for t in turns],
    }))


def main() -> None:
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:2] == ["_child"]:
        _child(Path(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--real", type=Path, help="the real-voice folder (holds pyannote_sample/)")
    args = parser.parse_args()

    import numpy as np

    from tests.two_voice import candidate_voice, looped, render_interview
    from voice_coach.audio.decode import load_audio
    from voice_coach.der import diarization_error, read_rttm
    from voice_coach.turns import SpeakerTurn

    cases = []
    audio, truth = render_interview()
    cases.append((f"rendered, espeak-ng + {candidate_voice()}", *looped(audio, truth, args.minutes * 60)))
    if args.real:
        call = args.real / "pyannote_sample"
        cases.append(("real phone call (pyannote_sample)", load_audio(call / "sample.wav"),
                      read_rttm(call / "sample.rttm")))
    with tempfile.TemporaryDirectory() as tmp:
        for name, samples, reference in cases:
            npy = Path(tmp) / "audio.npy"
            np.save(npy, samples.astype(np.float32))
            proc = subprocess.run([sys.executable, __file__, "_child", str(npy)], capture_output=True,
                                  text=True, check=True, cwd=ROOT)
            out = json.loads(proc.stdout.strip().splitlines()[-1])
            hyp = [SpeakerTurn(s, a, b) for s, a, b in out["turns"]]
            der = diarization_error(list(reference), hyp, collar=0.25)
            seconds = samples.size / 16_000
            print(f"{name}: {seconds / 60:.1f} min, wall RTF {out['wall_s'] / seconds:.3f}, "
                  f"CPU RTF {out['cpu_s'] / seconds:.3f}, peak RSS {out['peak_rss_mb']:.0f} MB, "
                  f"DER {der.der:.1%} (missed {der.missed:.1f} s, false alarm {der.false_alarm:.1f} s, "
                  f"confusion {der.confusion:.1f} s of {der.total:.1f} s), "
                  f"{len({t.speaker for t in hyp})} speakers")


if __name__ == "__main__":
    main()
