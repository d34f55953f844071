"""Split a conversation into questions and the candidate's answers. Pure: no audio, no model.

1. Words are grouped into *blocks* by role: the candidate's, and everyone else's (the
   interviewer; a diarizer may give one interviewer two labels). A short acknowledgement
   ("mm-hmm", "right") from the other side does not end a block, and it is nobody's answer.
2. An interviewer block that asks something (:func:`voice_coach.interview.asks.asks`)
   starts a question; its text runs from the first asking sentence. One that answers the
   candidate's own question early in an answer ("what scale do you think?") does not: it
   is a clarifying exchange inside the answer.
3. The candidate's words from the end of the question to the start of the next one are the
   answer. A "question" followed by fewer than ``min_answer_words`` candidate words is not
   one (a follow-up such as "what do you think it is?" answered in a few words): its
   exchange stays inside the answer before it.
4. The candidate is ``candidate`` if given, else the speaker who talks most after the
   first question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from voice_coach.interview.asks import (
    BankMatch,
    asks,
    is_backchannel,
    match_bank,
    question_text,
    sentence_asks,
    sentences,
)
from voice_coach.interview.conversation import Conversation, SpokenWord
from voice_coach.question import Question
from voice_coach.transcript import SpeechRegion, Transcript, Word


@dataclass(frozen=True)
class SplitOptions:
    """Thresholds of the splitter.

    Attributes:
        min_answer_words: fewer candidate words than this after a question make it a
            follow-up inside the previous answer, not a question of its own.
        clarifying_words: an interviewer's question right after the candidate asked one,
            within this many words of the answer's start, replies to a clarifying question.
        min_question_words: an interviewer turn shorter than this ("Why?") never starts a question.
        bank_threshold: similarity (0..1) from which an asked question is a bank question.
        overlap_s: candidate words may start this long before the question ends (people
            start answering over the last word) and still belong to the answer.
        interruption_s: a turn that starts while another speaker still talks for at least
            this long, and is not a backchannel, is an interruption.
    """

    min_answer_words: int = 6
    clarifying_words: int = 40
    min_question_words: int = 4
    bank_threshold: float = 0.7
    overlap_s: float = 0.5
    interruption_s: float = 0.5


@dataclass(frozen=True)
class Block:
    """Consecutive words of one role."""

    candidate: bool
    words: tuple[SpokenWord, ...]

    @property
    def start(self) -> float:
        return self.words[0].start

    @property
    def end(self) -> float:
        return max(w.end for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.word.text for w in self.words)


@dataclass(frozen=True)
class Answer:
    """One question and the candidate's answer to it (times in seconds of the recording).

    ``window_end`` is where the answer's span stops: the next question's start, or the end of
    the recording. ``words`` and ``regions`` are the candidate's only.
    """

    index: int
    question: str
    question_start: float
    question_end: float
    bank: BankMatch | None
    start: float
    end: float
    window_end: float
    words: tuple[Word, ...]
    regions: tuple[SpeechRegion, ...]

    def transcript(self, meta: dict[str, object] | None = None) -> Transcript:
        """The answer as a transcript whose time 0 is the end of the question.

        So the pauses signal's time to first word is the wait after the question, and every
        evidence time in the answer's report is "seconds after the question ended".
        """
        t0 = self.question_end
        # A candidate who starts over the question's last word starts at 0, not before it.
        words = tuple(Word(w.text, secs(max((w.start or t0) - t0, 0.0)), secs(max((w.end or t0) - t0, 0.0)),
                           float(w.probability), w.recovered) for w in self.words)
        regions = tuple(SpeechRegion(secs(max(r.start, t0) - t0), secs(r.end - t0))
                        for r in self.regions if r.end > t0)
        return Transcript(words=words, duration=secs(max(self.end - t0, 0.0)),
                          speech_regions=regions, source="audio", language="en",
                          meta=dict(meta or {}))


def secs(t: float) -> float:
    """A time as a plain float to the millisecond (the recogniser's are numpy floats)."""
    return round(float(t), 3)


def choose_candidate(conv: Conversation, options: SplitOptions | None = None) -> str:
    """The speaker who talks most after the first asking turn (or overall, if nobody asks)."""
    opts = options or SplitOptions()
    speakers = conv.speakers
    if not speakers:
        return "S0"
    first_ask = 0.0
    for spk_block in _speaker_runs(conv.words):
        if asks(spk_block.text, opts.min_question_words):
            first_ask = spk_block.end
            break
    return max(speakers, key=lambda s: (conv.talk_s(s, first_ask), conv.talk_s(s)))


def _speaker_runs(words: Sequence[SpokenWord]) -> list[Block]:
    """Consecutive words of one speaker (the role is not known yet: ``candidate`` is False)."""
    runs: list[list[SpokenWord]] = []
    for w in words:
        if runs and runs[-1][-1].speaker == w.speaker:
            runs[-1].append(w)
        else:
            runs.append([w])
    return [Block(False, tuple(r)) for r in runs]


def role_blocks(words: Sequence[SpokenWord], candidate: str) -> list[Block]:
    """Words grouped by role; a backchannel between two blocks of the other role is dropped.

    Dropped words belong to no block, so an interviewer's "mm-hmm" inside an answer is not
    the candidate's, and a candidate's "okay" inside a question does not cut it in two.
    """
    runs: list[list[SpokenWord]] = []
    for w in words:
        role = w.speaker == candidate
        if runs and (runs[-1][0].speaker == candidate) == role:
            runs[-1].append(w)
        else:
            runs.append([w])
    blocks: list[list[SpokenWord]] = []
    i = 0
    while i < len(runs):
        run = runs[i]
        text = " ".join(w.word.text for w in run)
        between = 0 < i < len(runs) - 1 and blocks
        if between and is_backchannel(text):
            # skip it and join what follows to the block before it (same role)
            blocks[-1].extend(runs[i + 1])
            i += 2
            continue
        blocks.append(list(run))
        i += 1
    return [Block(b[0].speaker == candidate, tuple(b)) for b in blocks]


def split(conv: Conversation, bank: Sequence[Question] = (), candidate: str | None = None,
          options: SplitOptions | None = None) -> tuple[str, list[Answer]]:
    """The candidate's label and their answers, in order."""
    opts = options or SplitOptions()
    cand = candidate or choose_candidate(conv, opts)
    blocks = role_blocks(conv.words, cand)
    questions = find_questions(blocks, opts)
    cand_words = [w for w in conv.words if w.speaker == cand]
    kept = _drop_unanswered(questions, cand_words, conv.duration, opts)
    regions = conv.regions.get(cand, ())
    answers: list[Answer] = []
    for i, q in enumerate(kept):
        window_end = kept[i + 1].start if i + 1 < len(kept) else max(conv.duration, q.end)
        words = _answer_words(cand_words, q, window_end, opts)
        start, end = _span(words, regions, q.end, window_end)
        asked = question_text(q.text)
        answers.append(Answer(
            index=len(answers) + 1, question=asked, question_start=secs(q.start),
            question_end=secs(q.end), bank=match_bank(asked, bank, opts.bank_threshold),
            start=secs(start), end=secs(end), window_end=secs(window_end),
            words=tuple(w.word for w in words),
            regions=tuple(SpeechRegion(max(r.start, start), min(r.end, end)) for r in regions
                          if r.end > start and r.start < end)))
    return cand, answers


def find_questions(blocks: Sequence[Block], opts: SplitOptions) -> list[Block]:
    """The interviewer blocks that start a question.

    An interviewer's question that answers the candidate's own question (their last sentence
    asked something) early in an answer
    ("what scale do you think it is?" after "what scale are we talking about?") is part of
    a clarifying exchange, not a new question.
    """
    found: list[Block] = []
    since = 0  # candidate words since the last question
    for i, b in enumerate(blocks):
        if b.candidate:
            since += len(b.words)
            continue
        if not asks(b.text, opts.min_question_words):
            continue
        before = blocks[i - 1] if i else None
        reply = (found and before is not None and before.candidate and since <= opts.clarifying_words
                 and sentence_asks(sentences(before.text)[-1]))
        if not reply:
            found.append(b)
            since = 0
    return found


def _answer_words(cand_words: Sequence[SpokenWord], q: Block, window_end: float,
                  opts: SplitOptions) -> list[SpokenWord]:
    return [w for w in cand_words if q.end - opts.overlap_s <= w.start < window_end]


def _drop_unanswered(questions: list[Block], cand_words: Sequence[SpokenWord], duration: float,
                     opts: SplitOptions) -> list[Block]:
    """Questions followed by at least ``min_answer_words`` candidate words before the next.

    One at a time, from the last: dropping a question lengthens the window of the one
    before it, which may then have its answer.
    """
    kept = list(questions)
    changed = True
    while changed:
        changed = False
        for i in range(len(kept) - 1, -1, -1):
            end = kept[i + 1].start if i + 1 < len(kept) else max(duration, kept[i].end)
            if len(_answer_words(cand_words, kept[i], end, opts)) < opts.min_answer_words:
                del kept[i]
                changed = True
                break
    return kept


def _span(words: Sequence[SpokenWord], regions: Sequence[SpeechRegion], lo: float,
          hi: float) -> tuple[float, float]:
    """Where the answer starts and ends: the VAD regions around its first and last words.

    Word times from the recogniser drift after a silence; the regions come from the audio.
    """
    if not words:
        return lo, lo
    first, last = words[0], words[-1]
    start, end = first.start, max(w.end for w in words)
    for r in regions:
        if r.start < first.end and r.end > first.start:
            start = min(start, max(r.start, lo - 0.5))
        if r.start < last.end and r.end > last.start:
            end = max(end, min(r.end, hi))
    return start, end


def interruptions(conv: Conversation, options: SplitOptions | None = None) -> list[dict[str, object]]:
    """Turns that start while someone else is still talking (not backchannels, not a last word).

    A turn counts when the other speaker goes on for at least ``interruption_s`` after it
    starts and it carries more than an acknowledgement.
    """
    opts = options or SplitOptions()
    found: list[dict[str, object]] = []
    for t in conv.turns:
        over = [o for o in conv.turns if o.speaker != t.speaker and o.start < t.start
                and o.end - t.start >= opts.interruption_s]
        if not over:
            continue
        said = " ".join(w.word.text for w in conv.words
                        if w.speaker == t.speaker and t.start <= w.start < t.end)
        if not said or is_backchannel(said):
            continue
        found.append({"by": t.speaker, "of": over[0].speaker, "at": secs(t.start)})
    return found
