"""The learned answer-level ramble judgement (voice_coach/ramble_model.py, scripts/train_ramble.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.trainers import assert_reproducible, train
from voice_coach import ramble_model
from voice_coach.analysis import run_signals
from voice_coach.language import analyse
from voice_coach.signals.base import SignalResult
from voice_coach.signals.phrases import Text, text_of
from voice_coach.transcript import transcript_from_text

TRAIN_PATH = Path(__file__).resolve().parent.parent / "scripts" / "train_ramble.py"

# Made up for this test: chained and padded, circling back to the cache, with no signpost,
# and no stretch long enough for the rule (its longest run is under 45 words).
RAMBLING = (
    "so yeah for the cache i mean we could put redis in front and then like the reads go there and "
    "then you know if the data changes we kind of have to invalidate it and so that gets tricky and "
    "then i guess we could also like use a ttl and so the ttl kind of handles it but then you know "
    "the reads might be stale and so i mean stale reads are kind of okay sometimes and then like "
    "for the cache we would need to pick the keys and so yeah the keys would be like the user id and "
    "then the cache would hold the profile and so i mean the profile changes and then we invalidate "
    "again and so yeah it kind of comes back to invalidation and the cache again")
# As long, as unpunctuated, but planned, signposted and summed up.
STRUCTURED = (
    "i would answer this in three parts first the data model second the read path and third the "
    "failure cases for the data model each user gets one row keyed by user id with the profile fields "
    "for the read path a cache sits in front of the database with a five minute expiry which keeps "
    "most reads off the primary for failures the service falls back to the database when the cache "
    "is down and alerts fire when the hit rate drops below eighty percent to sum up one table one "
    "cache with an expiry and a fallback when it fails")


@pytest.fixture(autouse=True)
def fresh_model() -> Iterator[None]:
    ramble_model.reset()
    yield
    ramble_model.reset()


def _ramble(text: str) -> SignalResult:
    t = transcript_from_text(text)
    return run_signals(t, language=analyse(t))["ramble"]


def test_shipped_model_hears_the_ramble_the_rule_misses() -> None:
    r = _ramble(RAMBLING)
    assert r.values["present"] is True and r.verdict == "work_on"
    assert r.values["decided"]["by"] == "model" and r.values["decided"]["p"] >= r.values["decided"]["threshold"]
    assert r.values["longest_run_words"] < 45  # the rule alone would not have called it
    assert r.evidence and r.evidence[0].words is not None  # it cites the run-on stretch
    assert r.headline.startswith("chained run-on stretches")  # not "a 38-word stretch with no break"


def test_shipped_model_lets_a_structured_unpunctuated_answer_pass() -> None:
    r = _ramble(STRUCTURED)
    assert r.values["present"] is False and r.values["decided"]["by"] == "model"
    assert r.values["decided"]["p"] < r.values["decided"]["threshold"]
    assert not [e for e in r.evidence if e.words and e.words[1] - e.words[0] >= 45]


# Made up for this test: caption-style, chained with "and", "so", "like" and "um" as much as
# a rambler, but it says where it is going, marks each part and sums up.
CHAINED_BUT_PLANNED = (
    "um so i'll do this in three bits the connections then the storage and then group chats "
    "so first the connections like every phone holds a websocket to a gateway and the gateway "
    "knows which user is where and so that's the connections second the storage and um messages go "
    "into a wide column store and they're sorted by time so you can like page back and then "
    "finally group chats and small groups fan out on write and big groups fan out on read "
    "so to sum up gateways for connections a wide column store and two ways to fan out")


def _text(answer: str) -> Text:
    return text_of(analyse(transcript_from_text(answer)), units=True)


def test_structure_features_hear_a_plan_and_a_summary() -> None:
    assert ramble_model.structure(_text(CHAINED_BUT_PLANNED)) == (1.0, 1.0)
    assert ramble_model.structure(_text(RAMBLING)) == (0.0, 0.0)


def test_shipped_weights_count_structure_against_a_ramble() -> None:
    # The same answer, its structure features zeroed: a rambler who never says where they are
    # going. The shipped model must find that one more likely a ramble.
    text = _text(CHAINED_BUT_PLANNED)
    model = ramble_model.get_model()
    assert model is not None
    x = ramble_model.features(text, False, 30)
    n = len(ramble_model.STRUCTURE_FEATURES)
    unplanned = x.copy()
    unplanned[-n:] = 0.0
    assert ramble_model.FEATURES[-n:] == ramble_model.STRUCTURE_FEATURES
    assert model.probability(x) < model.probability(unplanned)


def test_punctuated_text_is_judged_by_the_model_too(monkeypatch: pytest.MonkeyPatch) -> None:
    # These full stops fall every n words, wherever that is; without the restorer they are
    # read as written (language.analyse), which is what this test is about.
    monkeypatch.setenv("VOICE_COACH_BOUNDARIES", "off")
    calm = _ramble("We cache the profile in redis. Writes invalidate the key. Reads fall back to the database.")
    assert calm.values["decided"]["by"] == "model" and calm.values["present"] is False
    # The same chained, circling answer with a full stop every 20 words: no 45-word run for
    # the rule, but a listener still hears a ramble.
    r = _ramble(_full_stop_every(20))
    assert r.values["longest_run_words"] == 20
    assert r.values["decided"]["by"] == "model" and r.values["present"] is True


def test_the_model_adds_a_ramble_only_with_a_run_of_fifteen_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOICE_COACH_BOUNDARIES", "off")  # marks read as written, as above
    r = _ramble(_full_stop_every(12))  # short, complete sentences: long, but not a run-on
    assert r.values["decided"]["p"] >= r.values["decided"]["threshold"]
    assert r.values["longest_run_words"] < ramble_model.MIN_RUN_TO_ADD and r.values["present"] is False


# Made up for this test: three short sentences, padded and filled like a nervous speaker.
SHORT_PADDED = ("Uh, you could, like, retry the request. Or, um, sort of cache the result, which is kind "
                "of a fallback. Queues like Kafka are also more durable, you know.")


def test_a_short_padded_answer_is_no_ramble_to_the_model() -> None:
    # Per-word rates of a 30-word answer are noise: counted per PRIOR_WORDS more words, its three
    # padding pairs no longer make it a ramble (retrained without, the model gave it p 0.79).
    r = _ramble(SHORT_PADDED)
    assert r.values["decided"]["by"] == "model" and r.values["present"] is False
    assert r.values["decided"]["p"] < r.values["decided"]["threshold"]


def test_one_run_answers_are_judged_by_the_rule() -> None:
    r = _ramble(" ".join(RAMBLING.split()[:50]).capitalize() + ".")  # one 50-word sentence
    assert r.values["decided"] == {"by": "rule"} and r.values["present"] is True


def _full_stop_every(n: int) -> str:
    """RAMBLING as a careful typist's sentences of ``n`` words: "I" capitalised, so the marks
    are read (a lower-case "i" means careless marks: language.analyse)."""
    words = ["I" if w == "i" else w for w in RAMBLING.split()]
    chunks = (" ".join(words[i:i + n]) for i in range(0, len(words), n))
    return " ".join(c[:1].upper() + c[1:] + "." for c in chunks)


def test_without_weights_the_rule_decides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(ramble_model, "WEIGHTS", tmp_path / "missing.json")
    ramble_model.reset()
    r = _ramble(RAMBLING)
    assert r.values["decided"] == {"by": "rule", "model": "unavailable"}
    assert r.values["present"] is False  # the rule's verdict: no 45-word run


def test_unreadable_weights_fall_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bad = tmp_path / "ramble.json"
    bad.write_text('{"format": "something-else"}')
    monkeypatch.setattr(ramble_model, "WEIGHTS", bad)
    ramble_model.reset()
    assert ramble_model.get_model() is None
    assert _ramble(RAMBLING).values["decided"]["by"] == "rule"


def test_weights_round_trip_and_reject_other_features() -> None:
    n = len(ramble_model.FEATURES)
    model = ramble_model.RambleModel(np.arange(n + 1, dtype=float).reshape(-1, 1) / 10, np.zeros(n),
                                     np.ones(n), 0.6, {"answers": 3})
    again = ramble_model.RambleModel.from_json(model.to_json())
    assert again.to_json() == model.to_json() and again.threshold == 0.6
    data = json.loads(model.to_json())
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="other features"):
        ramble_model.RambleModel.from_json(json.dumps(data))


def _tiny_corpus(tmp: Path) -> Path:
    """Two rounds of made-up answers, each with rambling and calm ones, some unpunctuated."""
    calm = ["We store each event once. A nightly job rolls them up. The dashboard reads the roll-up.",
            "first we check the input then we score it and finally we log the result",
            "I'd split it in two. First the API. Second the worker that drains the queue."]
    chatty = [RAMBLING, RAMBLING.replace("cache", "queue").replace("redis", "kafka"),
              "and so um like the model and then you know the data kind of and then the model again "
              "and so i mean we retrain and then like the data drifts and so the model again and yeah"]
    rounds = tmp / "rounds"
    rounds.mkdir()
    for n in (1, 2):
        lines = []
        for k, (text, ramble) in enumerate([(t, False) for t in calm] + [(t, True) for t in chatty]):
            text = text if n == 1 else text.lower()
            lines.append(json.dumps({"id": f"r{n:02d}-{k:03d}", "punctuation": "none" if "." not in text else "full",
                                     "sentences": [{"text": text, "labels": []}],
                                     "answer": {"framing": False, "clarifying": 0, "tradeoffs": 0, "ramble": ramble}}))
        (rounds / f"round-{n:02d}.jsonl").write_text("\n".join(lines) + "\n")
    return rounds


def test_training_reproduces_weights_byte_for_byte(tmp_path: Path) -> None:
    text = assert_reproducible(TRAIN_PATH, _tiny_corpus(tmp_path), tmp_path)
    model = ramble_model.RambleModel.from_json(text)
    assert model.meta["answers"] == 12 and model.meta["rounds"] == [1, 2]


def test_training_rejects_an_empty_corpus(tmp_path: Path) -> None:
    got = train(TRAIN_PATH, str(tmp_path), "--out", str(tmp_path / "x.json"))
    assert got.returncode == 3 and "no round-*.jsonl" in got.stderr


def test_help_does_not_load_the_ramble_model() -> None:
    code = ("import sys; from voice_coach.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('voice_coach.ramble_model' in sys.modules)")
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parent.parent)
    assert got.stdout.strip().splitlines()[-1] == "False"


