"""The app's async engine, opened with the app, and the session each request opens."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from tornado.web import Application, RequestHandler

from ..health import NotReadyError, ReadinessCheck
from ..settings import Settings
from .migrations import SchemaCheck
from .urls import async_database_url, connect_arguments

MIGRATIONS_PENDING = "migrations pending"


def create_engine(settings: Settings) -> AsyncEngine:
    """An engine on DATABASE_URL with the pool the DB_* settings describe."""
    url = async_database_url(settings.database_url)
    timeout = settings.db_connect_timeout_seconds
    engine = create_async_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        # A request waits no longer for a free connection than for a new one.
        pool_timeout=timeout,
        # A connection the database dropped (restart, idle timeout) is replaced, not handed out.
        pool_pre_ping=True,
        connect_args=connect_arguments(url, timeout),
    )
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _enforce_foreign_keys)
    return engine


def _enforce_foreign_keys(connection: Any, _record: Any) -> None:
    """SQLite ignores foreign keys unless asked, per connection."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@asynccontextmanager
async def open_database(app: Application) -> AsyncIterator[dict[str, ReadinessCheck]]:
    """Create the engine for the life of the app; the database is required to serve."""
    engine = create_engine(app.settings["config"])
    app.settings["sessionmaker"] = async_sessionmaker(engine, expire_on_commit=False)
    schema = SchemaCheck()

    async def probe() -> None:
        # Asked each time, so that a pod turns ready once the migration job has run.
        async with engine.connect() as connection:
            if not await connection.run_sync(schema.is_up_to_date):
                raise NotReadyError(MIGRATIONS_PENDING)

    try:
        yield {"database": ReadinessCheck(probe, required=True)}
    finally:
        await engine.dispose()


def open_session(handler: RequestHandler) -> AsyncSession:
    """A session for one request: `async with open_session(self) as session: ...`."""
    sessionmaker: async_sessionmaker[AsyncSession] = handler.settings["sessionmaker"]
    return sessionmaker()
