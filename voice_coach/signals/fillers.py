"""Fillers: filled pauses ("um", "uh") and discourse fillers ("like", "you know").

Why it matters: an interviewer hears a steady stream of "um" or "like" as uncertainty, and
it buries the structure of the answer. A silent pause reads as thinking; a filled one reads
as stalling. The coach counts both kinds, per minute and per 100 words, names the speaker's
most frequent fillers and quotes each one with its time.

Two kinds are told apart:

* **filled pauses**: non-words that fill a silence (um, uh, er, hmm, ah, mm and the
  spellings Whisper writes for them: "Umm", "Uhh", "Hmm" ...; not the backchannels
  "mm-hmm" and "uh-huh", which answer someone else). Whisper leaves
  many of them out; the audio pipeline puts some back (``Word.recovered``), see
  :mod:`voice_coach.pipeline`.
* **discourse fillers**: real words used as filler: "like", "you know", "I mean",
  "basically", "kind of", "sort of", a sentence-initial "so" and a tag "right?". Each of
  them also has a literal use, which spaCy's tags and parse tell apart: "I'd like to" and
  "models like XGBoost" (verb, preposition), "do you know whether" (a real question),
  "what I mean by" (a definition), "a kind of" (a noun with its determiner) are not fillers.
  Without a tagger a conservative word-context rule is used instead, which misses some
  fillers rather than inventing any.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from voice_coach.language import Language, Token
from voice_coach.lexicon import FILLED_PAUSE, NOT_HEDGE
from voice_coach.signals.base import Context, Evidence, SignalResult, Verdict
from voice_coach.transcript import Transcript, Word


def _wordset(words: str) -> frozenset[str]:
    """A frozen set of the space-separated ``words``."""
    return frozenset(words.split())


# Words that, just before "you know" or "I mean", make it part of a real sentence:
# "do you know", "if you know", "what I mean", "as you know".
_KNOW_BLOCKERS = _wordset(
    "do does did don't doesn't didn't dont would will could can should might must "
    "if as what whether how why when where who which that whom you'd you'll"
)
# Words that, just after "you know", make "know" take an object or a clause.
_KNOW_OBJECTS = _wordset(
    "whether if how what why when where who which whom about that the a an this these "
    "those your my his her their our any some all everything anything nothing much more "
    "exactly"
)
# "I mean" followed by these is literal ("what I mean by", "I mean it", "I mean to").
_MEAN_OBJECTS = _wordset("by it to")
# Verbs after which "like" is a comparison, not filler ("looks like", "feels like").
_LIKE_VERBS = _wordset(
    "look looks looked looking feel feels felt feeling sound sounds sounded seem seems "
    "seemed taste tastes smell smells act acts acted behave behaves"
)
# Words before "like" that make it a verb ("I'd like", "we like") or a comparison
# ("something like 10%", "more like a cache"); a comma after "like" still wins.
_LIKE_VERB_SUBJECTS = _wordset("'d would 'd've wouldn't i we they you people users don't didn't doesn't to")
_LIKE_CLAUSE_SUBJECTS = _wordset("i we you they he she")
_LIKE_COMPARATIVE = _wordset("something anything nothing more just much things stuff exactly is be")
# Words before "right?" that make it a real question ("is that right?").
_RIGHT_QUESTION = _wordset("that is it this was that's it's am are all")
_SO_LITERAL_NEXT = _wordset("that far much many long")

DISCOURSE_ALL = ("like", "you know", "i mean", "basically", "kind of", "sort of", "so", "right")


@dataclass(frozen=True)
class Config:
    """Thresholds for the fillers signal.

    Attributes:
        discourse: which discourse fillers to look for (any of ``DISCOURSE_ALL``). A
            sentence-initial "so" is a habit of many good speakers; drop it here if you
            do not want it counted.
        strength_per_100: at or below this many fillers per 100 words the verdict is
            ``strength``. Fluent interview answers measured in practice sit near 1.
        work_on_per_100: above this many per 100 words the verdict is ``work_on``; one
            filler in every 25 words is frequent enough that a listener notices.
        max_evidence: how many fillers to quote as evidence.
        merge_repeats_within_s: the same filled pause repeated with starts this close
            together is one sound: Whisper sometimes loops on a token and writes
            "uh, uh, uh" at a single instant (zero-length words). On real recordings this
            rule removed 3 of 5 false fillers and lost 1 of 23 true ones; on rendered
            speech it changed nothing. Timed input only.
    """

    discourse: tuple[str, ...] = DISCOURSE_ALL
    strength_per_100: float = 1.5
    work_on_per_100: float = 4.0
    max_evidence: int = 12
    merge_repeats_within_s: float = 0.1


@dataclass(frozen=True)
class Filler:
    """One filler: the words ``[first, last)`` of the transcript it spans."""

    text: str
    kind: str  # "filled_pause" | "discourse"
    first: int
    last: int
    start: float | None
    end: float | None
    recovered: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The report item: ``{"text", "kind", "start", "end"}`` plus extras."""
        d: dict[str, Any] = {"text": self.text, "kind": self.kind, "start": self.start,
                             "end": self.end, "word": self.first}
        if self.recovered:
            d["recovered"] = True
        return d


