"""`pybackend add resource` on a Django project: the files a user sees after adding `author` and then `book`, which
refers to an author and, optionally, to a user.

A release copy of this checkout renders the project (sqlite, auth jwt, cache on: every optional file of a resource);
the two resources are added with the real command, each committed, so their migrations are Django's own
`makemigrations`. The project's ruff then checks what was written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from support.procs import run
from support.release import git, release_copy, user_machine
from support.summary import parse_summary

pytestmark = pytest.mark.render

NAME = "shelf"
PYBACKEND = Path(sys.executable).parent / "pybackend"
IDENTITY = ["-c", "user.name=Shelf Developer", "-c", "user.email=dev@shelf.example"]
RESOURCES = {
    "author": ["name:str:unique"],
    "book": ["title:str", "published:date", "pages:int?", "author:ref:author", "reader:ref:user?", "price:decimal?"],
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    templates, work, env = user_machine(tmp_path_factory.mktemp("django-resources"))
    release_copy(templates)
    args = ["new", NAME, "-y", "--framework", "django", "--database", "sqlite", "--auth", "jwt", "--cache"]
    run([str(PYBACKEND), *args], cwd=work, env=env, timeout=300)
    path = work / NAME
    for name, fields in RESOURCES.items():
        added = run([str(PYBACKEND), "add", "resource", name, *fields, "--no-lock"], cwd=path, env=env, timeout=300)
        summary = parse_summary(added.output, added.describe())
        assert f"src/{NAME}/{name}/api.py" in summary["added"], added.describe()
        assert summary["conflicts"] == [], added.describe()
        git("add", "--all", cwd=path)
        git(*IDENTITY, "commit", "-q", "-m", f"Add {name}", cwd=path)
    ruff = run(["uv", "run", "--quiet", "ruff", "check", "."], cwd=path, env=env, timeout=120, check=False)
    assert ruff.returncode == 0, ruff.describe()
    return path


def test_each_resource_has_its_app_and_its_tests(project: Path) -> None:
    for name in RESOURCES:
        package = project / "src" / NAME / name
        modules = {path.name for path in package.glob("*.py")}
        expected = ["__init__.py", "admin.py", "api.py", "apps.py", "cache.py", "models.py", "permissions.py"]
        assert modules == {*expected, "reads.py", "schemas.py"}
        tests = {path.name for path in (project / "tests" / name).glob("*.py")}
        assert tests == {"__init__.py", "test_api.py", "test_cache.py", "test_permissions.py"}
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert [resource["name"] for resource in answers["resources"]] == ["author", "book"]


def test_the_book_routes_check_references_and_conflicts(project: Path) -> None:
    routes = (project / "src" / NAME / "book" / "api.py").read_text()

    assert 'router = Router(tags=["books"])' in routes
    for route in ("def list_books(", "def create_book(", "def read_book(", "def update_book(", "def delete_book("):
        assert route in routes
    assert 'raise ConflictError("No author has this author_id")' in routes
    assert "reader_id = book.reader_id\n" in routes
    assert "if reader_id is not None and not User.objects.filter(pk=reader_id).exists():" in routes
    assert "except (ProtectedError, IntegrityError):" in routes
    models = (project / "src" / NAME / "book" / "models.py").read_text()
    assert 'author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="+")' in models
    assert "on_delete=models.SET_NULL" in models


def test_the_resources_are_registered(project: Path) -> None:
    api = (project / "src" / NAME / "api.py").read_text()
    settings = (project / "src" / NAME / "config" / "settings.py").read_text()

    assert 'api.add_router("/api/v1/authors", author_router)' in api
    assert 'api.add_router("/api/v1/books", book_router)' in api
    assert "from .book.api import router as book_router" in api
    assert f'    "{NAME}.author",\n    "{NAME}.book",\n' in settings
    assert "@admin.register(Book)" in (project / "src" / NAME / "book" / "admin.py").read_text()
    redis = (project / "tests" / "fixtures" / "redis.py").read_text()
    assert "    book_cache.cache_clear()" in redis


def test_the_migrations_are_djangos(project: Path) -> None:
    migration = (project / "src" / NAME / "book" / "migrations" / "0001_initial.py").read_text()

    assert '("authors", "0001_initial")' in migration
    assert "migrations.swappable_dependency(settings.AUTH_USER_MODEL)" in migration
    assert '"db_table": "books"' in migration
    assert sorted(path.name for path in (project / "src" / NAME / "author" / "migrations").glob("*.py")) == [
        "0001_initial.py",
        "__init__.py",
    ]


def test_the_tests_know_every_resource(project: Path) -> None:
    fixtures = (project / "tests" / "fixtures" / "resources.py").read_text()
    tests = (project / "tests" / "book" / "test_api.py").read_text()

    assert '"author_id": ("ref", "author"),' in fixtures
    assert '"reader_id": ("ref", "user"),' in fixtures
    assert 'RESOURCE = "book"' in tests
    assert "def test_a_reference_to_no_row_is_a_conflict(" in tests
    assert "def test_a_row_referred_to_is_not_deleted(" in tests
