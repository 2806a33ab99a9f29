"""The tasks API: enqueue work for the Celery worker and poll for its result.

Celery's client blocks, so each call to Redis runs in a thread of a small pool, and the request
gives up on it after BROKER_TIMEOUT_SECONDS: a dead broker costs one 503, never a server thread
held for Celery's own retries. A call given up on ends by itself once Celery's Redis timeouts
expire. Once a call has failed, the next ones answer 503 at once for BROKER_REST_SECONDS: without
that, during an outage 30 task requests at once would hold the server's threads in turns, each
for BROKER_TIMEOUT_SECONDS, and the last would wait 20 s for its 503.
"""

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from typing import TypeVar
from uuid import UUID

import structlog
from celery import states
from django.http import HttpRequest
from kombu.exceptions import OperationalError
from ninja import Router, Status
from redis.exceptions import RedisError

from ..errors import INVALID, ErrorDetail, ServiceUnavailableError
from ..worker import add, celery_app
from .permissions import ACCESS, ACCESS_ERRORS
from .schemas import AddTask, TaskAccepted, TaskStatus

BROKER_TIMEOUT_SECONDS = 4.0
BROKER_REST_SECONDS = 5.0
UNAVAILABLE = "The task queue is unavailable; try again later"
T = TypeVar("T")

logger = structlog.stdlib.get_logger(__name__)
router = Router(tags=["tasks"], auth=ACCESS)
_broker_calls = ThreadPoolExecutor(max_workers=4, thread_name_prefix="task-queue")
UNAVAILABLE_RESPONSE = {503: ErrorDetail, **ACCESS_ERRORS}


class BrokerFailure:
    """When a broker call last failed."""

    def __init__(self) -> None:
        self.at = -BROKER_REST_SECONDS

    def is_recent(self) -> bool:
        return time.monotonic() - self.at < BROKER_REST_SECONDS


last_failure = BrokerFailure()


def within_deadline(call: Callable[[], T]) -> T:
    """ServiceUnavailableError if Redis fails, or takes longer than BROKER_TIMEOUT_SECONDS, or
    failed less than BROKER_REST_SECONDS ago."""
    if last_failure.is_recent():
        raise ServiceUnavailableError(UNAVAILABLE)
    try:
        return _broker_calls.submit(call).result(timeout=BROKER_TIMEOUT_SECONDS)
    # RuntimeError: Celery's result store gave up reconnecting, when Redis is down.
    except (FutureTimeoutError, OperationalError, RedisError, OSError, RuntimeError) as error:
        last_failure.at = time.monotonic()
        logger.warning("task_queue_unavailable", error=repr(error))
        raise ServiceUnavailableError(UNAVAILABLE) from None


@router.post("/add", response={202: TaskAccepted, **UNAVAILABLE_RESPONSE, **INVALID})
def enqueue_add(request: HttpRequest, payload: AddTask) -> Status[TaskAccepted]:
    """Ask a worker to add `x` and `y`; poll the task for the sum."""
    task_id = within_deadline(lambda: add.delay(payload.x, payload.y).id)
    return Status(202, TaskAccepted(task_id=task_id))


# Only a UUID matches, so that GET /tasks/add is a 405 rather than a task id that is not a UUID.
@router.get(
    "/{uuid:task_id}",
    response={200: TaskStatus, 404: ErrorDetail, **UNAVAILABLE_RESPONSE, **INVALID},
)
def read_task(request: HttpRequest, task_id: UUID) -> TaskStatus:
    """The state of a task; an unknown id is PENDING, as Celery cannot tell it from a queued one."""

    def read() -> TaskStatus:
        result = celery_app.AsyncResult(str(task_id))
        state = result.state
        return TaskStatus(
            task_id=str(task_id),
            status=state,
            result=result.result if state == states.SUCCESS else None,
        )

    return within_deadline(read)
