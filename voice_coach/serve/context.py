"""The state one running server shares between requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voice_coach.serve.security import Secrets
from voice_coach.store import Store


@dataclass
class Context:
    """What the handlers share.

    Attributes:
        store: the open session store (used from the event loop's thread only).
        keys: this run's token and CSRF token.
        port: the port the server listens on (the Host check compares it).
        tmp_dir: a private directory for uploads and exports in flight.
        limits: upload limits in bytes by kind (``audio``, ``bundle``); tests lower them.
        settings: analysis settings (:class:`voice_coach.service.Settings`) for practice.
        voice: the TTS voice name that reads questions (as ``practice --voice``).
        question_audio: rendered questions, by question id (each is rendered once a run).
    """

    store: Store
    keys: Secrets
    port: int
    tmp_dir: Path
    limits: dict[str, int] = field(default_factory=dict)
    settings: Any = None
    voice: str = "pyttsx3"
    question_audio: dict[str, Path] = field(default_factory=dict)
