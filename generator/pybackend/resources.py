"""The user's own resources: `add resource NAME FIELD:TYPE...` read, checked, recorded and migrated.

A resource is recorded in the project's answers (the `resources` question of copier.yml) as its name and fields,
nothing more: the template renders every file of it from those, once per resource (Copier's `yield` tag), so an
update merges template changes into each resource as it does into `items`. Its migration is the one file written
outside the template: Alembic's autogenerate against a scratch SQLite database, once, when the resource is added.
"""

from __future__ import annotations

import json
import keyword
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pybackend.errors import ResourceError
from pybackend.project import load_project, restore

if TYPE_CHECKING:
    from pybackend.update import Plan

# The question of copier.yml that holds the resources; `new` never asks it and `set` never changes it.
RESOURCES = "resources"
FIELD_TYPES = ("str", "text", "int", "float", "bool", "date", "datetime", "decimal", "uuid")
# Types a unique index cannot take on every database (MySQL indexes no TEXT column without a length).
_NOT_UNIQUE = frozenset({"text", "bool"})
# The frameworks whose templates render resources so far.
FRAMEWORKS = ("fastapi", "flask", "django", "tornado", "pyramid")
# The orm values whose resource files a framework has (sqlalchemy by default).
_ORMS: Mapping[str, Sequence[str]] = {
    "fastapi": ("sqlalchemy", "sqlmodel"),
    "flask": ("sqlalchemy", "flask-sqlalchemy"),
    "django": ("django",),
}
# The longest names: every constraint name the naming convention derives from them (fk_books_author_id_authors)
# stays within MySQL's 64 characters.
NAME_LIMIT = 15
FIELD_NAME_LIMIT = 20
_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*\Z")
# Modules, routes and tables the project has already: a resource named so would shadow or clash with them.
_TAKEN_NAMES = frozenset(
    {
        "api",
        "app",
        "auth",
        "conftest",
        "db",
        "dependencies",
        "docs",
        "errors",
        "fixtures",
        "health",
        "item",
        "lifespan",
        "live",
        "log",
        "main",
        "metric",
        "metrics",
        "middleware",
        "openapi",
        "permission",
        "rabbitmq",
        "ready",
        "redis_client",
        "setting",
        "settings",
        "task",
        "text",
        "token",
        "user",
        "worker",
    }
)
# Modules of one framework's package that a resource's package would clash with, besides _TAKEN_NAMES.
_FRAMEWORK_MODULES = {
    # A Django project's app labels (INSTALLED_APPS), which a resource's own label, its plural, must not take.
    "django": frozenset(
        {"accounts", "admin", "auth", "contenttypes", "corsheaders", "messages", "ninja", "sessions", "staticfiles"}
    ),
    "tornado": frozenset({"handlers", "processes", "proxies", "resources", "routes", "websocket"}),
}
# Columns every resource has, attributes of its model or schemas, and the keys of a page.
_TAKEN_FIELDS = frozenset(
    {
        "create",
        "created_at",
        "id",
        "limit",
        "metadata",
        "offset",
        "owner",
        "owner_id",
        "page",
        "read",
        "registry",
        "total",
        "update",
    }
)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    optional: bool = False
    unique: bool = False
    # The resource this field refers to (`user` or one of the project's), for a field of type `ref`.
    ref: str | None = None

    def answer(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "optional": self.optional, "unique": self.unique, "ref": self.ref}


@dataclass(frozen=True)
class Resource:
    name: str
    # Its route and table: /api/v1/<plural>, table <plural>.
    plural: str
    fields: tuple[Field, ...]

    def answer(self) -> dict[str, Any]:
        return {"name": self.name, "plural": self.plural, "fields": [field.answer() for field in self.fields]}


def plural_of(name: str) -> str:
    """English's regular plural: books, boxes, addresses, categories; give irregular ones with --plural."""
    if re.search(r"(s|x|z|ch|sh)\Z", name):
        return f"{name}es"
    if re.search(r"[^aeiou]y\Z", name):
        return f"{name[:-1]}ies"
    return f"{name}s"


