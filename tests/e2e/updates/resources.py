"""The user's own resources in the update scenario: where each framework keeps a resource's routes, the line the
maintainer adds to every resource's routes template, and the user's edit to the book's."""

from __future__ import annotations

from pathlib import Path

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
TESTS = ("tests/author/", "tests/book/")  # of the resources support/user_resources.py adds


def routes_in(project: Path, package: str, framework: str) -> dict[str, Path]:
    """Each resource's routes module in the project."""
    return {name: project / "src" / package / name / ROUTES[framework] for name in ("author", "book")}


def mark_every_resource(templates: Path, framework: str) -> None:
    """The maintainer's change to every resource's routes: `TEMPLATE_LINE` above the module's first import."""
    directory = templates / "templates" / framework / "src" / "{{ package_name }}" / RESOURCE_DIR
    found = [path for path in directory.iterdir() if path.name in {ROUTES[framework], f"{ROUTES[framework]}.jinja"}]
    assert len(found) == 1, sorted(path.name for path in directory.iterdir())
    text = found[0].read_text()
    first_import = next(line for line in text.splitlines(keepends=True) if line.startswith(("from ", "import ")))
    found[0].write_text(text.replace(first_import, TEMPLATE_LINE + first_import, 1))
