"""Question banks: TOML files of interview questions, checked field by field.

Questions come from three places, in this order:

1. the banks shipped with voice-coach (``prompts/*.toml`` in the repository; an installed
   wheel carries them under ``<prefix>/share/voice-coach/prompts``);
2. the user's own banks in ``<config dir>/banks/*.toml`` (see :func:`voice_coach.paths.config_home`);
3. files named with ``--bank FILE``.

A bank file is a list of ``[[question]]`` tables::

    [[question]]
    id = "metrics-auc-01"            # unique across all banks: a-z, 0-9, "-", "_", "."
    text = "What does ROC AUC measure, and when does it mislead?"
    category = "metrics"
    difficulty = "medium"            # easy | medium | hard
    target_s = 120                   # how long a good spoken answer takes, seconds
    focus = ["framing", "tradeoffs"] # the signals that matter most for this question
    skills = ["tradeoffs"]           # optional: the skills it drills (default: derived, see skills.py)
    follow_ups = { tradeoffs = "What would the other option have cost?" }   # optional (followup.py)

A mistake in a bank is a :class:`~voice_coach.errors.UsageError` that names the file, the
line and the field, because a user editing a bank by hand needs to find it fast. Ids must be
unique across every bank loaded together, so ``--question-id`` is never ambiguous.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voice_coach.errors import UsageError
from voice_coach.question import Question

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")

# The areas ML interviews probe, in the order `questions` lists them. User banks may add
# their own categories; these are the ones the shipped banks cover.
CATEGORIES: tuple[str, ...] = (
    "core_concepts",
    "metrics",
    "data",
    "math",
    "tradeoffs",
    "system_design",
    "deployment",
    "behavioural",
)

REQUIRED_FIELDS: tuple[str, ...] = ("id", "text", "category", "difficulty", "target_s", "focus")
OPTIONAL_FIELDS: tuple[str, ...] = ("notes", "skills", "follow_ups")

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class BankLimits:
    """What a sane question looks like.

    Attributes:
        min_target_s: a spoken answer shorter than this leaves nothing to coach.
        max_target_s: interview answers past 15 minutes are monologues, not answers.
        min_text_chars: a question shorter than this is almost certainly a typo.
        max_text_chars: a question longer than this cannot be followed when read aloud.
    """

    min_target_s: float = 20.0
    max_target_s: float = 900.0
    min_text_chars: int = 10
    max_text_chars: int = 600


LIMITS = BankLimits()


def builtin_bank_dirs() -> list[Path]:
    """Where the shipped banks may live: the repository, then an installed wheel's share dir."""
    import site

    repo = Path(__file__).resolve().parent.parent / "prompts"
    share = Path("share") / "voice-coach" / "prompts"
    # A wheel's data files land under the install prefix (a venv, /usr/local, or ~/.local).
    prefixes = [Path(sys.prefix), Path(site.getuserbase())]
    return [d for d in [repo, *(p / share for p in prefixes)] if d.is_dir()]


def builtin_bank_files() -> list[Path]:
    """The shipped bank files (from the first directory that has any)."""
    for d in builtin_bank_dirs():
        files = sorted(d.glob("*.toml"))
        if files:
            return files
    return []


def user_bank_files() -> list[Path]:
    """The user's bank files in ``<config dir>/banks/``."""
    from voice_coach.paths import config_home

    d = config_home() / "banks"
    return sorted(d.glob("*.toml")) if d.is_dir() else []


def _signal_names() -> frozenset[str]:
    from voice_coach.signals import BY_NAME

    return frozenset(BY_NAME)


def line_of_table(text: str, index: int, table: str = "question") -> int:
    """1-based line of the ``index``-th ``[[table]]`` header in ``text`` (0 if absent)."""
    count = -1
    for lineno, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"^\s*\[\[\s*{table}\s*\]\]", line):
            count += 1
            if count == index:
                return lineno
    return 0


