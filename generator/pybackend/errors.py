"""The one error tree of pybackend, and the exit codes it maps to.

Everything a user can cause raises a `PybackendError` subclass; the CLI boundary (`cli.main`) is the only place
that turns one into a message and an exit status.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable


class ExitCode(enum.IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INVALID_ANSWERS = 3
    TARGET_NOT_EMPTY = 4
    TEMPLATE_ERROR = 5
    TEMPLATE_SOURCE = 6
    INTERRUPTED = 130


class PybackendError(Exception):
    """Base of every error pybackend reports to its user."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidAnswersError(PybackendError):
    """One or more answers are missing, unknown, of the wrong type, or rejected by a validator."""

    exit_code = ExitCode.INVALID_ANSWERS

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("invalid answers:\n" + "\n".join(f"  - {problem}" for problem in self.problems))


class TargetNotEmptyError(PybackendError):
    exit_code = ExitCode.TARGET_NOT_EMPTY


class TemplateError(PybackendError):
    """Rendering failed; nothing was left behind."""

    exit_code = ExitCode.TEMPLATE_ERROR


class TemplateSourceError(PybackendError):
    """The template files or their release history cannot be found or read."""

    exit_code = ExitCode.TEMPLATE_SOURCE
