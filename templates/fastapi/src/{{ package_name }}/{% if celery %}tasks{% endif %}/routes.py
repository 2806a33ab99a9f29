"""The tasks API: enqueue work for the Celery worker and poll for its result.

The handlers are plain functions, which FastAPI runs in a thread: Celery's client blocks.
"""

from uuid import UUID

from celery import states
from fastapi import APIRouter, status

from ..errors import MALFORMED_BODY, error_response
from ..worker import add, celery_app
from .schemas import AddTask, TaskAccepted, TaskStatus

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])


@router.post("/add", status_code=status.HTTP_202_ACCEPTED, responses=MALFORMED_BODY)
def enqueue_add(payload: AddTask) -> TaskAccepted:
    """Ask a worker to add `x` and `y`; poll the task for the sum."""
    result = add.delay(payload.x, payload.y)
    return TaskAccepted(task_id=result.id)


# Only a UUID matches, so that GET /tasks/add is a 405 rather than a task id that is not a UUID.
@router.get(
    "/{task_id:uuid}",
    responses={status.HTTP_404_NOT_FOUND: error_response("The task id is not a UUID")},
)
def read_task(task_id: UUID) -> TaskStatus:
    """The state of a task; an unknown id is PENDING, as Celery cannot tell it from a queued one."""
    result = celery_app.AsyncResult(str(task_id))
    state = result.state
    return TaskStatus(
        task_id=str(task_id),
        status=state,
        result=result.result if state == states.SUCCESS else None,
    )
