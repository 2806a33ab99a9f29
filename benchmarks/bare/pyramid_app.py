"""The bare Pyramid app that the generated Pyramid service is measured against.

What a developer would write by hand with no request ids, security headers, access log, metrics or
limits: `GET /health`, and `GET /api/v1/items/{id}` reading the same row of the same database as
the service, through the same blocking SQLAlchemy driver, with a pool of the same size. The
benchmark passes the database's URL in `BENCH_DATABASE_URL`; its driver is replaced by SQLAlchemy's
blocking default, as the service does.
"""

import os
from typing import Any

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPNotFound
from pyramid.request import Request
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

url = make_url(os.environ["BENCH_DATABASE_URL"])
engine = create_engine(url.set(drivername=url.get_backend_name()), pool_size=5, max_overflow=5)


def health(_request: Request) -> dict[str, str]:
    return {"status": "ok"}


def read_item(request: Request) -> dict[str, Any]:
    with engine.connect() as connection:
        result = connection.execute(
            text("SELECT id, name, description, created_at FROM items WHERE id = :id"),
            {"id": int(request.matchdict["item_id"])},
        )
        row = result.mappings().first()
    if row is None:
        raise HTTPNotFound("Item not found")
    return {**row, "created_at": str(row["created_at"])}


with Configurator() as config:
    config.add_route("health", "/health")
    config.add_view(health, route_name="health", request_method="GET", renderer="json")
    config.add_route("item", "/api/v1/items/{item_id}")
    config.add_view(read_item, route_name="item", request_method="GET", renderer="json")
app = config.make_wsgi_app()
