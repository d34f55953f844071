"""Filler recovery (voice_coach.recovery) with scripted recognisers: no model needed."""

from __future__ import annotations

import numpy as np

from voice_coach.pipeline import PipelineOptions, transcribe_blocks
from voice_coach.recovery import (
    RecoveryOptions,
    merge_words,
    orphan_regions,
    recover_filled_pauses,
)
from voice_coach.transcript import Segment, SpeechRegion, Word

SR = 16_000


class ScriptedRecogniser:
    """First call: the scripted full-pass words. Later calls (short clips): ``clip_text``."""

    name = "scripted"

    def __init__(self, words: list[Word], clip_text: str | None, prompt_text: str | None = None) -> None:
        self.words = words
        self.clip_text = clip_text
        self.prompt_text = prompt_text
        self.calls: list[tuple[float, float, str | None]] = []

    def transcribe(self, audio: np.ndarray, *, offset: float = 0.0) -> list[Segment]:
        return self.transcribe_with_prompt(audio, offset=offset, prompt=None)

    def transcribe_with_prompt(self, audio: np.ndarray, *, offset: float = 0.0,
                               prompt: str | None = None) -> list[Segment]:
        end = offset + audio.size / SR
        self.calls.append((offset, end, prompt))
        if len(self.calls) == 1:
            return [Segment("", offset, end, tuple(self.words))]
        text = self.prompt_text if prompt is not None and self.prompt_text else self.clip_text
        if not text:
            return []
        ws = tuple(Word(t, offset + 0.05, end - 0.05, 0.4) for t in text.split())
        return [Segment(text, offset, end, ws)]


def _audio(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SR), np.float32)


REGIONS = [SpeechRegion(0.3, 0.6), SpeechRegion(3.0, 5.0)]
WORDS = [Word("We", 3.0, 3.3, 0.9), Word("split", 3.3, 3.7, 0.9), Word("users.", 3.7, 4.9, 0.9)]


def test_a_region_with_no_word_is_decoded_again_and_its_filler_kept() -> None:
    rec = ScriptedRecogniser(WORDS, "Umm...")
    rec.calls.append((0, 0, None))  # the full pass already happened
    words, found = recover_filled_pauses(rec, _audio(6), 0.0, REGIONS, WORDS)
    assert [w.text for w in found] == ["Umm..."]
    assert found[0].recovered and 0.3 <= (found[0].start or 0) < (found[0].end or 0) <= 0.6
    assert words == WORDS
    merged = merge_words(words, found)
    assert [w.text for w in merged] == ["Umm...", "We", "split", "users."]


def test_a_real_word_from_the_second_pass_is_never_added() -> None:
    rec = ScriptedRecogniser(WORDS, "Okay.", prompt_text="Okay.")
    rec.calls.append((0, 0, None))
    _words, found = recover_filled_pauses(rec, _audio(6), 0.0, REGIONS, WORDS)
    assert found == []


def test_a_filler_mixed_with_words_is_rejected_but_a_hallucinated_tail_is_ignored() -> None:
    rec = ScriptedRecogniser(WORDS, "Um, I like")
    rec.calls.append((0, 0, None))
    assert recover_filled_pauses(rec, _audio(6), 0.0, REGIONS, WORDS)[1] == []
    rec = ScriptedRecogniser(WORDS, "Er. Thank you.")
    rec.calls.append((0, 0, None))
    assert [w.text for w in recover_filled_pauses(rec, _audio(6), 0.0, REGIONS, WORDS)[1]] == ["Er."]


def test_a_filler_whisper_floated_into_the_silence_is_moved_not_duplicated() -> None:
    # Whisper heard the "Um" but timed it inside the silence after its region.
    words = [Word("Um,", 1.9, 2.6, 0.3), *WORDS]
    orphans, retimed, _lone = orphan_regions(REGIONS, words, RecoveryOptions())
    assert orphans == [] and retimed == [(0, REGIONS[0])]
    rec = ScriptedRecogniser(words, "Umm...")
    rec.calls.append((0, 0, None))
    fixed, found = recover_filled_pauses(rec, _audio(6), 0.0, REGIONS, words)
    assert found == []
    assert (fixed[0].start, fixed[0].end) == (0.3, 0.6)


