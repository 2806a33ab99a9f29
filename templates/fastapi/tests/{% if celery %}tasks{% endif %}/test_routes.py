import uuid

import pytest
from fastapi.testclient import TestClient


def test_add_runs_in_the_background_and_reports_its_result(client: TestClient) -> None:
    response = client.post("/api/v1/tasks/add", json={"x": 2, "y": 3.5})

    assert response.status_code == 202
    task_id = response.json()["task_id"]
    task = client.get(f"/api/v1/tasks/{task_id}").json()
    assert task == {"task_id": task_id, "status": "SUCCESS", "result": 5.5}


def test_an_unknown_task_is_pending(client: TestClient) -> None:
    task_id = str(uuid.uuid4())

    response = client.get(f"/api/v1/tasks/{task_id}")

    assert response.status_code == 200
    assert response.json() == {"task_id": task_id, "status": "PENDING", "result": None}


@pytest.mark.parametrize(
    "body",
    [{"x": 1}, {"x": "one", "y": 2}, {"x": "1", "y": 2}, {"x": True, "y": 2}, {"x": 1e301, "y": 1}],
)
def test_invalid_operands_are_refused(client: TestClient, body: dict[str, object]) -> None:
    assert client.post("/api/v1/tasks/add", json=body).status_code == 422


def test_a_task_id_is_a_uuid(client: TestClient) -> None:
    assert client.get("/api/v1/tasks/not-a-uuid").status_code == 404


def test_add_is_not_a_task_id(client: TestClient) -> None:
    response = client.get("/api/v1/tasks/add")

    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
