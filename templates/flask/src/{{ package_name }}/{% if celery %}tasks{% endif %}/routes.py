"""The tasks API: enqueue work for the Celery worker and poll for its result.

Every call to Redis goes through the app's Broker (broker.py): a Redis that does not answer costs
a 503, and holds at most a few threads for a few seconds, while the others go on serving.
"""

from uuid import UUID

from apiflask import APIBlueprint
from celery import states
from flask import current_app
from flask.blueprints import BlueprintSetupState

from ..worker import add, celery_app
from .broker import Broker
from .permissions import guarded
from .schemas import AddTask, TaskAccepted, TaskStatus

QUEUE_ERRORS = {503: "The task queue does not answer"}

bp = APIBlueprint("tasks", __name__, url_prefix="/api/v1/tasks", tag="tasks")


@bp.record_once
def _open_broker(state: BlueprintSetupState) -> None:
    state.app.extensions["task_broker"] = Broker()


def broker() -> Broker:
    task_broker: Broker = current_app.extensions["task_broker"]
    return task_broker


@bp.post("/add")
@guarded(bp)
@bp.input(AddTask, arg_name="payload")
@bp.output(TaskAccepted, status_code=202)
@bp.doc(responses=QUEUE_ERRORS)
def enqueue_add(payload: AddTask) -> TaskAccepted:
    """Ask a worker to add `x` and `y`; poll the task for the sum."""
    return broker().call(lambda: TaskAccepted(task_id=add.delay(payload.x, payload.y).id))


# Only a UUID matches, so that GET /tasks/add is a 405 rather than a task id that is not a UUID.
@bp.get("/<uuid:task_id>")
@guarded(bp)
@bp.output(TaskStatus)
@bp.doc(responses=QUEUE_ERRORS)
def read_task(task_id: UUID) -> TaskStatus:
    """The state of a task; an unknown id is PENDING, as Celery cannot tell it from a queued one."""

    def read() -> TaskStatus:
        result = celery_app.AsyncResult(str(task_id))
        state = result.state
        return TaskStatus(
            task_id=str(task_id),
            status=state,
            result=result.result if state == states.SUCCESS else None,
        )

    return broker().call(read)
