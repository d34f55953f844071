"""voice_coach.spacy_load: the start-up shortcuts change nothing spaCy gives the signals."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from voice_coach import spacy_load

ROOT = Path(__file__).resolve().parents[1]

# Tokenizer corners on top of the corpus: contractions and other special cases, URLs and
# e-mail addresses (url_match, token_match), numbers, units, abbreviations, emoticons.
TRICKY = (
    "I'd've said we can't, y'all won't, and it's gonna be ok. Don't.",
    "See https://example.com/a?b=1 or mail ops@example.org before 9 a.m. on Jan. 5th, e.g. 3.5GB at $4.50/hr.",
    "The U.S. team's p99 is 250ms (vs. 300ms) :) -- 2x faster, i.e. ~40% less; 10km/h, 1,000,000 rows.",
    "um so like uh i would start with the data and then hmm build a baseline",
)


def _texts() -> list[str]:
    texts = list(TRICKY)
    for n in (2, 11, 26):  # full, loose and unpunctuated answers
        for line in (ROOT / f"corpus/rounds/round-{n:02d}.jsonl").read_text().splitlines():
            d = json.loads(line)
            texts.append(d.get("text") or " ".join(s["text"] for s in d["sentences"]))
    return texts


def _annotations(nlp: Any, texts: list[str]) -> list[Any]:
    out: list[Any] = []
    for doc in nlp.pipe(texts):
        out.append([(t.text, t.idx, t.lower_, t.lemma_, t.pos_, t.tag_, t.dep_, t.head.i, t.is_sent_start,
                     t.norm_, t.is_stop, t.like_num, str(t.morph)) for t in doc])
        out.append(np.asarray(doc.tensor).tobytes())
    return out


def test_same_pipeline_as_a_plain_load() -> None:
    """Same tokenizer, components, tags, parses, lemmas and token vectors as ``spacy.load``."""
    fast = spacy_load.load_english()
    assert fast.has_pipe("tagger"), "no English model installed"
    import spacy

    name = fast.meta["lang"] + "_" + fast.meta["name"]
    plain: Any = spacy.load(name, exclude=["ner"])
    assert fast.pipe_names == plain.pipe_names == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
    assert fast.tokenizer.to_bytes(exclude=["vocab"]) == plain.tokenizer.to_bytes(exclude=["vocab"])
    texts = _texts()
    assert len(texts) > 100
    assert _annotations(fast, texts) == _annotations(plain, texts)


def test_no_english_model_gives_a_sentencizer() -> None:
    nlp = spacy_load.load_english(("no_such_model_installed",))
    assert nlp.pipe_names == ["sentencizer"]
    assert [s.text for s in nlp("One here. Two there.").sents] == ["One here.", "Two there."]


def test_spacy_is_imported_without_its_cli_and_the_cli_still_works() -> None:
    """The CLI stand-ins live only while spaCy is imported: ``spacy.cli`` and ``spacy.info`` are real after."""
    code = ("import sys; from voice_coach.language import get_nlp; get_nlp(); "
            "print('spacy.cli' in sys.modules, 'typer' in sys.modules); "
            "import spacy.cli; print(hasattr(spacy.cli, 'app')); "
            "print(spacy.info(silent=True)['spacy_version'] == spacy.__version__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "False", "True", "True"], out.stdout + out.stderr
