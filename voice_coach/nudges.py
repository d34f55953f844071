"""Live nudges: quiet cues while the candidate speaks, from the words recognised so far.

A human coach taps the table when a habit shows; :class:`Nudger` does the same with the
live transcriber's words (:mod:`voice_coach.live`) and the answer's clock:

* ``fillers``: a burst of :attr:`NudgeOptions.filler_burst` fillers within
  :attr:`~NudgeOptions.filler_window_s` (the fillers signal's own detection);
* ``run``: a stretch of :attr:`~NudgeOptions.run_words` words with no sentence break or
  signpost (the ramble signal's runs);
* ``plan``: :attr:`~NudgeOptions.plan_by_s` into the answer, no framing opening and no
  signpost yet;
* ``length``: the answer passes the question's target length.

At most one nudge per :attr:`~NudgeOptions.min_gap_s`; ``plan`` and ``length`` fire once,
``fillers`` and ``run`` again for a new burst or stretch. Each nudge goes into the report as
``nudges: [{kind, at, shown_at, evidence}]``: ``at`` is when the evidence ended (answer
time), ``shown_at`` when the cue was shown. The words come from a worker thread and the
clock from the recorder's loop, so the state is behind one lock.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from voice_coach.transcript import Transcript, Word

CUES: dict[str, str] = {
    "fillers": "Fillers are piling up: pause silently instead.",
    "run": "Long stretch: finish the sentence, then signpost the next point.",
    "plan": "A minute in: say where the answer is going.",
    "length": "Past the target length: wrap up with a summary.",
}
"""What the screen shows for each kind of nudge."""


@dataclass(frozen=True)
class NudgeOptions:
    """When a nudge fires (see the module doc)."""

    filler_burst: int = 3
    filler_window_s: float = 20.0
    run_words: int = 45
    plan_by_s: float = 60.0
    min_gap_s: float = 15.0


@dataclass(frozen=True)
class Nudge:
    """One cue: its kind, when its evidence ended and when it was shown (answer time), and why."""

    kind: str
    at: float
    evidence: str
    shown_at: float | None = None
    # From the close of the speech region holding the evidence to its words: the recogniser's
    # compute, and its wait behind an earlier region's (fillers nudges only).
    recognise_s: float | None = None

    @property
    def cue(self) -> str:
        """The line shown on screen."""
        return CUES[self.kind]

    def to_dict(self) -> dict[str, Any]:
        """The report's ``nudges[]`` item."""
        d: dict[str, Any] = {"kind": self.kind, "at": round(self.at, 2), "shown_at": None if self.shown_at is None
                             else round(self.shown_at, 2), "evidence": self.evidence, "cue": self.cue}
        if self.recognise_s is not None:
            d["recognise_s"] = round(self.recognise_s, 2)
        return d


