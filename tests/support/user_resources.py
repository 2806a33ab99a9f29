"""The user's own resources as the end-to-end and update tiers add them: an `author` with a unique name, and a
`book` that refers to its author and, with auth, to a reader; what each `add resource` must have written; and the
resources' API exercised over HTTP.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

from .procs import run
from .release import git
from .service import read_answers
from .summary import parse_summary

PYBACKEND = Path(sys.executable).parent / "pybackend"
AUTHOR = ["name:str:unique"]
BOOK = ["title:str", "published:date", "pages:int?", "author:ref:author", "price:decimal?"]
READER = "reader:ref:user?"  # with auth=jwt only


def resources(answers: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """The resources to add to a project with `answers`, in order, with their fields."""
    book = [*BOOK, READER] if answers.get("auth") == "jwt" else BOOK
    return [("author", AUTHOR), ("book", book)]


def supported(answers: Mapping[str, Any]) -> bool:
    """Whether pybackend adds resources to a project with `answers`."""
    from pybackend.errors import ResourceError
    from pybackend.resources import require_support

    try:
        require_support(answers)
    except ResourceError:
        return False
    return True


def add_resources(path: Path, env: Mapping[str, str], *, timeout: float = 300) -> None:
    """Add the resources to the project at `path`, each committed: its files and one migration written, no
    conflicts. A project made with --no-git becomes a repository first, as a user's project is."""
    if not (path / ".git").exists():
        git("init", "-q", cwd=path)
        git("add", "-A", cwd=path)
        git("commit", "-q", "-m", "Generated", cwd=path)
    answers = read_answers(path)
    for name, fields in resources(answers):
        before = set(migrations(path))
        added = run(
            [str(PYBACKEND), "add", "resource", name, *fields, "--no-lock"], cwd=path, env=dict(env), timeout=timeout
        )
        summary = parse_summary(added.output, added.describe())
        assert summary["conflicts"] == [], added.describe()
        assert any(f"/{name}/" in changed for changed in summary["added"]), added.describe()
        written = set(migrations(path)) - before
        assert len(written) == 1, f"add resource {name} wrote the migrations {sorted(written)}\n{added.describe()}"
        git("add", "-A", cwd=path)
        git("commit", "-q", "-m", f"Add {name}", cwd=path)


def remove_book(path: Path, env: Mapping[str, str], *, timeout: float = 300) -> None:
    """`remove resource book --drop` on a project that has the resources: its files go and one migration is
    written, with no conflict."""
    before = set(migrations(path))
    removed = run([str(PYBACKEND), "remove", "resource", "book", "--drop"], cwd=path, env=dict(env), timeout=timeout)
    summary = parse_summary(removed.output, removed.describe())
    assert summary["conflicts"] == [] and any("/book/" in name for name in summary["deleted"]), removed.describe()
    written = set(migrations(path)) - before
    assert len(written) == 1, f"remove resource book wrote the migrations {sorted(written)}\n{removed.describe()}"


def migrations(path: Path) -> list[Path]:
    """Alembic revisions, or Django migrations of the resources' apps."""
    files = [*(path / "migrations").rglob("*.py"), *(path / "src").rglob("*.py")]
    return [p for p in files if p.parent.name in {"versions", "migrations"} and p.name != "__init__.py"]


def exercise(base_url: str, *, auth: bool) -> None:
    """The resources' API over HTTP: create, conflict, reference, validation, paging, update, delete."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        headers: dict[str, str] = {}
        reader: dict[str, Any] = {}
        if auth:
            credentials = {"email": "reader@example.com", "password": "correct horse battery staple"}
            assert client.post("/api/v1/auth/register", json=credentials).status_code in {201, 409}
            token = client.post("/api/v1/auth/token", data={"username": credentials["email"], **credentials})
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            reader = {"reader_id": client.get("/api/v1/users/me", headers=headers).json()["id"]}

        paths = client.get("/openapi.json").json()["paths"]
        assert {"/api/v1/authors", "/api/v1/books"} <= {path.rstrip("/") for path in paths}, sorted(paths)
        name = f"Ursula {uuid.uuid4().hex[:8]}"  # the service may hold rows of other checks
        author = client.post("/api/v1/authors", json={"name": name}, headers=headers)
        assert author.status_code == 201, author.text
        taken = client.post("/api/v1/authors", json={"name": name}, headers=headers)
        assert taken.status_code == 409, taken.text
        book = {"title": "The Dispossessed", "published": "1974-05-01", "author_id": author.json()["id"]}
        created = client.post("/api/v1/books", json={**book, **reader}, headers=headers)
        assert created.status_code == 201, created.text
        assert created.json()["pages"] is None, created.text
        nowhere = client.post("/api/v1/books", json={**book, "author_id": 999999}, headers=headers)
        assert nowhere.status_code == 409, nowhere.text
        undated = client.post("/api/v1/books", json={"title": "no date"}, headers=headers)
        assert undated.status_code == 422, undated.text
        if auth:
            assert client.post("/api/v1/books", json=book).status_code == 401
        page = client.get("/api/v1/books", params={"limit": 100}).json()
        assert page["total"] >= 1 and created.json() in page["books"], page
        book_url = f"/api/v1/books/{created.json()['id']}"
        patched = client.patch(book_url, json={"pages": 387}, headers=headers)
        assert patched.status_code == 200 and patched.json()["pages"] == 387, patched.text
        referred = client.delete(f"/api/v1/authors/{author.json()['id']}", headers=headers)
        assert referred.status_code == 409, referred.text
        assert client.delete(book_url, headers=headers).status_code == 204
        assert client.get(book_url).status_code == 404
        assert client.delete(f"/api/v1/authors/{author.json()['id']}", headers=headers).status_code == 204
