"""The answers the benchmark times: clips joined with pauses and room tone to exact lengths.

Built from the bundled example plus either a labelled set's clips (``--dev``) or
``SYNTH_SCRIPTS`` rendered with the local TTS voice, and cached under ``--workdir`` by a
fingerprint of what went in, so a rerun reuses them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voice_coach.audio import SAMPLE_RATE

from .timing import BENCH_SCRIPT, ROOT, checked, last_json, python_exe, run_process

EXAMPLE = ROOT / "voice_coach" / "data" / "example_answer.flac"

# Answer lengths the issue asks for, in seconds.
LENGTHS: dict[str, float] = {"30s": 30.0, "3min": 180.0, "10min": 600.0}

# Silences put between clips when joining them into one long answer: a mix of the short
# gaps of fluent speech and the long thinking pauses a candidate makes.
JOIN_GAPS_S: tuple[float, ...] = (0.8, 1.5, 3.0, 1.0)

# Room tone under the joined answers (dBFS): real recordings are never digital zero, and
# Whisper behaves differently on exact zeros. Quiet enough to stay under the VAD's gate.
ROOM_TONE_DB = -65.0

# Spoken when no labelled set is given: original think-aloud answers, with pauses, fillers
# and the structure the coach listens for, rendered with the local TTS voice.
SYNTH_SCRIPTS: tuple[str, ...] = (
    "Okay, so before I pick a model I want to pin down the goal. [pause 1.2] Are we ranking "
    "for clicks or for long-term retention? Um, I'll assume retention. [pause 2.5] Then the "
    "labels come late, so I'd start from the logs we already have.",
    "The main tradeoff here is latency against recall. A bigger candidate set finds more good "
    "items, but it costs us time at serving. [pause 1.0] Uh, so I'd cap it at a few hundred "
    "and measure what we lose offline.",
    "First, the data. I'd check for leakage between the train and test weeks, and, like, look "
    "at how often the labels are missing. [pause 3.0] Second, a simple baseline. Finally, "
    "I'd monitor drift once it ships.",
    "Hmm, let me think. [pause 2.0] I guess I would maybe use gradient boosting, because it "
    "handles mixed features well, and you know, it is quick to train. To sum up, data first, "
    "a strong baseline, then iterate.",
)


@dataclass(frozen=True)
class BenchInput:
    """One benchmark answer on disk.

    Attributes:
        name: ``30s``, ``3min`` or ``10min``.
        path: the WAV file.
        duration_s: its exact length.
        source: what it was built from.
    """

    name: str
    path: Path
    duration_s: float
    source: str


def room_tone(n: int, seed: int) -> Any:
    """``n`` samples of quiet white noise at ``ROOM_TONE_DB`` (deterministic per seed)."""
    from voice_coach.audio.synth import room_noise

    return room_noise(n, ROOM_TONE_DB, seed)


def build_answer(clips: Sequence[Any], target_s: float, gaps_s: Sequence[float] = JOIN_GAPS_S,
                 seed: int = 0, start: int = 0) -> Any:
    """Join ``clips`` (16 kHz float32) with silences into an answer of exactly ``target_s``.

    Clips are taken in turn from index ``start``; a clip that would overrun the target is
    skipped for the next one that fits, so no word is cut in half, and whatever is left
    over at the end becomes silence (the answer's closing pause). Room tone is added
    everywhere so silences are not digital zero.
    """
    import numpy as np

    if not clips:
        raise ValueError("no clips to build an answer from")
    target = round(target_s * SAMPLE_RATE)
    pieces: list[Any] = []
    used = 0
    i = start
    misses = 0
    while misses < len(clips):
        clip = clips[i % len(clips)]
        gap = int(gaps_s[i % len(gaps_s)] * SAMPLE_RATE) if gaps_s else 0
        i += 1
        if used + clip.size + gap > target:
            misses += 1
            continue
        misses = 0
        pieces += [clip.astype(np.float32), np.zeros(gap, np.float32)]
        used += clip.size + gap
    pieces.append(np.zeros(target - used, np.float32))
    audio = np.concatenate(pieces)[:target]
    return (audio + room_tone(audio.size, seed)).astype(np.float32)


def source_clips(dev: Path | None, cache: Path) -> tuple[list[Any], str]:
    """The clips answers are built from, and a description of them.

    The bundled example always; then either the labelled set's clips or, without one,
    ``SYNTH_SCRIPTS`` rendered with the local voice (cached, rendering takes a while).
    """
    import numpy as np

    from voice_coach.audio.decode import load_audio

    clips = [load_audio(EXAMPLE)]
    if dev is not None:
        files = sorted([*dev.glob("*.flac"), *dev.glob("*.wav")])
        if not files:
            raise SystemExit(f"bench: {dev}: no .flac or .wav clips")
        clips += [load_audio(p) for p in files]
        return clips, f"bundled example + {len(files)} clips of {dev.name}/"
    from voice_coach.audio import synth

    voice = synth.available_voice()
    if voice is None:
        return clips, "bundled example only (no local TTS voice)"
    for k, script in enumerate(SYNTH_SCRIPTS):
        key = hashlib.sha256(f"{voice}|{script}".encode()).hexdigest()[:12]
        path = cache / f"synth-{k}-{key}.npy"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, synth.render_script(script, voice=voice).audio)
        clips.append(np.load(path))
    return clips, f"bundled example + {len(SYNTH_SCRIPTS)} answers rendered with {voice}"


def prepare_inputs(dev: Path | None, workdir: Path, lengths: dict[str, float],
                   batch_files: int, batch_len_s: float) -> tuple[list[BenchInput], Path, str]:
    """Write the answers (and a batch folder) under ``workdir``; reuse them when unchanged."""
    from voice_coach.audio.decode import write_wav

    clips, source = source_clips(dev, workdir / "cache")
    fingerprint = hashlib.sha256(
        b"".join(c.tobytes()[:: max(1, c.size // 4096)] for c in clips)
        + repr((JOIN_GAPS_S, ROOM_TONE_DB)).encode()
    ).hexdigest()[:10]
    folder = workdir / fingerprint
    folder.mkdir(parents=True, exist_ok=True)
    inputs = []
    for k, (name, seconds) in enumerate(lengths.items()):
        path = folder / f"answer-{name}.wav"
        if not path.exists():
            write_wav(path, build_answer(clips, seconds, seed=k))
        inputs.append(BenchInput(name, path, seconds, source))
    batch_dir = folder / f"batch-{batch_files}x{int(batch_len_s)}"
    if not batch_dir.is_dir():
        tmp = Path(tempfile.mkdtemp(dir=folder))
        for k in range(batch_files):
            write_wav(tmp / f"b{k:02d}.wav", build_answer(clips, batch_len_s, seed=100 + k, start=k))
        tmp.rename(batch_dir)
    return inputs, batch_dir, source


def prepare_in_child(args: argparse.Namespace, lengths: dict[str, float]) -> tuple[list[BenchInput], Path]:
    """:func:`prepare_inputs` in a child process, so this process stays small.

    That matters for the RSS figures: Linux carries a process's peak RSS across ``exec``, so
    a child forked from a parent holding hundreds of MB (numpy, a TTS voice) would report
    the parent's peak instead of its own.
    """
    argv = [python_exe(), str(BENCH_SCRIPT), "_prepare", "--workdir", str(args.workdir),
            "--lengths", ",".join(lengths), "--batch-files", str(args.batch_files),
            "--batch-len", str(args.batch_len)]
    if args.dev is not None:
        argv += ["--dev", str(args.dev)]
    data = last_json(checked(run_process(argv), "building the answers"))
    inputs = [BenchInput(d["name"], Path(d["path"]), float(d["duration_s"]), d["source"])
              for d in data["inputs"]]
    return inputs, Path(data["batch_dir"])


def prepare_main(argv: Sequence[str]) -> None:
    """Child mode: build the answers and print where they are, as JSON."""
    sub = argparse.ArgumentParser()
    sub.add_argument("--dev", type=Path)
    sub.add_argument("--workdir", type=Path, required=True)
    sub.add_argument("--lengths", required=True)
    sub.add_argument("--batch-files", type=int, required=True)
    sub.add_argument("--batch-len", type=float, required=True)
    a = sub.parse_args(argv)
    lengths = {n: LENGTHS[n] for n in a.lengths.split(",")}
    inputs, batch_dir, _ = prepare_inputs(a.dev, a.workdir, lengths, a.batch_files, a.batch_len)
    print(json.dumps({"inputs": [{"name": i.name, "path": str(i.path), "duration_s": i.duration_s,
                                  "source": i.source} for i in inputs], "batch_dir": str(batch_dir)}))
