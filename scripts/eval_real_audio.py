#!/usr/bin/env python3
"""Word recall, filled pauses and run-to-run identity on real recordings.

usage: scripts/eval_real_audio.py DIR [--model M] [--runs N] [--json FILE] [--gate] [-v]

DIR is searched recursively for recordings and their references, in any of these forms:

* ``references.tsv`` with columns ``file``, ``duration_s``, ``reference_transcript``;
* ``NAME.lab`` next to ``NAME.wav``/``.flac``/``.mp3`` (a plain verbatim transcript);
* ``NAME.words.tsv`` next to the audio, with a ``text`` column (one word per row);
* any other ``.wav``/``.flac``/``.mp3`` has no reference: its words are compared with a
  bare faster-whisper run of the same model (``WhisperModel.transcribe(audio)``, the
  library's defaults), and it has no filled-pause reference.

For each recording it reports:

* **word recall**: the share of the reference's words (filled pauses left out) that the
  project's transcript holds, in order (``difflib`` alignment of lower-cased words), and
  the same for the bare model, so the two can be compared file by file;
* **filled pauses** found by the fillers signal vs the reference's um/uh/er/hm tokens
  (per recording ``min(found, reference)`` matches, as the dev-set scorer counts);
* **identity**: the transcript and every signal figure are the same on each of ``--runs``
  runs (default 2).

With ``--gate`` it exits 1 unless: overall recall is at least the bare model's minus 2
points, no file loses more than 10 points to it, filled-pause precision >= 0.90 and
recall >= 0.85, and every run was identical. Nothing here is used by the package.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import re
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REFERENCE_FILLERS = frozenset(["um", "uh", "hm", "hmm", "er", "erm", "ah", "mm", "umm", "uhm"])
AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".m4a", ".ogg")
GOALS = {"recall_drop": 0.02, "file_drop": 0.10, "filled_P": 0.90, "filled_R": 0.85}


def tokens(text: str) -> list[str]:
    """Lower-cased words; ``<hes-x>`` is the word x, other ``<...>`` marks are dropped."""
    out = []
    for raw in text.replace("-", " ").split():
        t = raw.lower()
        m = re.fullmatch(r"<hes-(.*)>", t)
        if m:
            t = m.group(1)
        elif t.startswith("<"):
            continue
        # A leading apostrophe stays: "'er" is "her", a word, not the filler "er".
        t = re.sub(r"[^a-z0-9']", "", t).rstrip("'")
        if t:
            out.append(t)
    return out


def find_items(root: Path) -> dict[Path, list[str] | None]:
    """Every recording under ``root`` with its reference tokens (``None``: no reference)."""
    items: dict[Path, list[str] | None] = {}
    for tsv in sorted(root.rglob("references.tsv")):
        with tsv.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                audio = tsv.parent / row["file"]
                if audio.exists():
                    items[audio] = tokens(row["reference_transcript"])
    for ref in sorted([*root.rglob("*.lab"), *root.rglob("*.words.tsv")]):
        stem = ref.name.removesuffix(".words.tsv").removesuffix(".lab")
        paired = next((ref.with_name(stem + s) for s in AUDIO_SUFFIXES
                       if ref.with_name(stem + s).exists()), None)
        if paired is None or paired in items:
            continue
        if ref.suffix == ".lab":
            items[paired] = tokens(ref.read_text(encoding="utf-8"))
        else:
            with ref.open(newline="", encoding="utf-8") as fh:
                items[paired] = tokens(" ".join(r["text"] for r in csv.DictReader(fh, delimiter="\t")))
    for audio in sorted(p for s in AUDIO_SUFFIXES for p in root.rglob("*" + s)):
        items.setdefault(audio, None)
    return dict(sorted(items.items()))


def recall(reference: list[str], heard: list[str]) -> tuple[int, int]:
    """(reference words found in order, reference words), filled pauses left out."""
    ref = [t for t in reference if t not in REFERENCE_FILLERS]
    hyp = [t for t in heard if t not in REFERENCE_FILLERS]
    sm = difflib.SequenceMatcher(a=ref, b=hyp, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks()), len(ref)


@dataclass
class Row:
    """One recording's figures."""

    file: str
    reference: str  # "manual" or "bare model"
    words: int
    found: int
    found_bare: int
    filled_ref: int | None
    filled_found: int
    identical: bool
    seconds: float

    @property
    def recall(self) -> float:
        return self.found / self.words if self.words else 1.0

    @property
    def recall_bare(self) -> float:
        return self.found_bare / self.words if self.words else 1.0


