"""The tasks API: enqueue work for the Celery worker and poll for its result.

Celery's client blocks, so each call to Redis runs in a thread of its own, and the request gives
up on it after BROKER_TIMEOUT_SECONDS: a dead broker costs one 503, never a request thread held
for Celery's retries. A thread given up on is abandoned, and ends by itself once Celery's own
Redis timeouts expire.
"""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import structlog
from celery import states
from kombu.exceptions import OperationalError
from pydantic import BaseModel, Field
from pyramid.request import Request
from pyramid.view import view_config
from redis.exceptions import RedisError

from ..errors import ServiceUnavailableError
from ..worker import add, celery_app
from .permissions import ACCESS_ERRORS, TaskQueue
from .schemas import AddTask, TaskAccepted, TaskStatus

BROKER_TIMEOUT_SECONDS = 4.0
UNAVAILABLE = "The task queue is unavailable; try again later"
ERRORS: dict[int, Any] = {**ACCESS_ERRORS, 503: "The task queue does not answer"}

logger = structlog.stdlib.get_logger(__name__)
_broker_calls = ThreadPoolExecutor(max_workers=8, thread_name_prefix="task-queue")


class TaskPath(BaseModel):
    task_id: UUID = Field(description="The task's id, as enqueuing it answered")


@contextmanager
def broker_deadline() -> Iterator[None]:
    """ServiceUnavailableError if Redis fails, or takes longer than BROKER_TIMEOUT_SECONDS."""
    try:
        yield
    # RuntimeError: Celery's result store gave up reconnecting, when Redis is down.
    except (FutureTimeoutError, OperationalError, RedisError, OSError, RuntimeError) as error:
        logger.warning("task_queue_unavailable", error=repr(error))
        raise ServiceUnavailableError(UNAVAILABLE) from None


@view_config(
    route_name="add_task",
    request_method="POST",
    renderer="json",
    permission="use",
    body=AddTask,
    status=202,
    responses={202: TaskAccepted, **ERRORS},
    tags=["tasks"],
)
def enqueue_add(_context: TaskQueue, request: Request) -> TaskAccepted:
    """Ask a worker to add `x` and `y`; poll the task for the sum."""
    payload: AddTask = request.validated
    sent = _broker_calls.submit(lambda: TaskAccepted(task_id=add.delay(payload.x, payload.y).id))
    with broker_deadline():
        return sent.result(timeout=BROKER_TIMEOUT_SECONDS)


@view_config(
    route_name="task",
    request_method="GET",
    renderer="json",
    permission="use",
    path=TaskPath,
    responses={200: TaskStatus, **ERRORS},
    tags=["tasks"],
)
def read_task(_context: TaskQueue, request: Request) -> TaskStatus:
    """The state of a task; an unknown id is PENDING, as Celery cannot tell it from a queued one."""
    task_id = str(request.validated_path.task_id)

    def read() -> TaskStatus:
        result = celery_app.AsyncResult(task_id)
        state = result.state
        return TaskStatus(
            task_id=task_id,
            status=state,
            result=result.result if state == states.SUCCESS else None,
        )

    found = _broker_calls.submit(read)
    with broker_deadline():
        return found.result(timeout=BROKER_TIMEOUT_SECONDS)
