"""The bare FastAPI app that the generated FastAPI service is measured against.

What a developer would write by hand with no request ids, security headers, access log, metrics or
limits: `GET /health`, and `GET /api/v1/items/{id}` reading the same row of the same database as
the service, through the same async SQLAlchemy driver, with a pool of the same size. The benchmark
passes the database's async URL in `BENCH_DATABASE_URL`.
"""

import os
from typing import Any

from fastapi import FastAPI, HTTPException
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

engine = create_async_engine(os.environ["BENCH_DATABASE_URL"], pool_size=5, max_overflow=5)
app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/v1/items/{item_id}")
async def read_item(item_id: int) -> dict[str, Any]:
    async with engine.connect() as connection:
        result = await connection.execute(
            text("SELECT id, name, description, created_at FROM items WHERE id = :id"), {"id": item_id}
        )
        row = result.mappings().first()
    if row is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return dict(row)
