"""Structured logging: one JSON object per line on stdout, or readable lines for humans.

The service's own events go from structlog straight to stdout, rendered by orjson, without the
standard `logging` module's records, handlers and locks: the access line is written on every
request, so its cost is the service's cost. Records of the standard `logging` module (the
server and the libraries the service uses) are rendered by the same processors into the same
shape.
The request id of the request being handled, if any, is added to every line.
"""

import logging
import sys
import time
from contextvars import ContextVar
from typing import Any

import orjson
import structlog
from structlog.types import EventDict, Processor, WrappedLogger

from .settings import Settings

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)

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

# Tracebacks as JSON, without the local variables of each frame: they may hold secrets.
_structured_tracebacks = structlog.processors.ExceptionRenderer(
    structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
)
# What structlog's method names are called in a line's `level`.
_LEVEL_NAMES = {"exception": "error", "warn": "warning", "fatal": "critical"}
_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "exception": logging.ERROR,
    "critical": logging.CRITICAL,
    "fatal": logging.CRITICAL,
}
# The processors of the service's own loggers. Each logger keeps, from its first use, a reference
# to this very list, so configuring again (another level, another format) changes it in place.
_PROCESSORS: list[Processor] = []


class DropBelow:
    """Drops the events of a level below the configured one."""

    def __init__(self, level: int) -> None:
        self.level = level

    def __call__(self, _logger: WrappedLogger, method: str, event_dict: EventDict) -> EventDict:
        if _LEVELS.get(method, logging.INFO) < self.level:
            raise structlog.DropEvent
        return event_dict


class UtcClock:
    """ISO 8601 UTC timestamps, formatting the date and time once a second, not once a line."""

    def __init__(self) -> None:
        self.second = -1
        self.prefix = ""

    def now(self) -> str:
        now = time.time()
        second = int(now)
        if second != self.second:
            self.second, self.prefix = second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now))
        return f"{self.prefix}.{int((now - second) * 1_000_000):06d}Z"


_clock = UtcClock()


def add_request_id(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """Add the id of the request being handled, if any."""
    request_id = REQUEST_ID.get()
    if request_id is not None:
        event_dict.setdefault("request_id", request_id)
    return event_dict


def add_standard_fields(logger: WrappedLogger, method: str, event_dict: EventDict) -> EventDict:
    """Level, logger name, timestamp and request id in one step: the service's own lines."""
    event_dict["level"] = _LEVEL_NAMES.get(method, method)
    event_dict["logger"] = logger.name
    event_dict["timestamp"] = _clock.now()
    return add_request_id(logger, method, event_dict)


def drop_color_message(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """Drop the ANSI-coloured copy of the message that some servers add to their records."""
    event_dict.pop("color_message", None)
    return event_dict


def redact_secrets(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """Mask values logged under a sensitive key, should one ever be passed by mistake."""
    for key in SENSITIVE_KEYS.intersection(event_dict):
        event_dict[key] = REDACTED
    return event_dict


def render_json(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> bytes:
    # Whatever orjson cannot serialise natively is logged as its str(), never dropped.
    return orjson.dumps(event_dict, default=str)


def render_json_text(logger: WrappedLogger, method: str, event_dict: EventDict) -> str:
    """The same JSON, as the text that a `logging.Formatter` must return."""
    return render_json(logger, method, event_dict).decode()


class StdoutLogger:
    """Writes each rendered line to `sys.stdout` as it is at that moment (test runners replace it).

    Every line is flushed at once: a line that waits in a buffer is lost if the process dies, and
    late for whoever follows the logs.

    What the throughput measurement (docs/benchmarks.md in pybackend, "Throughput of the request
    path") asks for is that lines skip the standard `logging` module: the access line fell from a
    third of a request's time to a tenth. structlog's `BytesLogger` would do that as fast; it is
    not used because it, like `PrintLogger`, keeps the stream it was created with, so a line
    written after a test runner swapped `sys.stdout` goes to the old one, and it takes bytes only
    (the console format renders text).
    """

    __slots__ = ("name",)

    def __init__(self, name: str = "") -> None:
        self.name = name

    def msg(self, line: bytes | str) -> None:
        stream = sys.stdout
        raw = getattr(stream, "buffer", None)
        if isinstance(line, bytes) and raw is not None:
            raw.write(line + b"\n")
            raw.flush()
        else:
            stream.write(f"{line.decode() if isinstance(line, bytes) else line}\n")
            stream.flush()

    debug = info = warning = warn = error = critical = exception = fatal = log = msg


def _stdout_logger(*names: Any) -> StdoutLogger:
    """structlog's logger factory: `get_logger(__name__)` names the logger of each line."""
    return StdoutLogger(str(names[0]) if names else "")


class StdoutHandler(logging.StreamHandler[Any]):
    """Writes to `sys.stdout` as it is when a record comes, which test runners replace at will."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stdout
        super().emit(record)


def configure_logging(settings: Settings) -> None:
    """Send every log line to stdout, rendered as JSON or for the console. Safe to call again."""
    # The standard library's records, from every library, take the general path.
    foreign_processors: list[Processor] = [
        structlog.stdlib.PositionalArgumentsFormatter(),
        structlog.stdlib.ExtraAdder(),
        drop_color_message,
        structlog.processors.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        add_request_id,
        redact_secrets,
    ]
    if settings.log_format == "json":
        own_renderer: list[Processor] = [_structured_tracebacks, render_json]
        foreign_renderer: list[Processor] = [_structured_tracebacks, render_json_text]
    else:
        console = structlog.dev.ConsoleRenderer(colors=sys.stdout.isatty())
        own_renderer = foreign_renderer = [console]

    level = logging.getLevelNamesMapping()[settings.log_level]
    _PROCESSORS[:] = [DropBelow(level), add_standard_fields, redact_secrets, *own_renderer]
    structlog.configure(
        processors=_PROCESSORS,
        logger_factory=_stdout_logger,
        # Filtering happens in the processors (DropBelow), which configuring again changes for
        # loggers already in use; a level given here would stay with them. Only lines below the
        # level pay for it, and the request path writes none. This only gives fast methods.
        wrapper_class=structlog.make_filtering_bound_logger(logging.NOTSET),
        cache_logger_on_first_use=True,
    )

    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=foreign_processors,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *foreign_renderer],
    )
    handler = StdoutHandler()
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
