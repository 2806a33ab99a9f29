"""End to end: `pybackend add resource` gives a FastAPI project two working resources, and a later
`pybackend update` brings a template change into both while keeping the user's edit.

    PYBACKEND_REQUIRE_SERVICES=1 uv run pytest tests/e2e/test_resources.py -m e2e

A release copy of this checkout is tagged v1.0.0 and a project generated from it, once with PostgreSQL and once
with MySQL (run against MariaDB). The user adds `author`
(a unique name) and `book` (a date, an optional int, a reference to an author and an optional one to a user), each
committed, then edits the book routes. The project's pytest, ruff and mypy pass; its migrations run on the
real database (which also runs the resources' tests), and the service answers the new API over HTTP there.
The maintainer then changes the routes of every resource and tags v1.1.0; `pybackend update` brings the change
into both resources without conflicts and keeps the user's edit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest
from support.procs import run
from support.project import Project, new_secret
from support.release import git, release, release_copy, user_machine
from support.services import sql_database
from support.steps import Steps
from support.summary import parse_summary

NAME = "library"
OLD, NEW = "v1.0.0", "v1.1.0"
PYBACKEND = Path(sys.executable).parent / "pybackend"
IDENTITY = ["-c", "user.name=Library Developer", "-c", "user.email=dev@library.example"]
RESOURCE_ROUTES = (
    "templates/fastapi/src/{{ package_name }}/"
    "{% yield resource from resources %}{{ resource.name }}{% endyield %}/routes.py.jinja"
)
# The maintainer's change to every resource's routes, and the user's own edit to the book routes.
TEMPLATE_ANCHOR = "router = APIRouter("
TEMPLATE_LINE = "# Every route of this resource answers JSON.\n"
USER_EDIT = '\n\n# Books are listed oldest first; the library asked for it.\nBOOKS_ORDER = "oldest first"\n'
BOOK_FIELDS = ["title:str", "published:date", "pages:int?", "author:ref:author", "reader:ref:user?"]


@pytest.mark.e2e
@pytest.mark.timeout(2400)
@pytest.mark.parametrize("database", ["postgresql", "mysql"])
def test_resources_are_added_served_migrated_and_updated(database: str, tmp_path: Path) -> None:
    steps = Steps(f"fastapi/{database}/resources")
    templates, work, env = user_machine(tmp_path)
    path = work / NAME
    project = Project(path, tmp_path / "logs")

    with steps.hard(f"release {OLD}, generate {NAME} with {database}, uv sync"):
        release_copy(templates, tag=OLD)
        args = ["new", NAME, "-y", "--framework", "fastapi", "--database", database, "--auth", "jwt"]
        run([str(PYBACKEND), *args], cwd=work, env=env, timeout=300)
        project.uv_sync()

    with steps.hard("add resource author, then book; each writes its files and one migration"):
        for name, fields in (("author", ["name:str:unique"]), ("book", BOOK_FIELDS)):
            added = run([str(PYBACKEND), "add", "resource", name, *fields, "--no-lock"], cwd=path, env=env, timeout=300)
            summary = parse_summary(added.output, added.describe())
            assert f"src/library/{name}/routes.py" in summary["added"], added.describe()
            assert f"tests/{name}/test_routes.py" in summary["added"], added.describe()
            assert summary["conflicts"] == [], added.describe()
            revisions = list((path / "migrations" / "versions").glob(f"*_add_{name}.py"))
            assert len(revisions) == 1, added.describe()
            run(["git", "add", "--all"], cwd=path, env=env, timeout=60)
            run(["git", *IDENTITY, "commit", "-q", "-m", f"Add {name}"], cwd=path, env=env, timeout=60)
        answers = project.answers
        assert [resource["name"] for resource in answers["resources"]] == ["author", "book"], answers

    with steps.hard("the user edits the book routes and commits"):
        routes = path / "src/library/book/routes.py"
        routes.write_text(routes.read_text() + USER_EDIT)
        run(["git", *IDENTITY, "commit", "-q", "-am", "Note the order of books"], cwd=path, env=env, timeout=60)

    _own_checks(project, steps)
    _on_a_real_database(project, steps, database)

    with steps.hard(f"maintainer changes every resource's routes, releases {NEW}"):
        template = templates / RESOURCE_ROUTES
        text = template.read_text()
        assert text.count(TEMPLATE_ANCHOR) == 1, text
        template.write_text(text.replace(TEMPLATE_ANCHOR, TEMPLATE_LINE + TEMPLATE_ANCHOR))
        release(templates, NEW, message="Say that resources answer JSON")

    with steps.hard(f"pybackend update --no-lock {OLD} -> {NEW}: both resources changed, no conflicts"):
        updated = run([str(PYBACKEND), "update", "--no-lock"], cwd=path, env=env, timeout=300)
        summary = parse_summary(updated.output, updated.describe())
        expected = [".copier-answers.yml", "src/library/author/routes.py", "src/library/book/routes.py"]
        assert summary == {"added": [], "changed": expected, "deleted": [], "conflicts": []}, updated.describe()

    with steps.soft("the change is in both resources, the user's edit kept, the migrations untouched"):
        for name in ("author", "book"):
            assert TEMPLATE_LINE + TEMPLATE_ANCHOR in (path / f"src/library/{name}/routes.py").read_text()
        assert (path / "src/library/book/routes.py").read_text().endswith(USER_EDIT)
        assert git("status", "--porcelain", "--", "migrations", cwd=path) == ""

    _own_checks(project, steps)
    steps.finish()


def _own_checks(project: Project, steps: Steps) -> None:
    with steps.soft("own pytest (coverage above 90%), the resources' tests among those passed"):
        tested = project.uv_run(["pytest", "-q", "-rA", "-p", "no:cacheprovider"], timeout=900)
        for node in (
            "tests/author/test_routes.py::test_a_unique_value_taken_is_a_conflict[name]",
            "tests/book/test_routes.py::test_a_reference_to_no_row_is_a_conflict[author_id]",
            "tests/author/test_routes.py::test_a_row_referred_to_is_not_deleted[book-author_id]",
            "tests/book/test_permissions.py::test_only_the_owner_changes_or_deletes",
        ):
            assert f"PASSED {node}" in tested.output, f"{node} did not pass:\n{tested.describe()}"
    for name, args in (("ruff check", ["ruff", "check", "."]), ("ruff format", ["ruff", "format", "--check", "."])):
        with steps.soft(name):
            project.uv_run(args, timeout=120)
    with steps.soft("mypy"):
        project.uv_run(["mypy"], timeout=600)


def _on_a_real_database(project: Project, steps: Steps, database: str) -> None:
    with sql_database(database) as url:
        with steps.soft(f"{database}: the resources' tests against it"):
            tests = ["tests/author", "tests/book", "--no-cov", "-q", "-p", "no:cacheprovider"]
            project.uv_run(["pytest", *tests], env={"TEST_DATABASE_URL": url}, timeout=900)
        env = {"DATABASE_URL": url, "SECRET_KEY": new_secret(), "APP_ENV": "development"}
        with steps.hard(f"{database}: alembic upgrade head"):
            project.uv_run(project.migrate_command, env=env, timeout=300)
        server, base_url, _ = project.serve(f"resources-{database}", env, 60)
        try:
            with steps.soft(f"{database}: the resources' API over HTTP"):
                _exercise(base_url)
        finally:
            server.terminate(timeout=10)


def _exercise(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        credentials = {"email": "reader@example.com", "password": "correct horse battery staple"}
        assert client.post("/api/v1/auth/register", json=credentials).status_code == 201
        token = client.post("/api/v1/auth/token", data={"username": credentials["email"], **credentials})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        me = client.get("/api/v1/users/me", headers=headers).json()

        author = client.post("/api/v1/authors", json={"name": "Ursula"}, headers=headers)
        assert author.status_code == 201, author.text
        taken = client.post("/api/v1/authors", json={"name": "Ursula"}, headers=headers)
        assert taken.status_code == 409, taken.text
        book = {"title": "The Dispossessed", "published": "1974-05-01", "author_id": author.json()["id"]}
        created = client.post("/api/v1/books", json={**book, "reader_id": me["id"]}, headers=headers)
        assert created.status_code == 201, created.text
        assert created.json()["pages"] is None
        assert client.post("/api/v1/books", json={**book, "author_id": 999999}, headers=headers).status_code == 409
        assert client.post("/api/v1/books", json={"title": "no date"}, headers=headers).status_code == 422
        assert client.post("/api/v1/books", json=book).status_code == 401
        page = client.get("/api/v1/books", params={"limit": 1}).json()
        assert (page["total"], page["books"]) == (1, [created.json()]), page
        book_url = f"/api/v1/books/{created.json()['id']}"
        assert client.patch(book_url, json={"pages": 387}, headers=headers).json()["pages"] == 387
        assert client.delete(f"/api/v1/authors/{author.json()['id']}", headers=headers).status_code == 409
        assert client.delete(book_url, headers=headers).status_code == 204
        assert client.get(book_url).status_code == 404
        assert "/api/v1/books/{book_id}" in client.get("/openapi.json").json()["paths"]