class Nudger:
    """Decides the nudges of one answer; fed words (any thread) and the clock (the recorder's loop)."""

    def __init__(self, target_s: float | None, options: NudgeOptions | None = None) -> None:
        self.options = options or NudgeOptions()
        self.target_s = target_s
        self._lock = threading.Lock()
        self._pending: list[Nudge] = []
        self.shown: list[Nudge] = []
        self._done_kinds: set[str] = set()
        self._filler_upto = 0.0  # a new filler burst must start after this time
        self._run_from = 0  # a new run nudge needs a run starting at or after this word
        self._framed = False
        self._peeked: list[Word] = []  # rough words per region (voice_coach.live_peek), if peeking
        self.peeking = False

    # fed by the live recogniser and the peeker ------------------------------------------
    def words(self, words: Sequence[Word]) -> None:
        """The words recognised so far (the whole answer until now, in order)."""
        found = self._structure(tuple(words))
        if not self.peeking:
            found += self._fillers(tuple(words))
        with self._lock:
            self._pending.extend(found)

    def peeked(self, words: Sequence[Word], recognise_s: float | None = None) -> None:
        """Rough words of one more closed speech region (a :class:`~voice_coach.live_peek.Peeker`),
        and how long the recogniser took for them."""
        with self._lock:
            self._peeked.extend(words)
            so_far = tuple(self._peeked)
        found = [replace(n, recognise_s=recognise_s) for n in self._fillers(so_far)]
        with self._lock:
            self._pending.extend(found)

    def _fillers(self, words: tuple[Word, ...]) -> list[Nudge]:
        """A new burst of fillers in ``words``, as the fillers signal finds them."""
        from voice_coach.language import analyse
        from voice_coach.signals.fillers import find_fillers

        if not words:
            return []
        o = self.options
        lang = analyse(Transcript(words=words, source="audio"))
        out: list[Nudge] = []
        fillers = [f for f in find_fillers(lang) if f.start is not None and f.end is not None]
        fresh = [f for f in fillers if (f.start or 0.0) >= self._filler_upto]
        for k in range(len(fresh) - o.filler_burst + 1):
            burst = fresh[k:k + o.filler_burst]
            if (burst[-1].end or 0.0) - (burst[0].start or 0.0) <= o.filler_window_s:
                self._filler_upto = burst[-1].end or 0.0
                out.append(Nudge("fillers", burst[-1].end or 0.0, " … ".join(f.text for f in burst)))
                break
        return out

    def _structure(self, words: tuple[Word, ...]) -> list[Nudge]:
        """A new long stretch in ``words``; notes whether the answer has a plan or signpost yet."""
        from voice_coach.language import analyse
        from voice_coach.signals import framing, ramble, signposting
        from voice_coach.signals.base import Context
        from voice_coach.signals.phrases import text_of

        if not words:
            return []
        o = self.options
        lang = analyse(Transcript(words=words, source="audio"))
        out: list[Nudge] = []
        text = text_of(lang)
        for r in ramble.runs(text, ramble.Config(), asr=True):
            if r.n_words >= o.run_words and r.first >= self._run_from:
                self._run_from = r.last
                span = words[r.first:r.first + o.run_words]
                quote = " ".join(w.text for w in span[:12]) + " …"
                out.append(Nudge("run", span[-1].end or 0.0, f"{r.n_words} words without a break: {quote}"))
                break
        if not self._framed:
            ctx = Context(language=lang)
            framed = framing.compute(lang.transcript, framing.Config(), ctx).values.get("present")
            posts = signposting.compute(lang.transcript, signposting.Config(), ctx).values.get("count", 0)
            self._framed = bool(framed or posts)
        return out

    # driven by the recorder's clock -----------------------------------------------
    def due(self, now_s: float) -> Nudge | None:
        """The nudge to show at answer time ``now_s`` (at most one per ``min_gap_s``), if any."""
        o = self.options
        with self._lock:
            if now_s >= o.plan_by_s and not self._framed and "plan" not in self._done_kinds:
                self._pending.append(Nudge("plan", o.plan_by_s, f"no plan or signpost in the first {o.plan_by_s:g} s"))
                self._done_kinds.add("plan")
            if self.target_s and now_s >= self.target_s and "length" not in self._done_kinds:
                self._pending.append(Nudge("length", self.target_s, f"the target is {self.target_s:g} s"))
                self._done_kinds.add("length")
            if not self._pending:
                return None
            last = self.shown[-1].shown_at if self.shown else None
            if last is not None and now_s - last < o.min_gap_s:
                # A burst or a stretch during the quiet time would be stale when shown later;
                # the plan and length cues still hold, so they wait.
                self._pending = [n for n in self._pending if n.kind in ("plan", "length")]
                return None
            nudge = self._pending.pop(0)
            shown = replace(nudge, shown_at=now_s)
            self.shown.append(shown)
            return shown

    def report(self) -> list[dict[str, Any]]:
        """The report's ``nudges`` list."""
        with self._lock:
            return [n.to_dict() for n in self.shown]
