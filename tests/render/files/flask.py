"""The files of a Flask project that are not shared with the other frameworks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ALWAYS = """
src/<pkg>/__init__.py src/<pkg>/__main__.py src/<pkg>/api.py src/<pkg>/app.py src/<pkg>/errors.py
src/<pkg>/health.py src/<pkg>/log.py src/<pkg>/middleware.py src/<pkg>/server.py src/<pkg>/settings.py
tests/__init__.py tests/conftest.py tests/fixtures/__init__.py tests/fixtures/app.py tests/fixtures/auth.py
tests/test_app.py tests/test_configuration.py tests/test_log.py tests/test_main.py tests/test_server.py
tests/test_settings.py .flaskenv
"""

WHEN: list[tuple[Callable[[dict[str, Any]], bool], str]] = [
    (
        lambda a: a["database"] != "none",
        """
        alembic.ini migrations/env.py migrations/script.py.mako migrations/versions/0001_initial.py
        src/<pkg>/db/__init__.py src/<pkg>/db/base.py src/<pkg>/db/migrations.py src/<pkg>/db/session.py
        src/<pkg>/db/urls.py src/<pkg>/text.py
        src/<pkg>/items/__init__.py src/<pkg>/items/dependencies.py src/<pkg>/items/models.py
        src/<pkg>/items/permissions.py src/<pkg>/items/routes.py src/<pkg>/items/schemas.py src/<pkg>/items/service.py
        tests/fixtures/database.py tests/db/__init__.py tests/db/test_base.py tests/db/test_migrations.py
        tests/db/test_session.py tests/db/test_urls.py tests/db/test_cli.py
        tests/items/__init__.py tests/items/test_routes.py
        """,
    ),
    # Flask-Migrate's `flask db`, or the project's own over Alembic.
    (lambda a: a["database"] != "none" and a.get("orm") == "sqlalchemy", "src/<pkg>/db/cli.py"),
    (lambda a: a.get("orm") == "flask-sqlalchemy", "src/<pkg>/extensions.py"),
    (lambda a: a["celery"] and a.get("orm") == "flask-sqlalchemy", "tests/test_worker_session.py"),
    (
        lambda a: a["auth"] == "jwt",
        """
        src/<pkg>/auth/__init__.py src/<pkg>/auth/models.py src/<pkg>/auth/routes.py src/<pkg>/auth/schemas.py
        src/<pkg>/auth/passwords.py src/<pkg>/auth/security.py src/<pkg>/auth/service.py
        src/<pkg>/auth/ratelimit.py src/<pkg>/auth/throttle.py src/<pkg>/auth/tokens.py
        tests/auth/__init__.py tests/auth/test_routes.py tests/auth/test_passwords.py
        tests/auth/test_ratelimit.py tests/auth/test_tokens.py
        """,
    ),
    (
        lambda a: a["auth"] == "jwt" and (a["celery"] or a["cache"]),
        "src/<pkg>/auth/sync_redis_ratelimit.py tests/auth/test_sync_redis_ratelimit.py",
    ),
    (lambda a: a["database"] != "none" and a["auth"] == "jwt", "tests/items/test_permissions.py"),
    (lambda a: a["cache"], "src/<pkg>/items/cache.py tests/items/test_cache.py"),
    (
        lambda a: a["celery"],
        """
        src/<pkg>/worker.py src/<pkg>/tasks/__init__.py src/<pkg>/tasks/broker.py src/<pkg>/tasks/permissions.py
        src/<pkg>/tasks/routes.py src/<pkg>/tasks/schemas.py
        tests/fixtures/celery.py tests/test_worker.py tests/test_worker_process.py tests/test_worker_app.py
        tests/tasks/__init__.py tests/tasks/test_broker.py tests/tasks/test_routes.py
        """,
    ),
    (
        lambda a: a["celery"] or a["cache"],
        "src/<pkg>/redis_client.py tests/fixtures/redis.py tests/test_redis_client.py",
    ),
    (lambda a: a["celery"] and a["auth"] == "jwt", "tests/tasks/test_permissions.py"),
    (lambda a: a["metrics"], "src/<pkg>/metrics.py tests/test_metrics.py"),
]