def line_of_field(text: str, table_line: int, key: str) -> int:
    """1-based line where ``key = ...`` is set in the table starting at ``table_line``."""
    lines = text.splitlines()
    for lineno in range(table_line + 1, len(lines) + 1):
        line = lines[lineno - 1]
        if re.match(r"^\s*\[", line):
            break
        if re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return lineno
    return table_line


def parse_bank(path: Path) -> list[Question]:
    """Read and validate one bank file; every problem names the file, line and field."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: question bank not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"{path}: cannot read question bank ({err})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        # tomllib puts "(at line N, column M)" in its message already.
        raise UsageError(f"{path}: invalid TOML: {err}") from None
    unknown_top = set(data) - {"question"}
    if unknown_top:
        raise UsageError(f"{path}: unknown top-level key(s) {', '.join(sorted(unknown_top))}; "
                         "a bank holds only [[question]] tables")
    raw = data.get("question", [])
    if not isinstance(raw, list) or not raw:
        raise UsageError(f"{path}: no [[question]] tables in this bank")
    signals = _signal_names()
    questions = []
    for i, item in enumerate(raw):
        line = line_of_table(text, i)
        questions.append(_question(path, text, line, item, signals))
    return questions


def _question(path: Path, text: str, line: int, item: Any, signals: frozenset[str]) -> Question:
    """Validate one ``[[question]]`` table."""

    def fail(key: str, message: str) -> UsageError:
        where = line_of_field(text, line, key) if key else line
        return UsageError(f"{path}:{where}: question field '{key}': {message}")

    if not isinstance(item, dict):
        raise UsageError(f"{path}:{line}: each question must be a [[question]] table")
    for key in REQUIRED_FIELDS:
        if key not in item:
            raise UsageError(f"{path}:{line}: question field '{key}' is missing")
    unknown = set(item) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)
    if unknown:
        key = sorted(unknown)[0]
        raise fail(key, f"unknown field (known: {', '.join(REQUIRED_FIELDS + OPTIONAL_FIELDS)})")
    qid = item["id"]
    if not isinstance(qid, str) or not _ID.match(qid):
        raise fail("id", "must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit")
    qtext = item["text"]
    if not isinstance(qtext, str):
        raise fail("text", "must be a string")
    qtext = " ".join(qtext.split())
    if not LIMITS.min_text_chars <= len(qtext) <= LIMITS.max_text_chars:
        raise fail("text", f"must be {LIMITS.min_text_chars}-{LIMITS.max_text_chars} characters")
    category = item["category"]
    if not isinstance(category, str) or not re.match(r"^[a-z][a-z0-9_]*$", category):
        raise fail("category", "must be a lower-case word like 'system_design'")
    difficulty = item["difficulty"]
    if difficulty not in DIFFICULTIES:
        raise fail("difficulty", f"must be one of {', '.join(DIFFICULTIES)}, not {difficulty!r}")
    target = item["target_s"]
    if isinstance(target, bool) or not isinstance(target, int | float):
        raise fail("target_s", "must be a number of seconds")
    if not LIMITS.min_target_s <= float(target) <= LIMITS.max_target_s:
        raise fail("target_s", f"must be between {LIMITS.min_target_s:g} and {LIMITS.max_target_s:g} seconds")
    focus = item["focus"]
    if not isinstance(focus, list) or not focus or not all(isinstance(f, str) for f in focus):
        raise fail("focus", "must be a non-empty list of signal names")
    bad = [f for f in focus if f not in signals or f == "overall"]
    if bad:
        raise fail("focus", f"unknown signal {bad[0]!r} (known: {', '.join(sorted(signals - {'overall'}))})")
    notes = item.get("notes")
    if notes is not None and not isinstance(notes, str):
        raise fail("notes", "must be a string")
    skills = _skills(item.get("skills"), qtext, category, focus, fail)
    extra: dict[str, Any] = {"line": line}
    if notes:
        extra["notes"] = notes
    if "follow_ups" in item:
        extra["follow_ups"] = _follow_ups(item["follow_ups"], fail)
    return Question(
        id=qid,
        text=qtext,
        category=category,
        difficulty=difficulty,
        target_s=float(target),
        focus=tuple(dict.fromkeys(focus)),
        source=str(path),
        skills=skills,
        extra=extra,
    )


def _skills(raw: Any, text: str, category: str, focus: list[str],
            fail: Callable[[str, str], UsageError]) -> tuple[str, ...]:
    """The skills a question exercises: its ``skills`` field (plus delivery), or derived."""
    from voice_coach import skills

    if raw is None:
        return skills.derive_skills(text, category, focus)
    if not isinstance(raw, list) or not raw or not all(isinstance(x, str) for x in raw):
        raise fail("skills", f"must be a non-empty list of skills ({', '.join(skills.SKILLS)})")
    bad = skills.check_skills(raw)
    if bad:
        raise fail("skills", f"unknown skill {bad[0]!r} (known: {', '.join(skills.SKILLS)})")
    return skills.with_delivery(raw)


def _follow_ups(raw: Any, fail: Callable[[str, str], UsageError]) -> dict[str, str]:
    """A question's own follow-up wording: ``{clarifying = "...", tradeoffs = "..."}``."""
    from voice_coach.followup import SKILLS

    if not isinstance(raw, dict) or not raw or set(raw) - set(SKILLS):
        raise fail("follow_ups", f"must be a table with keys among {', '.join(SKILLS)}")
    for text in raw.values():
        if not isinstance(text, str) or not LIMITS.min_text_chars <= len(text.strip()) <= LIMITS.max_text_chars:
            raise fail("follow_ups", f"each follow-up must be {LIMITS.min_text_chars}-{LIMITS.max_text_chars} "
                       "characters of text")
    return {k: " ".join(v.split()) for k, v in raw.items()}