def find_fillers(language: Language, config: Config | None = None) -> list[Filler]:
    """Every filled pause and discourse filler in the transcript, in order."""
    config = config or Config()
    words = language.words
    out: list[Filler] = []
    for i, w in enumerate(words):
        if FILLED_PAUSE.fullmatch(w.norm):
            prev = out[-1] if out else None
            if (prev is not None and prev.last == i and prev.text == w.norm and w.timed
                    and words[i - 1].timed
                    and (w.start or 0.0) - (words[i - 1].start or 0.0) <= config.merge_repeats_within_s):
                # Whisper looping on one sound: extend the previous filler instead.
                out[-1] = _make(words, w.norm, "filled_pause", prev.first, i + 1, prev.recovered)
                continue
            out.append(_make(words, w.norm, "filled_pause", i, i + 1, w.recovered))
    wanted = set(config.discourse)
    if wanted and words:
        taken = {f.first for f in out}
        for text, first, last in _discourse(language, wanted):
            if first in taken:
                continue
            taken.update(range(first, last))
            out.append(_make(words, text, "discourse", first, last))
    out.sort(key=lambda f: f.first)
    return out


def _make(words: tuple[Word, ...], text: str, kind: str, first: int, last: int,
          recovered: bool = False) -> Filler:
    span = [w for w in words[first:last] if w.timed]
    return Filler(
        text, kind, first, last,
        min((w.start for w in span), default=None),  # type: ignore[type-var]
        max((w.end for w in span), default=None),  # type: ignore[type-var]
        recovered,
    )


def _discourse(language: Language, wanted: set[str]) -> list[tuple[str, int, int]]:
    """``(text, first_word, last_word_exclusive)`` for each discourse filler."""
    # Every token, whitespace ones too: ``Token.head`` and ``Token.i`` index this list.
    toks = list(language.tokens)
    tagged = language.tagged
    found: list[tuple[str, int, int]] = []
    sentence_starts = {s.first for s in language.sentences}

    def lower(k: int) -> str:
        return toks[k].lower if 0 <= k < len(toks) else ""

    def is_punct(k: int) -> bool:
        return 0 <= k < len(toks) and not any(c.isalnum() for c in toks[k].text)

    n = len(toks)
    for k, t in enumerate(toks):
        lw = t.lower
        if lw == "like" and "like" in wanted and _like_is_filler(toks, k, tagged, is_punct):
            found.append(("like", t.word, t.word + 1))
        elif lw == "you" and lower(k + 1) == "know" and "you know" in wanted:
            if _you_know_is_filler(toks, k, tagged, is_punct):
                found.append(("you know", t.word, toks[k + 1].word + 1))
        elif lw == "i" and lower(k + 1) == "mean" and "i mean" in wanted:
            prev = lower(k - 1)
            nxt = lower(k + 2)
            if prev not in _KNOW_BLOCKERS and nxt not in _MEAN_OBJECTS and not (
                tagged and toks[k + 1].dep in ("csubj", "relcl", "pcomp")
            ):
                found.append(("i mean", t.word, toks[k + 1].word + 1))
        elif lw == "basically" and "basically" in wanted:
            found.append(("basically", t.word, t.word + 1))
        elif lw in ("kind", "sort") and lower(k + 1) == "of" and f"{lw} of" in wanted:
            if _kind_of_is_filler(toks, k, tagged):
                found.append((f"{lw} of", t.word, toks[k + 1].word + 1))
        elif lw == "so" and "so" in wanted and k + 1 < n and t.word in sentence_starts and (
            k == 0 or toks[k - 1].word != t.word
        ):
            if lower(k + 1) not in _SO_LITERAL_NEXT and not (tagged and t.dep == "advmod"
                                                            and toks[t.head].pos in ("ADJ", "ADV")):
                found.append(("so", t.word, t.word + 1))
        elif (lw == "right" and "right" in wanted and lower(k + 1) == "?" and k > 0
              and lower(k - 1) not in _RIGHT_QUESTION and is_punct(k - 1)):
            found.append(("right", t.word, t.word + 1))
    return found


