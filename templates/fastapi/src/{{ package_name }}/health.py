"""Probes: /health says the process is up, /ready that every backing service answers."""

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Literal

import structlog
from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel

# A readiness check returns when its service answers and raises otherwise.
ReadinessCheck = Callable[[], Awaitable[None]]
CHECK_TIMEOUT_SECONDS = 2.0

CheckStatus = Literal["ok", "unavailable"]

logger = structlog.stdlib.get_logger(__name__)
router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: CheckStatus
    checks: dict[str, CheckStatus]


@router.get("/health")
async def health() -> Health:
    """Liveness: the process serves requests. Touches no backing service."""
    return Health()


@router.get(
    "/ready",
    responses={
        status.HTTP_503_SERVICE_UNAVAILABLE: {
            "model": Readiness,
            "description": "A backing service does not answer; `checks` names it",
        }
    },
)
async def ready(request: Request, response: Response) -> Readiness:
    """Readiness: every backing service (database, Redis) answers."""
    checks: Mapping[str, ReadinessCheck] = request.app.state.readiness_checks
    results = await asyncio.gather(*(_probe(name, check) for name, check in checks.items()))
    report = dict(zip(checks, results, strict=True))
    if all(result == "ok" for result in results):
        return Readiness(status="ok", checks=report)
    response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Readiness(status="unavailable", checks=report)


async def _probe(name: str, check: ReadinessCheck) -> CheckStatus:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            await check()
    except Exception as error:  # noqa: BLE001 - whatever the failure, the service is not ready
        logger.warning("readiness_check_failed", check=name, error=repr(error))
        return "unavailable"
    return "ok"
