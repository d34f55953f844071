"""Errors a user can cause, each with its own exit code.

The CLI turns these into one line on stderr and the exit code below; nothing a user can
do should reach them as a traceback. The codes are documented in the README.
"""

from __future__ import annotations


class VoiceCoachError(Exception):
    """Base class: a problem the user can understand and fix. Exit code 1."""

    exit_code = 1


class UsageError(VoiceCoachError):
    """Bad command-line arguments or options. Exit code 2."""

    exit_code = 2


class InputError(VoiceCoachError):
    """An input file is missing, unreadable, empty, corrupt or not what it claims. Exit code 3."""

    exit_code = 3


class ModelError(VoiceCoachError):
    """A speech model cannot be found or loaded. Exit code 4."""

    exit_code = 4


class DeviceError(VoiceCoachError):
    """No usable microphone or speaker, or a device failed mid-recording. Exit code 5."""

    exit_code = 5


class StoreError(VoiceCoachError):
    """The session store is unreadable, corrupt or full. Exit code 6."""

    exit_code = 6


EXIT_OK = 0
EXIT_INTERRUPTED = 130
