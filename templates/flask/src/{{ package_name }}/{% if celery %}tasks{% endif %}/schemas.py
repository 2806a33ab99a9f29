"""Request and response bodies of the tasks API."""

from typing import Annotated, Any

from pydantic import BaseModel, Field

# A JSON number (not a string or a boolean), finite and bounded so that the sum is one too.
Operand = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-1e300, le=1e300)]


class AddTask(BaseModel):
    x: Operand
    y: Operand


class TaskAccepted(BaseModel):
    task_id: str


class TaskStatus(BaseModel):
    task_id: str
    status: str = Field(
        description="Celery's state: PENDING, STARTED, SUCCESS, FAILURE, RETRY or REVOKED"
    )
    result: Any = Field(default=None, description="The return value, once the task has succeeded")
