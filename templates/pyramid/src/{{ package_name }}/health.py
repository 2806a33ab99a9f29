"""Probes: /health says the process is up, /ready whether it can serve, and how well."""

from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from contextvars import copy_context
from dataclasses import dataclass
from typing import Literal

import structlog
from pydantic import BaseModel, Field
from pyramid.config import Configurator
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

CHECK_TIMEOUT_SECONDS = 2.0
PROBES = {"health": "/health", "ready": "/ready"}

logger = structlog.stdlib.get_logger(__name__)
# Probes run side by side, each bounded by CHECK_TIMEOUT_SECONDS.
_probes = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readiness")


class NotReadyError(Exception):
    """A backing service answers but cannot serve yet; the message is the check's status."""


@dataclass(frozen=True)
class ReadinessCheck:
    """A probe returns when its service can serve, and raises otherwise."""

    probe: Callable[[], None]
    # Without a required service the app cannot serve; without an optional one it serves degraded.
    required: bool = True


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ok", "degraded", "unavailable"]
    checks: dict[str, str] = Field(
        description='Each backing service: "ok", "unavailable", or why it cannot serve yet'
    )


# Probes are the most frequent requests, and this answer never changes: its bytes are encoded once.
_HEALTHY = Health().model_dump_json().encode()


@view_config(route_name="health", request_method="GET", responses={200: Health}, tags=["health"])
def health(_request: Request) -> Response:
    """Liveness: the process serves requests. Touches no backing service."""
    return Response(_HEALTHY, content_type="application/json", charset=None)


@view_config(
    route_name="ready",
    request_method="GET",
    renderer="json",
    responses={200: Readiness, 503: Readiness},
    tags=["health"],
)
def ready(request: Request) -> Readiness:
    """Readiness: every required backing service can serve; "degraded" if an optional one fails."""
    checks: Mapping[str, ReadinessCheck] = request.registry["readiness_checks"]
    # Each probe in a copy of the request's context, so that what it logs carries the request id.
    running = {
        name: _probes.submit(copy_context().run, _probe, name, check)
        for name, check in checks.items()
    }
    report = {name: _outcome(name, future) for name, future in running.items()}
    failed = [name for name, result in report.items() if result != "ok"]
    if any(checks[name].required for name in failed):
        request.response.status_int = 503
        return Readiness(status="unavailable", checks=report)
    return Readiness(status="degraded" if failed else "ok", checks=report)


def _outcome(name: str, future: Future[str]) -> str:
    try:
        return future.result(timeout=CHECK_TIMEOUT_SECONDS)
    except FutureTimeoutError:
        logger.warning("readiness_check_failed", check=name, error="timed out")
        return "unavailable"


def _probe(name: str, check: ReadinessCheck) -> str:
    try:
        check.probe()
    except NotReadyError as error:
        logger.warning("readiness_check_failed", check=name, reason=str(error))
        return str(error)
    except Exception as error:  # noqa: BLE001 - whatever the failure, the service is not ready
        # Where the dependency's address is set: what an operator checks first.
        setting = f"{name.upper()}_URL"
        logger.warning("readiness_check_failed", check=name, error=repr(error), setting=setting)
        return "unavailable"
    return "ok"


def includeme(config: Configurator) -> None:
    # Probes are the most frequent requests: their routes come first.
    for name, path in PROBES.items():
        config.add_route(name, path)
    config.scan(__name__)
