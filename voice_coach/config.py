"""User overrides for signal thresholds, from a TOML file.

Each signal's thresholds live in its ``Config`` dataclass, with documented defaults. A user
changes them in ``config.toml`` (in the user config dir, or ``--config FILE``)::

    [signals.pauses]
    long_pause_s = 2.5

    [signals.ramble]
    max_run_words = 60

An unknown signal or key, or a value of the wrong type, is an error that names it.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

from voice_coach.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def default_config_path() -> Path:
    """``<user config dir>/config.toml``."""
    from voice_coach.paths import config_home

    return config_home() / "config.toml"


def load_overrides(path: Path | None) -> dict[str, dict[str, Any]]:
    """Read ``[signals.<name>]`` tables from ``path`` (or the default file, if present)."""
    explicit = path is not None
    path = path or default_config_path()
    if not path.is_file():
        if explicit:
            raise UsageError(f"{path}: config file not found")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise UsageError(f"{path}: invalid TOML ({err})") from None
    signals = data.get("signals", {})
    if not isinstance(signals, dict):
        raise UsageError(f"{path}: [signals] must be a table")
    return {str(k): v for k, v in signals.items() if isinstance(v, dict)}


def build_configs(overrides: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One config instance per registered signal, with the user's overrides applied."""
    from voice_coach.signals import SIGNALS

    known = {s.name: s for s in SIGNALS}
    unknown = set(overrides) - set(known)
    if unknown:
        raise UsageError(f"config: unknown signal(s): {', '.join(sorted(unknown))}")
    configs: dict[str, Any] = {}
    for sig in SIGNALS:
        cfg = sig.config_type()
        changes = overrides.get(sig.name, {})
        fields = {f.name: f for f in dataclasses.fields(cfg)}
        new: dict[str, Any] = {}
        for key, value in changes.items():
            if key not in fields:
                raise UsageError(f"config: signals.{sig.name} has no setting '{key}'")
            new[key] = _coerce(getattr(cfg, key), value, f"signals.{sig.name}.{key}")
        configs[sig.name] = dataclasses.replace(cfg, **new)
    return configs


def _coerce(current: Any, value: Any, where: str) -> Any:
    """Check ``value`` has the type of the default ``current``; widen int to float, list to tuple."""
    if isinstance(current, bool) or isinstance(value, bool):
        ok = isinstance(current, bool) and isinstance(value, bool)
    elif isinstance(current, float):
        ok = isinstance(value, int | float)
        value = float(value) if ok else value
    elif isinstance(current, tuple):
        ok = isinstance(value, list | tuple)
        value = tuple(value) if ok else value
    else:
        ok = current is None or isinstance(value, type(current))
    if not ok:
        raise UsageError(f"config: {where} must be {type(current).__name__}, not {type(value).__name__}")
    return value
