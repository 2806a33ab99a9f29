"""`add resource` on Flask: two resources, a book referring to an author and to a user, rendered into a project by
the real command, and the files the user sees.

The resource's files, the wiring (blueprints, caches, the migration environment) and the answers are rendered as
`pybackend add resource` renders them; its last step, which formats the new files and writes the migration with the
project's own ruff and Alembic (and so needs the project installed), is left out: the end-to-end runs cover it.
"""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from pybackend import resources
from pybackend.answers import resolve_answers
from pybackend.cli import cli
from pybackend.generate import Options, generate
from pybackend.questions import for_new_projects, load_questions
from pybackend.source import template_source
from support.parsing import assert_files_parse

pytestmark = pytest.mark.render

REPO_ROOT = Path(__file__).resolve().parents[2]
_QUESTIONS = for_new_projects(load_questions(REPO_ROOT / "copier.yml"))
IDENTITY = ["-c", "user.name=Library Developer", "-c", "user.email=dev@library.example"]
BOOK = ["title:str", "published:date", "pages:int?", "author:ref:author", "reader:ref:user?", "price:decimal?"]


def _commit(project: Path, message: str) -> None:
    subprocess.run(["git", "add", "--all"], cwd=project, check=True)
    subprocess.run(["git", *IDENTITY, "commit", "--quiet", "-m", message], cwd=project, check=True)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Flask project (SQLite, auth=jwt, cache) with the resources author and book, each added and committed."""
    given = {"project_name": "library", "framework": "flask", "database": "sqlite", "auth": "jwt", "cache": True}
    answers = resolve_answers(_QUESTIONS, given, use_defaults=True)
    project = tmp_path_factory.mktemp("resources") / "library"
    generate(answers, project, template_source(), Options(git=True, lock=False))
    finished: list[str] = []

    def finish(path: Path, resource: resources.Resource, message: str | None = None) -> Path:
        finished.append(resource.name)
        return path / "migrations" / "versions" / f"add_{resource.name}.py"

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(resources, "finish_resource", finish)
        for name, fields in (("author", ["name:str:unique"]), ("book", BOOK)):
            args = ["add", "resource", name, *fields, "--project", str(project), "--no-lock"]
            result = CliRunner().invoke(cli, args)
            assert result.exit_code == 0, result.output
            _commit(project, f"Add {name}")
    assert finished == ["author", "book"]
    return project


def _answers(project: Path) -> dict[str, Any]:
    recorded: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    return recorded


def test_the_resources_are_recorded_in_the_answers(library: Path) -> None:
    recorded = _answers(library)["resources"]

    assert [(resource["name"], resource["plural"]) for resource in recorded] == [
        ("author", "authors"),
        ("book", "books"),
    ]
    assert recorded[1]["fields"][3] == {
        "name": "author",
        "type": "ref",
        "optional": False,
        "unique": False,
        "ref": "author",
    }


def test_each_resource_is_a_package_like_items(library: Path) -> None:
    for name in ("author", "book"):
        package = library / "src" / "library" / name
        assert sorted(path.name for path in package.iterdir()) == [
            "__init__.py",
            "cache.py",
            "dependencies.py",
            "models.py",
            "permissions.py",
            "routes.py",
            "schemas.py",
            "service.py",
        ]
        tests = library / "tests" / name
        assert sorted(path.name for path in tests.iterdir()) == [
            "__init__.py",
            "test_cache.py",
            "test_permissions.py",
            "test_routes.py",
        ]
    assert (library / "tests" / "fixtures" / "resources.py").is_file()
    assert_files_parse(library / "src")
    assert_files_parse(library / "tests")


def test_the_routes_are_a_blueprint_under_the_plural(library: Path) -> None:
    routes = (library / "src/library/book/routes.py").read_text(encoding="utf-8")

    assert 'bp = APIBlueprint("books", __name__, url_prefix="/api/v1/books", tag="books")' in routes
    assert 'ROW = "/<int:book_id>"' in routes
    for view in ("list_books", "create_book", "read_book", "update_book", "delete_book"):
        assert f"def {view}(" in routes
    assert "@bp.output(BookRead, status_code=201)" in routes
    assert "@bp.output({}, status_code=204)" in routes
    assert "@writes(bp)" in routes


def test_the_models_refer_to_the_author_and_the_user(library: Path) -> None:
    models = (library / "src/library/book/models.py").read_text(encoding="utf-8")

    assert 'author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"), index=True)' in models
    assert 'ForeignKey("users.id", ondelete="SET NULL")' in models
    assert 'owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)' in models
    assert "class Book(Base):" in models
    unique = (library / "src/library/author/models.py").read_text(encoding="utf-8")
    assert "name: Mapped[str] = mapped_column(String(STR_MAX_LENGTH), unique=True)" in unique


def test_the_service_answers_conflicts(library: Path) -> None:
    service = (library / "src/library/book/service.py").read_text(encoding="utf-8")

    assert "from ..author.models import Author" in service
    assert "from ..auth.models import User" in service
    assert 'raise ConflictError("No author has this author_id")' in service
    assert "except IntegrityError:" in service


def test_the_app_registers_the_blueprints_and_the_caches(library: Path) -> None:
    api = (library / "src/library/api.py").read_text(encoding="utf-8")
    app = (library / "src/library/app.py").read_text(encoding="utf-8")
    env = (library / "migrations/env.py").read_text(encoding="utf-8")

    assert "from .author import routes as author\nfrom .book import routes as book\n" in api
    assert "    author.bp,\n    book.bp,\n" in api
    assert "from .book.cache import init_book_cache" in app
    assert "    init_item_cache(app)\n    init_author_cache(app)\n    init_book_cache(app)\n" in app
    assert "import library.book.models" in env
    # The imports stay sorted as ruff sorts them.
    assert [line for line in api.splitlines() if line.startswith("from .")] == sorted(
        line for line in api.splitlines() if line.startswith("from .")
    )


def test_the_tests_cover_the_contract(library: Path) -> None:
    routes = (library / "tests/book/test_routes.py").read_text(encoding="utf-8")
    permissions = (library / "tests/book/test_permissions.py").read_text(encoding="utf-8")
    fixtures = (library / "tests/fixtures/resources.py").read_text(encoding="utf-8")

    tests = {node.name for node in ast.walk(ast.parse(routes)) if isinstance(node, ast.FunctionDef)}
    assert {
        "test_create_read_and_list",
        "test_update_changes_only_the_fields_given",
        "test_delete",
        "test_an_unknown_id_is_not_found",
        "test_a_required_field_is_required_and_not_null",
        "test_a_unique_value_taken_is_a_conflict",
        "test_a_reference_to_no_row_is_a_conflict",
        "test_a_row_referred_to_is_not_deleted",
    } <= tests
    assert "from flask.testing import FlaskClient" in routes
    assert "def test_only_the_owner_changes_or_deletes(" in permissions
    assert '"reader_id": ("ref", "user"),' in fixtures
