"""`flask db ...`: Alembic's commands on the app's database, under Flask-Migrate's names.

The same revisions as `alembic ...` runs, with the project's alembic.ini; the database is the app's
(DATABASE_URL).
"""

import sys

import click
from alembic import command
from alembic.config import Config
from flask import current_app
from flask.cli import AppGroup

from .migrations import alembic_config

db_cli = AppGroup("db", help="Migrate the database with Alembic (the project's alembic.ini).")


def app_alembic_config() -> Config:
    config = alembic_config(current_app.config["DATABASE_URL"])
    # Alembic's default is the stdout of when it was imported; click's runners replace sys.stdout.
    config.stdout = sys.stdout
    return config


@db_cli.command()
@click.argument("revision", default="head")
@click.option("--sql", is_flag=True, help="Print the SQL instead of running it.")
def upgrade(revision: str, sql: bool) -> None:
    """Upgrade the database to REVISION (the latest by default)."""
    command.upgrade(app_alembic_config(), revision, sql=sql)


@db_cli.command()
@click.argument("revision", default="-1")
@click.option("--sql", is_flag=True, help="Print the SQL instead of running it.")
def downgrade(revision: str, sql: bool) -> None:
    """Downgrade the database to REVISION (the one before the current by default)."""
    command.downgrade(app_alembic_config(), revision, sql=sql)


@db_cli.command()
@click.option("-m", "--message", help="What the revision changes.")
def migrate(message: str | None) -> None:
    """Write a revision from what the models changed (alembic revision --autogenerate)."""
    command.revision(app_alembic_config(), message=message, autogenerate=True)


@db_cli.command()
def check() -> None:
    """Fail if the models hold changes that no revision has."""
    command.check(app_alembic_config())


@db_cli.command()
@click.option("-v", "--verbose", is_flag=True)
def current(verbose: bool) -> None:
    """Show the database's revision."""
    command.current(app_alembic_config(), verbose=verbose)


@db_cli.command()
@click.option("-v", "--verbose", is_flag=True)
def history(verbose: bool) -> None:
    """List the revisions, newest first."""
    command.history(app_alembic_config(), verbose=verbose)