def test_a_lone_unsure_word_is_replaced_only_when_the_second_pass_hears_a_filler() -> None:
    words = [Word("Done.", 0.3, 0.7, 0.3), *WORDS]
    rec = ScriptedRecogniser(words, None, prompt_text="Hmm.")
    rec.calls.append((0, 0, None))
    fixed, found = recover_filled_pauses(rec, _audio(6), 0.0, REGIONS, words)
    assert [w.text for w in fixed] == ["We", "split", "users."]
    assert [w.text for w in found] == ["Hmm."] and found[0].recovered
    # A confident lone word is left alone.
    sure = [Word("Okay.", 0.3, 0.7, 0.95), *WORDS]
    rec = ScriptedRecogniser(sure, None, prompt_text="Hmm.")
    rec.calls.append((0, 0, None))
    assert recover_filled_pauses(rec, _audio(6), 0.0, REGIONS, sure) == (sure, [])


def test_recovery_can_be_switched_off() -> None:
    rec = ScriptedRecogniser(WORDS, "Umm...")
    rec.calls.append((0, 0, None))
    assert recover_filled_pauses(rec, _audio(6), 0.0, REGIONS, WORDS,
                                 RecoveryOptions(enabled=False)) == (WORDS, [])


def _tone(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    env = 0.6 + 0.4 * np.sin(2 * np.pi * 4 * t)
    return (0.15 * env * sum(np.sin(2 * np.pi * 180 * k * t) / k for k in range(1, 8))).astype(np.float32)


def test_pipeline_adds_recovered_fillers_in_time_order() -> None:
    # 0.4 s "um" alone, a 2 s silence, then 2 s of "speech" the scripted pass transcribes.
    audio = np.concatenate([_audio(0.5), _tone(0.4), _audio(2.0), _tone(2.0), _audio(0.5)])
    words = [Word("We", 3.0, 3.5, 0.9), Word("ship.", 3.6, 4.8, 0.9)]
    rec = ScriptedRecogniser(words, "Um.")
    t = transcribe_blocks([audio], rec, PipelineOptions())
    assert [w.text for w in t.words] == ["Um.", "We", "ship."]
    assert t.words[0].recovered and not t.words[1].recovered
    off = transcribe_blocks([audio], ScriptedRecogniser(words, "Um."),
                            PipelineOptions(recovery=RecoveryOptions(enabled=False)))
    assert [w.text for w in off.words] == ["We", "ship."]


def test_a_quiet_blip_is_not_decoded_again() -> None:
    # A breath 20 dB below the speech: not a filled pause, never sent to the recogniser.
    speech = [_audio(0.4), _tone(1.0), _audio(0.5), _tone(0.6)]  # 2 more regions: 5.4-6.4, 6.9-7.5
    audio = np.concatenate([_audio(0.3), _tone(0.3) * 0.1, _audio(2.4), _tone(2.0), *speech])
    regions = [SpeechRegion(0.3, 0.6), SpeechRegion(3.0, 5.0), SpeechRegion(5.4, 6.4),
               SpeechRegion(6.9, 7.5)]
    words = [*WORDS, Word("more", 5.5, 6.3, 0.9), Word("text.", 7.0, 7.4, 0.9)]
    rec = ScriptedRecogniser(words, "Uh.")
    rec.calls.append((0, 0, None))
    assert recover_filled_pauses(rec, audio, 0.0, regions, words)[1] == []
    assert len(rec.calls) == 1
    loud = np.concatenate([_audio(0.3), _tone(0.3), _audio(2.4), _tone(2.0), *speech])
    assert [w.text for w in recover_filled_pauses(rec, loud, 0.0, regions, words)[1]] == ["Uh."]
    # Three fillers in a 0.3 s sound do not fit: the decoder looped, none is kept.
    looped = ScriptedRecogniser(words, "Uh, uh, uh.")
    assert recover_filled_pauses(looped, loud, 0.0, regions, words)[1] == []
