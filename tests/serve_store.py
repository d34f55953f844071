"""A generated archive for the ``serve`` tests and benchmark: many sessions with real reports.

Reports come from the real signals (:func:`voice_coach.service.report_for_transcript`) run on
synthetic timed transcripts, so verdicts, fillers and framing marks are what the app would
see; only ``variety`` distinct answers are analysed and then reused with different ids,
dates and questions, which keeps 10,000 sessions cheap to build.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from voice_coach.question import Question
from voice_coach.service import report_for_transcript
from voice_coach.store import Store
from voice_coach.transcript import SpeechRegion, Transcript, Word

QUESTIONS = (
    Question("sys-ranking-01", "How would you design a search ranking system?", "system_design"),
    Question("met-ctr-02", "Which metric would you use for a feed, and why?", "metrics"),
    Question("trd-latency-03", "How do you trade off latency against model quality?", "tradeoffs"),
    Question("beh-conflict-04", "Tell me about a disagreement with a teammate.", "behavioural"),
)
OPENINGS = ("So first let me clarify the goal.", "Um, I think the main thing is", "Let me start with the users.",
            "Uh, so basically we want", "The goal here is to understand the problem.")
BODIES = ("we could use a two tower model for retrieval and then a ranker on top",
          "the tradeoff is recall versus latency because a bigger model is slower",
          "I would measure click through rate and also long term retention",
          "um you know we need features like freshness and the user history",
          "is the goal clicks or purchases and how much traffic do we have",
          "like the data pipeline has to be reliable and the labels have to be clean")
ENDINGS = ("So in summary I would start simple and iterate.", "That is roughly how I would approach it.",
           "Uh, yeah, that's it.")


def transcript_text(rng: random.Random) -> str:
    """A spoken-sounding answer of 40 to 120 words."""
    parts = [rng.choice(OPENINGS)]
    while sum(len(p.split()) for p in parts) < rng.randint(40, 110):
        parts.append(rng.choice(BODIES) + ".")
    parts.append(rng.choice(ENDINGS))
    return " ".join(parts)


def timed(text: str, rng: random.Random) -> Transcript:
    """``text`` as timed words at a speaking pace, with the odd long pause."""
    words, t = [], 0.6
    for token in text.split():
        if rng.random() < 0.03:
            t += rng.uniform(2.5, 4.0)  # a long pause
        d = 0.18 + 0.04 * len(token) / 3
        words.append(Word(token, round(t, 2), round(t + d, 2), 0.9))
        t += d + 0.08
    return Transcript(words=tuple(words), duration=round(t + 0.5, 2),
                      speech_regions=(SpeechRegion(0.6, round(t, 2)),), source="audio")


def fill_store(store: Store, n: int, *, seed: int = 7, variety: int = 24) -> list[str]:
    """Save ``n`` sessions spread over the last year (ids returned oldest first)."""
    rng = random.Random(seed)
    answers: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for _ in range(min(variety, n)):
        tr = timed(transcript_text(rng), rng)
        answers.append((report_for_transcript(tr), tr.to_dict()))
    start = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.timezone.utc)
    ids = []
    for i in range(n):
        q = QUESTIONS[i % len(QUESTIONS)]
        report, transcript = answers[i % len(answers)]
        created = start + dt.timedelta(minutes=i * max(1, 525_600 // max(n, 1)))
        ids.append(store.save_session(
            kind=("practice", "analyze", "import")[i % 3], report={**report, "question": q.to_dict()},
            transcript=transcript, audio_path=None, question=q, model="tiny.en", settings={},
            created=created.isoformat(), session_id=f"{created:%Y%m%d-%H%M%S}-{i:06x}"))
    return ids
