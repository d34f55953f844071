"""Times in the session store: the one parser for stored times and ``--since``/``--until``.

Every session's ``created`` is stored as ISO 8601 in UTC with seconds
(``2026-11-22T06:45:01+00:00``), so times sort and compare as text, which is how the
filters in :meth:`voice_coach.store.Store.list_sessions` use the ``sessions_created`` index.
Everything that reads or writes a time goes through here: the store when it saves, imports
and filters; the commands when they show a date.
"""

from __future__ import annotations

import datetime as _dt
import secrets

from voice_coach.errors import UsageError

UTC = _dt.timezone.utc


def now() -> str:
    """The current time as stored: ISO 8601 UTC, whole seconds."""
    return _dt.datetime.now(UTC).isoformat(timespec="seconds")


def new_id() -> str:
    """``YYYYMMDD-HHMMSS-xxxxxx``: sorts by time; six random hex digits keep sessions saved
    in the same second (a batch, two processes) apart."""
    return _dt.datetime.now(UTC).strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)


def parse(text: str) -> _dt.datetime | _dt.date:
    """``2026-11-01`` -> a date; ``2026-11-01T08:00`` (or with a space, ``Z`` or an offset)
    -> an aware UTC datetime (no offset means UTC). Raises :class:`ValueError` otherwise."""
    text = text.strip()
    if "T" in text or " " in text:
        text = text.replace(" ", "T", 1)
        if text.endswith(("Z", "z")):  # fromisoformat reads "Z" only from Python 3.11
            text = text[:-1] + "+00:00"
        d = _dt.datetime.fromisoformat(text)
        if d.tzinfo is None:
            d = d.replace(tzinfo=UTC)
        return d.astimezone(UTC)
    return _dt.date.fromisoformat(text)


def normalise_date(text: str) -> str:
    """``2026-11-01`` or ``2026-11-01T08:00`` -> a string comparable with stored times.

    Raises :class:`UsageError` for anything else (``--since yesterday`` is not a date).
    """
    try:
        return _stored(parse(text))
    except ValueError:
        raise UsageError(f"{text.strip()!r} is not a date (use YYYY-MM-DD)") from None


def stored_time(text: str) -> str:
    """A time from outside (an imported bundle, a caller) in the stored form.

    A bare date means its midnight UTC. Raises :class:`ValueError` when ``text`` is not
    an ISO 8601 date or time.
    """
    value = parse(text)
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
    return _stored(value)


def created_range(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """``--since``/``--until`` as ``(low, high)``: a session matches when
    ``low <= created`` and ``created < high`` (as text). Either bound may be ``None``.

    ``until`` includes its whole day when it is a bare date, and its second when it is a
    time ("on or before"). Raises :class:`UsageError` for a value that is not a date.
    """
    low = normalise_date(since) if since else None
    high = None
    if until:
        end = normalise_date(until)
        if _is_date(until):
            high = (_dt.date.fromisoformat(end) + _dt.timedelta(days=1)).isoformat()
        else:
            high = _stored(_dt.datetime.fromisoformat(end) + _dt.timedelta(seconds=1))
    return low, high


def day(created: str) -> str:
    """A stored time's date, ``2026-11-22`` (UTC, as stored)."""
    return _display(created, "%Y-%m-%d")


def minute(created: str) -> str:
    """A stored time to the minute, ``2026-11-22 06:45`` (UTC, as stored)."""
    return _display(created, "%Y-%m-%d %H:%M")


def _display(created: str, fmt: str) -> str:
    try:
        value = parse(created)
    except ValueError:
        return created  # show what is there rather than fail a listing over one odd row
    return value.strftime(fmt)


def _is_date(text: str) -> bool:
    return "T" not in text and " " not in text.strip()


def _stored(value: _dt.datetime | _dt.date) -> str:
    if isinstance(value, _dt.datetime):
        return value.astimezone(UTC).replace(microsecond=0).isoformat()
    return value.isoformat()
