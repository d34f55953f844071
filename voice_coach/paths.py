"""Where voice-coach keeps its data: private by default.

``VOICE_COACH_HOME`` overrides the platform's user data dir (platformdirs). The directory is
created with mode 0700, because it holds recordings of people practising.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def data_home(create: bool = True) -> Path:
    """The data directory (sessions, audio, user models), created 0700 when ``create``."""
    env = os.environ.get("VOICE_COACH_HOME")
    if env:
        path = Path(env).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("voice-coach", appauthor=False))
    if create:
        try:
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as err:
            from voice_coach.errors import StoreError

            raise StoreError(f"cannot create the data directory {path}: {err.strerror or err}"
                             " (set VOICE_COACH_HOME to a writable directory)") from err
        with contextlib.suppress(OSError):  # not ours to fix (e.g. a shared mount)
            path.chmod(0o700)
    return path


def config_home() -> Path:
    """The user config directory (``config.toml``, extra question banks); not created."""
    env = os.environ.get("VOICE_COACH_CONFIG")
    if env:
        return Path(env).expanduser()
    if os.environ.get("VOICE_COACH_HOME"):
        return Path(os.environ["VOICE_COACH_HOME"]).expanduser() / "config"
    from platformdirs import user_config_dir

    return Path(user_config_dir("voice-coach", appauthor=False))
