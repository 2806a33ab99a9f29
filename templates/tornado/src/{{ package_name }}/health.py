"""Probes: /health says the process is up, /ready whether it can serve, and how well."""

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Literal

import structlog
from pydantic import BaseModel, Field

from .handlers import BaseHandler

CHECK_TIMEOUT_SECONDS = 2.0

logger = structlog.stdlib.get_logger(__name__)


class NotReadyError(Exception):
    """A backing service answers but cannot serve yet; the message is the check's status."""


@dataclass(frozen=True)
class ReadinessCheck:
    """A probe returns when its service can serve, and raises otherwise."""

    probe: Callable[[], Awaitable[None]]
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


class HealthHandler(BaseHandler):
    """Liveness: the process serves requests. Touches no backing service."""

    route = "/health"

    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(_HEALTHY)


class ReadyHandler(BaseHandler):
    """Readiness: every required backing service can serve; "degraded" if an optional one fails."""

    route = "/ready"

    async def get(self) -> None:
        checks: Mapping[str, ReadinessCheck] = self.settings["readiness_checks"]
        results = await asyncio.gather(*(_probe(name, check) for name, check in checks.items()))
        report = dict(zip(checks, results, strict=True))
        failed = [name for name, result in report.items() if result != "ok"]
        if any(checks[name].required for name in failed):
            unavailable = Readiness(status="unavailable", checks=report)
            self.respond(unavailable, HTTPStatus.SERVICE_UNAVAILABLE)
            return
        self.respond(Readiness(status="degraded" if failed else "ok", checks=report))


async def _probe(name: str, check: ReadinessCheck) -> str:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            await check.probe()
    except NotReadyError as error:
        logger.warning("readiness_check_failed", check=name, reason=str(error))
        return str(error)
    except Exception as error:  # noqa: BLE001 - whatever the failure, the service is not ready
        logger.warning("readiness_check_failed", check=name, error=repr(error))
        return "unavailable"
    return "ok"
