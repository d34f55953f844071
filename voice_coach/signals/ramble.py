"""Ramble: long unbroken stretches, an answer far over its time, restarts and repeats.

A listener can hold about one idea per sentence. A run of 45+ words chained with "and ...
and then ... and" with no sentence break and no signpost ("first", "second", "finally")
loses them: the interviewer stops following and starts waiting. Answers far longer than the
question deserves, and restarts ("I'd, I'd use ...", "we could, we should ...") or the same
phrase said again and again, read as thinking that never settled.

Measured:

* ``longest_run_words``: the longest stretch without a sentence break or a signpost. In
  timed (speech-recognised) transcripts a full stop followed by "And ..." / "Or ..." is not
  a break: Whisper inserts full stops at breaths inside run-on speech, and a speaker who
  really ends a sentence rarely starts the next one with "and". In text with few or no
  full stops (captions, unpunctuated speech recognition) the sentences are the clause and
  pause units of :attr:`voice_coach.language.Language.units`; a unit that opens with
  "and ..." continues the run there too, so "and then ... and so ..." chains stay one run
  while "... so i'd ..." or a pause starts a new one. ``present`` (the contract field) is
  true when this run reaches ``max_run_words``.
* ``length_ratio``: answer length against the question's target duration (audio only, and
  only when the question says how long a good answer takes).
* ``restarts``: a word or short phrase said twice in a row ("the the", "I would, I would").
* ``repeated_phrases``: three-word phrases said three or more times.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from voice_coach.lexicon import FILLED_PAUSE, SIGNPOSTS, lexicon, norm
from voice_coach.signals.base import Context, Evidence, SignalResult, Verdict, no_words
from voice_coach.signals.phrases import Text, quote, text_of
from voice_coach.transcript import Transcript


@dataclass(frozen=True)
class Config:
    """Thresholds for ramble.

    Attributes:
        max_run_words: a stretch of this many words with no sentence break or signpost is a
            ramble (the contract's ``present``).
        join_and_in_asr: in speech-recognised transcripts, do not count a full stop
            followed by "And"/"Or" as a sentence break, nor a clause boundary recovered
            from unpunctuated text followed by "and"/"or" (see the module docstring).
        over_target_ratio: an answer longer than this multiple of the question's target
            duration is flagged as too long.
        restart_max_words: longest phrase (in words) checked for immediate repetition.
        restarts_work_on: this many restarts make the verdict ``work_on`` on their own.
        repeated_phrase_min: a three-word phrase said this many times is reported.
        strength_min_words: an answer needs this many words before short sentences count
            as a strength (a two-sentence answer is merely ``ok``).
        min_run_on_share: in text with few full stops, or whose sentences mostly open in
            lower case (:func:`loose_breaks`), a long run is a ramble only when at
            least this share of its words chain or pad it ("and", "then", "like", "um", "i
            guess": ``ramble.run_on_word``); a stretch the parser could not split in a calm
            answer has far fewer (see docs/signals.md).
    """

    max_run_words: int = 45
    join_and_in_asr: bool = True
    over_target_ratio: float = 1.5
    restart_max_words: int = 3
    restarts_work_on: int = 4
    repeated_phrase_min: int = 3
    strength_min_words: int = 40
    min_run_on_share: float = 0.09


# Sentences that continue the previous one in run-on speech.
CONTINUATION = lexicon("ramble.continuation")
# A run is cut at a signpost (voice_coach.lexicon.SIGNPOSTS) opening a clause, after the
# leading words; "then" is stepped over too, so "and then finally ..." cuts.
RUN_SIGNPOST_LEAD = lexicon("ramble.run_signpost_lead")
# Words that chain or pad run-on speech (see Config.min_run_on_share).
RUN_ON_WORD = lexicon("ramble.run_on_word")
# Words that a restart check should ignore ("very very", "no no" are emphasis, not restarts).
EMPHASIS = frozenset({"very", "really", "no", "so", "much", "more", "bye", "ha", "yeah", "many"})
# Function words (and filled pauses, checked with the shared lexicon) that do not make a phrase.
STOP_PHRASE = frozenset({"", "the", "a", "and", "of", "to", "it", "is", "that"})


@dataclass(frozen=True)
class Run:
    """A stretch of words with no sentence break or signpost."""

    first: int
    last: int

    @property
    def n_words(self) -> int:
        """Words in the run."""
        return self.last - self.first


def runs(text: Text, config: Config, asr: bool) -> list[Run]:
    """Split the answer at sentence breaks and signposts."""
    cuts: set[int] = set()
    for k, s in enumerate(text.sentences):
        if k > 0:
            # A clause boundary recovered from unpunctuated text is no more a break than
            # Whisper's full stop at a breath.
            joined = (asr or not s.marked) and config.join_and_in_asr \
                and not text.sentences[k - 1].is_question \
                and s.starts_with(CONTINUATION, skip=FILLED_PAUSE) is not None
            if not joined:
                cuts.add(s.first)
        # A signpost opening a clause starts a new run, even inside a sentence.
        for clause_first, _ in s.clauses():
            head = s.starts_with(SIGNPOSTS, skip=RUN_SIGNPOST_LEAD, at=clause_first)
            if head is not None and head.first > 0:
                cuts.add(head.first)
    edges = sorted({0, len(text.words), *cuts})
    return [Run(a, b) for a, b in pairwise(edges) if b > a]


def run_on_share(text: Text, run: Run) -> float:
    """The share of a run's words that chain or pad it (``ramble.run_on_word``)."""
    norms = [norm(f) for f in text.language.forms[run.first:run.last]]
    return sum(1 for n in norms if n and RUN_ON_WORD.fullmatch(n)) / max(1, len(norms))


def loose_breaks(text: Text) -> bool:
    """Whether most written sentences open in lower case: caption or speech-recognition text
    typed without capitals, whose full stops fall where the typist paused, not where the
    speaker's sentences end. A long stretch there is as likely a structured answer the
    typist did not split ("storage, I'd land raw events in object storage as parquet, ...")
    as a run-on, so it needs the run-on share that sparse text needs (Config.min_run_on_share).
    "I" and "I'd" say nothing about the typist's capitals and are not counted.
    """
    starts = [s.words[0].text.lstrip("\"'(") for s in text.sentences if s.words]
    starts = [w for w in starts if w[:1].isalpha() and w != "I" and not w.startswith("I'")]
    return len(starts) >= 2 and sum(w[0].islower() for w in starts) * 2 > len(starts)


def restarts(text: Text, config: Config) -> list[tuple[int, int]]:
    """Immediate repetitions of 1..``restart_max_words`` words: ``(first, last)`` ranges."""
    norms = [n for s in text.sentences for n in s.norms]
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(norms):
        hit = False
        for n in range(config.restart_max_words, 0, -1):
            a, b = norms[i:i + n], norms[i + n:i + 2 * n]
            if len(b) == n and a == b and all(a) and not (n == 1 and a[0] in EMPHASIS) \
                    and not all(FILLED_PAUSE.fullmatch(w) for w in a):
                out.append((i, i + 2 * n))
                i += 2 * n
                hit = True
                break
        if not hit:
            i += 1
    return out


def repeated_phrases(text: Text, config: Config) -> list[tuple[str, int]]:
    """Three-word phrases said at least ``repeated_phrase_min`` times, most frequent first."""
    grams: Counter[str] = Counter()
    for s in text.sentences:
        ns = s.norms
        for i in range(len(ns) - 2):
            g = ns[i:i + 3]
            if sum(w in STOP_PHRASE or bool(FILLED_PAUSE.fullmatch(w)) for w in g) >= 2 or not all(g):
                continue
            grams[" ".join(g)] += 1
    return [(g, c) for g, c in grams.most_common() if c >= config.repeated_phrase_min]


def compute(transcript: Transcript, config: Config, context: Context) -> SignalResult:
    """Find the longest unbroken run, length against target, restarts and repeated phrases."""
    verdict: Verdict
    text = text_of(context.language, units=True)
    if not text.words:
        return no_words("ramble", {"present": False, "longest_run_words": 0})
    asr = transcript.timed
    all_runs = runs(text, config, asr)
    longest = max(all_runs, key=lambda r: r.n_words)
    loose = bool(text.units) or loose_breaks(text)
    long_runs = [r for r in all_runs if r.n_words >= config.max_run_words
                 and (not loose or run_on_share(text, r) >= config.min_run_on_share)]
    present = bool(long_runs)
    # Where full stops are sparse, a learned answer-level judgement decides (ramble_model).
    from voice_coach.ramble_model import decide
    present, decided = decide(text, present, longest.n_words)
    if present and not long_runs:  # the model heard a ramble no run reached: cite the longest
        long_runs = [longest]
    elif not present:
        long_runs = []
    rs = restarts(text, config)
    reps = repeated_phrases(text, config)

    target = context.question.target_s if context.question is not None else None
    duration = transcript.duration
    ratio = round(duration / target, 2) if duration and target else None
    too_long = ratio is not None and ratio > config.over_target_ratio

    values = {
        "present": present,
        "longest_run_words": longest.n_words,
        "threshold_words": config.max_run_words,
        "runs_over_threshold": len(long_runs),
        "sentences": len(text.sentences),
        "mean_sentence_words": round(len(text.words) / max(1, len(text.sentences)), 1),
        "duration_s": duration,
        "target_s": target,
        "length_ratio": ratio,
        "too_long": too_long,
        "restarts": len(rs),
        "repeated_phrases": [{"text": g, "count": c} for g, c in reps[:5]],
        "decided": decided,
    }
    evidence: list[Evidence] = [
        text.evidence(r.first, r.last, quote(text.evidence(r.first, r.last).text, 200)) for r in long_runs
    ]
    evidence += [text.evidence(a, b) for a, b in rs[:3]]

    problems = []
    if present:
        problems.append(f"a {longest.n_words}-word stretch with no break" if decided["by"] == "rule"
                        else f"chained run-on stretches (longest {longest.n_words} words)")
    if too_long:
        problems.append(f"{ratio:.1f}x the target length")
    if len(rs) >= config.restarts_work_on:
        problems.append(f"{len(rs)} restarts")
    if problems:
        verdict = "work_on"
        if present:
            advice = ("Break long stretches into short sentences, one idea each, and mark the parts "
                      "(\"First ... Second ...\"). Stop at a full stop instead of saying \"and then\".")
        elif too_long:
            advice = (f"Aim for about {target:.0f} s: lead with the answer and two supporting points, "
                      "then offer to go deeper.")
        else:
            advice = "Pause and finish the thought instead of restarting the sentence."
        headline = "; ".join(problems)
    else:
        # Short sentences only earn praise in an answer long enough to have needed them.
        verdict = "strength" if longest.n_words <= config.max_run_words * 2 // 3 \
            and len(text.words) >= config.strength_min_words else "ok"
        advice = "Sentences are a listenable length. Keep one idea per sentence."
        headline = f"longest stretch {longest.n_words} words"
    return SignalResult("ramble", values, verdict, advice, tuple(evidence), headline)
