"""The app's engine, with the pool the DB_* settings describe."""

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy import create_engine as sqlalchemy_engine

from ..settings import Settings
from .urls import connect_arguments, sync_database_url


def create_engine(settings: Settings) -> Engine:
    """An engine on DATABASE_URL with the pool the DB_* settings describe."""
    url = sync_database_url(settings.database_url)
    timeout = settings.db_connect_timeout_seconds
    engine = sqlalchemy_engine(
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
        event.listen(engine, "connect", _enforce_foreign_keys)
    return engine


def _enforce_foreign_keys(connection: Any, _record: Any) -> None:
    """SQLite ignores foreign keys unless asked, per connection."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
