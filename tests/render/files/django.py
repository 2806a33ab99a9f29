"""The files of a Django project that are not shared with the other frameworks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ALWAYS = """
manage.py
src/<pkg>/__init__.py src/<pkg>/__main__.py src/<pkg>/api.py src/<pkg>/database.py src/<pkg>/errors.py
src/<pkg>/health.py src/<pkg>/log.py src/<pkg>/middleware.py src/<pkg>/readiness.py src/<pkg>/server.py
src/<pkg>/settings.py src/<pkg>/storage.py
src/<pkg>/config/__init__.py src/<pkg>/config/settings.py src/<pkg>/config/urls.py src/<pkg>/config/wsgi.py
src/<pkg>/items/__init__.py src/<pkg>/items/admin.py src/<pkg>/items/api.py src/<pkg>/items/apps.py
src/<pkg>/items/migrations/__init__.py src/<pkg>/items/migrations/0001_initial.py src/<pkg>/items/models.py
src/<pkg>/items/permissions.py src/<pkg>/items/reads.py src/<pkg>/items/schemas.py
tests/__init__.py tests/conftest.py tests/settings.py tests/fixtures/__init__.py tests/fixtures/auth.py
tests/items/__init__.py tests/items/test_api.py
tests/test_configuration.py tests/test_health.py tests/test_log.py tests/test_main.py tests/test_middleware.py
tests/test_server.py tests/test_settings.py tests/test_hosts.py tests/test_static.py
"""

WHEN: list[tuple[Callable[[dict[str, Any]], bool], str]] = [
    (
        lambda a: a["auth"] == "jwt",
        """
        src/<pkg>/auth/__init__.py src/<pkg>/auth/admin.py src/<pkg>/auth/api.py src/<pkg>/auth/apps.py
        src/<pkg>/auth/hashers.py src/<pkg>/auth/limiter.py src/<pkg>/auth/migrations/__init__.py
        src/<pkg>/auth/migrations/0001_initial.py src/<pkg>/auth/models.py src/<pkg>/auth/passwords.py
        src/<pkg>/auth/ratelimit.py
        src/<pkg>/auth/schemas.py src/<pkg>/auth/security.py src/<pkg>/auth/throttle.py src/<pkg>/auth/tokens.py
        tests/auth/__init__.py tests/auth/test_admin.py tests/auth/test_api.py tests/items/test_permissions.py
        """,
    ),
    (lambda a: a["metrics"], "src/<pkg>/metrics.py tests/test_metrics.py"),
    (lambda a: a["cache"], "src/<pkg>/items/cache.py tests/items/test_cache.py"),
    (
        lambda a: a["celery"],
        """
        src/<pkg>/worker.py src/<pkg>/tasks/__init__.py src/<pkg>/tasks/api.py src/<pkg>/tasks/permissions.py
        src/<pkg>/tasks/schemas.py
        tests/fixtures/celery.py tests/test_worker.py tests/test_worker_process.py
        tests/tasks/__init__.py tests/tasks/test_api.py
        """,
    ),
    (
        lambda a: a["celery"] or a["cache"],
        "src/<pkg>/redis_client.py tests/fixtures/redis.py tests/test_redis_client.py",
    ),
    (lambda a: a["auth"] == "jwt" and (a["celery"] or a["cache"]), "src/<pkg>/auth/sync_redis_ratelimit.py"),
    (
        lambda a: a["database"] == "postgresql",
        "src/<pkg>/postgresql/__init__.py src/<pkg>/postgresql/base.py tests/test_postgresql.py",
    ),
]
