"""A fake PortAudio input stream: a thread that feeds the recorder's callback.

The fake sound devices in the recording tests differ only in what their thread delivers
(``run``); starting, aborting and closing are the same, as sounddevice's are.
"""

from __future__ import annotations

import threading
from typing import Any


class ThreadStream:
    """``sounddevice.InputStream`` stand-in; subclasses feed ``self.kw["callback"]`` in :meth:`run`."""

    def __init__(self, dev: Any, kw: dict[str, Any]) -> None:
        self.dev, self.kw = dev, kw
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self._thread.start()

    def abort(self) -> None:
        self._stop.set()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
