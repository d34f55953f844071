"""JSON renderer: exactly one object, UTF-8, stable key order."""

from __future__ import annotations

import json
from typing import Any


def render_json(report: dict[str, Any]) -> str:
    """The report as pretty-printed JSON text."""
    return json.dumps(report, indent=2, ensure_ascii=False)


# What differs between two runs on the same input by design: ids and dates.
VOLATILE_KEYS = frozenset(["id", "created", "session_id", "date"])


def comparable_json(report: dict[str, Any]) -> str:
    """The report as text without its ids and dates: equal for equal input and options.

    The real-audio evaluation and the determinism test compare runs with it.
    """

    def clean(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items() if k not in VOLATILE_KEYS}
        if isinstance(x, list):
            return [clean(v) for v in x]
        return x

    return json.dumps(clean(report), sort_keys=True, ensure_ascii=False)
