"""Tradeoffs stated in open vocabulary: a choice, a contrast or concessive, then what it costs.

Rules only (the learned model is switched off), so each case tests the rule it names. The
sentences are written for these tests, in the shapes issue #12 reports missed: a cost clause
after "though"/"yet", a concessive "even if it means", a contrast whose cost side is in no
word list, "the trade-off there is ...", and the same in unpunctuated caption text.
"""

from __future__ import annotations

import numpy as np
import pytest

from voice_coach import embeddings, learned
from voice_coach.classifier import CHEAP, LABELS, Model
from voice_coach.language import analyse
from voice_coach.signals import tradeoffs
from voice_coach.signals.base import Context
from voice_coach.transcript import transcript_from_text


def _found(text: str) -> list[tradeoffs.Found]:
    language = analyse(transcript_from_text(text))
    with learned.rules_only():
        result = tradeoffs.compute(language.transcript, tradeoffs.Config(), Context(language=language))
        found = tradeoffs.find_tradeoffs(tradeoffs.text_of(language))
    assert result.values["count"] == len(found)
    return found


@pytest.mark.parametrize("text", [
    # a cost clause after a benefit, behind "though" / "although" / "yet"
    "A read-through cache makes lookups instant, though every update now has to purge it.",
    "Sharding by tenant keeps queries local, although a big tenant can still swamp one node.",
    "Nightly snapshots are easy to restore, yet a whole day of edits can vanish with one bad disk.",
    # a contrast whose cost side no word list names
    "A larger learning rate gets there sooner, but it needs a schedule or the loss explodes.",
    "Keeping the old endpoint live helps the mobile clients, but every schema change ships twice.",
    # a past tense inside the cost clause is not a story
    "A deeper model would catch subtler fraud, but nobody can explain why it flagged a payment.",
    # the concessive said outright
    "I'd keep the hand-written rules, even if it means running two code paths for a while.",
    # "the trade-off there is ..." with content after it
    "The trade-off there is you get fresher numbers and you pay for a second pipeline.",
    # across a full stop Whisper put where the speaker breathed
    "Imputing the median is tidy and every model accepts it. But it pretends new users look average.",
    # what the choice brings with it, said as "but it (also) means" / "though it meant"
    "Running the test another week gives us more certainty but also means more users on the old flow.",
    "Moving the cache in front cut the page to a second though it meant prices could be a minute old.",
    # "easy to ..." after the marker names a cost, not a reassurance
    "Batching writes saves a lot of money, but it's easy to lose the last few seconds on a crash.",
])
def test_open_vocabulary_tradeoffs_are_found(text: str) -> None:
    assert _found(text), text


@pytest.mark.parametrize("text", [
    # unpunctuated captions: the clause around the marker, not the run-on, is what counts
    "okay so for the feed i'd precompute it on write a precomputed feed loads instantly "
    "but a celebrity post has to fan out to millions of inboxes so i'd special case those",
    "um we could just cache the whole page which is really simple though logged in users "
    "would see someone else's name so only the public part gets cached",
    # the restorer may break before "though": the pair is quoted from the clause before it, not
    # from the start of everything the restorer ran into that sentence
    "right so the product page is slow for everyone um we could just cache the whole page which "
    "is really simple though logged in users would see someone else's name so only the public "
    "part gets cached",
])
def test_open_vocabulary_tradeoffs_in_caption_text(text: str) -> None:
    found = _found(text)
    assert [f.how for f in found] == ["caveat"], found
    # The quote is the clause around the marker, not the whole caption.
    assert found[0].last - found[0].first < len(text.split())