def evaluate(root: Path, model: str | None, runs: int, verbose: bool) -> list[Row]:
    """Run every recording under ``root``; prints one line per recording."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import numpy as np

    from voice_coach.audio.decode import iter_pcm
    from voice_coach.report.json_out import comparable_json
    from voice_coach.service import Settings, analyze_path

    settings = Settings(model=model)
    factory = settings.transcriber_factory()
    rows: list[Row] = []
    for audio, ref in find_items(root).items():
        started = time.perf_counter()
        reports = []
        for _ in range(max(1, runs)):
            transcript, report = analyze_path(audio, settings=settings, transcriber_factory=factory)
            reports.append(report)
        took = (time.perf_counter() - started) / max(1, runs)
        heard = tokens(" ".join(w.text for w in transcript.words))
        pcm = np.concatenate(list(iter_pcm(audio)))
        segments, _info = factory().model.transcribe(pcm)  # type: ignore[attr-defined]
        bare = tokens(" ".join(s.text for s in segments))
        kind = "manual" if ref is not None else "bare model"
        ref_tokens = ref if ref is not None else bare
        items = reports[0]["signals"]["fillers"]["items"]
        filled = sum(1 for i in items if i["kind"] == "filled_pause")
        row = Row(str(audio.relative_to(root)), kind, recall(ref_tokens, heard)[1],
                  recall(ref_tokens, heard)[0], recall(ref_tokens, bare)[0],
                  sum(t in REFERENCE_FILLERS for t in ref) if ref is not None else None,
                  filled, len({comparable_json(r) for r in reports}) == 1, round(took, 1))
        rows.append(row)
        print(f"{row.file}: words {row.found}/{row.words} ({row.recall:.2f}; bare {row.recall_bare:.2f}) "
              f"filled {row.filled_found}/{row.filled_ref if row.filled_ref is not None else '-'} "
              f"identical={row.identical} {row.seconds:.1f} s", flush=True)
        if verbose:
            print("    " + " ".join(heard))
    return rows


def totals(rows: list[Row]) -> dict[str, Any]:
    """The summary figures over ``rows``."""
    words = sum(r.words for r in rows)
    tp = sum(min(r.filled_found, r.filled_ref) for r in rows if r.filled_ref is not None)
    fp = sum(max(0, r.filled_found - r.filled_ref) for r in rows if r.filled_ref is not None)
    fn = sum(max(0, r.filled_ref - r.filled_found) for r in rows if r.filled_ref is not None)
    return {
        "files": len(rows),
        "words": words,
        "recall": sum(r.found for r in rows) / words if words else 1.0,
        "recall_bare": sum(r.found_bare for r in rows) / words if words else 1.0,
        "worst_file_drop": max((r.recall_bare - r.recall for r in rows), default=0.0),
        "filled_P": tp / (tp + fp) if tp + fp else 1.0,
        "filled_R": tp / (tp + fn) if tp + fn else 1.0,
        "filled_reference": tp + fn,
        "identical": all(r.identical for r in rows),
    }


def failures(t: dict[str, Any]) -> list[str]:
    """The goals ``t`` misses."""
    out = []
    if t["recall"] < t["recall_bare"] - GOALS["recall_drop"]:
        out.append(f"recall {t['recall']:.3f} < bare {t['recall_bare']:.3f} - 0.02")
    if t["worst_file_drop"] > GOALS["file_drop"]:
        out.append(f"a file loses {t['worst_file_drop']:.2f} of recall to the bare model")
    if t["filled_reference"] and t["filled_P"] < GOALS["filled_P"]:
        out.append(f"filled-pause precision {t['filled_P']:.2f} < 0.90")
    if t["filled_reference"] and t["filled_R"] < GOALS["filled_R"]:
        out.append(f"filled-pause recall {t['filled_R']:.2f} < 0.85")
    if not t["identical"]:
        out.append("runs of the same file differ")
    return out


def main() -> int:
    """Run the evaluation; print per-recording lines and the totals."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path, help="directory with real recordings (and references)")
    ap.add_argument("--model", default=None, help="model (default: the bundled tiny.en)")
    ap.add_argument("--runs", type=int, default=2, help="runs per file for the identity check")
    ap.add_argument("--json", type=Path, default=None, help="also write rows and totals here")
    ap.add_argument("--gate", action="store_true", help="exit 1 when a goal is missed")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each transcript")
    args = ap.parse_args()
    if not args.dir.is_dir():
        print(f"error: {args.dir}: not a directory", file=sys.stderr)
        return 2
    rows = evaluate(args.dir, args.model, args.runs, args.verbose)
    if not rows:
        print(f"error: no recordings under {args.dir}", file=sys.stderr)
        return 2
    t = totals(rows)
    print(f"words: recall {t['recall']:.3f} (bare model {t['recall_bare']:.3f}) over {t['words']} "
          f"reference words in {t['files']} files; worst file {-t['worst_file_drop']:+.2f} vs bare")
    print(f"filled pauses: precision {t['filled_P']:.3f} recall {t['filled_R']:.3f} "
          f"({t['filled_reference']} in the references); identical runs: {t['identical']}")
    if args.json:
        args.json.write_text(json.dumps({"rows": [asdict(r) for r in rows], "totals": t}, indent=1))
    missed = failures(t)
    for m in missed:
        print(f"goal missed: {m}")
    return 1 if args.gate and missed else 0


if __name__ == "__main__":
    sys.exit(main())
