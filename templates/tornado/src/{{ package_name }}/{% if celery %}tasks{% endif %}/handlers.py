"""The tasks API: enqueue work for the Celery worker and poll for its result.

Celery's client blocks, so each call to Redis runs in a thread of its own pool, and the request
gives up on it after BROKER_TIMEOUT_SECONDS: a dead broker costs one 503, never a stalled event
loop. A thread given up on ends by itself once Celery's own Redis timeouts expire.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from typing import TypeVar
from uuid import UUID

import structlog
from celery import states
from kombu.exceptions import OperationalError
from pydantic import BaseModel
from redis.exceptions import RedisError

from ..errors import ErrorDetail, ServiceUnavailableError
from ..handlers import BaseHandler
from ..openapi import Response, operation
from ..worker import add, celery_app
from .permissions import ACCESS_ERRORS, SECURED, check_access
from .schemas import AddTask, TaskAccepted, TaskStatus

BROKER_TIMEOUT_SECONDS = 4.0
UNAVAILABLE = "The task queue is unavailable; try again later"
UNAVAILABLE_RESPONSE: dict[int, Response] = {
    HTTPStatus.SERVICE_UNAVAILABLE: (ErrorDetail, "The task queue does not answer"),
}

Result = TypeVar("Result")

logger = structlog.stdlib.get_logger(__name__)
# Celery's calls to Redis, off the event loop; a few at a time, whatever the number of requests.
_broker_calls = ThreadPoolExecutor(max_workers=8, thread_name_prefix="celery-client")


class BrokerHandler(BaseHandler):
    """A handler whose requests talk to the broker, off the event loop and within a deadline."""

    async def call_broker(self, call: Callable[[], Result]) -> Result:
        """`call()` in a thread; ServiceUnavailableError if Redis fails or is too slow to answer."""
        future = asyncio.get_running_loop().run_in_executor(_broker_calls, call)
        try:
            return await asyncio.wait_for(future, BROKER_TIMEOUT_SECONDS)
        # RuntimeError: Celery's result store gave up reconnecting, when Redis is down.
        except (TimeoutError, OperationalError, RedisError, OSError, RuntimeError) as error:
            logger.warning("task_queue_unavailable", error=repr(error))
            raise ServiceUnavailableError(UNAVAILABLE) from None


class TaskPath(BaseModel):
    """The path parameters of /api/v1/tasks/{task_id}."""

    task_id: UUID


class AddTaskHandler(BrokerHandler):
    route = "/api/v1/tasks/add"

    @operation(
        "Ask a worker to add `x` and `y`; poll the task for the sum",
        tags=["tasks"],
        body=AddTask,
        responses={
            HTTPStatus.ACCEPTED: (TaskAccepted, "The task is queued"),
            **ACCESS_ERRORS,
            **UNAVAILABLE_RESPONSE,
        },
        secured=SECURED,
    )
    async def post(self) -> None:
        await check_access(self)
        payload = self.parse_body(AddTask)
        result = await self.call_broker(lambda: add.delay(payload.x, payload.y))
        self.respond(TaskAccepted(task_id=result.id), HTTPStatus.ACCEPTED)


class TaskHandler(BrokerHandler):
    route = "/api/v1/tasks/{task_id}"

    @operation(
        "The state of a task; an unknown id is PENDING, as Celery cannot tell it from a queued one",
        tags=["tasks"],
        path=TaskPath,
        responses={
            HTTPStatus.OK: (TaskStatus, "The task's state, and its result once done"),
            **ACCESS_ERRORS,
            **UNAVAILABLE_RESPONSE,
        },
        secured=SECURED,
    )
    async def get(self, task_id: str) -> None:
        await check_access(self)
        path = self.parse_path(TaskPath, task_id=task_id)

        def read() -> TaskStatus:
            result = celery_app.AsyncResult(str(path.task_id))
            state = result.state
            return TaskStatus(
                task_id=str(path.task_id),
                status=state,
                result=result.result if state == states.SUCCESS else None,
            )

        self.respond(await self.call_broker(read))


HANDLERS: list[type[BaseHandler]] = [AddTaskHandler, TaskHandler]