@pytest.mark.parametrize("text", [
    # "but" with no cost: a story in the past tense
    "I wanted to add integration tests, but the team was worried about the build time.",
    # a benefit word and a cost word, but both sides tell what happened
    "Their old tool was better in some ways, but the team was frustrated with it for months.",
    # "but" introducing the speaker's next step
    "I'd also look at the survey answers, but I'd weight what people do over what they say.",
    # a correction, not a weighing
    "It's not the model but the data that matters.",
    # an existential clause introduces a thing; it chooses nothing
    "There are public datasets for that, but they're made with older generators.",
    # the bare word, no sides
    "There is always a trade-off there. I'd just pick the best model.",
    "The trade-off is real.",
    # a rhetorical question and not knowing
    "Caching is fast, but then what happens when the data changes?",
    "The index makes reads fast, but I don't know what it costs.",
    # "yet" as an adverb, and "even if" as a plain condition
    "When there's no training data yet a heuristic is the baseline the model must beat.",
    "The door scanner needs to work even if the wifi is bad.",
    # a concern waved away, the thing vouched for, and a likely cause weighed: no cost named
    "We also store the time zone of each order, but this is easy.",
    "Schema tests on every load are a chore to set up, but it does help.",
    "A spike like that can be real, but in my experience it is usually a late batch.",
])
def test_contrast_without_a_cost_is_not_a_tradeoff(text: str) -> None:
    assert _found(text) == [], text


def test_the_rule_quotes_the_marker_it_used() -> None:
    found = _found("A read-through cache makes lookups instant, though every update now has to purge it.")
    assert [(f.how, f.phrase, f.rule) for f in found] == [
        ("caveat", "though", "tradeoffs.concessive.conjunction")]


# -- the learned model's veto over the open-vocabulary rules ----------------------------------

def _constant(p_tradeoff: float) -> Model:
    """A model that gives every span the same tradeoff probability (bias only)."""
    dim = 2 * 96 + len(CHEAP) + 1
    w = np.zeros((dim, len(LABELS)))
    w[-1, :] = -10.0
    w[-1, LABELS.index("tradeoff")] = float(np.log(p_tradeoff / (1 - p_tradeoff)))
    return Model(embeddings.EMBEDDER, w, dict.fromkeys(LABELS, 0.99))


CAVEAT = "A read-through cache makes lookups instant, though every update now has to purge it."
EXPLICIT = "A read-through cache makes lookups instant, at the cost of purging it on every update."


def _with_model(text: str, model: Model) -> list[tradeoffs.Found]:
    language = analyse(transcript_from_text(text))
    with learned.using(model):
        return tradeoffs.find_tradeoffs(tradeoffs.text_of(language))


def _answer(sentence: str) -> str:
    return f"So I'd start with the reads. {sentence} Then I'd watch the hit rate. That's the plan."


def test_model_vetoes_a_caveat_it_is_sure_is_no_tradeoff() -> None:
    assert [f.how for f in _with_model(_answer(CAVEAT), _constant(0.01))] == []
    assert [f.how for f in _with_model(_answer(CAVEAT), _constant(0.5))] == ["caveat"]


def test_no_veto_in_answers_shorter_than_the_model_ever_saw() -> None:
    assert [f.how for f in _with_model(CAVEAT, _constant(0.01))] == ["caveat"]


def test_model_never_vetoes_an_explicit_construction() -> None:
    assert [f.how for f in _with_model(_answer(EXPLICIT), _constant(0.01))] == ["explicit"]


def test_span_probability_of_a_whole_sentence_is_its_sentence_probability() -> None:
    text = "We cache the page. " + CAVEAT + " Then we ship it."
    language = analyse(transcript_from_text(text))
    with learned.using(learned.get_model() or _constant(0.5)):
        probs = learned.probabilities(language)
        spans = [(s.first, s.last) for s in language.sentences]
        by_span = learned.span_probabilities(language, "tradeoff", spans)
    assert probs is not None and by_span is not None
    assert by_span == pytest.approx([round(float(p), 3) for p in probs["tradeoff"]], abs=1e-3)
    with learned.rules_only():
        assert learned.span_probabilities(language, "tradeoff", spans) is None


# -- the model's tradeoff counts from a lower probability where the sentence weighs inside itself

WEIGHED = "The first plan is faster but half the value."