def _like_is_filler(toks: list[Token], k: int, tagged: bool, is_punct: Any) -> bool:
    """Filler "like": set off by commas, an interjection, or before a non-noun phrase."""
    prev = toks[k - 1].lower if k > 0 else ""
    nxt = toks[k + 1] if k + 1 < len(toks) else None
    if prev in _LIKE_VERB_SUBJECTS or prev in _LIKE_VERBS:
        return False  # "I'd like", "we like", "looks like": a verb or a comparison
    if prev in _LIKE_COMPARATIVE and not (nxt is not None and is_punct(k + 1)):
        return False  # "something like 10%", "more like a cache"
    if tagged and k > 0 and toks[k - 1].pos in ("NOUN", "PROPN") and not is_punct(k - 1):
        return False  # "models like, uh, XGBoost": a preposition, whatever follows it
    if nxt is not None and is_punct(k + 1):
        return True  # "use, like, a" / "it's like, hard"
    if nxt is None or nxt.lower in _LIKE_CLAUSE_SUBJECTS:
        return False  # "like I said", "like we did before": a conjunction
    if tagged:
        tok = toks[k]
        if tok.pos == "VERB" or tok.pos == "AUX":
            return False
        if tok.pos == "INTJ":
            # spaCy calls "like" an interjection before adverbs, adjectives and numbers;
            # but before a determiner + noun after a noun it is usually "such as".
            return not (is_punct(k - 1) and nxt.pos in ("DET", "NOUN", "PROPN") and k > 1
                        and toks[k - 2].pos in ("NOUN", "PROPN"))
        if tok.pos in ("ADP", "SCONJ"):
            # A preposition needs a noun phrase; "like really", "like fast" is filler.
            return nxt.pos in ("ADV", "ADJ", "VERB", "AUX", "INTJ", "PART") and (
                nxt.pos != "ADJ" or (k + 2 < len(toks) and toks[k + 2].pos not in ("NOUN", "PROPN"))
            )
        return False
    # No tagger: only the clearest case, "like" between punctuation (handled above).
    return False


def _you_know_is_filler(toks: list[Token], k: int, tagged: bool, is_punct: Any) -> bool:
    """Filler "you know": not a question ("do you know"), not "you know the answer"."""
    prev = toks[k - 1].lower if k > 0 else ""
    if prev in _KNOW_BLOCKERS:
        return False
    nxt_k = k + 2
    if nxt_k >= len(toks) or is_punct(nxt_k):
        return True  # "..., you know." / "you know, ..."
    nxt = toks[nxt_k].lower
    if nxt in _KNOW_OBJECTS:
        return False
    know = toks[k + 1]
    if tagged:
        # spaCy attaches a filler "you know" loosely (parataxis, intj, or a clause
        # complement like "you know it also has ..."); a direct object means literal use.
        has_dobj = any(t.head == know.i and t.dep in ("dobj", "attr") for t in toks)
        return not has_dobj or know.dep in ("parataxis", "intj")
    return prev == "" or is_punct(k - 1)


