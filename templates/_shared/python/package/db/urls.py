"""DATABASE_URL normalisation: a plain URL gets the driver each side needs.

`postgresql://`, `mysql://` or `sqlite://` URLs (and `postgres://`, `mariadb://`) are accepted;
any driver given in the URL is replaced by the one this project installs, asynchronous for the
app and synchronous for Alembic.
"""

from sqlalchemy.engine import URL, make_url

_ASYNC_DRIVERS = {
    "postgresql": "psycopg",
    "mysql": "aiomysql",
    "mariadb": "aiomysql",
    "sqlite": "aiosqlite",
}
_SYNC_DRIVERS = {
    "postgresql": "psycopg",
    "mysql": "pymysql",
    "mariadb": "pymysql",
    "sqlite": "pysqlite",
}
_BACKEND_ALIASES = {"postgres": "postgresql"}


def async_database_url(url: str) -> URL:
    """The URL with the asyncio driver the app uses."""
    return _with_driver(url, _ASYNC_DRIVERS)


def sync_database_url(url: str) -> URL:
    """The URL with the blocking driver Alembic uses."""
    return _with_driver(url, _SYNC_DRIVERS)


def _with_driver(url: str, drivers: dict[str, str]) -> URL:
    parsed = make_url(url)
    backend = parsed.drivername.partition("+")[0]
    backend = _BACKEND_ALIASES.get(backend, backend)
    if backend not in drivers:
        supported = ", ".join(sorted(drivers))
        raise ValueError(
            f"unsupported database {backend!r} in DATABASE_URL; use one of {supported}"
        )
    parsed = parsed.set(drivername=f"{backend}+{drivers[backend]}")
    if backend in {"mysql", "mariadb"} and "charset" not in parsed.query:
        # Four-byte UTF-8 (emoji and more), which MySQL's legacy "utf8" cannot store.
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    return parsed