@pytest.mark.parametrize(("sentence", "weighs"), [
    (WEIGHED, True),
    ("Two tower is fast at serving time, even if the ranking stays coarse.", True),
    ("Batch is cheap, whereas streaming is fresh.", True),
    ("But it is half the value.", False),  # opens the sentence: nothing before it to weigh
    ("So, though it is slow, the answer is right.", False),
    ("The loss goes up while the accuracy falls.", False),  # "while" without a comma: temporal
    ("We have no labels yet a heuristic is the baseline.", False),  # "yet" as an adverb
    ("The first plan is faster and simpler.", False),
])
def test_weighed_within(sentence: str, weighs: bool) -> None:
    text = tradeoffs.text_of(analyse(transcript_from_text(sentence)))
    assert [tradeoffs.weighed_within(text, s) for s in text.sentences] == [weighs]


def test_model_tradeoff_counts_from_a_lower_probability_where_the_sentence_weighs() -> None:
    low = learned.CORROBORATED_THRESHOLD["tradeoff"]
    assert low < 0.95
    assert _found(_answer(WEIGHED)) == []  # no rule fires on it
    found = _with_model(_answer(WEIGHED), _constant(low + 0.05))  # under the trained 0.99
    assert [(f.how, f.rule, f.p) for f in found] == [("model", "model:tradeoff", round(low + 0.05, 3))]
    assert _with_model(_answer(WEIGHED), _constant(low - 0.05)) == []
    # At the trained threshold the model needs no corroboration: every sentence counts.
    assert [f.how for f in _with_model(_answer(WEIGHED), _constant(0.995))] == ["model"] * 4


def test_a_caption_contrast_after_a_continued_unit_weighs_what_came_before() -> None:
    # The restorer cuts "are cheap | and there's lots of them | but they're biased": the benefit
    # sits two units before the contrast.
    found = _found("so offline we would use click labels which are cheap and there's lots of them "
                   "but they're biased toward whatever was already ranked high so raters for a smaller set")
    assert [f.how for f in found] == ["contrast"], found


def test_only_a_unit_the_restorer_started_continues_the_one_before() -> None:
    def continued(text: str) -> list[str]:
        t = tradeoffs.text_of(analyse(transcript_from_text(text)))
        out = []
        for k, s in enumerate(t.sentences):
            before = tradeoffs._continued(t, k, [])
            if before is not None:
                out.append(f"{before.text} | {s.text}")
        return out

    caption = continued("click labels are cheap and there's lots of them but they're biased toward the top")
    assert caption and all(" | and " in c for c in caption), caption
    # Written full stops: the speaker ended the sentence, nothing runs on.
    assert continued("Click labels are cheap. And there's lots of them. But they're biased toward the top.") == []


CAPTION_PAIR = ("yes so this happened to us at my last company, we had postgres with the orders, vertical scaling "
                "is easy, no code change, but there is a limit, and then we thought about sharding by customer id, "
                "we did the sharding anyway one year later")


def test_the_model_reads_a_caption_unit_and_its_contrast_as_one_sentence() -> None:
    # The restorer cuts "vertical scaling is easy, no code change, | but there is a limit,": no
    # rule fires, and neither unit weighs on its own.
    assert _found(CAPTION_PAIR) == []
    low = learned.CORROBORATED_THRESHOLD["tradeoff"]
    found = _with_model(CAPTION_PAIR, _constant(low + 0.05))
    language = analyse(transcript_from_text(CAPTION_PAIR))
    quoted = [" ".join(w.text for w in language.words[f.first:f.last]) for f in found]
    assert [(f.how, f.rule) for f in found] == [("model", "model:tradeoff")]
    assert quoted == ["vertical scaling is easy, no code change, but there is a limit,"]
    assert _with_model(CAPTION_PAIR, _constant(low - 0.05)) == []
    # Written full stops: the speaker ended the sentence, so no pair is read.
    written = "We had postgres. Vertical scaling is easy. But there is a limit. Then we sharded by customer."
    with learned.using(_constant(low + 0.05)):
        assert tradeoffs._model_pairs(tradeoffs.text_of(analyse(transcript_from_text(written))), []) == []
