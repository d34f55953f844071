"""Drill prompts: short single-skill exercises (30-60 s), shipped in ``prompts/drills/*.toml``.

One file per skill (see :mod:`voice_coach.skills`)::

    skill = "tradeoffs"

    [[drill]]
    id = "drill-tradeoffs-sql-nosql"     # unique: a-z, 0-9, "-", "_", "."
    text = "State one tradeoff between a relational database and a document store."
    target_s = 40                        # 30-60 s

A drill becomes a :class:`~voice_coach.question.Question` of category ``drill`` that
exercises only its skill, so ``voice-coach drill SKILL`` reuses the practice loop as it is.
Mistakes name the file, the line and the field, as in question banks.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from voice_coach.bank import LIMITS, builtin_bank_dirs, line_of_field, line_of_table
from voice_coach.errors import UsageError
from voice_coach.question import Question
from voice_coach.skills import SIGNAL, SKILLS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MIN_TARGET_S = 30.0
MAX_TARGET_S = 60.0
"""A drill is short: long enough to do the one thing, short enough to repeat."""

CATEGORY = "drill"
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_FIELDS = ("id", "text", "target_s")


def drill_files() -> list[Path]:
    """The shipped drill files (``prompts/drills/*.toml`` beside the shipped banks)."""
    for d in builtin_bank_dirs():
        files = sorted((d / "drills").glob("*.toml"))
        if files:
            return files
    return []


def parse_drills(path: Path) -> list[Question]:
    """Read and check one drill file."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"{path}: cannot read drill prompts ({err})") from None
    except tomllib.TOMLDecodeError as err:
        raise UsageError(f"{path}: invalid TOML: {err}") from None
    skill = data.get("skill")
    if skill not in SKILLS:
        raise UsageError(f"{path}: 'skill' must be one of {', '.join(SKILLS)}, not {skill!r}")
    unknown = set(data) - {"skill", "drill"}
    if unknown:
        raise UsageError(f"{path}: unknown top-level key(s) {', '.join(sorted(unknown))}")
    raw = data.get("drill")
    if not isinstance(raw, list) or not raw:
        raise UsageError(f"{path}: no [[drill]] tables")
    return [_drill(path, text, line_of_table(text, i, "drill"), item, skill) for i, item in enumerate(raw)]


def _drill(path: Path, text: str, line: int, item: Any, skill: str) -> Question:
    def fail(key: str, message: str) -> UsageError:
        return UsageError(f"{path}:{line_of_field(text, line, key)}: drill field '{key}': {message}")

    if not isinstance(item, dict):
        raise UsageError(f"{path}:{line}: each drill must be a [[drill]] table")
    for key in _FIELDS:
        if key not in item:
            raise UsageError(f"{path}:{line}: drill field '{key}' is missing")
    extra = sorted(set(item) - set(_FIELDS))
    if extra:
        raise fail(extra[0], f"unknown field (known: {', '.join(_FIELDS)})")
    if not isinstance(item["id"], str) or not _ID.match(item["id"]):
        raise fail("id", "must be 1-64 characters of a-z, 0-9, '.', '_' or '-'")
    prompt = " ".join(str(item["text"]).split()) if isinstance(item["text"], str) else ""
    if not LIMITS.min_text_chars <= len(prompt) <= LIMITS.max_text_chars:
        raise fail("text", f"must be a string of {LIMITS.min_text_chars}-{LIMITS.max_text_chars} characters")
    target = item["target_s"]
    if isinstance(target, bool) or not isinstance(target, int | float) or not MIN_TARGET_S <= target <= MAX_TARGET_S:
        raise fail("target_s", f"must be between {MIN_TARGET_S:g} and {MAX_TARGET_S:g} seconds")
    return Question(id=item["id"], text=prompt, category=CATEGORY, difficulty="easy", target_s=float(target),
                    focus=(SIGNAL[skill],), source=str(path), skills=(skill,), extra={"line": line})


def load_drills(skill: str | None = None, files: list[Path] | None = None) -> list[Question]:
    """Every shipped drill (of ``skill``, if given); :class:`UsageError` for a broken file or a repeated id."""
    out: list[Question] = []
    seen: dict[str, str] = {}
    for path in drill_files() if files is None else files:
        for d in parse_drills(path):
            here = f"{path}:{d.extra['line']}"
            if d.id in seen:
                raise UsageError(f"{here}: drill field 'id': {d.id!r} is already defined at {seen[d.id]}")
            seen[str(d.id)] = here
            out.append(d)
    return [d for d in out if skill is None or skill in d.skills]
