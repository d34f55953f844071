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
import sys
import tempfile
from pathlib import Path

from benchlib.timing import ROOT, checked, last_json, own_peak_rss_mb, run_process, timed


def _child(npy: Path) -> None:
    """Child mode: diarize the saved audio and print timings and turns as JSON."""
    import numpy as np

    from voice_coach.diarize import load_diarizer

    audio = np.load(npy)
    with timed() as took:
        turns = load_diarizer().diarize(audio, 16_000)
    # Its own peak, not the parent's: the parent holds the rendering voices (see benchlib.timing).
    print(json.dumps({
        "wall_s": took.wall_s, "cpu_s": took.cpu_s,
        "peak_rss_mb": own_peak_rss_mb(),
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
            out = last_json(checked(run_process([sys.executable, __file__, "_child", str(npy)], cwd=ROOT),
                                    "diarizing in a child process"))
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
