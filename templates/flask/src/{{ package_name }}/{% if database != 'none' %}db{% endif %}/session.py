"""The app's engine, and the session of each request, closed when the request ends."""

from typing import Any

from apiflask import APIFlask
from flask import current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from ..health import NotReadyError, ReadinessCheck, add_readiness_check
from ..settings import Settings
from .migrations import SchemaCheck
from .urls import connect_arguments, sync_database_url

MIGRATIONS_PENDING = "migrations pending"


def create_database_engine(settings: Settings) -> Engine:
    """An engine on DATABASE_URL with the pool the DB_* settings describe."""
    url = sync_database_url(settings.database_url)
    timeout = settings.db_connect_timeout_seconds
    engine = create_engine(
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


def init_database(app: APIFlask) -> None:
    """The engine of the app; the database is required to serve."""
    engine = create_database_engine(app.extensions["settings"])
    app.extensions["database_engine"] = engine
    app.extensions["database"] = sessionmaker(engine, expire_on_commit=False)
    schema = SchemaCheck()

    def probe() -> None:
        # Asked each time, so that a pod turns ready once the migration job has run.
        with engine.connect() as connection:
            if not schema.is_up_to_date(connection):
                raise NotReadyError(MIGRATIONS_PENDING)

    add_readiness_check(app, "database", ReadinessCheck(probe, required=True))
    app.teardown_appcontext(close_session)


def get_session() -> Session:
    """The session of the current request, opened on first use."""
    if "db_session" not in g:
        factory: sessionmaker[Session] = current_app.extensions["database"]
        g.db_session = factory()
    session: Session = g.db_session
    return session


def close_session(_error: BaseException | None = None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()
