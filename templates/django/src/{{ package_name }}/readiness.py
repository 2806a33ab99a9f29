"""What a readiness check is: a probe of one backing service, required or optional."""

from collections.abc import Callable
from dataclasses import dataclass


class NotReadyError(Exception):
    """A backing service answers but cannot serve yet; the message is the check's status."""


@dataclass(frozen=True)
class ReadinessCheck:
    """A probe returns when its service can serve, and raises otherwise."""

    probe: Callable[[], None]
    # Without a required service the app cannot serve; without an optional one it serves degraded.
    required: bool = True
