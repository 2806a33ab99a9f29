"""Django's PostgreSQL backend (psycopg 3 and its pool), with a pool check that sweeps.

A restart or a failover of the database drops every connection at once. psycopg's pool, checking
each connection before it hands it out, would find the dead ones one at a time, waiting longer
before each next try (1 s, 2 s, 4 s...), so that a request could wait out DB_CONNECT_TIMEOUT_SECONDS
and fail. Here, once one connection is found dead, every idle one is checked at once: the request
waits only for a new connection.
"""

from typing import Any

import psycopg
import structlog
from django.db.backends.postgresql import base
from psycopg_pool import ConnectionPool

logger = structlog.stdlib.get_logger(__name__)


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def pool(self) -> ConnectionPool | None:
        pool: ConnectionPool | None = super().pool
        # Django builds the pool with its own check (CONN_HEALTH_CHECKS) and takes no other.
        if pool is not None and pool._check is ConnectionPool.check_connection:
            pool._check = _sweeping_check(pool)
        return pool


def _sweeping_check(pool: ConnectionPool) -> Any:
    def check(connection: psycopg.Connection[Any]) -> None:
        try:
            ConnectionPool.check_connection(connection)
        except psycopg.Error as error:
            logger.warning("database_connection_lost", error=repr(error))
            pool.check()
            raise

    return check
