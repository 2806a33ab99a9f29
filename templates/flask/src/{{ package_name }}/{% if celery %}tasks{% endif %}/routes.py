"""The tasks API: enqueue work for the Celery worker and poll for its result.

Celery's client calls Redis with short timeouts of its own (worker.REDIS_TIMEOUT_SECONDS, one
quick retry), so a dead broker costs this request one 503, and holds one thread of one worker
for a few seconds, while the other threads go on serving.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

import structlog
from apiflask import APIBlueprint
from celery import states
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from ..errors import ServiceUnavailableError
from ..worker import add, celery_app
from .permissions import guarded
from .schemas import AddTask, TaskAccepted, TaskStatus

UNAVAILABLE = "The task queue is unavailable; try again later"
QUEUE_ERRORS = {503: "The task queue does not answer"}

logger = structlog.stdlib.get_logger(__name__)
bp = APIBlueprint("tasks", __name__, url_prefix="/api/v1/tasks", tag="tasks")


@contextmanager
def broker_errors() -> Iterator[None]:
    """ServiceUnavailableError if Redis fails or does not answer in time."""
    try:
        yield
    # RuntimeError: Celery's result store gave up reconnecting, when Redis is down.
    except (TimeoutError, OperationalError, RedisError, OSError, RuntimeError) as error:
        logger.warning("task_queue_unavailable", error=repr(error))
        raise ServiceUnavailableError(UNAVAILABLE) from None


@bp.post("/add")
@guarded(bp)
@bp.input(AddTask, arg_name="payload")
@bp.output(TaskAccepted, status_code=202)
@bp.doc(responses=QUEUE_ERRORS)
def enqueue_add(payload: AddTask) -> TaskAccepted:
    """Ask a worker to add `x` and `y`; poll the task for the sum."""
    with broker_errors():
        return TaskAccepted(task_id=add.delay(payload.x, payload.y).id)


# Only a UUID matches, so that GET /tasks/add is a 405 rather than a task id that is not a UUID.
@bp.get("/<uuid:task_id>")
@guarded(bp)
@bp.output(TaskStatus)
@bp.doc(responses=QUEUE_ERRORS)
def read_task(task_id: UUID) -> TaskStatus:
    """The state of a task; an unknown id is PENDING, as Celery cannot tell it from a queued one."""
    with broker_errors():
        result = celery_app.AsyncResult(str(task_id))
        state = result.state
        return TaskStatus(
            task_id=str(task_id),
            status=state,
            result=result.result if state == states.SUCCESS else None,
        )
