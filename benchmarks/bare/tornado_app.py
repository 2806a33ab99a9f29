"""The bare Tornado app that the generated Tornado service is measured against.

What a developer would write by hand with no request ids, security headers, access log, metrics or
limits: `GET /health`, and `GET /api/v1/items/{id}` reading the same row of the same database as
the service, through the same async SQLAlchemy driver, with a pool of the same size, on the same
server (Tornado's HTTPServer, one process). The benchmark passes the database's async URL in
`BENCH_DATABASE_URL`, and the port as the one argument.
"""

import asyncio
import logging
import os
import sys
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from tornado.httpserver import HTTPServer
from tornado.web import Application, HTTPError, RequestHandler


class HealthHandler(RequestHandler):
    def get(self) -> None:
        self.write({"status": "ok"})


class ItemHandler(RequestHandler):
    def initialize(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def get(self, item_id: str) -> None:
        async with self.engine.connect() as connection:
            result = await connection.execute(
                text("SELECT id, name, description, created_at FROM items WHERE id = :id"), {"id": int(item_id)}
            )
            row = result.mappings().first()
        if row is None:
            raise HTTPError(404, reason="Item not found")
        item: dict[str, Any] = dict(row)
        item["created_at"] = str(item["created_at"])
        self.write(item)


async def main() -> None:
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    engine = create_async_engine(os.environ["BENCH_DATABASE_URL"], pool_size=5, max_overflow=5)
    app = Application([(r"/health", HealthHandler), (r"/api/v1/items/([0-9]+)", ItemHandler, {"engine": engine})])
    server = HTTPServer(app)
    server.listen(int(sys.argv[1]), "127.0.0.1")
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
