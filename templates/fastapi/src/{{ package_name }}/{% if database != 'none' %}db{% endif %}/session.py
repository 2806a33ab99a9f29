"""The app's async engine, opened by the lifespan, and the session each request gets."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from ..health import ReadinessCheck
from .urls import async_database_url


def create_engine(database_url: str) -> AsyncEngine:
    engine = create_async_engine(async_database_url(database_url), pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _enforce_foreign_keys)
    return engine


def _enforce_foreign_keys(connection: Any, _record: Any) -> None:
    """SQLite ignores foreign keys unless asked, per connection."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@asynccontextmanager
async def open_database(app: FastAPI) -> AsyncIterator[ReadinessCheck]:
    """Create the engine on DATABASE_URL for the life of the app; yield the readiness check."""
    engine = create_engine(app.state.settings.database_url)
    app.state.sessionmaker = async_sessionmaker(engine, expire_on_commit=False)

    async def check() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    try:
        yield check
    finally:
        await engine.dispose()


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]
