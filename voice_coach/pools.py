"""Named thread pools that live as long as the process.

Why long-lived: a CTranslate2 model loaded by a thread that has since exited decodes 4-7x
slower (docs/benchmarks.md), and a pass started for every window should not pay for a new
thread each time. One pool per name, created on first use.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

_POOLS: dict[str, ThreadPoolExecutor] = {}
_LOCK = threading.Lock()


def pool(name: str, workers: int) -> ThreadPoolExecutor:
    """The process's pool called ``name`` (its threads are named after it), made on first use
    with ``workers`` threads."""
    with _LOCK:
        if name not in _POOLS:
            _POOLS[name] = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        return _POOLS[name]


def existing(name: str) -> ThreadPoolExecutor | None:
    """The pool called ``name`` if one was made, without making it."""
    with _LOCK:
        return _POOLS.get(name)
