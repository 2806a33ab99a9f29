from typing import NoReturn

import pytest
from django.db.migrations.executor import MigrationExecutor
from django.test import Client


def test_health_touches_nothing(client: Client) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_when_the_database_is_at_its_latest_migration(client: Client) -> None:
    response = client.get("/ready")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["database"] == "ok"


def test_not_ready_while_migrations_are_pending(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda *_: [("items", "0002")])

    response = client.get("/ready")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"] == "migrations pending"


def test_not_ready_without_the_database(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> NoReturn:
        raise ConnectionError

    monkeypatch.setattr(MigrationExecutor, "__init__", refuse)

    response = client.get("/ready")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"


def test_probes_answer_get_only(client: Client) -> None:
    response = client.post("/health")

    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}
    assert "GET" in response["Allow"]
