"""The bare Django app that the generated Django service is measured against.

What a developer would write by hand with no request ids, security headers, access log, metrics or
limits: `GET /health`, and `GET /api/v1/items/{id}` reading the same row of the same SQLite database
as the service, through Django's own database layer. Served by waitress with the same thread count
as the service's `python -m` (one process of 8 threads). The benchmark passes the database's
URL in `BENCH_DATABASE_URL` (its async form, whose path is all this app needs).
"""

import os
from typing import Any

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="bare-benchmark-app",  # noqa: S106 - a throwaway app
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ["BENCH_DATABASE_URL"].split(":///", 1)[1],
            "CONN_MAX_AGE": 60,
        }
    },
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
)


def health(_request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def read_item(_request: HttpRequest, item_id: int) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name, description, created_at FROM items WHERE id = %s", [item_id])
        row: Any = cursor.fetchone()
    if row is None:
        return JsonResponse({"detail": "Item not found"}, status=404)
    return JsonResponse(dict(zip(("id", "name", "description", "created_at"), row, strict=True)))


urlpatterns = [path("health", health), path("api/v1/items/<int:item_id>", read_item)]
application = get_wsgi_application()
