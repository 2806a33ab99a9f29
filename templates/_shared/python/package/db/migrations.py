"""Apply the Alembic migrations from Python; the service does so at start-up in development."""

from pathlib import Path

from alembic import command
from alembic.config import Config

# src/<package>/db/migrations.py: three levels up is the project root, which holds alembic.ini.
_PROJECT_ROOT = Path(__file__).resolve().parents[3]


def alembic_config(database_url: str) -> Config:
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
