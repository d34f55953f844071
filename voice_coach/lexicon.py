"""The phrase lexicons, as data: one TOML file per concept, loaded, checked and compiled here.

Every phrase the language signals look for ("at the cost of", "let me walk you through",
"I'd want to know ...") is a *row* in ``voice_coach/data/lexicons/<concept>.toml``::

    [[plan]]                      # the lexicon "<concept>.plan"
    id = "walk_through"           # the row "<concept>.plan.walk_through"
    pattern = "{WOULDI} walk (?:you )?through"
    examples = ["i'd walk you through it"]      # must be matched, by this row
    near_misses = ["i walked you through it"]   # must not be matched by the lexicon

A file may also hold ``[macros]`` (named regex pieces, used as ``{NAME}``; ``shared.toml``'s
are visible to every file) and ``[extends]`` (``table = ["other.lexicon", ...]``: the table's
lexicon starts with those lexicons' rows, so a shared concept such as the leading words is
written once and every signal adds only its own extras).

Patterns are regular expressions over normalised words (lower case, straight apostrophes,
no edge punctuation) joined by single spaces; a lexicon matches whole words only. Each row
compiles into a named group of its lexicon's one regex, so a hit knows its row
(:func:`rule_of`). Files are read on first use and cached: importing this module (as the CLI
does through the signals) reads nothing. A malformed file or row raises
:class:`LexiconError` with one line naming the file and the row: when the file is read,
or, for a pattern that does not compile, when its lexicon is first compiled.

Shared concepts live in ``shared.toml`` and are exposed below (filled pauses, leading words,
signposts, hedges). Nothing here depends on the signals package: :mod:`voice_coach.recovery`
uses :func:`is_filled_pause` during transcription.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from voice_coach.errors import VoiceCoachError
from voice_coach.transcript import normalise_token

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# Lower case, digits and single "_" (a double one separates the parts of a group name).
_ID = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_MACRO_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_ROW_KEYS = frozenset({"id", "pattern", "examples", "near_misses"})


class LexiconError(VoiceCoachError):
    """A lexicon file or row is malformed (one line: the file, the row, the problem). Exit code 1."""


@dataclass(frozen=True)
class Row:
    """One row of a lexicon.

    Attributes:
        id: ``"<concept>.<lexicon>.<row>"``; evidence names it as its ``rule``.
        pattern: a regex over normalised words, macros not yet expanded.
        examples: phrases the lexicon must match with this row.
        near_misses: phrases close to the row that the lexicon must not match.
        file: the file the row comes from (for messages).
    """

    id: str
    pattern: str
    examples: tuple[str, ...]
    near_misses: tuple[str, ...]
    file: str


@dataclass(frozen=True)
class _File:
    """One parsed concept file."""

    path: str
    macros: dict[str, str]
    tables: dict[str, tuple[Row, ...]]
    extends: dict[str, tuple[str, ...]]


def norm(text: str) -> str:
    """A token as the lexicons see it: lower case, straight apostrophes, no edge punctuation."""
    return normalise_token(text.replace("\u2019", "'").replace("\u2018", "'"))


def lexicon_dir() -> Any:
    """The folder holding the lexicon files (inside the installed package)."""
    return resources.files("voice_coach") / "data" / "lexicons"


def concepts() -> list[str]:
    """The names of every lexicon file (``shared``, ``framing``, ...)."""
    return sorted(p.name[:-5] for p in lexicon_dir().iterdir() if p.name.endswith(".toml"))


def _fail(path: str, where: str, problem: str) -> LexiconError:
    return LexiconError(f"lexicon {path}: {where}: {problem}")


def _strings(path: str, where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, where, f"'{key}' must be a non-empty list of phrases")
    return tuple(value)


def parse(path: str, text: str, shared_macros: dict[str, str] | None = None, *,
          compile_rows: bool = True) -> _File:
    """Parse and check one concept file (``path`` names it in errors).

    With ``compile_rows`` every row is compiled alone too; without it a row that does not
    compile is named when its lexicon first compiles (:attr:`Lexicon.regex`).
    """
    concept = path.rsplit("/", 1)[-1].removesuffix(".toml")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise _fail(path, "file", f"not valid TOML ({err})") from None
    macros = dict(shared_macros or {})
    own = data.pop("macros", {})
    extends = data.pop("extends", {})
    if not isinstance(own, dict) or not isinstance(extends, dict):
        raise _fail(path, "file", "[macros] and [extends] must be tables")
    for name, body in own.items():
        if not _MACRO_NAME.fullmatch(name) or not isinstance(body, str) or name in macros:
            raise _fail(path, f"macro {name}", "needs an upper-case name of its own and a string pattern")
        macros[name] = body
    for name in own:
        unknown = sorted(set(_MACRO.findall(own[name])) - set(macros))
        if unknown:
            raise _fail(path, f"macro {name}", f"unknown macro {{{unknown[0]}}}")
        _compiles(path, f"macro {name}", expand(own[name], macros))
    tables: dict[str, tuple[Row, ...]] = {}
    for table, rows in data.items():
        if not _ID.fullmatch(table) or not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise _fail(path, f"table {table}", "must be an array of rows ([[name]]) with a lower-case name")
        tables[table] = tuple(_row(path, f"{concept}.{table}", k, r, macros, compile_rows)
                              for k, r in enumerate(rows))
        ids = [r.id for r in tables[table]]
        twice = next((i for k, i in enumerate(ids) if i in ids[:k]), None)
        if twice is not None:
            raise _fail(path, f"row {twice}", "id used twice")
    for table, bases in extends.items():
        if not isinstance(bases, list) or not all(isinstance(b, str) for b in bases):
            raise _fail(path, f"extends {table}", "must be a list of lexicon names")
        tables.setdefault(table, ())
    return _File(path, macros, tables, {t: tuple(b) for t, b in extends.items()})


def _row(path: str, lexicon: str, k: int, raw: dict[str, Any], macros: dict[str, str],
         compile_rows: bool = True) -> Row:
    rid = raw.get("id")
    where = f"row {lexicon}.{rid}" if isinstance(rid, str) else f"row {k + 1} of {lexicon}"
    if not isinstance(rid, str) or not _ID.fullmatch(rid):
        raise _fail(path, where, "needs an id of lower-case letters, digits and '_'")
    if set(raw) != _ROW_KEYS:
        raise _fail(path, where, f"needs exactly the keys {sorted(_ROW_KEYS)}, has {sorted(raw)}")
    pattern = raw["pattern"]
    if not isinstance(pattern, str) or not pattern.strip():
        raise _fail(path, where, "'pattern' must be a non-empty string")
    if "(?P" in pattern:
        raise _fail(path, where, "a row may not name its own groups")
    unknown = sorted(set(_MACRO.findall(pattern)) - set(macros))
    if unknown:
        raise _fail(path, where, f"unknown macro {{{unknown[0]}}}")
    if compile_rows:
        _compiles(path, where, expand(pattern, macros))
    return Row(f"{lexicon}.{rid}", pattern, _strings(path, where, "examples", raw["examples"]),
               _strings(path, where, "near_misses", raw["near_misses"]), path)


def _compiles(path: str, where: str, regex: str) -> None:
    try:
        re.compile(regex)
    except re.error as err:
        raise _fail(path, where, f"pattern does not compile ({err})") from None


def expand(pattern: str, macros: dict[str, str]) -> str:
    """``pattern`` with each ``{NAME}`` replaced by its macro, always as one group.

    The group matters: a macro such as ``i'd|we'd|i|we`` pasted bare into ``{WOULD} cover``
    would read as ``...|i|we cover`` and match any "i".
    """
    for _ in range(5):  # macros may use macros; five levels is plenty and stops a loop
        new = _MACRO.sub(lambda m: f"(?:{macros[m.group(1)]})" if m.group(1) in macros else m.group(0), pattern)
        if new == pattern:
            break
        pattern = new
    return pattern


@cache
def load(concept: str) -> _File:
    """The parsed, checked file ``<concept>.toml`` (cached)."""
    f = lexicon_dir() / f"{concept}.toml"
    path = f"voice_coach/data/lexicons/{concept}.toml"
    if not f.is_file():
        raise LexiconError(f"lexicon {path}: file: missing")
    shared = None if concept == "shared" else load("shared").macros
    # Each row is compiled once, into its lexicon's regex: compiling every row alone here as
    # well cost every analyze about 0.06 CPU-s (docs/benchmarks.md, "Start-up").
    return parse(path, f.read_text(encoding="utf-8"), shared, compile_rows=False)


def rows_of(name: str, _seen: tuple[str, ...] = ()) -> tuple[Row, ...]:
    """Every row of lexicon ``"<concept>.<table>"``: those it extends first, then its own."""
    concept, _, table = name.partition(".")
    f = load(concept)
    if table not in f.tables:
        raise LexiconError(f"lexicon {f.path}: table {table}: missing (asked for {name})")
    if name in _seen:
        raise LexiconError(f"lexicon {f.path}: extends {table}: extends itself")
    based = tuple(r for b in f.extends.get(table, ()) for r in rows_of(b, (*_seen, name)))
    return based + f.tables[table]


def _group(row_id: str) -> str:
    return "r_" + row_id.replace(".", "__")


def rule_of(m: re.Match[str]) -> str | None:
    """The id of the lexicon row that produced the match ``m`` (``None`` for a plain regex)."""
    g = m.lastgroup
    return g[2:].replace("__", ".") if g and g.startswith("r_") else None


def _bounded(body: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'])(?:" + body + r")(?![\w'])")


def row_regex(row: Row) -> re.Pattern[str]:
    """``row`` alone, compiled as its lexicon would match it (for testing a row by itself)."""
    return _bounded(expand(row.pattern, load(row.id.split(".", 1)[0]).macros))


class Lexicon:
    """A named lexicon: its rows compiled into one regex, one named group per row, on first use.

    It answers the :class:`re.Pattern` calls the signals use (``search``, ``match``,
    ``fullmatch``, ``finditer``) so a signal holds it like a compiled pattern.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._regex: re.Pattern[str] | None = None

    def __repr__(self) -> str:
        return f"Lexicon({self.name!r})"

    @property
    def rows(self) -> tuple[Row, ...]:
        """The lexicon's rows, in match order."""
        return rows_of(self.name)

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled lexicon (built once)."""
        if self._regex is None:
            rows = self.rows
            macros = load(self.name.split(".", 1)[0]).macros
            try:
                self._regex = _bounded("|".join(f"(?P<{_group(r.id)}>{expand(r.pattern, macros)})" for r in rows))
            except re.error as err:
                for r in rows:  # name the row that does not compile, as parse(compile_rows=True) would
                    _compiles(r.file, f"row {r.id}", expand(r.pattern, load(r.id.split(".", 1)[0]).macros))
                raise LexiconError(f"lexicon {self.name}: its rows do not compile together ({err})") from None
        return self._regex

    @property
    def pattern(self) -> str:
        """The compiled regex's source."""
        return self.regex.pattern

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        """As :meth:`re.Pattern.search`."""
        return self.regex.search(text, pos)

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        """As :meth:`re.Pattern.match`."""
        return self.regex.match(text, pos)

    def fullmatch(self, text: str, pos: int = 0) -> re.Match[str] | None:
        """As :meth:`re.Pattern.fullmatch`."""
        return self.regex.fullmatch(text, pos)

    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match[str]]:
        """As :meth:`re.Pattern.finditer`."""
        return self.regex.finditer(text, pos)


