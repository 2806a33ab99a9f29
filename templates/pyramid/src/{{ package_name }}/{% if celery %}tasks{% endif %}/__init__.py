"""Background tasks: enqueue work for the Celery worker and read its result."""

from pyramid.config import Configurator

from .broker import Broker
from .permissions import TaskQueue


def includeme(config: Configurator) -> None:
    config.registry["task_broker"] = Broker()
    config.add_route("add_task", "/api/v1/tasks/add", factory=TaskQueue)
    config.add_route("task", "/api/v1/tasks/{task_id}", factory=TaskQueue)
    config.scan(".views")