def load_banks(extra: Sequence[Path] = ()) -> list[Question]:
    """Every question from the shipped banks, the user's banks and ``extra`` files.

    Raises :class:`UsageError` for a broken bank or an id defined twice (naming both places).
    """
    files = builtin_bank_files() + user_bank_files() + [Path(p) for p in extra]
    seen_files: set[Path] = set()
    questions: list[Question] = []
    where: dict[str, str] = {}
    for path in files:
        key = path.resolve()
        if key in seen_files:  # the same file named twice is not a conflict
            continue
        seen_files.add(key)
        for q in parse_bank(path):
            assert q.id is not None
            here = f"{path}:{q.extra.get('line', 0)}"
            if q.id in where:
                raise UsageError(f"{here}: question field 'id': {q.id!r} is already defined at {where[q.id]}")
            where[q.id] = here
            questions.append(q)
    return questions


def find_question(qid: str, extra: Sequence[Path] = ()) -> Question:
    """The question with id ``qid``; :class:`UsageError` (with near misses) when there is none."""
    questions = load_banks(extra)
    for q in questions:
        if q.id == qid:
            return q
    import difflib

    close = difflib.get_close_matches(qid, [q.id for q in questions if q.id], n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `voice-coach questions` lists them"
    raise UsageError(f"unknown question id {qid!r}{hint}")


def filter_questions(
    questions: Iterable[Question],
    category: str | None = None,
    difficulty: str | None = None,
    search: str | None = None,
) -> list[Question]:
    """Questions matching every given filter (category and difficulty exactly, search as a substring)."""
    out = []
    needle = search.lower() if search else None
    for q in questions:
        if category and q.category != category:
            continue
        if difficulty and q.difficulty != difficulty:
            continue
        if needle and needle not in (q.text or "").lower() and needle not in (q.id or ""):
            continue
        out.append(q)
    return out


def check_category(category: str | None, questions: Sequence[Question]) -> None:
    """Raise :class:`UsageError` if ``category`` names no loaded question's category."""
    if category is None:
        return
    known = sorted({q.category for q in questions if q.category})
    if category not in known:
        raise UsageError(f"unknown category {category!r} (known: {', '.join(known)})")
