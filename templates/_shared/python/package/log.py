"""Structured logging: one JSON object per line on stdout, or readable lines for humans.

structlog renders both its own events and those of the standard `logging` module (the server,
SQLAlchemy, Alembic, Celery), so every line of the process has the same shape. Values bound with
`structlog.contextvars` (the request id) are added to every line logged while they are bound.
"""

import logging
import sys
from typing import TextIO

import structlog
from structlog.types import EventDict, Processor, WrappedLogger

from .settings import Settings

# Tracebacks as JSON, without the local variables of each frame: they may hold secrets.
_structured_tracebacks = structlog.processors.ExceptionRenderer(
    structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
)

REDACTED = "[REDACTED]"
SENSITIVE_KEYS = frozenset(
    {
        "access_token",
        "authorization",
        "cookie",
        "password",
        "refresh_token",
        "secret",
        "secret_key",
        "token",
    }
)


def drop_color_message(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """Drop the ANSI-coloured copy of the message that some servers add to their records."""
    event_dict.pop("color_message", None)
    return event_dict


def redact_secrets(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """Mask values logged under a sensitive key, should one ever be passed by mistake."""
    for key in SENSITIVE_KEYS.intersection(event_dict):
        event_dict[key] = REDACTED
    return event_dict


class StdoutHandler(logging.StreamHandler[TextIO]):
    """Writes to `sys.stdout` as it is when a record comes, which test runners replace at will."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stdout
        super().emit(record)


def configure_logging(settings: Settings) -> None:
    """Send every log record to stdout, rendered as JSON or for the console. Safe to call again."""
    shared_processors: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.PositionalArgumentsFormatter(),
        structlog.stdlib.ExtraAdder(),
        drop_color_message,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_secrets,
    ]
    renderer: list[Processor] = (
        [_structured_tracebacks, structlog.processors.JSONRenderer()]
        if settings.log_format == "json"
        else [structlog.dev.ConsoleRenderer(colors=sys.stdout.isatty())]
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared_processors,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer],
    )
    handler = StdoutHandler()
    handler.setFormatter(formatter)

    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(settings.log_level)

    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared_processors,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
