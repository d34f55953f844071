"""The real server for tests: uvicorn on a free loopback port, in a thread of the test process."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

from voice_coach.serve.app import build_app
from voice_coach.serve.context import Context


def free_socket() -> socket.socket:
    """A bound loopback socket on a free port (uvicorn serves on it, so no port race)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.contextmanager
def running(make_ctx: Callable[[int], Context]) -> Iterator[tuple[str, Context]]:
    """Serve ``make_ctx(port)`` until the block ends; yields the base URL and the context."""
    import uvicorn

    sock = free_socket()
    port = sock.getsockname()[1]
    ctx = make_ctx(port)
    server = uvicorn.Server(uvicorn.Config(build_app(ctx), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", ctx
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
