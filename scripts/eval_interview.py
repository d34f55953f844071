"""Measure the interview splitter on the rendered mock interview (tests/interview_audio.py).

Prints, for the stereo recording and for its mono mix (with the rendered speaker turns in
place of a diarizer, and with the shipped diarizer when there is one), each answer's
boundary errors, bank id and word counts, and the processing time. The figures in
docs/interview.md come from this script.

    PYTHONPATH=. .venv/bin/python scripts/eval_interview.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    from tests import interview_audio
    from tests.test_interview_audio import TruthDiarizer, shipped_diarizer
    from voice_coach import bank
    from voice_coach.interview.service import analyze_interview

    questions = bank.load_banks()
    truth = interview_audio.render().truth
    with tempfile.TemporaryDirectory() as tmp:
        mono = interview_audio.mix(Path(tmp) / "mono.wav")
        runs: dict[str, tuple[Path, Any]] = {
            "stereo": (interview_audio.write_stereo(Path(tmp) / "stereo.wav"), None),
            "mono, rendered turns": (mono, TruthDiarizer())}
        if shipped_diarizer():
            runs["mono, diarizer"] = (mono, None)  # the shipped one (voice_coach.diarize)
        for name, (path, diarizer) in runs.items():
            t0 = time.perf_counter()
            result = analyze_interview(path, bank=questions, diarizer=diarizer)
            took = time.perf_counter() - t0
            answers = result.data["answers"]
            print(f"{name}: {len(answers)} answers (want {len(truth)}), {took:.1f} s for "
                  f"{interview_audio.render().duration:.1f} s of audio")
            for got, want in zip(answers, truth, strict=False):
                q = got["question"]
                errs = [q["start"] - want.question_start, q["end"] - want.question_end,
                        got["start"] - want.start, got["end"] - want.end]
                words = len(got["report"]["transcript"]["words"])
                print(f"  {got['index']}: max boundary error {max(abs(e) for e in errs):.2f} s "
                      f"({', '.join(f'{e:+.2f}' for e in errs)}); bank {q['bank_id']}; words "
                      f"{words} of {want.words} spoken; asked: {q['text']!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
