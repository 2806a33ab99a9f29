"""`add resource` on Tornado: a project with `author` and `book` (which refers to an author and to a user) holds
what a user reads of each resource: its handlers, its tests, and the lines that register it in the app.

The project is made and the resources added through the CLI from this checkout. The project's own tools (its ruff,
Alembic's autogenerate) need its virtual environment, so they are recorded instead of run here: the e2e tier and
the generated project's own checks run them.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pybackend import resources
from pybackend.cli import cli
from pybackend.errors import ExitCode

pytestmark = pytest.mark.render

NAME = "shop"
IDENTITY = ["-c", "user.name=Shop Developer", "-c", "user.email=dev@shop.example"]
BOOK_FIELDS = ["title:str", "published:date", "pages:int?", "author:ref:author", "reader:ref:user?", "price:decimal?"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    work = tmp_path_factory.mktemp("tornado-resources")
    path = work / NAME
    tools: list[tuple[str, ...]] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(resources, "_run", lambda _project, _env, *args: tools.append(args))
        patch.setattr(resources, "write_migration", _revision)
        new = ["new", NAME, "-y", "--framework", "tornado", "--database", "postgresql", "--auth", "jwt", "--cache"]
        _invoke([*new, "--no-lock", "--output-dir", str(work)])
        for name, fields in (("author", ["name:str:unique"]), ("book", BOOK_FIELDS)):
            _invoke(["add", "resource", name, *fields, "--project", str(path), "--no-lock"])
            subprocess.run(["git", "add", "--all"], cwd=path, check=True)
            subprocess.run(["git", *IDENTITY, "commit", "-q", "-m", f"Add {name}"], cwd=path, check=True)
    assert [args[:2] for args in tools] == [("ruff", "check"), ("ruff", "format")] * 2
    yield path


def _invoke(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output


def _revision(project: Path, message: str) -> Path:
    """Where Alembic would write the revision: a stand-in, so that the commit holds one file per resource."""
    path = project / "migrations" / "versions" / f"{message.replace(' ', '_')}.py"
    path.write_text(f'"""{message}"""\n')
    return path


def _read(project: Path, relative: str) -> str:
    return (project / relative).read_text()


def test_each_resource_has_its_package_and_tests(project: Path) -> None:
    for name in ("author", "book"):
        package = {path.name for path in (project / "src" / NAME / name).iterdir()}
        tests = {path.name for path in (project / "tests" / name).iterdir()}
        assert package >= {"handlers.py", "models.py", "schemas.py", "service.py", "permissions.py", "cache.py"}
        assert package >= {"provider.py", "__init__.py"}
        assert tests >= {"__init__.py", "test_routes.py", "test_permissions.py", "test_cache.py"}
    assert (project / "tests" / "fixtures" / "resources.py").is_file()


def test_the_handlers_serve_the_plural_route(project: Path) -> None:
    handlers = _read(project, f"src/{NAME}/book/handlers.py")

    assert 'route = "/api/v1/books"' in handlers
    assert 'route = "/api/v1/books/{book_id}"' in handlers
    assert "HANDLERS: list[type[BaseHandler]] = [BooksHandler, BookHandler]" in handlers
    assert "self.respond(created, HTTPStatus.CREATED)" in handlers
    assert "self.set_status(HTTPStatus.NO_CONTENT)" in handlers
    compile(handlers, "handlers.py", "exec")


def test_references_and_owners_are_checked(project: Path) -> None:
    models = _read(project, f"src/{NAME}/book/models.py")
    service = _read(project, f"src/{NAME}/book/service.py")
    permissions = _read(project, f"src/{NAME}/book/permissions.py")

    assert 'ForeignKey("authors.id")' in models
    assert 'ForeignKey("users.id", ondelete="SET NULL")' in models
    assert "from ..author.models import Author" in service
    assert "from ..auth.models import User" in service
    assert "signed_in_user(handler, books.session)" in permissions
    assert "Only the owner of a book may change or delete it" in permissions


def test_the_app_registers_each_resource_and_its_cache(project: Path) -> None:
    routes = _read(project, f"src/{NAME}/routes.py")
    backing = _read(project, f"src/{NAME}/resources.py")

    assert "from .author import handlers as author" in routes
    assert "from .book import handlers as book" in routes
    assert routes.index("*items.HANDLERS,") < routes.index("*author.HANDLERS,") < routes.index("*book.HANDLERS,")
    assert "from .book.cache import open_book_cache" in backing
    assert "checks.update(await connections.enter_async_context(open_book_cache(app)))" in backing


def test_the_tests_use_the_tornado_client(project: Path) -> None:
    routes = _read(project, "tests/book/test_routes.py")
    permissions = _read(project, "tests/book/test_permissions.py")
    fixtures = _read(project, "tests/fixtures/resources.py")

    assert "from tests.fixtures.app import Client" in routes
    assert "fastapi" not in routes + permissions + fixtures
    assert 'RESOURCE = "book"' in routes
    assert '"author_id": ("ref", "author")' in fixtures
    assert '"reader_id": ("ref", "user")' in fixtures


def test_migrations_see_the_resources_models(project: Path) -> None:
    env = _read(project, "migrations/env.py")

    assert f"import {NAME}.author.models" in env
    assert f"import {NAME}.book.models" in env


def test_the_resources_are_recorded(project: Path) -> None:
    answers: Any = _read(project, ".copier-answers.yml")

    assert "name: author" in answers
    assert "plural: books" in answers


@pytest.mark.parametrize("name", ["routes", "handlers", "websocket"])
def test_a_resource_may_not_take_the_name_of_a_tornado_module(project: Path, name: str) -> None:
    result = CliRunner().invoke(cli, ["add", "resource", name, "title:str", "--project", str(project)])

    assert result.exit_code == ExitCode.INVALID_ANSWERS
    assert "would shadow" in result.output
    assert not (project / "src" / NAME / name).exists()