_LEXICONS: dict[str, Lexicon] = {}


def lexicon(name: str) -> Lexicon:
    """The lexicon ``"<concept>.<table>"`` (one object per name; compiled on first use)."""
    if name not in _LEXICONS:
        _LEXICONS[name] = Lexicon(name)
    return _LEXICONS[name]


def all_rows() -> list[Row]:
    """Every row of every lexicon file, in file order (for tests and docs)."""
    return [r for c in concepts() for rows in load(c).tables.values() for r in rows]


# --- Shared concepts (shared.toml) ---------------------------------------------------------
# A filled pause, as one normalised token: um, umm, uh, er, erm, hmm, mm, ah, eh ...; not the
# backchannels "mm-hmm", "uh-huh", which answer another speaker. Use it with ``fullmatch``.
FILLED_PAUSE = lexicon("shared.filled_pause")
# Words that may open a sentence or clause without changing what it says ("So, first ...",
# "Um, and the cost is ..."): filled pauses, "and", "so", "okay", "well", "now". Signals step
# over them (``Sent.starts_with(..., skip=...)``); each signal's own lead lexicon extends it.
LEAD_WORDS = lexicon("shared.lead_words")
# Clause-initial markers of a part of the answer. Signposting counts them; ramble cuts a run
# at them: both use this one lexicon.
SIGNPOSTS = lexicon("shared.signposts")
# What may precede a signpost: the leading words and "but" ("But the second risk is ...").
SIGNPOST_LEAD = lexicon("shared.signpost_lead")
# Words that withdraw commitment ("I guess", "maybe", "sort of"), and the classifying
# "a kind of" that is not one.
# A conjunction or discourse marker opening a clause in run-on speech (voice_coach.language).
CLAUSE_OPENERS = lexicon("shared.clause_openers")
REPORTING_VERBS = lexicon("shared.reporting_verbs")
ACKNOWLEDGEMENTS = lexicon("shared.acknowledgements")
QUESTION_LEAD = lexicon("shared.question_lead")
HEDGES = lexicon("shared.hedges")
NOT_HEDGE = lexicon("shared.not_hedge")


def is_filled_pause(text: str) -> bool:
    """Whether a word (any case, with punctuation) is a filled pause such as "Umm,"."""
    return bool(FILLED_PAUSE.fullmatch(normalise_token(text)))
