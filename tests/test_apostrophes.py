"""Contractions typed without their apostrophe: the analysis reads them restored, the
transcript and the evidence keep them as written (voice_coach.apostrophes)."""

from __future__ import annotations

import pytest

from voice_coach import learned
from voice_coach.analysis import run_signals
from voice_coach.apostrophes import restore
from voice_coach.language import analyse
from voice_coach.transcript import transcript_from_text

EXAMPLES = [
    # (written, read) -- only the words that change are restored
    ("so id like to cover three things", "so i'd like to cover three things"),
    ("whats the read pattern", "what's the read pattern"),
    ("thats fine but i dont know", "that's fine but i don't know"),
    ("Id probably start with the data", "I'd probably start with the data"),
    ("ok ill start with the users", "ok i'll start with the users"),
    ("then wed need a queue", "then we'd need a queue"),
    ("lets say ten million users", "let's say ten million users"),
    ("its not a big deal, its own cache", "it's not a big deal, its own cache"),
    ("youre right theyre cheap", "you're right they're cheap"),
    # near misses: the other word, told apart by the next one
    ("join on the user id and the session id", "join on the user id and the session id"),
    ("a common id like email", "a common id like email"),
    ("the problem is ill posed", "the problem is ill posed"),
    ("it lets us ship faster", "it lets us ship faster"),
    ("each event keeps its own id", "each event keeps its own id"),
    ("well were done", "well were done"),
]


@pytest.mark.parametrize(("written", "read"), EXAMPLES)
def test_restore(written: str, read: str) -> None:
    assert " ".join(restore(written.split())) == read


def test_restore_keeps_punctuation_and_length() -> None:
    words = ["(dont", "id", "like", "to,", "thats."]
    assert restore(words) == ("(don't", "i'd", "like", "to,", "that's.")


def test_the_signals_read_the_contraction_and_quote_the_words_as_written() -> None:
    text = ("so id like to cover three things the data the model and how we serve it "
            "for the data we have click logs and for the model id start with a simple baseline")
    t = transcript_from_text(text)
    with learned.rules_only():
        framing = run_signals(t, language=analyse(t))["framing"].to_dict()
    assert framing["present"] is True, framing
    quoted = " ".join(e["text"] for e in framing["evidence"])
    assert "id like to cover" in quoted and "i'd" not in quoted
    assert [w.text for w in t.words][:3] == ["so", "id", "like"]
