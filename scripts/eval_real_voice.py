#!/usr/bin/env python3
"""Filled-pause recall (and precision) on real human recordings with reference transcripts.

usage: scripts/eval_real_voice.py DIR [--model M] [--no-recovery] [--prompt TEXT] [-v]

DIR is searched recursively for recordings and their references, in any of these forms:

* ``references.tsv`` with columns ``file``, ``duration_s``, ``reference_transcript``;
* ``NAME.lab`` next to ``NAME.wav``/``.flac``/``.mp3`` (a plain verbatim transcript);
* ``NAME.words.tsv`` next to the audio, with a ``text`` column (one word per row).

Reference filled pauses are the tokens um, uh, hm, hmm, er, erm, ah, mm (a token with an
apostrophe, like "'er" for "her", is a word). Each recording is transcribed once with the
project's own pipeline (model loaded once) and its filled pauses are counted the way the
fillers signal counts them; per recording, matches are ``min(found, reference)``, as the
dev-set scorer does. Nothing here is used by the package or its tests.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import replace
from pathlib import Path

REFERENCE_FILLERS = frozenset(["um", "uh", "hm", "hmm", "er", "erm", "ah", "mm", "umm", "uhm"])
AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".m4a", ".ogg")


def count_reference(tokens: list[str]) -> int:
    """Filled pauses in a reference transcript's tokens."""
    return sum(1 for t in tokens if t.lower().strip(".,?!") in REFERENCE_FILLERS)


def find_items(root: Path) -> list[tuple[Path, int]]:
    """``(audio path, reference filled-pause count)`` for every recording with a reference."""
    items: dict[Path, int] = {}
    for tsv in sorted(root.rglob("references.tsv")):
        with tsv.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                audio = tsv.parent / row["file"]
                if audio.exists():
                    items[audio] = count_reference(row["reference_transcript"].split())
    for ref in sorted([*root.rglob("*.lab"), *root.rglob("*.words.tsv")]):
        stem = ref.name.removesuffix(".words.tsv").removesuffix(".lab")
        found = next((ref.with_name(stem + s) for s in AUDIO_SUFFIXES
                      if ref.with_name(stem + s).exists()), None)
        if found is None or found in items:
            continue
        if ref.suffix == ".lab":
            tokens = ref.read_text(encoding="utf-8").split()
        else:
            with ref.open(newline="", encoding="utf-8") as fh:
                tokens = [row["text"] for row in csv.DictReader(fh, delimiter="\t")]
        items[found] = count_reference(tokens)
    return sorted(items.items())


def main() -> int:
    """Run the evaluation and print per-recording counts and the totals."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path, help="directory with real recordings and references")
    ap.add_argument("--model", default=None, help="model (default: the bundled tiny.en)")
    ap.add_argument("--no-recovery", action="store_true", help="turn filler recovery off")
    ap.add_argument("--prompt", default=None, help="override the decoder's filler prompt ('' = none)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each transcript")
    args = ap.parse_args()
    if not args.dir.is_dir():
        print(f"error: {args.dir}: not a directory", file=sys.stderr)
        return 2
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from voice_coach.language import analyse
    from voice_coach.pipeline import load_transcript
    from voice_coach.recovery import RecoveryOptions
    from voice_coach.service import Settings
    from voice_coach.signals.fillers import find_fillers

    settings = Settings(model=args.model)
    if args.prompt is not None:
        settings.asr = replace(settings.asr, initial_prompt=args.prompt or None)
    if args.no_recovery:
        settings.pipeline = replace(settings.pipeline, recovery=RecoveryOptions(enabled=False))
    factory = settings.transcriber_factory()
    items = find_items(args.dir)
    if not items:
        print(f"error: no recordings with references under {args.dir}", file=sys.stderr)
        return 2
    tp = fp = fn = 0
    started = time.perf_counter()
    for audio, ref in items:
        transcript = load_transcript(audio, factory, settings.pipeline)
        found = [f for f in find_fillers(analyse(transcript)) if f.kind == "filled_pause"]
        n = len(found)
        tp, fp, fn = tp + min(n, ref), fp + max(0, n - ref), fn + max(0, ref - n)
        rec = sum(w.recovered for w in found)
        print(f"{audio.relative_to(args.dir)}: found {n} (recovered {rec}) / reference {ref}")
        if args.verbose:
            print("    " + " ".join(f"[{w.text}]" if w.recovered else w.text for w in transcript.words))
    recall = tp / (tp + fn) if tp + fn else 1.0
    precision = tp / (tp + fp) if tp + fp else 1.0
    print(f"filled pauses: recall={recall:.3f} precision={precision:.3f} "
          f"(matched {tp}, missed {fn}, extra {fp}) over {len(items)} recordings "
          f"in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
