"""The bare Flask app that the generated Flask service is measured against.

What a developer would write by hand with no request ids, security headers, access log, metrics or
limits: `GET /health`, and `GET /api/v1/items/<id>` reading the same row of the same database as
the service, through the same SQLAlchemy driver, with a pool of the same size. It reads the
database's plain URL from `DATABASE_URL`, and is served by waitress as the service is (one process
of 8 threads).
"""

import os
from typing import Any

from flask import Flask, abort
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["DATABASE_URL"], pool_size=5, max_overflow=5)
app = Flask(__name__)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/v1/items/<int:item_id>")
def read_item(item_id: int) -> dict[str, Any]:
    with engine.connect() as connection:
        result = connection.execute(
            text("SELECT id, name, description, created_at FROM items WHERE id = :id"), {"id": item_id}
        )
        row = result.mappings().first()
    if row is None:
        abort(404)
    return dict(row)
