"""Apply the Alembic migrations from Python, and tell whether a database has them all."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

# src/<package>/db/migrations.py: three levels up is the project root, which holds alembic.ini.
_PROJECT_ROOT = Path(__file__).resolve().parents[3]


def alembic_config(database_url: str | None = None) -> Config:
    """The project's Alembic configuration, migrating the database at `database_url`.

    alembic.ini is looked up in the project root of a source checkout, then in the working directory
    (an installed package run from the project directory, as in the container image).
    """
    for directory in (_PROJECT_ROOT, Path.cwd()):
        ini_file = directory / "alembic.ini"
        if ini_file.is_file():
            config = Config(ini_file)
            config.attributes["database_url"] = database_url
            return config
    raise FileNotFoundError(
        f"alembic.ini not found in {_PROJECT_ROOT} nor in {Path.cwd()};"
        " run from the project directory"
    )


def upgrade_database(database_url: str) -> None:
    """Bring the database at `database_url` to the latest migration."""
    command.upgrade(alembic_config(database_url), "head")


class SchemaCheck:
    """Whether a database holds every migration this code ships.

    A database at a revision this code does not know is newer, migrated for a release being rolled
    out: it counts as up to date, so that the pods of the previous release keep serving meanwhile.
    """

    def __init__(self) -> None:
        scripts = ScriptDirectory.from_config(alembic_config())
        self.heads = set(scripts.get_heads())
        self.known = {script.revision for script in scripts.walk_revisions()}

    def is_up_to_date(self, connection: Connection) -> bool:
        current = set(MigrationContext.configure(connection).get_current_heads())
        return current == self.heads or not current <= self.known
