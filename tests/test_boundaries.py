"""The learned sentence-boundary and question restorer (voice_coach/boundaries.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

from tests.examples import timed_transcript
from tests.trainers import assert_reproducible, train
from voice_coach import boundaries
from voice_coach.language import analyse
from voice_coach.signals import phrases
from voice_coach.transcript import transcript_from_text

TRAIN_PATH = Path(__file__).resolve().parent.parent / "scripts" / "train_boundaries.py"
# A made-up unpunctuated answer: five sentences and one question, as a caption gives them.
RUN_ON = ("okay so i'd start with the data we have about a million labelled rows from last year "
          "then i'd train a simple baseline like logistic regression to see where we stand "
          "does the model need to run on the phone or can it call a server "
          "if it runs on the phone we need something small "
          "and that's the shape of it")
SENTENCE_STARTS = {len(RUN_ON.split(" then")[0].split()),
                   len(RUN_ON.split(" does the")[0].split()),
                   len(RUN_ON.split(" if it runs")[0].split()),
                   len(RUN_ON.split(" and that's")[0].split())}


@pytest.fixture(autouse=True)
def shipped_weights(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(boundaries.ENV, raising=False)
    yield


def test_unpunctuated_answer_gets_sentence_sized_units_over_the_same_words() -> None:
    lang = analyse(transcript_from_text(RUN_ON))
    assert lang.sparse and lang.restored is not None
    units = lang.sentences
    # The restored sentences are what tradeoffs and the learned model read; framing,
    # clarifying and ramble keep the rule units their loose-text rules were measured on.
    assert units is lang.restored and lang.units is not units
    # Word indices are untouched: the units tile the words, and no word is changed.
    assert units[0].first == 0 and units[-1].last == len(lang.words)
    assert all(a.last == b.first for a, b in pairwise(units))
    assert " ".join(u.text for u in units) == RUN_ON
    cuts = {u.first for u in units} - {0}
    assert len(cuts & SENTENCE_STARTS) >= 3, (cuts, SENTENCE_STARTS)
    assert len(units) <= 2 * (len(SENTENCE_STARTS) + 1)
    # Only the answer start is a written break; the model's cuts are not.
    assert [u.marked for u in units] == [True] + [False] * (len(units) - 1)


def test_a_spoken_question_is_flagged_without_a_question_mark() -> None:
    text = ("so the first question is the budget fixed and do we have labels for the old data "
            "then i would start with a baseline and see how it goes from there")
    lang = analyse(transcript_from_text(text))
    asked = [u for u in lang.sentences if u.is_question]
    assert asked and all(u.asked and "?" not in u.text for u in asked)
    assert any(u.text.startswith("and do we have labels") for u in asked)
    assert not any(u.text.startswith(("then i would", "so the first")) for u in asked)


def test_a_pause_in_timed_unpunctuated_speech_is_still_a_cut() -> None:
    first = "three parts the event log the compacted store and the cache in front of both"
    text = first + " [pause 0.6] the log with a week of raw events in order for replays"
    with_pause = analyse(timed_transcript(text))
    without = analyse(timed_transcript(text.replace("[pause 0.6] ", "")))
    assert with_pause.restored is not None and without.restored is not None
    at = len(first.split())
    assert at in {u.first for u in with_pause.sentences}
    assert at not in {u.first for u in without.sentences}


def test_punctuated_text_is_left_alone() -> None:
    text = "I'd start with the data. Then a baseline. Is the budget fixed? Finally a test."
    lang = analyse(transcript_from_text(text))
    assert not lang.sparse and lang.restored is None
    assert [s.text for s in lang.sentences] == ["I'd start with the data.", "Then a baseline.",
                                                "Is the budget fixed?", "Finally a test."]
    assert not any(s.asked for s in lang.sentences)


def test_loose_text_is_restored_keeping_its_written_breaks_and_rule_units() -> None:
    # One full stop in 120 words: sparse (SPARSE_WORDS_PER_MARK). The restorer's sentences are
    # what tradeoffs and the learned model read, and its written full stop stays a cut; the
    # units (framing, clarifying, ramble) stay the rule units, where the loose-text rules
    # scored higher than the restorer's (docs/signals.md).
    # (Capital "I": a text that writes it "i" is read bare, see the pause-mark tests below.)
    text = (RUN_ON.replace("stand ", "stand. ") + " " + RUN_ON).replace("i'd", "I'd")
    lang = analyse(transcript_from_text(text))
    assert lang.sparse and lang.restored is not None
    at = len(RUN_ON.split(" does the")[0].split())
    stop = len(RUN_ON.split("stand ")[0].split()) + 1
    assert any(s.first == stop for s in lang.sentences)
    assert lang.units is not lang.sentences
    unit = next(u for u in lang.units if u.first == at)
    assert unit.marked
    # A comma no longer keeps the restorer away; punctuated text still does.
    assert analyse(transcript_from_text(RUN_ON.replace("data ", "data, "))).restored is not None
    assert analyse(transcript_from_text(RUN_ON)).restored is not None


@pytest.mark.parametrize("setting", ["off", "missing"])
def test_without_weights_the_rule_units_come_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                  setting: str) -> None:
    monkeypatch.setenv(boundaries.ENV, "off" if setting == "off" else str(tmp_path / "absent.json"))
    lang = analyse(transcript_from_text(RUN_ON))
    assert lang.sparse and lang.restored is None
    assert not any(s.asked for s in lang.units)
    # Today's clause rule still splits the run-on (language.py's own units).
    assert len(lang.units) >= 3 and lang.units[-1].last == len(lang.words)


def test_weights_of_another_format_are_not_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": boundaries.FORMAT, "hash_dim": 7}))
    monkeypatch.setenv(boundaries.ENV, str(bad))
    assert boundaries.get_model() is None
    assert analyse(transcript_from_text(RUN_ON)).restored is None


def test_decode_keeps_written_ends_and_drops_one_word_units() -> None:
    import numpy as np

    p = np.array([0.9, 0.9, 0.1, 0.1, 0.9])  # gaps after words 0..4 of six words
    marks = ["so", "we", "retry.", "it", "and", "log"]
    # The cut after word 0 would leave a one-word unit; the one after 1 is kept; the mark
    # after word 2 is a cut at any probability; the cut after word 4 leaves one word.
    assert boundaries.decode(p, 0.5, marks) == [2, 3]


def _tiny_corpus(root: Path) -> Path:
    full = [["I'd start with the data.", "Is the budget fixed?", "Then a baseline, and a test."],
            ["Okay.", "Do we have labels?", "I'd cache the reads because they dominate."]]
    loose = [["so first the data", "then a baseline", "do we know the budget"]]
    rounds = root / "rounds"
    rounds.mkdir()
    for n, style, chunk in ((1, "full", full), (2, "none", loose)):
        lines = []
        for k, texts in enumerate(chunk):
            row = {"id": f"t{n}-{k}", "punctuation": style,
                   "sentences": [{"text": t, "labels": []} for t in texts],
                   "answer": {"framing": False, "clarifying": 0, "tradeoffs": 0, "ramble": False}}
            if style != "full":
                row["text"] = " ".join(texts)
            lines.append(json.dumps(row))
        (rounds / f"round-{n:02d}.jsonl").write_text("\n".join(lines) + "\n")
    return rounds


def test_training_reproduces_weights_byte_for_byte(tmp_path: Path) -> None:
    text = assert_reproducible(TRAIN_PATH, _tiny_corpus(tmp_path), tmp_path)
    model = boundaries.Model.from_json(text)
    assert model.meta["answers"] == 3 and model.meta["rounds"] == [1, 2]
    assert model.meta["units"] == 6  # questions are learned from the full answers only


def test_training_rejects_an_empty_corpus(tmp_path: Path) -> None:
    assert train(TRAIN_PATH, str(tmp_path)).returncode == 3


def test_help_does_not_load_the_restorer_numpy_or_spacy() -> None:
    code = ("import sys; from voice_coach.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('numpy', 'spacy', 'voice_coach.boundaries') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


# Full stops where a meeting tool heard the speaker breathe, not where sentences end.
PAUSE_MARKED = ("So I think the main. Thing is latency because the users. Are mostly on phones and then we. "
                "Cache the results near them. That keeps the tail. Under a second.")


def test_full_stops_at_pauses_are_not_read_but_still_quoted() -> None:
    lang = analyse(transcript_from_text(PAUSE_MARKED))
    assert not lang.marks_read
    # Read as captions are: no marks, no case, units from the restorer across the old stops.
    assert all(w.text == w.text.lower() and not w.text.endswith(".") for w in lang.words)
    assert lang.sentences[0].text.startswith("so i think the main thing is latency")
    # Evidence quotes the words as written, on the same word indices.
    view = phrases.text_of(lang)
    assert view.evidence(0, 6).text == "So I think the main. Thing"


def test_a_typists_fragment_keeps_the_marks() -> None:
    """One fragment ("Then a baseline.") is a typist's style, not a tool's pause marks."""
    text = "I'd start with the data. Then a baseline. Is the budget fixed? Finally a test."
    assert analyse(transcript_from_text(text)).marks_read
    assert analyse(transcript_from_text("I would start with the data. Then I would train a baseline. "
                                        "After that I would look at the errors.")).marks_read


def test_a_lower_case_i_means_careless_marks() -> None:
    careful = "Okay. I'd start with the data. Then I'd train a baseline. I'm done."
    assert analyse(transcript_from_text(careful)).marks_read
    assert not analyse(transcript_from_text(careful.replace("I'", "i'"))).marks_read


def test_without_the_restorer_pause_marks_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOICE_COACH_BOUNDARIES", "off")
    assert analyse(transcript_from_text(PAUSE_MARKED)).marks_read
