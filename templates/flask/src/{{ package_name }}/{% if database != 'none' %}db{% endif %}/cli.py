"""`flask db ...`: Alembic's commands on the app's database, under Flask-Migrate's names.

The same revisions as `alembic ...` runs, with the project's alembic.ini; the database is the app's
(DATABASE_URL).
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from flask import current_app
from flask.cli import AppGroup

from .migrations import alembic_config

db_cli = AppGroup("db", help="Migrate the database with Alembic (the project's alembic.ini).")


@contextmanager
def app_alembic_config() -> Iterator[Config]:
    """Alembic's configuration for the app's database; what Alembic refuses (a revision it does not
    know, changes no revision has) ends the command in one line, as `alembic` itself does."""
    config = alembic_config(current_app.config["DATABASE_URL"])
    # Alembic's default is the stdout of when it was imported; click's runners replace sys.stdout.
    config.stdout = sys.stdout
    try:
        yield config
    except CommandError as error:
        raise click.ClickException(str(error)) from None


@db_cli.command()
@click.argument("revision", default="head")
@click.option("--sql", is_flag=True, help="Print the SQL instead of running it.")
def upgrade(revision: str, sql: bool) -> None:
    """Upgrade the database to REVISION (the latest by default)."""
    with app_alembic_config() as config:
        command.upgrade(config, revision, sql=sql)


@db_cli.command()
@click.argument("revision", default="-1")
@click.option("--sql", is_flag=True, help="Print the SQL instead of running it.")
def downgrade(revision: str, sql: bool) -> None:
    """Downgrade the database to REVISION (the one before the current by default)."""
    with app_alembic_config() as config:
        command.downgrade(config, revision, sql=sql)


@db_cli.command()
@click.option("-m", "--message", help="What the revision changes.")
def migrate(message: str | None) -> None:
    """Write a revision from what the models changed (alembic revision --autogenerate)."""
    with app_alembic_config() as config:
        command.revision(config, message=message, autogenerate=True)


@db_cli.command()
def check() -> None:
    """Fail if the models hold changes that no revision has."""
    with app_alembic_config() as config:
        command.check(config)


@db_cli.command()
@click.option("-v", "--verbose", is_flag=True)
def current(verbose: bool) -> None:
    """Show the database's revision."""
    with app_alembic_config() as config:
        command.current(config, verbose=verbose)


@db_cli.command()
@click.option("-v", "--verbose", is_flag=True)
def history(verbose: bool) -> None:
    """List the revisions, newest first."""
    with app_alembic_config() as config:
        command.history(config, verbose=verbose)
