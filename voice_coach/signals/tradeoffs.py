"""Tradeoffs: does the speaker weigh a benefit against a cost, out loud?

Every engineering choice buys something and pays for it. Interviewers listen for the
candidate naming both sides ("a longer test gives more power, but it delays the launch",
"tight thresholds catch problems early, at the cost of false alarms"), because that is what
separates judgement from recall. Saying the word is not enough: "What's the tradeoff? I
don't know" or "there's a tradeoff there" weighs nothing.

A sentence states a tradeoff when it has

* an explicit cost construction: "at the cost/expense of", "the downside/drawback/catch
  is", "on the other hand", "in exchange for", "trade X for Y", "a trade-off between A and
  B", "sacrificing X"; or
* a contrast ("but", "while", "whereas", "although", "however", "though", "yet") with a
  benefit on one side and a cost on the other ("X is faster, but less accurate"), two
  options each winning or each paying on one side of "while"/"whereas", or a benefit
  followed by a caveat clause about the same thing ("..., a safe bet, but they bury the long
  tail"), since costs are too varied to list. A sentence that opens with "But ..." pairs
  with the benefit in the sentence before it, because Whisper often puts a full stop where
  the speaker only breathed;
* the word itself with both sides linked ("It's a trade-off: more recall means more false
  alarms").

Questions and sentences that admit not knowing are never tradeoffs.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.learned import model_rule, second_opinion
from voice_coach.lexicon import Row, compile_lexicon, lead
from voice_coach.signals.base import Context, SignalResult, Verdict, no_words
from voice_coach.signals.phrases import Hit, Sent, Text, plural, quote, text_of
from voice_coach.transcript import Transcript


@dataclass(frozen=True)
class Config:
    """Thresholds for tradeoffs.

    Attributes:
        strength_at: this many stated tradeoffs make the verdict ``strength``.
        min_answer_words: below this many words, stating none is ``ok`` (too short to
            judge) rather than ``work_on``.
        pair_sentences: let a sentence opening with "But"/"However" complete a tradeoff
            whose benefit is in the sentence before (see the module docstring).
    """

    strength_at: int = 1
    min_answer_words: int = 40
    pair_sentences: bool = True


EXPLICIT = compile_lexicon("tradeoffs.explicit", [
    r"at (?:the|a|some|an|any) (?:\w+ )?(?:cost|expense|price) of",
    r"(?:comes?|coming|came) (?:at|with) (?:the|a|some|an) (?:\w+ )?(?:cost|price|penalty|downside)",
    r"(?:the|one|a|its|their|my|our) (?:main |big |biggest |only |obvious |key |real |major |clear |"
    r"potential |hidden )?(?:downside|drawback|disadvantage|catch|cost|price|con|flip ?side|"
    r"penalty|weakness|limitation)s? (?:is|are|being|here|there|would be|will be|of (?:that|this|it|"
    r"doing|using|\w+) (?:is|are))",
    r"on the (?:other|flip) (?:hand|side)",
    r"the catch(?:es)? that",  # Whisper's spelling of "the catch is that"
    r"(?:the )?(?:price|cost) (?:we|you|i) (?:pay|'d pay|would pay)|pay (?:a|the) price",
    r"(?:a |the )?balance between \w+(?: \w+){0,3} and \w+",
    r"(?:at odds|in tension|pull against each other|pulls? in opposite directions|competes? with each other)",
    r"in (?:exchange|return) for",
    r"(?:trade|trading|trades|traded|sacrifice|sacrificing|sacrifices|give up|giving up|gives up) "
    r"(?:off )?(?:some |a bit of |a little |a lot of |a little bit of )?\w+(?: \w+)? "
    r"(?:for|to gain|to get|to buy|against)",
    r"trade[- ]?(?:offs?|of) (?:here |there )?(?:is |are )?(?:between|of) \w+(?: \w+){0,4} (?:and|versus|vs|or) \w+",
    r"trade[- ]?(?:offs?|of) (?:is|are|here is|there is) (?:that|between)",
    r"trade[- ]?(?:offs?|of) (?:here |there )?(?:is|are|being) (?:\w+ ){1,4}(?:versus|vs|against) \w+",
    r"\w+ (?:versus|vs) \w+(?: \w+)? (?:is|are) (?:a|the) (?:classic |real |key )?trade[- ]?off",
    r"(?:is|are|it's|isn't|would be) (?:not )?worth (?:it|the (?:\w+ )?(?:cost|price|latency|complexity|risk|effort))",
    r"(?:the )?(?:cost|price) (?:is|being|would be) (?:that|more|higher|extra|slower|less|added|some)",
    r"(?:gain|gains|gaining|win|wins|buy|buys|get|gets) .{1,60} (?:but|while|and) (?:lose|loses|losing|pay|pays|paying|"
    r"give up|gives up|sacrifice)",
    r"(?:pay|pays|paying) (?:for (?:it|that|this) )?(?:with|in) (?:\w+ )?(?:latency|memory|compute|complexity|"
    r"accuracy|recall|precision|time|money|cost)",
])

CONTRAST = compile_lexicon("tradeoffs.contrast", [
    Row("tradeoffs.contrast.conjunction", r"but|while|whereas|although|though|however|yet|except|even though",
        ("fast but costly", "even though"), ("butter", "through", "meanwhile")),
    Row("tradeoffs.contrast.phrase", r"at the same time|then again|on the downside|the catch",
        ("on the downside", "then again"), ("at the time", "the catcher")),
])
# The leading words before a contrast; not "but", which is the contrast itself.
_CONTRAST_LEAD = lead("tradeoffs.contrast_lead")

BENEFIT = compile_lexicon("tradeoffs.benefit", [
    r"better|best|fastest|cheapest|simplest|easiest|safest|quickest|smallest|strongest|"
    r"faster|fast|quicker|quick|quickly|responsive|cheaply|efficiently|safely|easily|cheaper|cheap|simpler|simple|simplest|easier|easy|cleaner|clean|cleans|"
    r"smaller|lighter|accurate|robust|stable|interpretable|explainable|scalable|flexible|plentiful|abundant|"
    r"precise|reliable|efficient|powerful|strong|stronger|safer|safe|fresher|richer|sharper|smoother|"
    r"adapts?|adapting|without retrain\w*|lifts?|raises?|drives?|"
    r"increases? (?:\w+ )?(?:engagement|revenue|retention|clicks|conversions?|ctr|"
    r"accuracy|recall|precision|coverage|throughput|sales)|exposes?|reveals?|surfaces?|"
    r"protects?|protecting|keeps? (?:all|more|most)|understands?|outperforms?|performs? better|"
    r"scores? (?:higher|better)|reduces?|reducing|lowers?|lowering|cuts?|cutting|shrinks?|shrinking|"
    r"halves|trims?|improves?|improving|boosts?|boosting|speeds? (?:up|things up)|"
    r"helps?|helping|gains?|gaining|catch(?:es)?|catching|saves?|saving|avoids?|avoiding|prevents?|"
    r"preventing|removes? noise|wins?|benefits?|advantage|upside|pros?|works? (?:well|better)|"
    r"more (?:accurate|robust|stable|interpretable|precise|reliable|scalable|flexible|expressive|power|"
    r"statistical|data|signal|coverage|recall|precision|control|capacity|context|confidence|diverse|"
    r"relevant|useful|informative|general)|"
    r"higher (?:recall|precision|accuracy|quality|throughput|coverage|power)|"
    r"lower (?:latency|cost|variance|bias|error|memory|risk)|"
    r"less (?:variance|bias|latency|overfitting|noise|memory|compute|code|work|maintenance|risk)|"
    r"increases? (?:recall|precision|accuracy|coverage|throughput|power|confidence)|"
    r"captures?|handles?|generali[sz]es?|scales?|converges? faster|learns? faster|gives? (?:us )?(?:a |more |better )",
])

COST = compile_lexicon("tradeoffs.cost", [
    r"fails?|failing|failures?|plateaus?|forget\w*|(?:needs?|requires?) retrain\w*|"
    r"slower|slow|slowly|slows?|lag\w*|miss|would need|gpus?|bur(?:y|ies)|hides?|ignores?|starves?|"
    r"fires? on|false alarms?|misses|missing|poorly|poor|badly|miscalibrated|doubles|triples|"
    r"turn away|annoy\w*|block\w*|reject\w*|frustrat\w*|irritat\w*|churn|complain\w*|"
    r"costlier|costly|expensive|pricier|harder|hard to|complex|"
    r"complicated|noisy|noisier|"
    r"noise|rare|rarer|scarce|sparse|delays?|delaying|delayed|hurts?|hurting|loses?|losing|lose|lost|"
    r"risks?|risky|overfit\w*|underfit\w*|bias(?:ed)?|variance|latency|memory|compute|biased|"
    r"fewer|worse|brittle|fragile|overhead|maintenance|unstable|drawbacks?|downsides?|penalt\w+|"
    r"costs?|sacrific\w+|dependence|depends on|dependent|sensitive|limited|weaker|weak|blurr\w+|"
    r"false (?:alarms?|positives?|negatives?)|"
    r"more (?:false|compute|memory|latency|time|complexity|expensive|work|maintenance|parameters|"
    r"variance|bias|noise|storage|tuning|effort|engineering|labels|labeling)|"
    r"less (?:accurate|interpretable|stable|robust|data|signal|precise|flexible|recall|precision|"
    r"reliable|fresh|coverage|control|general)|"
    r"lower (?:recall|precision|accuracy|coverage|quality)|"
    r"higher (?:latency|cost|variance|bias|error|risk|memory)|"
    r"can (?:also )?(?:remove|hurt|miss|introduce|cause|break|lose|drop|overfit|mislead|bias|"
    r"leak|fail|blow up|drift|degrade|slow)|"
    r"causes?|requires?|need(?:s)? (?:more|a lot|lots)|takes? (?:longer|more)|too (?:much|many|slow|"
    r"expensive|few|little|small|large|big|noisy|complex)|harder to|hard to|difficult",
])

# "trade of" is how Whisper sometimes spells a spoken "trade-off".
TRADEOFF_WORD = compile_lexicon("tradeoffs.tradeoff_word", [r"trade[- ]?(?:offs?|of)"])
# How the two sides of a named trade-off are linked ("more X means more Y").
CONSEQUENCE = compile_lexicon("tradeoffs.consequence", [
    r"means|gives|costs|buys|leads to|comes with|brings|causes|in exchange|for more|for less",
])

RISK_CLAUSE = compile_lexicon("tradeoffs.risk_clause", [
    r"(?:it|they|this|that) (?:can|could|may|might|will|tends to) (?:also |still |easily )?\w+",
])
CAVEAT_MARKERS = frozenset({"but", "though", "although", "yet", "however"})
CAVEAT_CLAUSE = compile_lexicon("tradeoffs.caveat_clause", [
    r"(?:it|they|that|this|those|these|the \w+) (?:also |still |can |could |will |"
    r"would |may |might |often |usually |then )?\w+",
])

# The clause after "but" that names what the choice costs.
PRICE_CLAUSE = compile_lexicon("tradeoffs.price_clause", [
    r"(?:it|that|this|they|those|these|we|you|the \w+) (?:can|could|will|would|may|might|also|then|usually|often|"
    r"does|do|is|are|needs?|costs?|requires?|adds?|doubles|triples|hurts?|loses?|makes?|means?|takes?|"
    r"gets?|becomes?|has|have)",
])

NOT_KNOWING = compile_lexicon("tradeoffs.not_knowing", [
    r"i don't know|i do not know|not sure|no idea|i'm not sure|i forget|i forgot|i can't remember|"
    r"i don't remember|can't recall|who knows",
])


@dataclass(frozen=True)
class Found:
    """One stated tradeoff: the word range quoted and how it was recognised."""

    first: int
    last: int
    how: str  # "explicit" or "contrast"
    phrase: str
    rule: str | None = None  # the lexicon row that recognised it, or "model:tradeoff"
    p: float | None = None  # the learned model's probability, when only the model found it


def _sides(s: Sent, marker: Hit) -> tuple[str, str]:
    """The text before and after a contrast marker (or the sentence-initial clause split)."""
    rel = marker.first - s.first
    if rel == 0:
        # "While X is faster, it costs more": the first clause against the rest.
        clauses = s.clauses()
        if len(clauses) > 1:
            cut = clauses[0][1] - s.first
            return " ".join(s.norms[1:cut]), " ".join(s.norms[cut:])
    return " ".join(s.norms[:rel]), " ".join(s.norms[marker.last - s.first:])


def _weighs(left: str, right: str, marker: str = "but") -> bool:
    """A benefit on one side of a contrast and a cost on the other.

    With "whereas"/"while", two options each winning (or each losing) on something ("batch
    is cheaper, whereas streaming reacts faster") is also a weighing.
    """
    if (BENEFIT.search(left) and COST.search(right)) or (COST.search(left) and BENEFIT.search(right)):
        return True
    # "I'd use a bigger encoder, but it triples the serving cost": a choice, then its price.
    if len(left.split()) >= 4 and PRICE_CLAUSE.match(right) and COST.search(right):
        return True
    # "Optimizing watch time rewards long videos, but it can push clickbait": a choice, then
    # what it can do wrong.
    if len(left.split()) >= 4 and marker in CAVEAT_MARKERS and RISK_CLAUSE.match(right):
        return True
    # "Popular items are a safe bet, but they bury the long tail": a benefit, then what the
    # same thing does wrong. The cost side is open vocabulary, so any caveat clause counts.
    if marker in CAVEAT_MARKERS and BENEFIT.search(left) and CAVEAT_CLAUSE.match(right) \
            and not NOT_KNOWING.search(right):
        return True
    # Two options each paying a different price ("a high-bias model misses patterns, while a
    # high-variance model chases noise") weighs them just as well.
    return marker in {"whereas", "while"} and bool(
        (BENEFIT.search(left) and BENEFIT.search(right)) or (COST.search(left) and COST.search(right))
    )


def contrast_tradeoff(s: Sent) -> Hit | None:
    """The contrast marker of a sentence that weighs a benefit against a cost, if any."""
    for marker in s.find(CONTRAST):
        rel = marker.first - s.first
        # Mid-sentence "while" without a comma is usually temporal ("... goes up while the
        # training loss keeps falling"), not a contrast.
        if marker.text == "while" and rel > 0 and not s.words[rel - 1].text.endswith((",", ";", "\u2014")):
            continue
        left, right = _sides(s, marker)
        if _weighs(left, right, marker.text):
            return marker
    return None


def find_tradeoffs(text: Text, config: Config | None = None) -> list[Found]:
    """Every stated tradeoff, at most one per sentence (or sentence pair), in order."""
    config = config or Config()
    found: list[Found] = []
    used: set[int] = set()
    for k, s in enumerate(text.sentences):
        if k in used or s.search(NOT_KNOWING) is not None:
            continue
        if s.is_question:
            # A question weighs nothing, but Whisper sometimes runs the end of a tradeoff into
            # the next question ("... precision. At the expense of recall, why would you care?").
            q_first = s.clauses()[-1][0]
            hit = next((h for h in s.find(EXPLICIT) if h.last <= q_first), None)
            if hit is not None:
                found.append(Found(s.first, q_first, "explicit", hit.text, hit.rule))
            continue
        hit = s.search(EXPLICIT)
        if hit is not None:
            found.append(Found(s.first, s.last, "explicit", hit.text, hit.rule))
            continue
        if TRADEOFF_WORD.search(s.text) and BENEFIT.search(s.text) and COST.search(s.text) \
                and s.search(CONSEQUENCE) is not None:
            # "It's a trade-off: more recall means more false alarms."
            found.append(Found(s.first, s.last, "explicit", "trade-off", "tradeoffs.tradeoff_word.0"))
            continue
        marker = contrast_tradeoff(s)
        if marker is not None:
            found.append(Found(s.first, s.last, "contrast", marker.text, marker.rule))
            continue
        # "X is faster. But it needs twice the memory." across a (possibly spurious) full stop.
        nxt = text.sentences[k + 1] if k + 1 < len(text.sentences) else None
        if (config.pair_sentences and nxt is not None and not nxt.is_question
                and nxt.search(NOT_KNOWING) is None):
            lead = nxt.starts_with(CONTRAST, skip=_CONTRAST_LEAD)
            if lead is not None and _weighs(s.text, " ".join(nxt.norms[lead.last - nxt.first:])):
                found.append(Found(s.first, nxt.last, "contrast", lead.text, lead.rule))
                used.add(k + 1)
    found += [Found(s.first, s.last, "model", "", model_rule("tradeoff"), p)
              for s, p in second_opinion(text, "tradeoff", [(f.first, f.last) for f in found])
              if not s.is_question and s.search(NOT_KNOWING) is None]
    return sorted(found, key=lambda f: f.first)


def compute(transcript: Transcript, config: Config, context: Context) -> SignalResult:
    """Count sentences that weigh a benefit against a cost; quote each one."""
    verdict: Verdict
    text = text_of(context.language)
    if not text.sentences:
        return no_words("tradeoffs", {"count": 0, "items": []})
    found = find_tradeoffs(text, config)
    evidence = tuple(text.evidence(f.first, f.last, rule=f.rule, p=f.p) for f in found)
    items = [{"text": quote(e.text), "how": f.how, "phrase": f.phrase, "start": e.start}
             for f, e in zip(found, evidence, strict=True)]
    n = len(found)
    mentions = sum(1 for s in text.sentences if "trade" in s.text and "off" in s.text)
    if n >= config.strength_at:
        verdict, advice = "strength", (
            "You weighed costs against benefits. Tie each one to the decision it drives "
            "(\"..., so I'd start with the simpler model\")."
        )
    else:
        verdict = "work_on" if text.n_words >= config.min_answer_words else "ok"
        advice = (
            "Name what your choice costs, not just what it buys: \"X is faster, but it needs "
            "more labelled data\" or \"..., at the cost of higher latency\"."
        )
        if mentions:
            advice = "You said \"tradeoff\" but did not spell it out. " + advice
    headline = plural(n, "tradeoff") + " stated" if n else "no tradeoff stated"
    return SignalResult("tradeoffs", {"count": n, "items": items, "mentions_without_weighing":
                                      mentions if n == 0 else 0},
                        verdict, advice, evidence, headline)
