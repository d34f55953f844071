"""The diarization error rate on hand-made turns, each figure worked out by hand in the comment."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice_coach.der import diarization_error, read_rttm
from voice_coach.turns import SpeakerTurn as T


def test_perfect_hypothesis_with_other_labels_scores_zero() -> None:
    ref = [T("A", 0, 10), T("B", 10, 20)]
    hyp = [T("x", 0, 10), T("y", 10, 20)]
    r = diarization_error(ref, hyp, collar=0)
    assert r.der == 0
    assert r.total == 20
    assert r.mapping == {"x": "A", "y": "B"}


def test_one_speaker_for_two_is_half_confusion() -> None:
    # x maps to A (or B): the other 10 s of 20 are confused.
    r = diarization_error([T("A", 0, 10), T("B", 10, 20)], [T("x", 0, 20)], collar=0)
    assert (r.missed, r.false_alarm, r.confusion) == (0, 0, 10)
    assert r.der == pytest.approx(0.5)


def test_shifted_turn_is_missed_plus_false_alarm_and_the_collar_forgives_edges() -> None:
    ref, hyp = [T("A", 0, 10)], [T("x", 2, 12)]
    # No collar: missed 0-2, false alarm 10-12, over 10 s of speech.
    r = diarization_error(ref, hyp, collar=0)
    assert (r.missed, r.false_alarm, r.confusion) == (pytest.approx(2), pytest.approx(2), 0)
    assert r.der == pytest.approx(0.4)
    # Collar 0.25: [-0.25, 0.25] and [9.75, 10.25] are not scored. Speech 0.25-9.75 = 9.5 s,
    # missed 0.25-2 = 1.75 s, false alarm 10.25-12 = 1.75 s: 3.5 / 9.5.
    r = diarization_error(ref, hyp, collar=0.25)
    assert r.total == pytest.approx(9.5)
    assert r.missed == pytest.approx(1.75)
    assert r.false_alarm == pytest.approx(1.75)
    assert r.der == pytest.approx(3.5 / 9.5)


def test_overlapped_reference_speech_counts_once_per_speaker() -> None:
    # 0-5: A alone, found. 5-10: A and B talk, one hypothesis speaker: 5 s of B missed.
    # Scored speech is 10 (A) + 5 (B) = 15 s, so DER = 5 / 15.
    r = diarization_error([T("A", 0, 10), T("B", 5, 10)], [T("x", 0, 10)], collar=0)
    assert r.total == pytest.approx(15)
    assert (r.missed, r.false_alarm, r.confusion) == (pytest.approx(5), 0, 0)
    assert r.der == pytest.approx(1 / 3)


def test_hypothesis_overlap_where_one_speaker_talks_is_false_alarm() -> None:
    # 4-6: two hypothesis speakers over one reference speaker: 2 s false alarm, no confusion.
    r = diarization_error([T("A", 0, 6), T("B", 6, 10)], [T("x", 0, 6), T("y", 4, 10)], collar=0)
    assert (r.missed, r.false_alarm, r.confusion) == (0, pytest.approx(2), 0)
    assert r.der == pytest.approx(0.2)


def test_mapping_is_the_one_that_maximises_shared_time() -> None:
    # x-A share 4 s, y-B 4 s, y-A 2 s. Best mapping x->A, y->B (8 s, not y->A's 2 s):
    # 4-6 is y over A, confused: DER = 2 / 10.
    r = diarization_error([T("A", 0, 6), T("B", 6, 10)], [T("x", 0, 4), T("y", 4, 10)], collar=0)
    assert r.mapping == {"x": "A", "y": "B"}
    assert r.confusion == pytest.approx(2)
    assert r.der == pytest.approx(0.2)


def test_extra_hypothesis_speaker_stays_unmapped_and_confuses() -> None:
    # One reference speaker split in two: only one half can map to A.
    r = diarization_error([T("A", 0, 10)], [T("x", 0, 4), T("y", 4, 10)], collar=0)
    assert r.mapping == {"y": "A"}
    assert r.confusion == pytest.approx(4)
    assert r.der == pytest.approx(0.4)


def test_empty_hypothesis_misses_everything_and_empty_both_is_zero() -> None:
    assert diarization_error([T("A", 0, 10)], [], collar=0).der == 1.0
    assert diarization_error([], [], collar=0).der == 0.0
    assert diarization_error([], [T("x", 0, 1)], collar=0).der == float("inf")


def test_read_rttm_sorts_turns_and_skips_other_lines(tmp_path: Path) -> None:
    path = tmp_path / "call.rttm"
    path.write_text("SPEAKER call 1 5.5 1.25 <NA> <NA> bob <NA> <NA>\n"
                    ";; a comment\n"
                    "SPEAKER call 1 0.000 2.0 <NA> <NA> ann <NA> <NA>\n"
                    "SPEAKER call 1 3.0 0 <NA> <NA> ann <NA> <NA>\n")
    assert read_rttm(path) == [T("ann", 0.0, 2.0), T("bob", 5.5, 6.75)]
