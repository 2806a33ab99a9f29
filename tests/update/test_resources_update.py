"""The user's own resources receive template updates: in each framework that writes resources, a project with two
(`author`, and `book` referring to it and to users) is updated to a release that changes every resource's routes.

A release copy of this checkout is tagged v1.0.0 and a project made from it (SQLite, auth=jwt); the user adds both
resources, each committed, and edits the book routes. The maintainer then changes the routes template of every
resource and tags v1.1.0: `pybackend update` brings the change into both resources without a conflict, keeps the
user's edit, leaves the migrations alone, and the changed files pass the project's ruff. Then the user changes the
book's fields (`set resource`) and removes it (`remove resource --drop`, refused for the author it refers to), each
with one migration, the edited routes going with the book. (The end-to-end tier runs
the same resources against PostgreSQL and MariaDB, tests/e2e/test_stacks.py.)

    uv run pytest tests/update/test_resources_update.py -n 2
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pybackend.resources import FRAMEWORKS
from support.procs import run
from support.release import git, release, release_copy, user_machine
from support.user_resources import add_resources

from .runs import run_pybackend

OLD, NEW = "v1.0.0", "v1.1.0"
NAME = "library"
RESOURCE_DIR = "{% yield resource from resources %}{{ resource.name }}{% endyield %}"
# The module of a resource that holds its routes, as `items` names it in each framework.
ROUTES = {
    "fastapi": "routes.py",
    "flask": "routes.py",
    "django": "api.py",
    "tornado": "handlers.py",
    "pyramid": "views.py",
}
TEMPLATE_LINE = "# Every route of this resource answers JSON.\n"
USER_EDIT = '\n\n# Books are listed oldest first; the library asked for it.\nBOOKS_ORDER = "oldest first"\n'
TIMEOUT = 300


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_an_update_reaches_every_resource_and_keeps_the_users_edit(framework: str, tmp_path: Path) -> None:
    templates, work, env = user_machine(tmp_path)
    release_copy(templates, tag=OLD)
    args = ["new", NAME, "-y", "--framework", framework, "--database", "sqlite", "--auth", "jwt"]
    run_pybackend(*args, cwd=work, env=env, timeout=TIMEOUT).expect(0)
    project = work / NAME
    add_resources(project, env)

    routes = {name: project / "src" / NAME / name / ROUTES[framework] for name in ("author", "book")}
    routes["book"].write_text(routes["book"].read_text() + USER_EDIT)
    git("commit", "-q", "-am", "Note the order of books", cwd=project)

    template = _routes_template(templates, framework)
    text = template.read_text()
    first_import = next(line for line in text.splitlines(keepends=True) if line.startswith(("from ", "import ")))
    template.write_text(text.replace(first_import, TEMPLATE_LINE + first_import, 1))
    release(templates, NEW, message="Say that resources answer JSON")

    updated = run_pybackend("update", "--no-lock", cwd=project, env=env, timeout=TIMEOUT).expect(0)
    changed = [str(path.relative_to(project)) for path in routes.values()]
    assert updated.summary() == {
        "added": [],
        "changed": sorted([".copier-answers.yml", *changed]),
        "deleted": [],
        "conflicts": [],
    }, updated.describe()
    for path in routes.values():
        assert TEMPLATE_LINE in path.read_text(), path
    assert routes["book"].read_text().endswith(USER_EDIT)
    assert git("status", "--porcelain", "--", *_migration_dirs(project), cwd=project) == ""
    run(["uv", "run", "--quiet", "ruff", "check", *changed], cwd=project, env=env, timeout=TIMEOUT)
    git("commit", "-q", "-am", f"Update to {NEW}", cwd=project)

    # The user changes the book's fields, then removes the book: each with its migration, the edit no conflict.
    before = _migrations(project)
    changed_fields = run_pybackend(
        "set", "resource", "book", "+summary:text?", "-pages", cwd=project, env=env, timeout=TIMEOUT
    )
    assert changed_fields.expect(0).summary()["conflicts"] == [], changed_fields.describe()
    assert len(_migrations(project) - before) == 1, changed_fields.describe()
    assert routes["book"].read_text().endswith(USER_EDIT)
    git("add", "-A", cwd=project)
    git("commit", "-q", "-m", "Books have a summary, and no pages", cwd=project)

    refused = run_pybackend("remove", "resource", "author", "--drop", cwd=project, env=env, timeout=TIMEOUT)
    if framework == "django":  # not yet: its app leaves INSTALLED_APPS, and makemigrations then misses the table
        assert "remove resource is not available for django yet" in refused.expect(3).stderr
        return
    assert "book.author refer to 'author'" in refused.expect(3).stderr
    before = _migrations(project)
    removed = run_pybackend("remove", "resource", "book", "--drop", cwd=project, env=env, timeout=TIMEOUT).expect(0)
    assert removed.summary()["conflicts"] == [] and not routes["book"].exists(), removed.describe()
    assert len(_migrations(project) - before) == 1, removed.describe()


def _routes_template(templates: Path, framework: str) -> Path:
    directory = templates / "templates" / framework / "src" / "{{ package_name }}" / RESOURCE_DIR
    found = [path for path in directory.iterdir() if path.name in {ROUTES[framework], f"{ROUTES[framework]}.jinja"}]
    assert len(found) == 1, sorted(path.name for path in directory.iterdir())
    return found[0]


def _migrations(project: Path) -> set[Path]:
    return {path for directory in _migration_dirs(project) for path in (project / directory).glob("*.py")}


def _migration_dirs(project: Path) -> list[str]:
    found = [project / "migrations" / "versions", *(project / "src").rglob("migrations")]
    return sorted(str(path.relative_to(project)) for path in found if path.is_dir())
