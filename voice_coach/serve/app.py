"""The ASGI application: routes wrapped in the :class:`~voice_coach.serve.security.Guard`.

Errors the store or the pipeline raise become short plain-text answers with the status
they mean (an unknown session is 404, bad input 400), never a traceback.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from voice_coach.errors import InputError, StoreError, UsageError, VoiceCoachError
from voice_coach.serve.context import Context
from voice_coach.serve.security import ASGIApp, Guard


def _status(err: VoiceCoachError) -> int:
    if isinstance(err, UsageError):
        return 404 if str(err).startswith("no session") else 400
    if isinstance(err, InputError):
        return 400
    if isinstance(err, StoreError):
        return 503 if "busy" in str(err) else 500
    return 500


async def _voice_coach_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, VoiceCoachError)
    return PlainTextResponse(" ".join(str(exc).split()), status_code=_status(exc))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return PlainTextResponse(str(exc.detail), status_code=exc.status_code, headers=exc.headers)


def build_app(ctx: Context, extra_hosts: frozenset[str] = frozenset(), any_host: bool = False) -> ASGIApp:
    """The guarded app for ``ctx`` (its store, secrets and port); the hosts as :class:`Guard` takes them."""
    from voice_coach.serve.practice import ROUTES as PRACTICE_ROUTES
    from voice_coach.serve.routes import ROUTES

    app = Starlette(routes=[*ROUTES, *PRACTICE_ROUTES],
                    exception_handlers={VoiceCoachError: _voice_coach_error, HTTPException: _http_error})
    app.state.ctx = ctx
    return Guard(app, ctx.keys, ctx.port, extra_hosts, any_host)
