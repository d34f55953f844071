"""The learned second opinion: classifier, shipped weights, integration and fallback.

The sentence vectors are the real ones (spaCy ``en_core_web_sm``'s token vectors, pooled),
so these tests check the product's own path. Model-only evidence is provoked with a hand-built :class:`Model`
(``learned.using``) so the integration tests do not depend on what the shipped weights
learned; the shipped weights get their own flag / near-miss test.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import jsonschema
import numpy as np
import pytest

from tests.trainers import assert_reproducible
from voice_coach import embeddings, learned
from voice_coach.analysis import run_signals
from voice_coach.classifier import CHEAP, LABELS, Model, choose_threshold, fit, predict
from voice_coach.language import analyse
from voice_coach.transcript import transcript_from_text

TRAIN_PATH = Path(__file__).resolve().parent.parent / "scripts" / "train_learned.py"
DIM = 192 + len(CHEAP) + 1


@pytest.fixture(scope="module")
def trainer() -> ModuleType:
    """scripts/train_learned.py imported as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("vc_train_learned", TRAIN_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["vc_train_learned"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test sees the model switched on and no remembered load failure or warning."""
    monkeypatch.delenv(learned.RULES_ONLY_ENV, raising=False)
    learned.reset()
    yield
    learned.reset()


def _report(text: str, nlp: object = None) -> dict[str, object]:
    t = transcript_from_text(text)
    return {k: v.to_dict() for k, v in run_signals(t, language=analyse(t, nlp)).items()}


def _always(label: str) -> Model:
    """A model that calls every sentence ``label`` (bias +10) and nothing else (bias -10)."""
    w = np.zeros((DIM, len(LABELS)))
    w[-1, :] = -10.0
    w[-1, LABELS.index(label)] = 10.0
    return Model(embeddings.EMBEDDER, w, dict.fromkeys(LABELS, 0.5))


# -- classifier ------------------------------------------------------------------------------

def test_fit_separates_and_is_deterministic() -> None:
    rng = np.random.default_rng(0)
    x = np.hstack([rng.normal(size=(60, 3)), np.ones((60, 1))])
    y = (x[:, :1] > 0).astype(float)
    w1, w2 = fit(x, y, l2=0.1), fit(x, y, l2=0.1)
    assert np.array_equal(w1, w2)
    assert ((predict(w1, x)[:, 0] >= 0.5) == (y[:, 0] == 1)).mean() >= 0.95


def test_threshold_prefers_fewer_model_hits_on_ties() -> None:
    gold = np.array([True, True, False, False])
    rule = np.array([True, False, False, False])
    p = np.array([0.1, 0.9, 0.2, 0.1])
    assert choose_threshold(p, rule, gold) == 0.9  # the highest threshold still catching the 0.9
    assert choose_threshold(np.zeros(4), rule, gold) == 0.99  # nothing to gain: model stays quiet


def test_weights_round_trip_as_json() -> None:
    m = _always("tradeoff")
    back = Model.from_json(m.to_json())
    assert back.to_json() == m.to_json() and back.thresholds["tradeoff"] == 0.5
    with pytest.raises(ValueError):
        Model.from_json(json.dumps({"format": "something else"}))
    with pytest.raises(ValueError, match="cheap features"):
        Model.from_json(m.to_json().replace('"cheap_features":["question"', '"cheap_features":["first"'))


def _tiny_corpus(root: Path) -> Path:
    answers: list[tuple[str, list[str], list[list[str]]]] = [
        ("t1", ["Caching makes reads instant, though every write must invalidate it.", "That is the design."],
         [["tradeoff"], []]),
        ("t2", ["Is the traffic mostly reads?", "I'd cache at the edge."], [["clarifying"], []]),
        ("t3", ["First, the data.", "Second, the model, because labels are scarce."],
         [["signpost"], ["signpost", "justification"]]),
        ("t4", ["There's a tradeoff there.", "I'd use Redis."], [[], []]),
    ]
    rounds = root / "rounds"
    rounds.mkdir()
    for n, chunk in ((1, answers[:2]), (2, answers[2:])):
        lines = [json.dumps({"id": i, "sentences": [{"text": t, "labels": lab} for t, lab in zip(ts, ls, strict=True)],
                             "answer": {"framing": False, "clarifying": 0, "tradeoffs": 0, "ramble": False}})
                 for i, ts, ls in chunk]
        (rounds / f"round-{n:02d}.jsonl").write_text("\n".join(lines) + "\n")
    return rounds


def test_training_reproduces_weights_byte_for_byte(tmp_path: Path) -> None:
    text = assert_reproducible(TRAIN_PATH, _tiny_corpus(tmp_path), tmp_path)
    model = Model.from_json(text)
    assert model.embedder == embeddings.EMBEDDER and model.weights.shape == (DIM, len(LABELS))
    assert model.meta["answers"] == 4 and model.meta["rounds"] == [1, 2]


def test_training_rejects_an_empty_corpus(trainer: ModuleType, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert trainer.main([str(tmp_path)]) == 3
    assert "no round-*.jsonl" in capsys.readouterr().err


# -- shipped weights ---------------------------------------------------------------------------

AROUND = ("I would start with the requirements. We have a million users a day. ", " We would monitor it weekly. "
          "That is my answer.")


@pytest.mark.parametrize(("label", "flag", "near_miss"), [
    ("tradeoff", "A bigger model is more accurate, but it costs more to serve.", "The model is good, but I had lunch."),
    ("clarifying", "Could you tell me what the latency budget is?", "What could go wrong here?"),
    ("signpost", "The second thing is monitoring.", "It is raining, but we went out anyway."),
])
def test_shipped_model_flags_a_sentence_but_not_its_near_miss(label: str, flag: str, near_miss: str) -> None:
    model = learned.get_model()
    assert model is not None
    cut = model.thresholds[label]
    for sentence, fires in ((flag, True), (near_miss, False)):
        t = transcript_from_text(AROUND[0] + sentence + AROUND[1])
        probs = learned.probabilities(analyse(t))
        assert probs is not None
        assert bool(probs[label][2] >= cut) is fires, (sentence, probs[label][2], cut)


# -- integration -------------------------------------------------------------------------------

TEXT = ("Let me start with the data. The data lives in a warehouse. Labels arrive a week late. "
        "We retrain every night. Overall that is the plan.")


def test_evidence_says_model_when_only_the_model_fired() -> None:
    with learned.rules_only():
        rules = _report(TEXT)
    assert rules["tradeoffs"]["count"] == 0  # type: ignore[index]
    with learned.using(_always("tradeoff")):
        both = _report(TEXT)
    ev = both["tradeoffs"]["evidence"]  # type: ignore[index]
    assert both["tradeoffs"]["count"] == 5 and ev  # type: ignore[index]
    assert {e["rule"] for e in ev} == {"model:tradeoff"}
    assert all(e["p"] > 0.99 and e["text"] and "words" in e for e in ev)
    schema = json.loads((Path(__file__).resolve().parent.parent / "docs" / "report-schema.json").read_text())
    jsonschema.validate(both["tradeoffs"], {"$defs": schema["$defs"], "$ref": "#/$defs/signal"})


def test_the_model_alone_labels_no_one_word_sentence() -> None:
    # A cut-off last word ("Thank") gives the sentence vector one token to go on.
    with learned.using(_always("signpost")):
        report = _report("We rank by predicted purchases and compare against the current order. Thank")
    quoted = [e["text"] for e in report["signposting"]["evidence"]]  # type: ignore[index]
    assert "Thank" not in quoted
    assert any(len(q.split()) >= learned.MIN_WORDS_ALONE for q in quoted), quoted


def test_rules_keep_their_row_when_the_model_agrees() -> None:
    text = "A bigger model is more accurate, but it is slower to serve. We retrain nightly."
    with learned.using(_always("tradeoff")):
        ev = _report(text)["tradeoffs"]["evidence"]  # type: ignore[index]
    assert ev[0]["rule"].startswith("tradeoffs.") and "p" not in ev[0]
    assert ev[1]["rule"] == "model:tradeoff"


def test_model_clarifying_needs_a_real_question_and_plan_stays_with_the_rules() -> None:
    text = ("Why does this matter? Because users churn. We keep a week of logs. "
            "The model is small. Then we ship it and watch the numbers closely.")
    with learned.using(_always("clarifying")):
        r = _report(text)
    quoted = [e["text"] for e in r["clarifying_questions"]["evidence"]]  # type: ignore[index]
    assert quoted == []  # a rhetorical question and statements: the model may add neither
    with learned.rules_only():
        rules_framing = _report(text)["framing"]
    with learned.using(_always("plan")):
        f = _report(text)["framing"]
    assert f == rules_framing  # plan is a label the model may not add alone (learned.NOT_ALONE)


def _plan_at(p: float) -> Model:
    """A model that gives every sentence plan probability ``p`` (and nothing else), with the
    high threshold training chose for the model on its own."""
    w = np.zeros((DIM, len(LABELS)))
    w[-1, :] = -10.0
    w[-1, LABELS.index("plan")] = float(np.log(p / (1.0 - p)))
    return Model(embeddings.EMBEDDER, w, {**dict.fromkeys(LABELS, 0.5), "plan": 0.9})


def test_a_corroborated_plan_counts_from_a_lower_probability() -> None:
    # The opening names its steps ("then the experiment") but no plan row fires on it.
    text = ("Let me go metrics, then the experiment, then how I'd read the result. For metrics I'd "
            "look at watch time per user.")
    with learned.rules_only():
        assert _report(text)["framing"]["present"] is False  # type: ignore[index]
    low = learned.CORROBORATED_THRESHOLD["plan"]
    assert low < 0.9
    with learned.using(_plan_at(low + 0.05)):
        f = _report(text)["framing"]
    assert f["present"] is True and f["evidence"][0]["rule"] == "model:plan"  # type: ignore[index]
    with learned.using(_plan_at(low - 0.05)):
        assert _report(text)["framing"]["present"] is False  # type: ignore[index]


def test_no_english_pipeline_falls_back_to_rules_with_one_warning(capsys: pytest.CaptureFixture[str]) -> None:
    import spacy

    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")  # what language.py falls back to without en_core_web_sm
    with learned.rules_only():
        rules = _report(TEXT, blank)
    with learned.using(_always("tradeoff")):
        got = _report(TEXT, blank)
        _report(TEXT, blank)
    err = capsys.readouterr().err
    assert got == rules
    assert err.count("voice-coach: warning: the learned second opinion is off") == 1
    assert "en_core_web_sm" in err and "Traceback" not in err


def test_missing_weights_fall_back_to_rules(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    with learned.rules_only():
        rules = _report(TEXT)
    monkeypatch.setattr(learned, "WEIGHTS", tmp_path / "absent.json")
    assert _report(TEXT) == rules
    assert "absent.json" in capsys.readouterr().err
    assert learned.get_model() is None


def test_rules_only_env_switches_the_model_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(learned.RULES_ONLY_ENV, "1")
    t = transcript_from_text(TEXT)
    assert learned.probabilities(analyse(t)) is None


def test_sentence_vectors_pool_each_span_from_the_whole_parse() -> None:
    from voice_coach.embeddings import sentence_vectors

    t = transcript_from_text("It is fast, but it costs memory. Is this real-time?")
    lang = analyse(t)
    v = sentence_vectors(lang, [(0, 7), (7, 10)])
    assert v is not None and v.shape == (2, 192)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0) and not np.allclose(v[0], v[1])


def test_weights_of_the_wrong_size_fall_back_to_rules(capsys: pytest.CaptureFixture[str]) -> None:
    with learned.rules_only():
        rules = _report(TEXT)
    wrong = Model(embeddings.EMBEDDER, np.zeros((DIM + 4, len(LABELS))), dict.fromkeys(LABELS, 0.5))
    with learned.using(wrong):
        assert _report(TEXT) == rules
    assert "expect" in capsys.readouterr().err


def _only(label: str, p: float, threshold: float = 0.97) -> Model:
    """A model that gives every sentence ``label`` probability ``p`` (others ~0), with a high
    trained threshold, so it adds nothing of its own and only its veto can act."""
    w = np.zeros((DIM, len(LABELS)))
    w[-1, :] = -10.0
    w[-1, LABELS.index(label)] = float(np.log(p / (1.0 - p)))
    return Model(embeddings.EMBEDDER, w, {**dict.fromkeys(LABELS, 0.5), label: threshold})


def test_the_model_vetoes_a_rule_hit_it_gives_almost_no_chance() -> None:
    text = "Is this real-time or batch? Okay, batch. Then I'd run a nightly job over the logs."
    with learned.rules_only():
        assert _report(text)["clarifying_questions"]["count"] == 1  # type: ignore[index]
    floor = learned.VETO_P["clarifying"]
    with learned.using(_only("clarifying", floor / 2)):
        assert _report(text)["clarifying_questions"]["count"] == 0  # type: ignore[index]
    with learned.using(_only("clarifying", floor * 2)):
        kept = _report(text)["clarifying_questions"]
    assert kept["count"] == 1 and kept["evidence"][0]["rule"].startswith("clarifying_questions.")  # type: ignore[index]


@pytest.mark.parametrize(("text", "count"), [
    # The clause units cut this question in two ("how many daily users | are we talking about
    # right say"); the restorer hears it whole and asked.
    ("how many daily users are we talking about right say 10 million so the events come to about half a "
     "billion a day and we store them as parquet in object storage", 1),
    # A self-directed question in the opening is not asked of the interviewer.
    ("so what do we do here how many users are we talking about i guess it depends and then we store the "
     "events as parquet in object storage", 0),
])
def test_an_opening_question_the_restorer_hears_whole_counts(text: str, count: int) -> None:
    with learned.rules_only():
        assert _report(text)["clarifying_questions"]["count"] == 0  # type: ignore[index]
    r = _report(text)
    c = r["clarifying_questions"]
    assert c["count"] == count, c  # type: ignore[index]
    assert r["framing"]["present"] is bool(count)  # type: ignore[index]
    if count:
        assert c["evidence"][0]["rule"] == "model:clarifying"  # type: ignore[index]
        assert c["evidence"][0]["text"].startswith("how many daily users are we talking about")  # type: ignore[index]
