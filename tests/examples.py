"""The examples table: snippets each signal should flag or pass, in the spirit of proselint.

Each row says: for this answer text, the signal's report object must contain these values.
``tests/test_signal_examples.py`` runs every row; a meta-test checks every registered signal
has rows that flag and rows that pass. Delivery signals (fillers, pauses, pace) keep their
rows in ``tests/examples_delivery.py``.

Text may carry ``[pause N]`` marks: the row then becomes a *timed* transcript (see
:func:`transcript_for`), with N seconds of silence between speech regions at that point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from voice_coach.transcript import Segment, SpeechRegion, Transcript, Word, transcript_from_text

_PAUSE = re.compile(r"\[pause\s+([0-9.]+)\]")


@dataclass(frozen=True)
class Example:
    """One row.

    Attributes:
        signal: registry name of the signal under test.
        text: the answer.
        expect: values the signal's report object must have (``{"count": 0}``); a value
            may be a callable taking the actual value and returning bool.
        flag: True when the row is a "should flag" case, False for "should pass" (for the
            meta-test's balance check).
        why: what the row pins down.
        timed: build a timed transcript even without pause marks.
        question: optional question info as a dict of Question fields.
    """

    signal: str
    text: str
    expect: dict[str, Any]
    flag: bool
    why: str = ""
    timed: bool = False
    question: dict[str, Any] = field(default_factory=dict)


WORD_S = 0.32  # a spoken word takes about a third of a second
GAP_S = 0.08


def transcript_for(ex: Example) -> Transcript:
    """The transcript a row stands for: plain text, or timed when it has pause marks."""
    if not ex.timed and not _PAUSE.search(ex.text):
        return transcript_from_text(ex.text)
    return timed_transcript(ex.text)


def timed_transcript(text: str, lead_s: float = 0.5, tail_s: float = 0.5) -> Transcript:
    """A synthetic timed transcript: regular word times, speech regions split at ``[pause N]``."""
    t = lead_s
    words: list[Word] = []
    regions: list[SpeechRegion] = []
    for i, part in enumerate(_PAUSE.split(text)):
        if i % 2 == 1:
            t += float(part)
            continue
        tokens = part.split()
        if not tokens:
            continue
        start = t
        for tok in tokens:
            words.append(Word(tok, round(t, 3), round(t + WORD_S, 3)))
            t += WORD_S + GAP_S
        regions.append(SpeechRegion(round(start, 3), round(t - GAP_S, 3)))
    duration = round(t + tail_s, 3)
    seg = Segment(" ".join(w.text for w in words), 0.0, duration, tuple(words))
    return Transcript(tuple(words), (seg,), duration, tuple(regions), source="audio")


def positive(n: Any) -> bool:
    """Predicate: a count above zero."""
    return isinstance(n, int) and n > 0


# Rows for the language signals (framing, ramble, tradeoffs, clarifying questions, ...).
# ``flag`` is True when the row shows the thing the signal detects (a framing opening, a
# ramble, a tradeoff, a clarifying question) and False when it must not be detected; the
# traps (rhetorical questions, the bare word "tradeoff", "I'd start with <a model>") are
# False rows. Every text here was written for this table.
FR, RA, TR, CQ = "framing", "ramble", "tradeoffs", "clarifying_questions"

LANGUAGE_ROWS: list[Example] = [
    # --- framing: detected ---
    Example(FR, ("Yeah, so I'll tell you what the project was, why it was hard, and what I'd do differently. "
                 "We rebuilt the booking system for forty clinics."),
            {"present": True}, True, "a roadmap given as the answer's topics"),
    Example(FR, ("Okay so there's sort of three bits I want to hit, connections, storage and delivery. "
                 "So connections, every client keeps a websocket open."),
            {"present": True}, True, "British 'three bits'"),
    Example(FR, ("okay so i will answer in three part what is the goal which metric and how to test it "
                 "first the goal for me onboarding is success when the user gets value"),
            {"present": True}, True, "non-native singular 'in three part'"),
    Example(FR, ("yes thank you it is a nice question for me i will tell the background and then what i "
                 "decided and how it ended so it was at my first job in lisbon with a small team"),
            {"present": True}, True, "unpunctuated: a plan the clause units cut in two, read over the whole opening"),
    Example(FR, ("so it was at my first job in lisbon and then we moved to a new office and then the build "
                 "broke every single morning for a week and nobody knew why"),
            {"present": False}, False, "unpunctuated: a story's 'and then' names events, not the answer's steps"),
    Example(FR, ("I'll cover three things: how the data is collected, how I'd evaluate, and which "
             "model I'd try first. Collection matters most here."),
            {"present": True}, True, 'enumerated plan'),
    Example(FR, ("My approach has two parts, the offline metric and the online test. Offline, I'd use "
             'held-out weeks.'),
            {"present": True}, True, "'my approach has two parts'"),
    Example(FR, ("Let me start by understanding what we're predicting and for whom. Then I'll get to "
             'features.'),
            {"present": True}, True, "'let me start by understanding'"),
    Example(FR, ('Before jumping to a model, is the goal to catch more fraud or to annoy fewer '
             'customers? That changes everything.'),
            {"present": True}, True, 'clarifying question first'),
    Example(FR, ("At a high level, I'd frame this as a ranking problem, then talk about labels and "
             'serving. The labels come from clicks.'),
            {"present": True}, True, "'at a high level'"),
    Example(FR, ('I want to break this down into the data side and the modelling side. On the data '
             'side, leakage is the big risk.'),
            {"present": True}, True, "'break this down into'"),
    Example(FR, ("Okay. Great question. So first I'd clarify the requirements, then sketch a baseline,"
             ' and then iterate.'),
            {"present": True}, True, 'acknowledgements are skipped'),
    Example(FR, ("I'd approach this in three steps. First, the metric. Second, the data. Third, the "
             'model.'),
            {"present": True}, True, "'in three steps'"),
    Example(FR, ("The way I'd think about it is in terms of the inputs and the outputs. For inputs, "
             "I'd watch drift."),
            {"present": True}, True, "'the way I'd think about it'"),
    Example(FR, ("I'd like to start with what success looks like, and then work backwards to the "
             'model. Success here is retention.'),
            {"present": True}, True, "'start with what ... then'"),
    Example(FR, ('Step one is to agree on the metric, step two is the experiment design. For the '
             "metric, I'd pick conversions."),
            {"present": True}, True, "'step one'"),
    Example(FR, ("There are a couple of ways to do this, and I'll compare them. The simplest is a "
             'threshold rule.'),
            {"present": True}, True, "'there are a couple of ways'"),
    Example(FR, ("Let me walk you through how I'd do it, starting from the raw logs. The logs have one"
             ' row per impression.'),
            {"present": True}, True, "'let me walk you through'"),
    Example(FR, ("Good question. Regularization limits how complex a model can get, and I'll cover "
                 "when to use it and what it costs."),
            {"present": True, "kind": "plan"}, True, "announcing what the answer will cover"),
    Example(FR, "First, I'd look at how the labels were collected, then pick a metric.",
            {"present": True, "kind": "plan"}, True, "'first, I'd look at ...' and a next step"),
    Example(FR, ("Let me go metrics, then the experiment, then how I'd read the result. For metrics I'd look "
                 "at watch time per user."),
            {"present": True, "kind": "plan"}, True,
            "steps named as topics after 'then' (the learned plan, corroborated by the sequence)"),
    Example(FR, "Sure. I think the key is to separate two questions: what to measure, and how to measure it.",
            {"present": True, "kind": "structure"}, True, "a counted noun introducing a list"),
    Example(FR, "So we want to rank the results well. Are we optimizing for clicks or for purchases?",
            {"present": True, "kind": "clarify_first"}, True, "a clarifying question as the first real step"),
    Example(FR, ("Oh, that's a nice one. Let me think for a second. Okay, I'd want to answer three questions: "
                 "who's blocked, what's costing us the most, and what's cheap. Who's blocked is mostly talking "
                 "to people."),
            {"present": True}, True, "stalls before the plan are not the opening: the plan still opens the answer"),
    # --- framing: not detected ---
    Example(FR, ("Hmm, that's a tough one. Let me think. Okay. So at my last job we had a flaky deploy and I "
                 "rolled it back twice before anyone noticed the config change."),
            {"present": False}, False, "stalls, then a story with no plan: skipping the stalls frames nothing"),
    Example(FR, ("Um, can I take a second to think of a good one? Okay, yeah. So at my first job I was on "
                 "the data team and I promised a migration in two weeks."),
            {"present": False}, False, "asking for a moment to think does not frame the answer"),
    Example(FR, "I'd use a cache in front of the model. Are most requests repeats of recent ones?",
            {"present": False, "kind": "jumps_to_solution"}, False,
            "a solution first, then a question: the answer still jumped"),
    Example(FR, ("I'd look at how much traffic we lost and where it went. Most of it was from mobile users on "
                 "the new release."),
            {"present": False}, False, "'I'd look at' what happened is the answer's content, not a plan for it"),
    Example(FR, ("So I'd grab the logs, and then, like, grep them and restart the box and then see if it "
                 "helps. Usually it does."),
            {"present": False}, False, "actions chained with 'then' dive into the fix; they are not a plan"),
    Example(FR, "You split the users into two groups, and then compare them.",
            {"present": False}, False, "'two groups' with no list after it is not a structure"),
    Example(FR, "First, I'd use a CNN. Then I'd fine-tune it on our images.",
            {"present": False}, False, "signposted solution steps are not a plan for the answer"),
    Example(FR, "I'd start with Xee Boost, then maybe try a neural net, and see which is better.",
            {"present": False}, False, "a misheard model name, then more models to try: not a plan"),
    Example(FR, "I'm going to use XGBoost because it's the best for this. It handles missing values.",
            {"present": False, "kind": "jumps_to_solution"}, False, "'I'm going to use X' is a solution"),
    Example(FR, "I'd use XGBoost with a lot of features. It works on most tabular problems.",
            {"present": False}, False, 'jumps to a model'),
    Example(FR, "You just train a random forest on the clicks and deploy it. That's usually enough.",
            {"present": False}, False, 'solution in the first sentence'),
    Example(FR, ('Dropout randomly zeroes activations during training. It reduces co-adaptation '
             'between units.'),
            {"present": False}, False, 'a definition is not a plan'),
    Example(FR, ("Um, so, yeah, I'd start with a gradient boosted model on the user features. And then"
             ' tune it.'),
            {"present": False}, False, "'start with a model' is a solution, not a plan"),
    Example(FR, ('Precision is the share of predicted positives that are right. Recall is the share of'
             ' real positives we catch.'),
            {"present": False}, False, 'definitions only'),
    Example(FR, 'Well, the model is probably overfitting, so you add more data. Or regularize it.',
            {"present": False}, False, 'diagnosis without a plan'),
    Example(FR, 'It depends. You could use a threshold or a model, whatever works.',
            {"present": False}, False, "'it depends' is not framing"),
    Example(FR, ('We had this problem at my last job and we used a transformer and it worked great. '
             'Then we scaled it.'),
            {"present": False}, False, 'anecdote, no plan'),
    Example(FR, ('I think the main issue is class imbalance. Class imbalance makes accuracy '
             "misleading, so I'd use recall at fixed precision, then look at the confusion matrix."),
            {"present": False}, False, "a 'then' late in the second sentence of a diagnosis is not a plan"),
    Example(FR, ("so there's basically two parts to this the ingest side and the query side the ingest "
                 "side takes events off the queue and writes them in batches"),
            {"present": True, "kind": "structure"}, True, "unpunctuated, hedged structure announcement"),
    Example(FR, ("okay let me think how i'd break this down i'd kind of go through the data first then "
                 "the model and then how we serve it"),
            {"present": True}, True, "unpunctuated, casual plan"),
    Example(FR, ("um so the features are pretty obvious make model year mileage um is this for a dealer "
                 "buying cars or for people listing their own car people listing okay so i'd train on "
                 "past listings"),
            {"present": True, "kind": "clarify_first"}, True,
            "unpunctuated: a question to the interviewer in the opening's second unit"),
    Example(FR, ("there's basically two of us on the team and we ship a release every week so i'd just "
                 "add a cache in front of the database"),
            {"present": False}, False, "'two of us' is not an announced structure"),
    # --- clarifying_questions: detected ---
    Example(CQ, ("I'm assuming millions of users here, not billions, so stop me if that's wrong. Then the "
                 "feed is precomputed per user and cached for an hour."),
            {"count": 1,
             "evidence": lambda ev: ev[0]["rule"] == "clarifying_questions.confirm_statement.tell_me_if_wrong"},
            True, "an assumption handed to the interviewer to correct, in statement form"),
    Example(CQ, ("Um, I'd want to know, uh, what the agents actually do with the summary. Okay, mostly they read "
                 "it instead of the ticket. Then accuracy matters a lot, so I'd start with a small labelled set."),
            {"count": 1, "evidence": lambda ev: "I'd want to know, uh, what" in ev[0]["text"]
             and ev[0]["rule"] == "clarifying_questions.statement.want_to_know"}, True,
            "a filled pause inside the request: the lexicons read past it, the evidence quotes it"),
    Example(CQ, ('Is this scored in real time at checkout, or in a nightly batch? That decides the '
             'model size.'),
            {"count": positive}, True, 'real-time or batch question'),
    Example(CQ, ("Before I choose, I'd want to know the latency budget. Then I'd pick between trees "
             'and a small network.'),
            {"count": positive}, True, 'statement form'),
    Example(CQ, "How many labelled examples do we have, roughly? If it's thousands, I'd start simple.",
            {"count": positive}, True, 'data volume question'),
    Example(CQ, ("Can I assume we have a year of purchase history? Assuming yes, I'd build features "
             'from it.'),
            {"count": positive}, True, "'can I assume'"),
    Example(CQ, 'My first question would be what the business is optimizing, revenue or engagement.',
            {"count": positive}, True, "'my first question would be'"),
    Example(CQ, "What does the current system do today? I'd like to beat that baseline first.",
            {"count": positive}, True, 'asks about the existing system'),
    Example(CQ, ("I'd ask whether false positives or false negatives cost more here. The answer sets "
             'the threshold.'),
            {"count": positive}, True, "'I'd ask whether'"),
    Example(CQ, 'Do we need to explain each decision to the customer, for regulatory reasons?',
            {"count": positive}, True, 'constraint question'),
    Example(CQ, ('Could you tell me how fresh the recommendations need to be? Hourly would change the '
             'design.'),
            {"count": positive}, True, "'could you tell me'"),
    Example(CQ, 'So are we targeting mobile devices with limited memory',
            {"count": positive}, True, 'question without a question mark'),
    Example(CQ, "I'd need to understand how the labels are produced before trusting them.",
            {"count": positive}, True, "'I'd need to understand how'"),
    Example(CQ, "I'm assuming we have a year of labelled transactions. Is that fair?",
            {"count": 1}, True, "confirming an assumption with the interviewer"),
    Example(CQ, "Let's say the catalog has a million items, is that right?",
            {"count": 1}, True, "assumption and check-in in one sentence"),
    Example(CQ, "How imbalanced is it, one in a hundred or one in a million?",
            {"count": 1}, True, "an alternative question about the data"),
    Example(CQ, "I'd like to clarify the setting first: is the filter for email or for comments?",
            {"count": 1}, True, "a question after an 'I'd' preamble"),
    Example(CQ, ("it depends a lot on the traffic roughly how many requests are we expecting a day "
                 "about a million okay then i'd put a queue in front of the writers"),
            {"count": 1}, True, "unpunctuated: a question by word order, its reply taken in ('okay')"),
    Example(CQ, ("so um is this for the mobile app or the website the website got it so i'd start "
                 "with the search page"),
            {"count": 1}, True, "unpunctuated: an alternative question, reply echoed and acknowledged"),
    Example(CQ, ("Do we keep a history of past orders? Mostly the last year, okay. Then I'd build "
                 "features from that year."),
            {"count": 1}, True, "the reply is echoed and taken in ('okay'): not the speaker's own answer"),
    Example(CQ, ("Then I'd segment the drop. Was there a release yesterday? Was it a holiday somewhere? Do you "
                 "know if the drop is the same on Android and iOS? Only Android, okay, this is interesting. "
                 "Then I'd split Android by app version."),
            {"count": 1}, True, "a reply echoed in a few words, then taken in mid-sentence ('Only Android, okay')"),
    Example(CQ, "What's the business model, is it subscriptions or ads? Subscriptions, grand. Then I'd look at habit.",
            {"count": 1}, True, "'grand' takes the reply in: not the speaker answering their own question"),
    Example(CQ, ("Do we need it in real time? Probably not, it runs overnight, so I'd batch it. Then I'd add "
                 "an alert on failures."),
            {"count": 0}, False, "answered by the speaker: a verb before the 'so', no reply taken in"),
    Example(CQ, ("so the service reads from the queue and writes to postgres and then for the deploys actually "
                 "before that are we on kubernetes or is this a mix of vms and containers i'll assume it's all on "
                 "kubernetes so each worker is its own deployment"),
            {"count": 1}, True, "unpunctuated: a question the speaker then settles by assuming ('i'll assume')"),
    Example(CQ, ("ok so are the seats assigned or is it general admission assigned seats so i will do the "
                 "waiting room first then how we hold the seat and then the payment"),
            {"count": 1}, True, "unpunctuated: the reply echoes one side of the question inside its own unit"),
    Example(CQ, "so um real time or batch real time okay then features model and serving",
            {"count": 1}, True, "unpunctuated: an either/or with no question form, its reply echoed and taken in"),
    Example(CQ, ("i'd look at the latency graph is it one downstream dependency or is it everywhere if it's "
                 "everywhere it smells like the host so i'd check the gc pauses"),
            {"count": 0}, False, "unpunctuated: 'if it's everywhere' branches on the speaker's own question"),
    Example(CQ, "Before I design it, and how many users do we expect per day, because that decides the storage.",
            {"count": 1}, True, "an embedded 'how many X do we' clause: a question without its mark"),
    Example(CQ, ("Sure. Precision is, of the things the model flagged, how many were actually right. Recall is, "
                 "of the things that were actually there, how many the model found."),
            {"count": 0}, False, "'how many the model found': a reported clause, no auxiliary before its subject"),
    Example(CQ, ("I'd look at the error bars first, and how much the model changes if you train it on a "
                 "different sample of the data."),
            {"count": 0}, False, "'how much the model changes': a reported clause, not a question"),
    Example(CQ, ("so what do we need here i guess we need to count requests per user and then a token "
                 "bucket in redis per user key"),
            {"count": 0}, False, "'i guess' answers the speaker's own question: no assumption handed over"),
    Example(CQ, "Can I just check what the pages are for. Mostly search results. Right. So I'd cache them.",
            {"count": 1}, True, "'can I just check what ...' without its mark, reply taken in"),
    Example(CQ, ("so i'd split it into retrieval and ranking but before that i guess i'd want to know is "
                 "this for logged in users or mostly anonymous traffic so for retrieval i'd use embeddings "
                 "of the article text and then rank on dwell time"),
            {"count": 1}, True, "'i'd want to know' followed by the question in its spoken, inverted form"),
    Example(CQ, ("hmm the first thing i'd want to know is whether this is for families or for corporate "
                 "events because those are very different customers and then i'd sketch the booking flow"),
            {"count": 1}, True, "'the first thing I'd want to know is whether ...'"),
    Example(CQ, ("i'd kind of want to know\ndo we have a decent knowledge base already or is it all in old "
                 "tickets because that's where these projects die\nthe model is the easy part"),
            {"count": 1}, True, "captions: a unit announcing the question the next unit asks"),
    # --- clarifying_questions: not detected ---
    Example(CQ, ("The feed is precomputed per user and cached for an hour. Stop me if you get bored, but the "
                 "ranking is the interesting part."),
            {"count": 0}, False, "a check-in with no assumption before it asks nothing"),
    Example(CQ, ("The p99 doubled after a deploy. I'd check the diff first. And I'd want to know, is it all "
                 "instances or just some, which I'd get from the dashboards. Then I'd roll back."),
            {"count": 0}, False, "a request the speaker answers from their own dashboards"),
    Example(CQ, ("Um, can I, can I use the whiteboard for this? Okay, thanks. So the biggest lever is "
                 "quantization, it halves the memory."),
            {"count": 0}, False, "asking for the whiteboard is not about the problem"),
    Example(CQ, ("um do you mind if i take like ten seconds to think okay so i'd start from the users "
                 "and what they need from the app"),
            {"count": 0}, False, "asking for a moment to think is not clarifying"),
    Example(CQ, ("Trust shows in behaviour. I'd look at what people do once they're in. I'd compare "
                 "the habits of new and old users. Do they save their card details, or type them in every "
                 "time? Do they invite their colleagues? Those tell me more than a survey."),
            {"count": 0}, False, "late questions nobody answers: the speaker's own checklist"),
    Example(CQ, ("I'd start with the data. Then a simple baseline. Then the serving side. Do we have a "
                 "latency budget for the page? Under a hundred milliseconds, okay. Then the model stays small."),
            {"count": 1}, True, "a late question whose reply the speaker takes in still counts"),
    Example(CQ, ("I'd look at the sales by store first, like, is it every store or just the big ones, and "
                 "then compare against the same month last year."),
            {"count": 0}, False, "', like, is it X or Y': an example of what the speaker would check"),
    Example(CQ, "Here's the thing, the data is noisy and we need more labels from the users. Then I'd train a ranker.",
            {"count": 0}, False, "'here's the thing' is not an auxiliary before its subject"),
    Example(CQ, ("to spot fake accounts i'd look at behaviour do they post at odd hours do they all "
                 "follow the same accounts and then i'd train a classifier on those signals and have "
                 "a person review the borderline cases before anything gets banned"),
            {"count": 0}, False, "unpunctuated: a checklist of questions the speaker goes straight on from"),
    Example(CQ, "Um, I'd use the F1 score. Is it overfitting or something? I'd check the curves.",
            {"count": 0}, False, "'or something' is not an alternative question"),
    Example(CQ, "So I'd use a two tower model and cache the item side. Does that answer your question?",
            {"count": 0}, False, "a wrap-up check-in is not clarifying"),
    Example(CQ, "Overfitting is when the model memorizes noise. Is that right? I think so.",
            {"count": 0}, False, "self-doubt with no assumption to confirm"),
    Example(CQ, 'Why does this matter? Because a leaky feature inflates offline accuracy.',
            {"count": 0}, False, 'rhetorical why, answered at once'),
    Example(CQ, "What could go wrong? The labels could drift, so I'd monitor them.",
            {"count": 0}, False, "rhetorical 'what could go wrong'"),
    Example(CQ, "What's the tradeoff? I don't know, probably speed.",
            {"count": 0}, False, 'self-asked tradeoff question'),
    Example(CQ, 'How do we fix that? Well, we can reweight the classes.',
            {"count": 0}, False, "self-answered 'how do we fix'"),
    Example(CQ, "Which model should I use? I'd go with logistic regression first.",
            {"count": 0}, False, 'deliberation about own solution'),
    Example(CQ, "It's fast, right? And it's easy to deploy.",
            {"count": 0}, False, 'tag question'),
    Example(CQ, ("I'd use a two tower model and train it on the clicks. Then I'd deploy it behind an "
             'API.'),
            {"count": 0}, False, 'no questions at all'),
    Example(CQ, 'Does that make sense? So the next step is evaluation.',
            {"count": 0}, False, 'checking in is not clarifying'),
    Example(CQ, 'Is it overfitting? Yes, the validation loss goes up while training loss falls.',
            {"count": 0}, False, 'diagnostic question answered at once'),
    # --- tradeoffs: detected ---
    Example(TR, 'A bigger model is more accurate, but it doubles the serving latency.',
            {"count": positive}, True, 'benefit but cost'),
    Example(TR, 'We can cache the embeddings, at the expense of slightly stale results.',
            {"count": positive}, True, "'at the expense of'"),
    Example(TR, 'The catch is that labels from users are biased toward popular items.',
            {"count": positive}, True, "'the catch is'"),
    Example(TR, "There's a trade-off between recall and the review team's workload.",
            {"count": positive}, True, "'trade-off between A and B'"),
    Example(TR, "I'd trade a bit of accuracy for a model we can explain to regulators.",
            {"count": positive}, True, "'trade X for Y'"),
    Example(TR, ('Oversampling helps the minority class. However, it makes the model overfit to '
             'duplicated rows.'),
            {"count": positive}, True, "benefit, then 'However' sentence with the cost"),
    Example(TR, 'While a rules engine is easy to audit, it misses new fraud patterns.',
            {"count": positive}, True, "sentence-initial 'while'"),
    Example(TR, 'On the other hand, retraining daily keeps it fresh but costs more compute.',
            {"count": positive}, True, "'on the other hand'"),
    Example(TR, 'Batch scoring is cheaper, whereas real-time scoring reacts faster to new behavior.',
            {"count": positive}, True, "'whereas' with benefits and costs on each side"),
    Example(TR, 'Quantizing to int8 cuts memory by four times, but we lose a little accuracy.',
            {"count": positive}, True, 'cut memory but lose accuracy'),
    Example(TR, "A high bias model misses real patterns, while a high variance model chases noise.",
            {"count": 1}, True, "two options, each with its own cost"),
    # --- tradeoffs: not detected ---
    Example(TR, "I'm not totally sure, but my first thought is to check whether the drop is real or a tracking bug.",
            {"count": 0}, False, "a hedge before 'but' weighs nothing"),
    Example(TR, "I might be wrong here, but I think the test was simply too short to see a difference.",
            {"count": 0}, False, "'I might be wrong, but': a hedge, not a cost"),
    Example(TR, "What's the tradeoff? I don't know.",
            {"count": 0}, False, 'the word alone, as a question'),
    Example(TR, "There is always a tradeoff. I'd just pick the best model.",
            {"count": 0}, False, 'naming tradeoff without weighing'),
    Example(TR, "I'd use XGBoost, but I'm not sure about the features.",
            {"count": 0}, False, "'but' with uncertainty, not a cost"),
    Example(TR, 'The bias variance tradeoff is a classic topic. It comes up a lot.',
            {"count": 0}, False, 'topic mention'),
    Example(TR, "I'd train a model on the clicks and then deploy it. Then we monitor it.",
            {"count": 0}, False, 'no weighing at all'),
    Example(TR, "It's not the model but the data that matters.",
            {"count": 0}, False, 'contrast without benefit and cost'),
    Example(TR, 'Um, you split the users, uh, and compare the metrics, you know.',
            {"count": 0}, False, 'weak answer, no contrast'),
    # --- ramble: detected ---
    Example(RA, ("i'd measure it per side of the marketplace on the buyer side conversion from search to "
                 "purchase and repeat purchase within ninety days on the seller side the share of new sellers "
                 "with a sale in their first month and time from listing to first sale for the whole market "
                 "liquidity meaning the share of listings that sell within a week"),
            {"present": False}, False,
            "unpunctuated calm answer the parser cannot split: few run-on words in the long stretch"),
    Example(RA, ("um so yeah i'd like get the data and then like clean it up i guess and then we'd just "
                 "train something basic and um see how it does and then if it's not good we'd kind of go back "
                 "and get more data and then like retrain it and so on until it's good enough i guess"),
            {"present": True}, True, "unpunctuated run-on chained with 'and then', 'like', 'um'"),
    Example(RA, ('So the way it works is you take the data and you clean it and then you put it into '
             'the model and the model learns the weights and then you check the accuracy and if '
             "it's good you deploy it and if not you go back and get more data and try again until"
             ' it works well enough for the product team'),
            {"present": True}, True, '60-word run-on'),
    Example(RA, ('Gradient boosting builds trees one after another and each tree fixes the errors of '
             'the ones before it and you add them up with a small learning rate and it usually '
             'beats random forests on tabular data and people use it everywhere in industry for '
             'ranking and fraud and pricing.'),
            {"present": True}, True, 'one 50-word sentence'),
    Example(RA, ("A cache is basically a copy of the data that sits closer to the reader so the "
             "reads are fast and you put it in front of the database and then when the data "
             "changes you have to invalidate it or it goes stale and I mean that is where most of "
             "the bugs come from when you have a lot of writes and not much memory and you would "
             "tune it by trial and error."),
            {"present": True}, True, 'one written 76-word sentence: punctuated, so one run'),
    # Unpunctuated (captions, speech recognition without full stops): clauses chained with
    # "and" / "and then" / "and so" stay one run even where the clause boundaries are found.
    Example(RA, ('um so for the search thing we had the old index and it was kind of slow and then '
             'the product people wanted filters and so we added a second index and um then that '
             'one drifted from the first one and we had to rebuild both every night and then the '
             'rebuild started taking longer than the night and we kind of just lived with it'),
            {"present": True}, True, 'unpunctuated run-on: recovered clauses open with "and"'),
    Example(RA, ('we looked at the logs and the errors came from the payment client and the retries '
             'were doubling the load and then the queue backed up and so the workers timed out and '
             'the alerts went to the wrong channel and nobody saw them until the morning'),
            {"present": True}, True, 'timed, unpunctuated, no pause: one run', timed=True),
    Example(RA, ("ok so the outage. we pushed the config and then the cache went cold and then "
             "everything hit the database and so the database fell over and then we rolled back "
             "but the rollback also needed the database and so we were just stuck there for like "
             "an hour and then somebody restarted the replicas and it kind of came back. yeah."),
            {"present": True}, True, 'typed in lower case: a chained stretch is still a ramble'),
    # --- ramble: not detected ---
    Example(RA, ("sure. for storage I'd land the raw events in object storage as parquet files, "
             "partitioned by hour, with a schema version on every record, because replays from "
             "cold storage are cheap, the catch is thousands of small files per hour, queries "
             "over them get slow, a nightly compaction job merges them into large files. serving "
             "reads the compacted copy."),
            {"present": False}, False, 'typed in lower case: a long calm sentence the typist did not split'),
    Example(RA, ("i'd split it into ingestion and serving ingestion takes events from the apps and "
             "writes them to a log so replays are cheap serving reads a compacted copy the log "
             "costs storage but it lets us rebuild any view then for serving i'd cache the hot "
             "keys okay that's the shape of it"),
            {"present": False}, False, 'unpunctuated but calm: a new clause with its own subject'),
    Example(RA, ('three parts the event log the compacted store the cache in front [pause 0.6] '
             'the log holds a week of raw events for replays and audits [pause 0.6] the store '
             'keeps the latest value per key for the service to read [pause 0.6] the cache holds '
             'the hottest ten thousand keys in memory'),
            {"present": False}, False, 'timed, unpunctuated: pauses end the runs'),
    Example(RA, ("First, I'd clean the data. Then I'd train a baseline. Finally, I'd compare it with "
             'the current system.'),
            {"present": False}, False, 'short sentences'),
    Example(RA, ("I'd start with the data, because the labels are noisy, and then, once that's "
             "settled, I'd compare a linear baseline against boosted trees on a held-out week; "
             'first on offline metrics, and second, on a small online test with a guardrail on '
             'latency and on complaint rate.'),
            {"present": False}, False, 'long sentence broken by signposts'),
    Example(RA, 'The model is fine.',
            {"present": False}, False, 'one short sentence'),
    # --- framing: not detected ---
    Example(FR, "Um, I'd probably start with, like, a neural network and then tune it. Yeah.",
            {"present": False}, False, "'start with a network, then' is still a solution"),
    Example(FR, 'So first you collect the data and then you train the model on it. Then you deploy.',
            {"present": False}, False, "a generic procedure in 'you' form is not a plan for the answer"),
    # --- framing: detected ---
    Example(FR, ("Good question. I'd split this into offline evaluation and online evaluation. Offline"
             ' is cheaper.'),
            {"present": True}, True, "'split this into'"),
    Example(FR, ('Two things matter here: how fresh the data is and how fast we must answer. Freshness'
             ' first.'),
            {"present": True}, True, "'two things matter here'"),
    Example(FR, ("Regularization is a penalty on complexity, and I'll explain the two main kinds and "
             'when to use them.'),
            {"present": True}, True, 'definition plus stated structure'),
    Example(FR, "I'd think about this in terms of cost and coverage. Cost first.",
            {"present": True}, True, "'think about this in terms of'"),
    # --- clarifying_questions: not detected ---
    Example(CQ, "What else? Maybe the latency. I'd use a dashboard.",
            {"count": 0}, False, "'what else?' is thinking aloud"),
    Example(CQ, "Um, what's it called, the AUC? Yeah, I'd use that.",
            {"count": 0}, False, 'word search is not a question to the interviewer'),
    # --- ramble: timed rows (length against the question's target, evidence times) ---
    Example(RA, "First, the goal. Then the data. Finally, the model. " * 24,
            {"present": False, "too_long": True, "verdict": "work_on"}, True,
            "about 2.5x the question's 40 s target", timed=True, question={"target_s": 40.0}),
    Example(RA, "First, the goal. Then the data. Finally, the model.",
            {"too_long": False, "length_ratio": lambda r: r is not None and r < 1.5}, False,
            "well inside the target", timed=True, question={"target_s": 40.0}),
    Example(RA, "I would I would use the the baseline, we could, we could retrain it. And and then ship.",
            {"restarts": lambda n: n >= 4, "verdict": "work_on"}, True, "restarts: repeated words"),
    Example(RA, "The model is very very good. No no, it is fine.", {"restarts": 0}, False,
            "emphasis is not a restart"),
    Example(RA, ("So you take the data and you clean it. And you train the model on it and check the "
                 "accuracy. And if the accuracy is good you deploy it and you monitor it. And if it "
                 "drifts you retrain it and deploy it again and keep going like that forever."),
            {"present": True}, True,
            "speech-recognised full stops before 'And' do not break a run", timed=True),
    Example(RA, ("So you take the data and you clean it. And you train the model on it and check the "
                 "accuracy. And if the accuracy is good you deploy it and you monitor it. And if it "
                 "drifts you retrain it and deploy it again and keep going like that forever."),
            {"present": False}, False, "a typed full stop is a real sentence break"),
    # --- Whisper's punctuation: timed rows as the recogniser writes them ---
    Example(CQ, ("I'll start with the goal, then the model, is the priority to block fraud at "
                 "checkout, or to review it later, blocking in real time protects revenue."),
            {"count": positive}, True, "a spoken question Whisper ran into the sentence", timed=True),
    Example(TR, "A bigger model is more accurate. But it doubles the serving cost.",
            {"count": 1}, True, "benefit and cost split by a full stop", timed=True),
    Example(TR, "Raising the threshold improves precision. At the expense of recall, why would you care?",
            {"count": 1}, True, "a tradeoff Whisper ran into the next question", timed=True),
    Example(CQ, "How unbalanced is it, 1 in 100 or 1 in a million.",
            {"count": 1}, True, "a degree question that lost its question mark", timed=True),
    Example(CQ, "What's the first metric I'd look at? Recall at a fixed precision.",
            {"count": 0}, False, "the speaker asks and answers their own question"),
    # --- signposting ---
    Example("signposting", ("First, I'd pin down the metric. Second, I'd check the labels for leakage. "
                            "Finally, I'd compare a baseline with the current ranker, and then run a "
                            "small online test before rolling it out to everyone."),
            {"count": lambda n: n >= 3, "verdict": "strength"}, True, "ordinal signposts"),
    Example("signposting", ("The data comes from logs and it has clicks and purchases and some returns "
                            "that we would need to clean. The model would be some kind of ranker that "
                            "uses the user history and the item features, trained every day on the "
                            "latest logs. It would be served behind an API with a cache in front of it "
                            "so that it is fast enough for the page. When the logs change we would "
                            "retrain it and check it against last week's model on the same traffic, "
                            "and we would keep an eye on the error rate and the latency of the API."),
            {"count": 0, "verdict": "work_on"}, False, "a long answer with no signposts"),
    Example("signposting", "The first step is the metric. The second step is the data. Next, the model.",
            {"count": 3, "distinct": lambda d: len(d) >= 2}, True, "'the first step', 'the second step', 'next'"),
    Example("signposting", "And then the optimizer, and then the loss goes down, and then it works.",
            {"count": 0}, False, "'and then' is narration, not a signpost"),
    # --- hedging ---
    Example("hedging", "I guess maybe we could sort of try a tree model, I'm not sure, probably.",
            {"count": lambda n: n >= 4, "verdict": "work_on"}, True, "hedge-dense"),
    Example("hedging", ("Assuming the labels arrive daily, I'd retrain weekly. Let's assume we have a "
                        "million users; then a day of logs is plenty."),
            {"count": 0, "assumptions": lambda n: n >= 2, "verdict": "strength"}, False,
            "stated assumptions are a strength, not hedges"),
    Example("hedging", "Label smoothing is a kind of regularization that I use a lot.",
            {"count": 0}, False, "'a kind of' classifies, it does not hedge"),
    Example("hedging", ("I'd use a time-based split, and I'm confident it's right here, because the "
                        "features drift."),
            {"count": 0, "verdict": "ok"}, False, "a committed answer with no hedges or assumptions"),
    Example("hedging", "Maybe it's the data, I don't know, it could be the model, I'm not sure.",
            {"count": lambda n: n >= 3, "verdict": "work_on", "assumptions": 0}, True,
            "doubt without a stated assumption"),
    # --- justification ---
    Example("justification", ("I'd split by time because random splits leak future behaviour, and I'd "
                              "use PR-AUC so that the rare class is not drowned out."),
            {"count": lambda n: n >= 2, "verdict": "strength"}, True, "because / so that"),
    Example("justification", ("I'd use XGBoost. I'd use the click logs. I'd pick AUC as the metric. "
                              "I'd deploy it behind an API and I'd monitor the accuracy every day."),
            {"count": 0, "verdict": "work_on"}, False, "decisions with no reasons"),
    Example("justification", "I'd pick recall as the metric so that we miss as few fraud cases as possible.",
            {"count": 1}, True, "'so that' gives the purpose"),
    # --- closing summary ---
    Example("closing_summary", ("I'd start with the metric, then look at the data, then train a "
                                "baseline and compare it with the current system on a held-out week. "
                                "So overall, a simple baseline first, tuned on the business metric."),
            {"present": True, "verdict": "strength"}, True, "'so overall' at the end"),
    Example("closing_summary", ("I'd start with the metric, then look at the data, then train a "
                                "baseline and compare it with the current system on a held-out week, "
                                "and then maybe add more features after that. Thank you."),
            {"present": False}, False, "no summary; 'Thank you' is a sign-off, not a summary"),
    Example("closing_summary", ("First the goal, then a baseline on last month's logs, then a boosted "
                                "model if the baseline falls short, and a shadow launch before any "
                                "traffic moves. To sum up: baseline first, complexity only when it pays."),
            {"present": True, "phrase": "to sum up"}, True, "'to sum up'"),
    Example("closing_summary", "I'd use a tree model.", {"verdict": "n/a"}, False,
            "too short to need a summary"),
    # --- data before model ---
    Example("data_before_model", ("First I'd check where the labels come from and whether any feature "
                                  "leaks the outcome. Then I'd train gradient boosted trees."),
            {"data_first": True, "verdict": "strength"}, True, "labels and leakage before the model"),
    Example("data_before_model", "I'd use a neural network, and train it on the clicks data.",
            {"data_first": False, "verdict": "work_on"}, False, "model named before any data"),
    Example("data_before_model", "Regularization adds a penalty for complexity to the objective function.",
            {"data_first": None}, False, "no model named: nothing to order"),
    # --- overall ---
    Example("overall", "Um, I'd use a neural network, like a two tower model. Uh, and then train it.",
            {"focus": "framing", "verdict": "work_on"}, True, "the weakest important signal is named"),
    Example("overall", ("Um, I'd use a neural network, like a two tower model, and then train it on "
                        "the clicks and deploy it."),
            {"focus": "clarifying_questions"}, True, "the question's focus outweighs the default order",
            question={"focus": ("clarifying_questions",), "category": "ml_system_design"}),
    Example("overall", ("Let me first pin the goal down, then the data, then the model. What latency "
                        "budget do we have? A deeper model ranks better, but it is slower, so I'd "
                        "start with a light one because the page must load fast."),
            {"needs_work": lambda v: "framing" not in v and "tradeoffs" not in v}, False,
            "a strong answer gets no framing or tradeoff advice"),
]


@dataclass(frozen=True)
class Answer:
    """A whole answer labelled on the four contract language signals at once."""

    text: str
    framing: bool
    clarifying: bool
    tradeoffs: bool
    ramble: bool

    def rows(self) -> list[Example]:
        """One examples-table row per contract signal."""
        why = "whole answer: " + self.text[:40]
        return [
            Example(FR, self.text, {"present": self.framing}, self.framing, why),
            Example(CQ, self.text, {"count": positive if self.clarifying else 0}, self.clarifying, why),
            Example(TR, self.text, {"count": positive if self.tradeoffs else 0}, self.tradeoffs, why),
            Example(RA, self.text, {"present": self.ramble}, self.ramble, why),
        ]


# Whole answers in the style of a practice session: strong ones (plan, a question to the
# interviewer, a weighed choice) and weak ones (fillers, a model named first, run-ons).
ANSWERS: list[Answer] = [
    Answer(("I'll start with the goal, then the signals we can use, and then the model. Is the "
            'priority to block fraud at checkout, or to review it afterwards? Blocking in real '
            "time protects revenue, but every false positive is a customer we turn away, so I'd "
            "tune the threshold on the cost of each mistake. I'd begin with boosted trees on "
            'transaction features.'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("Um, I'd use a random forest, you know, on the transactions. Uh, and flag the weird "
            "ones. That's basically it."),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(('There are two parts to this: choosing the metric, and running the test safely. How '
            'much traffic do we get per day? Assuming about a million visits, a one week test is '
            'enough. Splitting by user avoids contamination, at the cost of fewer units than '
            'splitting by session. Why does that matter? Because fewer units means wider '
            'confidence intervals.'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(('So you just run an A B test and you look at the click through rate and if it goes up'
            ' then the new model is better and you ship it and if it goes down you keep the old '
            "one and that's pretty much how everybody does it at big companies and it works fine "
            'most of the time I think.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=True),
    Answer(('Let me define the problem first and then talk about the fix. Class imbalance means '
            'the rare class barely moves the loss. Reweighting is simple and keeps all the data, '
            "but it can make the scores poorly calibrated, so I'd recalibrate afterwards. What's "
            "the alternative? Resampling, which I'd try second."),
           framing=True, clarifying=False, tradeoffs=True, ramble=False),
    Answer(('Hmm. I mean, you could oversample, like, the small class. Or use a different metric,'
            " I guess. What's the tradeoff? I don't really know, maybe speed."),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("Before I pick an approach, I'd want to know the latency budget on the device. Then "
            "I'd compare distillation and quantization. Quantization is quick to apply, but it "
            'can cost a point or two of accuracy. Distillation keeps more accuracy while needing '
            'a full training run.'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("Well, it's kind of like when the model memorizes the training data and then it does "
            'badly on new data and you can see it because the validation loss goes up while the '
            'training loss keeps going down and so you stop training early or add dropout or get '
            'more data which usually fixes it.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=True),
    Answer(('My plan is to cover the data, the model, and the rollout, in that order. On data, '
            "the main risk is leakage from future features, so I'd split by time. For the model, "
            'a linear baseline is easy to debug, whereas boosted trees usually score higher. '
            "Finally, I'd roll out behind a shadow deployment."),
           framing=True, clarifying=False, tradeoffs=True, ramble=False),
    Answer(("Models like BERT are really good for this. I'd fine-tune it on the tickets. Then "
            'deploy it on a GPU.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(('Do you know whether the support tickets are labelled by agents or by customers? That'
            " decides how much I trust the labels. If agents label them, I'd check agreement on a"
            ' sample. A bigger encoder understands longer tickets, but it triples inference cost,'
            " so I'd start small."),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(('I would just use a dashboard with the accuracy and the latency on it and an alert '
            'when the accuracy drops below some number and then someone looks at it and retrains '
            "the model if it's bad and also you could log the predictions and compare them later "
            'with the labels when they come in.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=True),
    Answer(("Here's how I'd approach it: first the objective, then the features, then serving. "
            'Who are the users, and how quickly do they expect a result? A deeper network '
            "captures more context, but the price we pay is latency on every request. What's the "
            "first metric I'd look at? Recall at a fixed precision."),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("So, basically, I'd just train XGBoost on it, because it usually wins on tabular "
            "data. There's a tradeoff between bias and variance too, I think. Then you deploy it."),
           framing=False, clarifying=False, tradeoffs=True, ramble=False),
    Answer(('Three things come to mind: leakage, drift, and delayed labels. Should I assume '
            "labels arrive a week late? If so, I'd monitor input drift as an early proxy. Why not"
            ' just wait for the labels? Because a week of bad predictions is expensive.'),
           framing=True, clarifying=True, tradeoffs=False, ramble=False),
    Answer(('Um, so, it normalizes the inputs, right? And it makes training faster. I mean, '
            "everybody uses it. What's the tradeoff? I don't know, maybe memory."),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("I'd like to cover the metric first and the experiment second. What does the team "
            'treat as success today, sessions or purchases? Sessions respond quickly, whereas '
            "purchases move slowly but track revenue. I'd pick purchases with sessions as a "
            'guardrail.'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("You'd want to use a transformer for this since they're the best at text and then "
            'fine tune it on the labelled data and evaluate it on a held out set and if the '
            'accuracy is high enough you ship it to production and retrain it every month or so '
            'when new labelled data comes in from the annotators.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=True),
    Answer(("Let me outline my approach before diving in. It'd be good to know how many items are"
            " in the catalog. Assuming it's millions, I'd retrieve candidates with embeddings and"
            ' then rank them. Retrieval keeps serving fast, although it can miss items the '
            'embeddings represent poorly.'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(('Er, dropout randomly turns off neurons during training. Uh, which helps, you know, '
            'with overfitting. Models like ResNet use batch norm instead, kind of.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(('Starting with the goal: we want fewer missed fraud cases without blocking good '
            'customers. Are chargebacks the only labels we have, or do analysts review cases too?'
            ' If we lower the threshold, we catch more fraud but also block more legitimate '
            "orders. So overall, I'd tune the threshold on the dollar cost of each error."),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("I think you'd use a CNN, but I'm not totally sure which one. Maybe a ResNet. Does it"
            " generalize? We can check with a holdout set. You know, that's how it usually goes."),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("The first thing I'd do is separate the offline evaluation from the online one. Is "
            'accuracy the right metric? Not really, because the classes are heavily skewed. '
            "Offline metrics are cheap to compute, but they don't capture how users react, so the"
            ' online test has the final word.'),
           # One first step, not a plan of the answer: the corpus writers label "the first thing
           # I'd do is ..." unframed (12 of the 15 answers that row decided; docs/signals.md).
           framing=False, clarifying=False, tradeoffs=True, ramble=False),
    Answer(("Uh, so I'd collect a bunch of data, and then, like, label it and train the model and"
            " then check the F1 score and if it's bad I'd collect more data and label that too "
            "and retrain until it gets better and then we'd put it behind an API and the product "
            'team would use it in the app.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=True),
    Answer(("Let me think about this from the user's side first, then the system side. Are there "
            'any constraints on how long a search can take? The tradeoff here is freshness versus'
            " cost. I'd refresh the index hourly and cache the popular queries."),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(('Feature stores keep training and serving features consistent. They also make reuse '
            "easier across teams. Um, yeah, I'd use Feast I guess."),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("I'd like to answer in two parts: what causes the drift, and what we do about it. How"
            ' often does the upstream data change? Retraining weekly is simple, although it '
            'reacts slowly to sudden shifts. Why not retrain daily? Because each run costs a few '
            'GPU hours.'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("Basically the learning rate is the step size and if it's too big it diverges and if "
            "it's too small it takes forever and so people use schedules like cosine decay or "
            "warmup and Adam kind of adapts it per parameter anyway so you don't really need to "
            'tune it that much in practice honestly.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=True),
    Answer(("Right, so to structure this, I'll go data, model, evaluation. What volume of "
            'transactions are we talking about per second? With tens of thousands per second, a '
            "linear model scores cheaply, while a deep model would need GPUs we may not have. I'd"
            ' therefore start linear.'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("OK so honestly I'd probably just throw a gradient boosting model at it. They're like"
            ' really good. And, um, then we see what happens I guess.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(('My instinct is to begin by asking what a good recommendation means for this product.'
            ' Do users come back for novelty or for familiar items? Popular items are a safe bet,'
            " but they bury the long tail, so I'd mix in some exploration."),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(('K-fold cross validation splits the data into k parts. You train on k minus one parts'
            ' and test on the last one. You repeat this k times and average the scores.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("I'd break the answer into detection and response. For detection, a simple z-score on"
            ' the error rate is easy to explain, but it fires on every holiday spike. For '
            "response, I'd page a human rather than auto-rollback. How would we know it worked? "
            'By tracking time to recovery.'),
           framing=True, clarifying=False, tradeoffs=True, ramble=False),
    Answer(('Well you know the thing with embeddings is that they capture meaning and you can use'
            ' them for search and for recommendations and also for clustering and people usually '
            'get them from a pretrained model like BERT or something similar and then you store '
            'them in a vector database and query it.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=True),
    Answer(("So what matters most here? I'd say calibration. Before going further, could you "
            "confirm whether the scores feed a pricing decision? If they do, I'd prefer isotonic "
            'regression, which is flexible but needs more data than Platt scaling.'),
           framing=False, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("Let's start from the constraints, then pick the architecture. Does this have to run "
            'on the phone, offline? A distilled model fits on the device, at the expense of a few'
            ' points of accuracy.'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    # Weak answers full of near-misses: procedures in 'you' form, 'but' with doubt, questions
    # the speaker answers, the word 'tradeoff' with nothing weighed.
    Answer(("Um, there's a lot of ways to do it. I'd probably just use, like, a random forest. "
            "It's pretty good usually."),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(('So yeah, first you get the data, then you train it, then you deploy it. Pretty '
            'standard.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer("It's faster I think. But yeah, I'm not sure. Maybe we use a bigger model.",
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("Uh, what's the tradeoff here? I mean, I don't really know. Something about bias, I "
            'guess.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer("I'd use accuracy. Is that good? I think it's good. And then, um, maybe precision.",
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("Basically, you know, the model learns from the data. It's kind of like how people "
            "learn. That's the idea."),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer("I'd start with XGBoost, then maybe try a neural net, and see which is better.",
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(('Hmm. So, like, the gradient tells you the direction. And you go the other way. Uh, '
            "that's gradient descent."),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("Um, I'd just add more layers. That usually helps. Why? Because deeper models learn "
            'more.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("You'd monitor it with some dashboards, and, uh, alerts. Precision and recall are "
            'important too, obviously.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("Well, I'd say it depends on the data. Sometimes it works, sometimes it doesn't. You "
            'just have to try.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer("Er, a transformer, I think. They're the best now. Everyone uses them, you know.",
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("I'll answer in three parts: the signal, the model, and how we'd act on scores. Do we"
            ' have confirmed fraud labels, and how long do they take to arrive? Chargebacks are '
            "reliable labels but arrive weeks later, so I'd also train on analyst decisions. A "
            'stricter threshold stops more fraud, but it also declines more honest customers, so '
            "I'd set it by the cost of each mistake."),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("Uh, you'd use, like, an anomaly detection model. Um, isolation forest, I think. "
            'Basically it finds the outliers.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(('Let me define both, then say when each matters. Precision is the share of flagged '
            'items that are truly positive, and recall is the share of positives we catch. '
            'Raising the threshold improves precision, at the expense of recall. Why would you '
            'care? Because in medical screening a missed case is far worse than a false alarm.'),
           framing=True, clarifying=False, tradeoffs=True, ramble=False),
    Answer(('Precision is like how many of the ones you said were positive are actually positive '
            'and recall is how many of the actual positives you found and you kind of want both '
            'to be high but usually if one goes up the other goes down so you have to pick one '
            'depending on the problem I guess.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=True),
    Answer(("First, I'd ask what latency target we're trying to hit, and on what hardware. If "
            "it's a CPU budget of fifty milliseconds, I'd start by profiling to see where the "
            'time goes. Quantization is cheap to try but can cost some accuracy, while '
            "distillation keeps more accuracy but needs a retraining run. So I'd try quantization"
            ' first.'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer("Hmm. I'd make the model smaller. Um, or use a GPU. You know, a faster one.",
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(('There are two sides to this: the data and the loss. How imbalanced is it, one in a '
            'hundred or one in a million? Undersampling the majority class is fast, but it throws'
            ' away information. Class weights keep every example, though they can make training '
            'less stable.'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("I mean, you could oversample. What's the tradeoff? I'm not sure, it's kind of slower"
            ' maybe. Models like SMOTE help, you know.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("The short version is that simpler models underfit and complex ones overfit, and I'll"
            ' explain how to find the middle. A high bias model misses real patterns, while a '
            'high variance model chases noise in the training set. More data lowers variance '
            "without adding bias, which is why it's often the first fix."),
           framing=True, clarifying=False, tradeoffs=True, ramble=False),
    Answer(("It's the bias variance tradeoff. Basically bias is bad and variance is bad. So you "
            'want, uh, the right amount.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("I'd like to clarify the setting first: is the spam filter for email or for comments?"
            " For email, I'd start with a linear model on word features, since it's fast and easy"
            ' to update. A transformer would catch subtler spam, but it costs far more per '
            'message, which matters at billions of emails a day.'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("You just use naive Bayes. It's what everyone uses for spam. Um, and you train it on "
            'spam and not spam.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("To answer that, I'd look at it from two angles, the model and the pipeline. What's "
            'our budget for labelling new data? Going with a smaller model speeds up retraining; '
            'the catch is that it plateaus sooner.'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("Honestly I'd go with whatever the team already uses. It's easier that way, but, um, "
            'yeah.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("How do you pick k? You just try a few values and look at the elbow. That's it "
            'really.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("I'd want to confirm with you whether the model runs on the edge or in the cloud. On "
            "the edge, a small tree ensemble scales well. The cost is that it can't use raw text."),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(('My plan: understand the users, define the metric, then build. Who is searching, and '
            'on what device? Personalised ranking lifts engagement, but it needs login history we'
            ' may not have for new visitors.'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(('So the attention mechanism lets each token look at every other token and it learns '
            "weights for them and that's why transformers handle long range dependencies better "
            'than recurrent networks which have to pass information step by step and can forget '
            'things along the way over long sequences.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=True),
    Answer(("Let me first say what I'd measure. Error rate by segment tells us where the model "
            'fails. Aggregate accuracy is easy to report, whereas per segment metrics expose the '
            'users we fail. Which segments matter most to the business?'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("Uh, normalization. You, like, scale the features. Um, to zero mean. I think that's "
            'it, mostly.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("I'll walk through it in order: the objective, the candidate generation, and the "
            'ranking. Is the goal watch time or the number of sessions? Optimizing watch time '
            "rewards long videos, but it can push clickbait that users regret, so I'd add a "
            "satisfaction survey signal. I'd retrain daily."),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("Uh, I'd use collaborative filtering. Like, matrix factorization. And then, you know,"
            ' recommend the top ones.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(('Let me split this into detection and mitigation. Label noise shows up as confident '
            "mistakes, so I'd inspect the examples the model gets wrong with high confidence. "
            'Relabeling is accurate but slow and costly, whereas a noise-robust loss is cheap but'
            ' only handles random noise.'),
           framing=True, clarifying=False, tradeoffs=True, ramble=False),
    Answer(("So you'd basically just look at the confusion matrix and see where it's wrong and "
            'then maybe relabel those examples and retrain the model and hopefully it gets better'
            ' and if not you keep doing that until the accuracy stops going up or you run out of '
            'time or budget for the labelling team.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=True),
    Answer(("Two things I'd check first: the data and the training setup. When did the drop "
            'start, and did anything ship around then? A rollback is the fastest fix, though it '
            'throws away whatever the new model did better.'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("Hmm, maybe the learning rate is too high? I'd lower it. Or, um, it could be the "
            'data, I guess.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(('My answer has three parts: why it works, when it fails, and what to use instead. '
            'Dropout averages many thinned networks, which reduces overfitting. The price is '
            'slower convergence, since each step trains only part of the network.'),
           framing=True, clarifying=False, tradeoffs=True, ramble=False),
    Answer(("Dropout turns off random neurons. It's a regularizer. Everybody uses it in, like, "
            'big networks.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("I want to approach this by first agreeing on what 'better search' means. Should I "
            'optimize for the first click or for the whole session? Learning to rank from clicks '
            "is cheap to train, but clicks are biased toward the top positions, so I'd correct "
            'for position bias.'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("Um, BM25 I guess, and then, like, a BERT reranker on top. That's what most people do"
            ' now.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("I'd organize this around three risks: stale features, skew between training and "
            'serving, and silent label delays. Skew is the nastiest one. Logging features at '
            'serving time removes skew entirely, although it doubles the storage bill.'),
           framing=True, clarifying=False, tradeoffs=True, ramble=False),
    Answer(('Basically the features in training are computed differently from the ones in '
            'production so the model sees different numbers and it makes worse predictions and '
            'nobody notices because the offline metrics look fine and you only find out when the '
            'business metrics drop weeks later.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=True),
    Answer(('Let me ask a couple of questions first. How many classes are there, and are new ones'
            ' added over time? If classes keep appearing, a retrieval style classifier adapts '
            'without retraining, whereas a softmax head needs retraining for each new class.'),
           framing=True, clarifying=True, tradeoffs=True, ramble=False),
    Answer(("A softmax head. You train it with cross entropy. Um, and that's pretty much it, I "
            'think.'),
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
    Answer(("The quick answer is yes, and I'll give two reasons. Bigger batches make better use "
            'of the GPU, which shortens each epoch. The flip side is that very large batches '
            'often generalize worse unless you raise the learning rate carefully.'),
           framing=True, clarifying=False, tradeoffs=True, ramble=False),
    Answer("Bigger batches are faster. Yeah. I mean, that's the main thing, you know?",
           framing=False, clarifying=False, tradeoffs=False, ramble=False),
]

TEXT_EXAMPLES: list[Example] = LANGUAGE_ROWS + [row for a in ANSWERS for row in a.rows()]

try:
    from tests.examples_delivery import DELIVERY_EXAMPLES
except ImportError:  # the delivery rows live in their own module
    DELIVERY_EXAMPLES = []

EXAMPLES: list[Example] = TEXT_EXAMPLES + DELIVERY_EXAMPLES


def matches(expected: Any, actual: Any) -> bool:
    """Whether an actual report value satisfies an expected value or predicate."""
    if callable(expected):
        return bool(expected(actual))
    return bool(expected == actual)
