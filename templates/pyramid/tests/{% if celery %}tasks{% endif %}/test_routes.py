import uuid
from typing import Any

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from webtest import TestApp

TASKS = "/api/v1/tasks"


@pytest.fixture
def headers(client: TestApp, auth_headers: dict[str, str]) -> dict[str, str]:
    return auth_headers


def test_a_task_runs_and_its_result_is_read(client: TestApp, headers: dict[str, str]) -> None:
    accepted = client.post_json(f"{TASKS}/add", {"x": 2, "y": 3}, headers=headers, status=202)

    task = client.get(f"{TASKS}/{accepted.json['task_id']}", headers=headers).json

    assert task == {"task_id": accepted.json["task_id"], "status": "SUCCESS", "result": 5}


def test_an_unknown_task_is_pending(client: TestApp, headers: dict[str, str]) -> None:
    task_id = str(uuid.uuid4())

    assert client.get(f"{TASKS}/{task_id}", headers=headers).json["status"] == "PENDING"


def test_invalid_operands_and_ids_are_422(client: TestApp, headers: dict[str, str]) -> None:
    client.post_json(f"{TASKS}/add", {"x": "2", "y": 3}, headers=headers, status=422)
    client.get(f"{TASKS}/not-a-uuid", headers=headers, status=422)
    client.get(f"{TASKS}/add", headers=headers, status=405)


def test_a_broker_that_fails_is_a_503(
    client: TestApp, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise RedisConnectionError("refused")

    monkeypatch.setattr("celery.app.task.Task.delay", refuse)

    response = client.post_json(f"{TASKS}/add", {"x": 1, "y": 1}, headers=headers, status=503)

    assert response.json == {"detail": "The task queue is unavailable; try again later"}


def test_the_task_routes_are_documented(client: TestApp) -> None:
    paths = client.get("/openapi.json").json["paths"]

    assert "post" in paths[f"{TASKS}/add"]
    assert "get" in paths[TASKS + "/{task_id}"]