def _kind_of_is_filler(toks: list[Token], k: int, tagged: bool) -> bool:
    """Filler "kind of"/"sort of": not a noun with its determiner ("a kind of model")."""
    prev = toks[k - 1] if k > 0 else None
    # A determiner makes "kind"/"sort" a noun ("a kind of", "what sort of"): the shared
    # lexicon that tells hedging the same.
    if prev is not None and (NOT_HEDGE.fullmatch(f"{prev.lower} {toks[k].lower} of")
                             or prev.tag in ("PRP$", "CD", "JJ", "DT", "WDT")):
        return False
    kind = toks[k]
    return not (tagged and kind.pos == "NOUN"
                and any(t.head == kind.i and t.dep in ("det", "amod") for t in toks))


def compute(transcript: Transcript, config: Config, context: Context) -> SignalResult:
    """Count fillers, rate them per minute and per 100 words, and quote each one."""
    lang = context.language
    fillers = find_fillers(lang, config)
    n_words = sum(1 for w in transcript.words if w.norm)
    minutes = _speaking_minutes(transcript)
    per_100 = round(100.0 * len(fillers) / n_words, 2) if n_words else None
    per_min = round(len(fillers) / minutes, 2) if minutes else None
    counts = Counter(f.text for f in fillers)
    kinds = {f.text: f.kind for f in fillers}
    top = [{"text": t, "count": c, "kind": kinds[t]} for t, c in counts.most_common(5)]
    n_filled = sum(1 for f in fillers if f.kind == "filled_pause")
    values: dict[str, Any] = {
        "count": len(fillers),
        "items": [f.to_dict() for f in fillers],
        "filled_pauses": n_filled,
        "discourse": len(fillers) - n_filled,
        "recovered": sum(1 for f in fillers if f.recovered),
        "per_minute": per_min,
        "per_100_words": per_100,
        "top": top,
        "words": n_words,
    }
    if not n_words:
        return SignalResult("fillers", values, "n/a", "No words to check for fillers.",
                            headline="no words")
    verdict: Verdict
    if per_100 is not None and per_100 <= config.strength_per_100:
        verdict = "strength"
    elif per_100 is not None and per_100 <= config.work_on_per_100:
        verdict = "ok"
    else:
        verdict = "work_on"
    advice = _advice(verdict, top, len(fillers))
    evidence = tuple(
        Evidence(_quote(lang.transcript.words, f), f.start, f.end) for f in fillers[: config.max_evidence]
    )
    rate = f", {per_min:.1f}/min" if per_min is not None else ""
    headline = f"{len(fillers)} filler{'s' if len(fillers) != 1 else ''} ({per_100:.1f} per 100 words{rate})"
    return SignalResult("fillers", values, verdict, advice, evidence, headline)


def _speaking_minutes(t: Transcript) -> float | None:
    """Minutes from the first to the last speech (the answer itself, not lead-in or tail)."""
    if not t.timed:
        return None
    if t.speech_regions:
        span = t.speech_regions[-1].end - t.speech_regions[0].start
    else:
        timed = [w for w in t.words if w.timed]
        span = (timed[-1].end or 0.0) - (timed[0].start or 0.0) if timed else 0.0
    return span / 60.0 if span > 1.0 else None


def _quote(words: tuple[Word, ...], f: Filler) -> str:
    """The filler with a word of context either side: "could use, like, a robust"."""
    lo, hi = max(0, f.first - 2), min(len(words), f.last + 2)
    inner = " ".join(w.text for w in words[f.first : f.last])
    before = " ".join(w.text for w in words[lo : f.first])
    after = " ".join(w.text for w in words[f.last : hi])
    return " ".join(p for p in (before, f"[{inner}]", after) if p)


def _advice(verdict: Verdict, top: list[dict[str, Any]], n: int) -> str:
    """One line aimed at the speaker's most frequent filler, by its kind."""
    if n == 0:
        return "No fillers: keep letting silence do the work while you think."
    worst = top[0]["text"]
    if verdict == "strength":
        return f"Fillers are rare; keep an ear on '{worst}', your most frequent one."
    if top[0]["kind"] == "filled_pause":
        return (f"Replace '{worst}' with a silent one-second pause: silence sounds like "
                "thinking, a filled pause sounds like stalling.")
    return (f"Cut '{worst}': say the point plainly, and pause in silence when you need "
            "a moment.")
