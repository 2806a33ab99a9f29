"""The tasks API: enqueue work for the Celery worker and poll for its result.

Every call to Redis goes through the app's Broker (broker.py): a Redis that does not answer costs
a 503, and holds at most a few threads for a few seconds, while the others go on serving.
"""

from typing import Any
from uuid import UUID

from celery import states
from pydantic import BaseModel, Field
from pyramid.request import Request
from pyramid.view import view_config

from ..worker import add, celery_app
from .broker import Broker
from .permissions import ACCESS_ERRORS, TaskQueue
from .schemas import AddTask, TaskAccepted, TaskStatus

ERRORS: dict[int, Any] = {**ACCESS_ERRORS, 503: "The task queue does not answer"}


class TaskPath(BaseModel):
    task_id: UUID = Field(description="The task's id, as enqueuing it answered")


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
    broker: Broker = request.registry["task_broker"]
    return broker.call(lambda: TaskAccepted(task_id=add.delay(payload.x, payload.y).id))


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

    broker: Broker = request.registry["task_broker"]
    return broker.call(read)
