"""`pybackend add resource` on a Pyramid project: the files a user sees after adding two resources.

The project (SQLite, auth=jwt) gets `author` (a unique name), then `book` (a reference to an author and an
optional one to a user), each through the real command. Only the project's own tools are stood in for: its ruff
is this checkout's, and the Alembic revision is a stub (the e2e scenarios run the real one), which keeps the test
fast; everything else (the plan, the render at the project's template version, the answers) is the command's own.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner
from pybackend import resources
from pybackend.answers import resolve_answers
from pybackend.cli import cli
from pybackend.generate import Options, generate
from pybackend.questions import load_questions
from pybackend.source import template_source

pytestmark = pytest.mark.render

REPO_ROOT = Path(__file__).resolve().parents[2]
RUFF = Path(sys.executable).parent / "ruff"
IDENTITY = ["-c", "user.name=Shelf Developer", "-c", "user.email=dev@shelf.example"]
BOOK = ["title:str", "published:date", "pages:int?", "author:ref:author", "reader:ref:user?"]


def _project_ruff(project: Path, _env: Mapping[str, str], *args: str) -> None:
    """The project's ruff, as `finish_resource` runs it: this checkout's, with the project's settings."""
    assert args[0] == "ruff", args
    subprocess.run([str(RUFF), *args[1:]], cwd=project, check=True, capture_output=True)


def _stub_revision(project: Path, message: str) -> Path:
    revision = project / "migrations" / "versions" / f"{message.replace(' ', '_')}.py"
    revision.write_text(f'"""{message}"""\n')
    return revision


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    questions = load_questions(REPO_ROOT / "copier.yml")
    answers = resolve_answers(
        questions,
        {"project_name": "shelf", "framework": "pyramid", "database": "sqlite", "auth": "jwt"},
        use_defaults=True,
    )
    target = tmp_path_factory.mktemp("resources") / "shelf"
    generate(answers, target, template_source(), Options(git=True, lock=False))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(resources, "_run", _project_ruff)
        patch.setattr(resources, "write_migration", _stub_revision)
        for name, fields in (("author", ["name:str:unique"]), ("book", BOOK)):
            args = ["add", "resource", name, *fields, "--project", str(target), "--no-lock"]
            result = CliRunner().invoke(cli, args)
            assert result.exit_code == 0, result.output
            subprocess.run(["git", "add", "--all"], cwd=target, check=True)
            subprocess.run(["git", *IDENTITY, "commit", "-qm", f"Add {name}"], cwd=target, check=True)
    return target


def test_each_resource_has_its_package_and_tests(project: Path) -> None:
    for name in ("author", "book"):
        package = project / "src" / "shelf" / name
        assert {path.name for path in package.iterdir()} >= {
            "__init__.py",
            "models.py",
            "permissions.py",
            "resources.py",
            "schemas.py",
            "service.py",
            "views.py",
        }
        assert not (package / "cache.py").exists()  # cache=false
        tests = {path.name for path in (project / "tests" / name).iterdir()}
        assert tests >= {"__init__.py", "test_routes.py", "test_permissions.py"}
        assert (project / "migrations" / "versions" / f"add_{name}.py").is_file()


def test_the_book_routes_are_written_like_the_items(project: Path) -> None:
    book = project / "src" / "shelf" / "book"
    views = (book / "views.py").read_text()
    package = (book / "__init__.py").read_text()
    service = (book / "service.py").read_text()

    assert 'config.add_route("books", "/api/v1/books", factory=Books)' in package
    assert 'config.add_route("book", "/api/v1/books/{book_id}", factory=BookResource)' in package
    assert 'config.add_request_method(book_service, "book_service", reify=True)' in package
    for view in ("list_books", "create_book", "read_book", "update_book", "delete_book"):
        assert f"def {view}(" in views
    assert 'permission="change"' in views
    assert "responses={201: BookRead, **CREATE_ERRORS, **CONFLICT}" in views
    assert "from ..auth.models import User" in service
    assert "from ..author.models import Author" in service
    assert 'raise ConflictError("No author has this author_id")' in service


def test_the_models_refer_to_authors_and_users(project: Path) -> None:
    models = (project / "src" / "shelf" / "book" / "models.py").read_text()

    assert 'ForeignKey("authors.id"), index=True' in models
    assert 'ForeignKey("users.id", ondelete="SET NULL"),\n        index=True' in models
    assert 'owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)' in models


def test_the_app_and_the_shell_know_both(project: Path) -> None:
    app = (project / "src" / "shelf" / "app.py").read_text()
    pshell = (project / "src" / "shelf" / "pshell.py").read_text()

    assert 'config.include(".author")\n        config.include(".book")\n' in app
    assert app.index('config.include(".items")') < app.index('config.include(".author")')
    assert "from .author.models import Author\nfrom .book.models import Book\n" in pshell
    assert 'env["Book"] = Book' in pshell


def test_the_tests_know_every_field(project: Path) -> None:
    fixtures = (project / "tests" / "fixtures" / "resources.py").read_text()
    routes = (project / "tests" / "book" / "test_routes.py").read_text()

    assert '"author_id": ("ref", "author")' in fixtures
    assert '"reader_id": ("ref", "user")' in fixtures
    assert '"author": ["name"]' in fixtures
    assert 'RESOURCE = "book"' in routes
    assert "from webtest import TestApp" in routes


def test_the_project_passes_its_ruff(project: Path) -> None:
    for args in (["check", "."], ["format", "--check", "."]):
        done = subprocess.run([str(RUFF), *args], cwd=project, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
