"""Probes: /health says the process is up, /ready whether it can serve, and how well."""

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

import structlog
from apiflask import APIBlueprint
from flask import Flask, Response, current_app
from pydantic import BaseModel, Field

CHECK_TIMEOUT_SECONDS = 2.0

logger = structlog.stdlib.get_logger(__name__)
bp = APIBlueprint("health", __name__, tag="health")
# The checks of one probe run side by side; a check that hangs is given up on, not waited for.
_probes = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readiness")


class NotReadyError(Exception):
    """A backing service answers but cannot serve yet; the message is the check's status."""


@dataclass(frozen=True)
class ReadinessCheck:
    """A probe returns when its service can serve, and raises otherwise."""

    probe: Callable[[], None]
    # Without a required service the app cannot serve; without an optional one it serves degraded.
    required: bool = True


def add_readiness_check(app: Flask, name: str, check: ReadinessCheck) -> None:
    """Make /ready check a backing service; each extension adds its own."""
    app.extensions.setdefault("readiness_checks", {})[name] = check


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ok", "degraded", "unavailable"]
    checks: dict[str, str] = Field(
        description='Each backing service: "ok", "unavailable", or why it cannot serve yet'
    )


# Probes are the most frequent requests, and this answer never changes: its bytes are encoded once.
_HEALTHY = Health().model_dump_json().encode()


@bp.get("/health")
@bp.output(Health)
def health() -> Response:
    """Liveness: the process serves requests. Touches no backing service."""
    return Response(_HEALTHY, mimetype="application/json")


@bp.get("/ready")
@bp.output(Readiness)
@bp.doc(responses={503: "A required backing service cannot serve; `checks` names it"})
def ready() -> tuple[Readiness, int]:
    """Readiness: every required backing service can serve; "degraded" if an optional one fails."""
    checks: dict[str, ReadinessCheck] = current_app.extensions.get("readiness_checks", {})
    running = {name: _probes.submit(check.probe) for name, check in checks.items()}
    report = {name: _result(name, future) for name, future in running.items()}
    failed = [name for name, result in report.items() if result != "ok"]
    if any(checks[name].required for name in failed):
        return Readiness(status="unavailable", checks=report), 503
    return Readiness(status="degraded" if failed else "ok", checks=report), 200


def _result(name: str, future: Future[None]) -> str:
    try:
        future.result(timeout=CHECK_TIMEOUT_SECONDS)
    except NotReadyError as error:
        logger.warning("readiness_check_failed", check=name, reason=str(error))
        return str(error)
    except Exception as error:  # noqa: BLE001 - whatever the failure, the service is not ready
        # Where the dependency's address is set: what an operator checks first.
        setting = f"{name.upper()}_URL"
        logger.warning("readiness_check_failed", check=name, error=repr(error), setting=setting)
        return "unavailable"
    return "ok"