def parse_resource(
    name: str,
    specs: Sequence[str],
    answers: Mapping[str, Any],
    *,
    reserved: Collection[str] = (),
    plural: str | None = None,
) -> Resource:
    """The resource `name` with the fields `specs` (`title:str`, `pages:int?`, `author:ref:author`), checked
    against the project's `answers` (its other resources, its auth) and `reserved` module names."""
    recorded = answers.get(RESOURCES) or []
    existing = [str(resource["name"]) for resource in recorded]
    plural = plural or plural_of(name)
    _check_name(name, plural, existing, [str(resource["plural"]) for resource in recorded], reserved)
    if not specs:
        raise ResourceError(f"resource '{name}' needs at least one field, such as title:str")
    fields: list[Field] = []
    for spec in specs:
        field = parse_field(spec, targets=[*existing, name], auth=str(answers.get("auth", "none")))
        if field.name in {other.name for other in fields} or _column(field) in {_column(f) for f in fields}:
            raise ResourceError(f"field '{field.name}' of resource '{name}' is given twice")
        fields.append(field)
    return Resource(name=name, plural=plural, fields=tuple(fields))


def parse_field(spec: str, *, targets: Collection[str], auth: str) -> Field:
    """One `NAME:TYPE[?][:unique]` or `NAME:ref:RESOURCE[?][:unique]`; `?` makes it optional."""
    name, _, rest = spec.partition(":")
    parts = rest.split(":")
    kind = parts.pop(0)
    ref = parts.pop(0) if kind.rstrip("?") == "ref" and parts else None
    optional = (ref or kind).endswith("?")
    kind, ref = kind.rstrip("?"), ref.rstrip("?") if ref else None
    if not name or not kind:
        raise ResourceError(f"'{spec}' is not NAME:TYPE (such as title:str or pages:int?)")
    _check_field_name(name)
    if kind == "ref":
        if not ref:
            raise ResourceError(f"field '{name}': a reference names what it refers to, such as {name}:ref:user")
        if ref == "user" and auth != "jwt":
            raise ResourceError(f"field '{name}' refers to users, which a project without auth=jwt does not have")
        if ref != "user" and ref not in targets:
            known = ", ".join(["user", *targets])
            raise ResourceError(f"field '{name}' refers to '{ref}', which is no resource of the project ({known})")
    elif kind not in FIELD_TYPES:
        raise ResourceError(f"field '{name}': '{kind}' is not a type; choose one of {', '.join(FIELD_TYPES)} or ref")
    unknown = [part for part in parts if part != "unique"]
    if unknown or len(parts) > 1:
        raise ResourceError(f"field '{name}': '{':'.join(parts)}' is not a modifier; the only one is :unique")
    unique = bool(parts)
    if unique and kind in _NOT_UNIQUE:
        raise ResourceError(f"field '{name}': a {kind} field cannot be unique on every database; use str")
    return Field(name=name, type=kind, optional=optional, unique=unique, ref=ref)


def _check_name(
    name: str, plural: str, existing: Collection[str], plurals: Collection[str], reserved: Collection[str]
) -> None:
    _check_identifier("resource", name, NAME_LIMIT)
    _check_identifier("plural", plural, NAME_LIMIT + 2)
    if name == plural:
        raise ResourceError(f"resource '{name}': its plural must differ from it (give one with --plural)")
    if name in existing or plural in plurals or {name, plural} & {*existing, *plurals}:
        raise ResourceError(f"the project has a resource '{name}' or '{plural}' already")
    taken = _TAKEN_NAMES | {f"{name}s" for name in _TAKEN_NAMES}
    if {name, plural} & taken:
        raise ResourceError(f"resource '{name}' ({plural}) would clash with the project's own module or route")
    if name in reserved or plural in reserved:
        raise ResourceError(f"resource '{name}' would shadow a Python keyword or a module the project imports")


def _check_field_name(name: str) -> None:
    _check_identifier("field", name, FIELD_NAME_LIMIT)
    if name in _TAKEN_FIELDS or name.startswith("model_"):
        raise ResourceError(f"field '{name}' is a name every resource has already, or its schemas need")


