"""Database access: the engine, one session per request joined to its transaction, migrations.

`request.dbsession` is the request's session. pyramid_tm begins a transaction for each request
and commits it once the view has returned, or aborts it when the view raised: views flush, they
never commit. pyramid_retry runs a request again when its transaction failed in a way that may
pass (a serialization failure, a deadlock).
"""

import transaction
import zope.sqlalchemy
from pyramid.config import Configurator
from pyramid.request import Request
from pyramid.response import Response
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import service_error, unexpected_error
from ..health import PROBES, NotReadyError, ReadinessCheck
from ..settings import Settings
from .migrations import SchemaCheck
from .session import create_engine, is_unavailable, unavailable

MIGRATIONS_PENDING = "migrations pending"
RETRY_ATTEMPTS = 3
_PROBE_PATHS = frozenset(PROBES.values())


def session_for(factory: sessionmaker[Session], manager: transaction.TransactionManager) -> Session:
    """A session whose commit and rollback follow the transaction `manager` runs."""
    session = factory()
    zope.sqlalchemy.register(session, transaction_manager=manager)
    return session


def request_session(request: Request) -> Session:
    factory: sessionmaker[Session] = request.registry["dbsession_factory"]
    return session_for(factory, request.tm)


def in_transaction(request: Request) -> bool:
    """The probes, the most frequent requests, use no session: they run outside of a transaction."""
    return request.path_info not in _PROBE_PATHS


def retry_attempts(request: Request) -> int | None:
    """RETRY_ATTEMPTS (None), or one attempt where another cannot be: for the probes, and for a
    body that is chunked or declared past MAX_BODY_BYTES. pyramid_retry copies a body aside to read
    it again, before the request tween may refuse it: it would read a body the tween would not."""
    if not in_transaction(request):
        return 1
    length = request.content_length
    if length is None:
        return 1 if "chunked" in request.headers.get("Transfer-Encoding", "").lower() else None
    settings: Settings = request.registry["settings"]
    return None if length <= settings.max_body_bytes else 1


def database_error(error: SQLAlchemyError, request: Request) -> Response:
    """A database that cannot answer now is a 503 with Retry-After; any other error stays a 500."""
    if not is_unavailable(error):
        return unexpected_error(error, request)
    return service_error(unavailable(error), request)


def includeme(config: Configurator) -> None:
    engine = create_engine(config.registry["settings"])
    config.registry["dbsession_factory"] = sessionmaker(engine, expire_on_commit=False)
    config.registry["closers"].append(engine.dispose)
    # An explicit manager per request, as pyramid_tm recommends, rather than the thread-local one.
    config.registry.settings["tm.manager_hook"] = "pyramid_tm.explicit_manager"
    config.registry.settings["tm.activate_hook"] = in_transaction
    # A transaction's user is a note for ZODB; looking it up would check the token a second time.
    config.registry.settings["tm.annotate_user"] = False
    config.include("pyramid_tm")
    # A transaction the database gave up on (a serialization failure, a deadlock) runs the request
    # again, 3 attempts in all; each attempt has its own access line.
    config.registry.settings["retry.attempts"] = RETRY_ATTEMPTS
    config.registry.settings["retry.activate_hook"] = retry_attempts
    config.include("pyramid_retry")
    config.add_request_method(request_session, "dbsession", reify=True)
    config.add_exception_view(database_error, context=SQLAlchemyError)
    schema = SchemaCheck()

    def probe() -> None:
        # Asked each time, so that a pod turns ready once the migration job has run.
        with engine.connect() as connection:
            if not schema.is_up_to_date(connection):
                raise NotReadyError(MIGRATIONS_PENDING)

    config.registry["readiness_checks"]["database"] = ReadinessCheck(probe, required=True)
