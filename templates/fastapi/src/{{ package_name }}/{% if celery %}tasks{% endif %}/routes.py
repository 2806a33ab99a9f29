"""The tasks API: enqueue work for the Celery worker and poll for its result.

Celery's client blocks, so each call to Redis runs in a thread, and the request gives up on it
after BROKER_TIMEOUT_SECONDS: a dead broker costs one 503, never a stalled event loop. A thread
given up on is abandoned, and ends by itself once Celery's own Redis timeouts expire. Those
threads are counted apart from AnyIO's shared pool, in which FastAPI runs every plain `def` route
and dependency: however long the broker hangs, no other route waits for a thread.
"""

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Annotated
from uuid import UUID

import anyio
import structlog
from celery import states
from fastapi import APIRouter, Body, Depends, FastAPI, Request, status
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from ..errors import MALFORMED_BODY, JSONBodyRoute, ServiceUnavailableError, error_response
from ..worker import add, celery_app
from .permissions import ACCESS, ACCESS_ERRORS
from .schemas import AddTask, TaskAccepted, TaskStatus

BROKER_TIMEOUT_SECONDS = 4.0
# Threads of each process that may wait on the broker at once; more requests wait for one, within
# the same deadline.
BROKER_THREADS = 8
UNAVAILABLE = "The task queue is unavailable; try again later"


@asynccontextmanager
async def open_broker_threads(app: FastAPI) -> AsyncIterator[None]:
    """The limit on broker threads, made in the app's event loop, which it belongs to."""
    app.state.broker_threads = anyio.CapacityLimiter(BROKER_THREADS)
    yield


async def broker_threads(request: Request) -> anyio.CapacityLimiter:
    limiter: anyio.CapacityLimiter = request.app.state.broker_threads
    return limiter


BrokerThreads = Annotated[anyio.CapacityLimiter, Depends(broker_threads)]

logger = structlog.stdlib.get_logger(__name__)
router = APIRouter(
    prefix="/api/v1/tasks",
    lifespan=open_broker_threads,
    route_class=JSONBodyRoute,
    tags=["tasks"],
    dependencies=ACCESS,
    responses={
        **ACCESS_ERRORS,
        status.HTTP_503_SERVICE_UNAVAILABLE: error_response("The task queue does not answer"),
    },
)


@contextmanager
def broker_deadline() -> Iterator[None]:
    """ServiceUnavailableError if Redis fails, or takes longer than BROKER_TIMEOUT_SECONDS."""
    try:
        with anyio.fail_after(BROKER_TIMEOUT_SECONDS):
            yield
    # RuntimeError: Celery's result store gave up reconnecting, when Redis is down.
    except (TimeoutError, OperationalError, RedisError, OSError, RuntimeError) as error:
        logger.warning("task_queue_unavailable", error=repr(error))
        raise ServiceUnavailableError(UNAVAILABLE) from None


# Shown by the documentation pages, ready to send.
_ADDITION_EXAMPLES = {"addition": {"summary": "2 + 3.5", "value": {"x": 2, "y": 3.5}}}


@router.post("/add", status_code=status.HTTP_202_ACCEPTED, responses=MALFORMED_BODY)
async def enqueue_add(
    payload: Annotated[AddTask, Body(openapi_examples=_ADDITION_EXAMPLES)], threads: BrokerThreads
) -> TaskAccepted:
    """Ask a worker to add `x` and `y`; poll the task for the sum."""

    def enqueue() -> TaskAccepted:
        return TaskAccepted(task_id=add.delay(payload.x, payload.y).id)

    with broker_deadline():
        return await anyio.to_thread.run_sync(enqueue, abandon_on_cancel=True, limiter=threads)


# Only a UUID matches, so that GET /tasks/add is a 405 rather than a task id that is not a UUID.
@router.get(
    "/{task_id:uuid}",
    responses={status.HTTP_404_NOT_FOUND: error_response("The task id is not a UUID")},
)
async def read_task(task_id: UUID, threads: BrokerThreads) -> TaskStatus:
    """The state of a task; an unknown id is PENDING, as Celery cannot tell it from a queued one."""

    def read() -> TaskStatus:
        result = celery_app.AsyncResult(str(task_id))
        state = result.state
        return TaskStatus(
            task_id=str(task_id),
            status=state,
            result=result.result if state == states.SUCCESS else None,
        )

    with broker_deadline():
        return await anyio.to_thread.run_sync(read, abandon_on_cancel=True, limiter=threads)