def _check_identifier(what: str, name: str, limit: int) -> None:
    if not _IDENTIFIER.match(name):
        raise ResourceError(
            f"{what} '{name}' must be a lowercase Python identifier (letters, digits, single '_' between them)"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise ResourceError(f"{what} '{name}' is a Python keyword")
    if len(name) > limit:
        raise ResourceError(f"{what} '{name}' must be {limit} characters at most")


def _column(field: Field) -> str:
    return f"{field.name}_id" if field.type == "ref" else field.name


def finish_resource(
    project: Path, resource: Resource, message: str | None = None, *, downgrade: TableCode | None = None
) -> Path:
    """Format the resource's files with the project's ruff (names of any length then read like the rest of the
    project), and write its migration (`message`, "add <name>" by default), with `downgrade` as the code of its
    downgrade when given; return the migration's path."""
    package = project / "src" / str(load_project(project).answers["package_name"])
    written = (
        package / resource.name,
        project / "tests" / resource.name,
        project / "tests" / "fixtures" / "resources.py",
    )
    files = [str(path) for path in written if path.exists()]
    env = _project_env()
    try:
        if files:  # with no file named, ruff would take the whole project
            _format(project, env, files)
    except BaseException:
        restore(project)
        raise
    if load_project(project).answers["framework"] == "django":
        if not (package / resource.name / "models.py").is_file():  # removed, with its app and its migrations
            return write_django_drop_migration(project, package / "items" / "migrations", resource)
        return write_django_migration(project, package / resource.name / "migrations", resource.plural)
    return write_migration(project, message or f"add {resource.name}", downgrade=downgrade)


def migration_command(project: Path, message: str) -> str:
    """The command that writes the project's migration for its models as they now are."""
    if (project / "manage.py").is_file():
        return "uv run python manage.py makemigrations"
    return f'uv run alembic revision --autogenerate -m "{message}"'


def _format(project: Path, env: Mapping[str, str], files: Sequence[str]) -> None:
    _run(project, env, "ruff", "check", "--fix", "--exit-zero", "--quiet", *files)
    _run(project, env, "ruff", "format", "--quiet", *files)


def write_migration(project: Path, message: str, *, downgrade: TableCode | None = None) -> Path:
    """Write the Alembic revision that brings the database to the project's models, and return its path; with
    `downgrade`, that code (`table_as_created`) replaces what autogenerate wrote for the revision's downgrade.

    Autogenerate compares the models with a scratch SQLite database upgraded to the latest migration; the
    database is removed after, and the revision is the user's own file from then on.
    """
    versions = project / "migrations" / "versions"
    before = set(versions.glob("*.py"))
    try:
        with tempfile.TemporaryDirectory(prefix="pybackend-migration-") as scratch:
            env = _scratch_database(scratch)
            _run(project, env, "alembic", "upgrade", "head")
            _run(project, env, "alembic", "revision", "--autogenerate", "-m", message)
            written = sorted(set(versions.glob("*.py")) - before)
            if len(written) != 1:
                raise ResourceError(f"alembic wrote {len(written)} revisions to {versions}; expected one")
            if downgrade is not None:
                _replace_downgrade(written[0], downgrade)
                _format(project, env, [str(written[0])])
    except BaseException:
        restore(project)  # the resource without its migration would be half a change
        raise
    return written[0]


# Run in the project's environment by `table_as_created`: renders the table its models define, with its indexes, as
# Alembic renders a revision's commands (the project's own render_item included), and the imports that code needs
# (those Alembic collects, and the modules of a library's column types), into the file argv[2] as JSON; then stops
# before any revision is written.
_RENDER_TABLE = """
import json
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import render
from alembic.autogenerate.api import AutogenContext
from alembic.config import Config
from alembic.operations import ops


def capture(context, revision, directives):
    table = context.opts["target_metadata"].tables[sys.argv[1]]
    indexes = sorted(table.indexes, key=lambda index: str(index.name))
    created = [ops.CreateTableOp.from_table(table), *(ops.CreateIndexOp.from_index(each) for each in indexes)]
    autogen = AutogenContext(context, autogenerate=False, opts={**context.opts, "render_as_batch": False})
    code = render._indent(render._render_cmd_body(ops.UpgradeOps(ops=created), autogen))
    # A library's column type (SQLModel's AutoString) is written with its module's path, which it then needs.
    modules = {type(column.type).__module__ for column in table.columns}
    imports = autogen.imports | {f"import {name}" for name in modules if f"{name}." in code}
    Path(sys.argv[2]).write_text(json.dumps({"code": code, "imports": sorted(imports)}))
    raise SystemExit(0)


command.revision(Config("alembic.ini"), autogenerate=True, process_revision_directives=capture)
"""
_COMMANDS = re.compile(r"# ### commands auto generated by Alembic.*?# ### end Alembic commands ###", re.DOTALL)


@dataclass(frozen=True)
class TableCode:
    """A table's creation as a revision's commands, and the imports they need (`from sqlalchemy.dialects import
    mysql` for a column type with a MySQL variant)."""

    commands: str
    imports: tuple[str, ...]


def table_as_created(project: Path, resource: Resource) -> TableCode | None:
    """The resource's table as its model creates it, as a revision's code: taken before `remove resource` removes
    the model, for the downgrade of the revision that drops the table. (Autogenerate would re-create it with the
    types the scratch SQLite database reports, such as DOUBLE, DATETIME and CHAR(32), which PostgreSQL refuses.)
    None for a Django project, whose drop migration cannot re-create a table whose app is gone."""
    if load_project(project).answers["framework"] == "django":
        return None
    with tempfile.TemporaryDirectory(prefix="pybackend-migration-") as scratch:
        env = _scratch_database(scratch)
        _run(project, env, "alembic", "upgrade", "head")
        rendered = Path(scratch) / "table.json"
        _run(project, env, "python", "-c", _RENDER_TABLE, resource.plural, str(rendered))
        found = json.loads(rendered.read_text()) if rendered.is_file() else {}
    commands, imports = str(found.get("code", "")).strip(), found.get("imports", [])
    if not _COMMANDS.fullmatch(commands) or not isinstance(imports, list):
        raise ResourceError(f"the table {resource.plural} could not be read from the project's models; nothing changed")
    return TableCode(commands, tuple(str(line) for line in imports))


def _replace_downgrade(revision: Path, table: TableCode) -> None:
    """Put the table's commands in place of those autogenerate wrote for the revision's downgrade (its second
    block), with the imports they need above the revision's first import (ruff then sorts them)."""
    text = revision.read_text()
    blocks = list(_COMMANDS.finditer(text))
    if len(blocks) != 2:
        raise ResourceError(f"{revision.name} does not hold an upgrade and a downgrade as Alembic writes them")
    text = text[: blocks[1].start()] + table.commands + text[blocks[1].end() :]
    missing = [line for line in table.imports if line not in text.splitlines()]
    first_import = re.search(r"^(?:from|import) ", text, re.MULTILINE)
    if missing and first_import:
        text = text[: first_import.start()] + "".join(f"{line}\n" for line in missing) + text[first_import.start() :]
    revision.write_text(text)


def _project_env() -> dict[str, str]:
    """The environment of the project's own tools: its own virtual environment, not the one running pybackend."""
    return {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}


def _scratch_database(scratch: str) -> dict[str, str]:
    """The environment of the project's own tools, on a SQLite database in `scratch`."""
    return {**_project_env(), "DATABASE_URL": f"sqlite:///{Path(scratch) / 'scratch.db'}"}


# The migration that drops a removed resource's table. Its app has left INSTALLED_APPS with its migrations, so
# makemigrations cannot see the table go: the project's `items` app, always there, carries this one instead.
_DJANGO_DROP = '''"""Drop the table of the resource `{name}`, removed with its app `{label}` (`pybackend remove resource
{name} --drop`), and Django's records of that app: its content types (with their permissions and admin log
entries) and its applied migrations, so that a resource of that name can be added again.

The table is not re-created on the way back: its app and model are gone.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TABLE = "{table}"
APP_LABEL = "{label}"


def drop_table(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    connection = schema_editor.connection
    if TABLE in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {{schema_editor.quote_name(TABLE)}}")
    apps.get_model("contenttypes", "ContentType").objects.filter(app_label=APP_LABEL).delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", [APP_LABEL])


class Migration(migrations.Migration):
    dependencies = [
        ("items", "{previous}"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Outside a transaction: MySQL cannot roll DDL back, so Django refuses DDL inside one there.
    operations = [migrations.RunPython(drop_table, migrations.RunPython.noop, atomic=False)]
'''


def write_django_drop_migration(project: Path, migrations: Path, resource: Resource) -> Path:
    """Write the migration that drops the removed `resource`'s table, next in `migrations` (the items app's),
    formatted like the rest of the project, and return its path."""
    numbered = sorted(migrations.glob("[0-9][0-9][0-9][0-9]_*.py"))
    if not numbered:
        raise ResourceError(f"{migrations} holds no migration to follow; write the one that drops {resource.plural}")
    previous = numbered[-1].stem
    written = migrations / f"{int(previous[:4]) + 1:04d}_drop_{resource.plural}.py"
    try:
        written.write_text(
            _DJANGO_DROP.format(name=resource.name, label=resource.plural, table=resource.plural, previous=previous)
        )
        _format(project, _project_env(), [str(written)])
    except BaseException:
        restore(project)  # the resource gone without its migration would be half a change
        raise
    return written


def write_django_migration(project: Path, migrations: Path, app_label: str) -> Path:
    """Write the migration of the Django app `app_label` (its models in `migrations`' package) with Django's
    own `makemigrations`, formatted like the rest of the project, and return its path.

    Django compares the models with the app's migrations, not with a database: the settings only need one to
    load, a scratch SQLite database (removed after), whatever DATABASE_URL the user's environment holds.
    """
    before = set(migrations.glob("*.py"))
    try:
        with tempfile.TemporaryDirectory(prefix="pybackend-migration-") as scratch:
            env = {**_scratch_database(scratch), "APP_ENV": "development"}
            env.pop("DJANGO_SETTINGS_MODULE", None)  # the project's own settings
            _run(project, env, "python", "manage.py", "makemigrations", app_label, "--no-input", "--no-header")
            written = sorted(set(migrations.glob("*.py")) - before)
            if len(written) != 1:
                raise ResourceError(f"makemigrations wrote {len(written)} migrations to {migrations}; expected one")
            _format(project, env, [str(written[0])])
    except BaseException:
        restore(project)  # the resource without its migration would be half a change
        raise
    return written[0]


def require_uv() -> str:
    """uv, which runs the project's own tools to write a resource's migration: asked for before any file changes."""
    uv = shutil.which("uv")
    if uv is None:
        raise ResourceError("changing resources needs uv (https://docs.astral.sh/uv/) on PATH; nothing was changed")
    return uv


def _run(project: Path, env: Mapping[str, str], *args: str) -> None:
    """A tool of the project's (alembic, manage.py, ruff), in its own environment."""
    done = subprocess.run(
        [require_uv(), "run", "--quiet", *args],
        cwd=project,
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        reason = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["no output"]
        raise ResourceError(f"`{' '.join(args)}` failed in {project}: {reason[0]}")


def plan_add_resource(
    path: Path, name: str, specs: Sequence[str], *, plural: str | None = None
) -> tuple[Plan, Resource]:
    """The change that renders the resource into the project at `path`: refused, with nothing written, when the
    project cannot take it or the resource is not valid."""
    from pybackend.answers import computed_values
    from pybackend.update import plan_change

    project = load_project(path)
    require_support(project.answers)
    plan = plan_change(path, {})
    questions = plan.target.questions()
    if RESOURCES not in {question.name for question in questions}:
        raise ResourceError(
            f"{project.name} is on template {project.commit}, which has no resources; run `pybackend update` first"
        )
    computed = computed_values(questions)
    reserved = f"{computed['reserved_package_names']} {computed['dependency_import_names']}".split()
    reserved += _FRAMEWORK_MODULES.get(str(project.answers["framework"]), ())
    resource = parse_resource(name, specs, project.answers, reserved=reserved, plural=plural)
    recorded = [*(project.answers.get(RESOURCES) or []), resource.answer()]
    return replace(plan, answers={RESOURCES: recorded}), resource


def plan_change_resource(path: Path, name: str, changes: Sequence[str]) -> tuple[Plan, Resource]:
    """The change that adds fields to (`+pages:int?`) and removes fields from (`-pages`) the resource `name`,
    refused with nothing written when a change is not valid."""
    project, recorded, current = _recorded(path, name)
    if not changes:
        raise ResourceError(f"say what changes in '{name}': +FIELD:TYPE to add a field, -FIELD to remove one")
    fields = list(current.fields)
    targets = [str(resource["name"]) for resource in recorded]
    for change in changes:
        sign, spec = change[:1], change[1:]
        if sign == "-":
            kept = [field for field in fields if spec not in {field.name, _column(field)}]
            if len(kept) == len(fields):
                known = ", ".join(field.name for field in fields) or "none left"
                raise ResourceError(f"resource '{name}' has no field '{spec}' to remove (its fields: {known})")
            fields = kept
        elif sign == "+":
            field = parse_field(spec, targets=targets, auth=str(project.answers.get("auth", "none")))
            if field.name in {f.name for f in fields} or _column(field) in {_column(f) for f in fields}:
                raise ResourceError(f"resource '{name}' has a field '{field.name}' already")
            fields.append(field)
        else:
            raise ResourceError(f"'{change}' is neither +FIELD:TYPE (add a field) nor -FIELD (remove one)")
    if not fields:
        raise ResourceError(
            f"resource '{name}' needs at least one field; to remove it, run `pybackend remove resource {name} --drop`"
        )
    changed = Resource(name=current.name, plural=current.plural, fields=tuple(fields))
    if set(changed.fields) == set(current.fields):
        raise ResourceError(f"these changes leave resource '{name}' as it is")
    answer = [changed.answer() if resource["name"] == name else resource for resource in recorded]
    return _plan_resources(path, answer), changed


def plan_remove_resource(path: Path, name: str, *, drop: bool) -> tuple[Plan, Resource]:
    """The change that removes the resource `name`, its files and, by a migration, its table with every row:
    refused unless `drop`, and while another resource refers to it."""
    project, recorded, current = _recorded(path, name)
    if not drop:
        raise ResourceError(
            f"removing resource '{name}' drops its table {current.plural} and every row in it; "
            f"run `pybackend remove resource {name} --drop` to do so"
        )
    referrers = [
        f"{resource['name']}.{field['name']}"
        for resource in recorded
        if resource["name"] != name
        for field in resource["fields"]
        if field.get("ref") == name
    ]
    if referrers:
        raise ResourceError(f"{', '.join(referrers)} refer to '{name}'; remove those fields first")
    answer = [resource for resource in recorded if resource["name"] != name]
    package = project.answers["package_name"]
    discard = (f"src/{package}/{name}/", f"tests/{name}/")
    return replace(_plan_resources(path, answer), discard=discard), current


def _recorded(path: Path, name: str) -> tuple[Any, list[dict[str, Any]], Resource]:
    """The project at `path`, its recorded resources, and the one named `name`, as a Resource."""
    project = load_project(path)
    require_support(project.answers)
    recorded: list[dict[str, Any]] = list(project.answers.get(RESOURCES) or [])
    for resource in recorded:
        if resource["name"] == name:
            fields = tuple(Field(**field) for field in resource["fields"])
            return project, recorded, Resource(name=name, plural=str(resource["plural"]), fields=fields)
    known = ", ".join(str(resource["name"]) for resource in recorded) or "none yet"
    raise ResourceError(f"the project has no resource '{name}' (its resources: {known})")


def _plan_resources(path: Path, answer: list[dict[str, Any]]) -> Plan:
    from pybackend.update import plan_change

    return replace(plan_change(path, {}), answers={RESOURCES: answer})


def require_support(answers: Mapping[str, Any]) -> None:
    """Refuse, naming why, a project whose template writes no resources."""
    framework = str(answers["framework"])
    if framework not in FRAMEWORKS:
        raise ResourceError(f"add resource is not available for {framework} yet")
    if answers.get("database", "none") == "none":
        raise ResourceError("a resource is kept in the database, and this project has none (database=none)")
    orms = _ORMS.get(framework, ("sqlalchemy",))
    orm = answers.get("orm", orms[0])  # a project made before the question has the framework's first ORM
    if orm not in orms:
        raise ResourceError(f"add resource is not available for {framework} with orm={orm} yet")
