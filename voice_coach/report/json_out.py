"""JSON renderer: exactly one object, UTF-8, stable key order."""

from __future__ import annotations

import json
from typing import Any


def render_json(report: dict[str, Any]) -> str:
    """The report as pretty-printed JSON text."""
    return json.dumps(report, indent=2, ensure_ascii=False)
