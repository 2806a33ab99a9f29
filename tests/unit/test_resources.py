"""`add resource`: reading NAME FIELD:TYPE..., and the refusals a user meets before anything is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pybackend.cli import cli
from pybackend.errors import ExitCode, ResourceError
from pybackend.resources import Field, parse_field, parse_resource, plural_of, require_support

JWT: dict[str, Any] = {"auth": "jwt", "resources": []}
WITH_AUTHOR: dict[str, Any] = {"auth": "jwt", "resources": [{"name": "author", "plural": "authors", "fields": []}]}


def test_a_resource_is_recorded_as_its_name_plural_and_fields() -> None:
    resource = parse_resource(
        "book", ["title:str:unique", "pages:int?", "author:ref:author", "owner_of:ref:user?"], WITH_AUTHOR
    )

    assert resource.answer() == {
        "name": "book",
        "plural": "books",
        "fields": [
            {"name": "title", "type": "str", "optional": False, "unique": True, "ref": None},
            {"name": "pages", "type": "int", "optional": True, "unique": False, "ref": None},
            {"name": "author", "type": "ref", "optional": False, "unique": False, "ref": "author"},
            {"name": "owner_of", "type": "ref", "optional": True, "unique": False, "ref": "user"},
        ],
    }


@pytest.mark.parametrize("kind", ["str", "text", "int", "float", "bool", "date", "datetime", "decimal", "uuid"])
def test_every_type_is_read(kind: str) -> None:
    assert parse_field(f"value:{kind}?", targets=[], auth="none") == Field("value", kind, optional=True)


@pytest.mark.parametrize(
    ("name", "plural"),
    [("book", "books"), ("box", "boxes"), ("address", "addresses"), ("category", "categories"), ("day", "days")],
)
def test_plurals_follow_the_regular_rule(name: str, plural: str) -> None:
    assert plural_of(name) == plural


def test_an_irregular_plural_is_given() -> None:
    assert parse_resource("person", ["name:str"], JWT, plural="people").plural == "people"


@pytest.mark.parametrize(
    ("name", "specs", "problem"),
    [
        ("Book", ["title:str"], "lowercase Python identifier"),
        ("book-shelf", ["title:str"], "lowercase Python identifier"),
        ("class", ["title:str"], "Python keyword"),
        ("a_very_long_resource", ["title:str"], "15 characters at most"),
        ("item", ["title:str"], "clash with the project's own"),
        ("user", ["title:str"], "clash with the project's own"),
        ("task", ["title:str"], "clash with the project's own"),
        ("health", ["title:str"], "clash with the project's own"),
        ("json", ["title:str"], "shadow a Python keyword or a module"),
        ("author", ["title:str"], "has a resource 'author'"),
        ("book", [], "at least one field"),
        ("book", ["title"], "is not NAME:TYPE"),
        ("book", ["title:string"], "'string' is not a type"),
        ("book", ["id:int"], "every resource has already"),
        ("book", ["created_at:datetime"], "every resource has already"),
        ("book", ["owner_id:int"], "every resource has already"),
        ("book", ["model_name:str"], "every resource has already"),
        ("book", ["for:str"], "Python keyword"),
        ("book", ["title:str", "title:text"], "given twice"),
        ("book", ["author:ref:author", "author_id:int"], "given twice"),
        ("book", ["summary:text:unique"], "cannot be unique"),
        ("book", ["title:str:indexed"], "is not a modifier"),
        ("book", ["shelf:ref:shelf"], "no resource of the project"),
        ("book", ["shelf:ref"], "names what it refers to"),
    ],
)
def test_a_bad_resource_is_refused_in_one_line(name: str, specs: list[str], problem: str) -> None:
    with pytest.raises(ResourceError) as refused:
        parse_resource(name, specs, WITH_AUTHOR, reserved=["json", "os"])

    assert problem in refused.value.message
    assert "\n" not in refused.value.message
    assert refused.value.exit_code == ExitCode.INVALID_ANSWERS


def test_users_are_referred_to_only_with_auth() -> None:
    with pytest.raises(ResourceError, match="without auth=jwt"):
        parse_resource("book", ["reader:ref:user"], {"auth": "none", "resources": []})


def test_a_resource_may_refer_to_itself() -> None:
    assert parse_resource("category", ["parent:ref:category?"], JWT).fields[0].ref == "category"


def _answers(project: Path, **answers: Any) -> None:
    recorded = {"_src_path": "gh:example/template", "_commit": "v0.1.0", "project_name": "shop", **answers}
    (project / ".copier-answers.yml").write_text("".join(f"{key}: {value}\n" for key, value in recorded.items()))


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"framework": "fastapi", "database": "none"}, "has none (database=none)"),
        # An answers file edited by hand: Tornado's template writes its models with SQLAlchemy only.
        ({"framework": "tornado", "database": "sqlite", "orm": "sqlmodel"}, "with orm=sqlmodel yet"),
    ],
)
def test_a_project_that_cannot_take_a_resource_is_refused(
    tmp_path: Path, answers: dict[str, Any], message: str
) -> None:
    _answers(tmp_path, **answers)

    result = CliRunner().invoke(cli, ["add", "resource", "book", "title:str", "--project", str(tmp_path)])

    assert result.exit_code == ExitCode.INVALID_ANSWERS
    assert message in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == [".copier-answers.yml"]


@pytest.mark.parametrize("orm", ["sqlalchemy", "sqlmodel"])
def test_a_fastapi_project_takes_resources_with_either_orm(orm: str) -> None:
    require_support({"framework": "fastapi", "database": "sqlite", "orm": orm})


def test_set_refuses_the_resources_answer(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["set", "resources=[]", "--project", str(tmp_path)])

    assert result.exit_code == ExitCode.INVALID_ANSWERS
    assert "pybackend add resource" in result.output


def test_new_neither_asks_nor_offers_resources() -> None:
    assert "--resources" not in CliRunner().invoke(cli, ["new", "--help"]).output
    assert "resources" not in CliRunner().invoke(cli, ["options"]).output


def test_add_still_turns_features_on(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["add", "celery", "--project", str(tmp_path)])

    assert result.exit_code == ExitCode.NOT_A_PROJECT


def _with_library(project: Path) -> str:
    """A FastAPI project whose answers record `author` and `book` (referring to it); returns the answers file."""
    import yaml

    fields = [
        {"name": "title", "type": "str", "optional": False, "unique": False, "ref": None},
        {"name": "pages", "type": "int", "optional": True, "unique": False, "ref": None},
        {"name": "author", "type": "ref", "optional": False, "unique": False, "ref": "author"},
    ]
    name = {"name": "name", "type": "str", "optional": False, "unique": True, "ref": None}
    recorded = {
        "_src_path": "gh:example/template",
        "_commit": "v0.1.0",
        "project_name": "library",
        "framework": "fastapi",
        "database": "sqlite",
        "auth": "jwt",
        "resources": [
            {"name": "author", "plural": "authors", "fields": [name]},
            {"name": "book", "plural": "books", "fields": fields},
        ],
    }
    text = yaml.safe_dump(recorded, sort_keys=False)
    (project / ".copier-answers.yml").write_text(text)
    return text


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["set", "resource", "magazine", "+issue:int"], "has no resource 'magazine' (its resources: author, book)"),
        (["set", "resource", "book", "-isbn"], "has no field 'isbn' to remove (its fields: title, pages, author)"),
        (["set", "resource", "book", "+title:text"], "has a field 'title' already"),
        (["set", "resource", "book", "summary:text"], "neither +FIELD:TYPE (add a field) nor -FIELD"),
        (["set", "resource", "book", "+summary:blob"], "'blob' is not a type"),
        (["set", "resource", "book", "+editor:ref:editor"], "refers to 'editor', which is no resource"),
        (["set", "resource", "book", "-title", "-pages", "-author"], "remove resource book --drop"),
        (["set", "resource", "book", "-pages", "+pages:int?"], "leave resource 'book' as it is"),
        (["remove", "resource", "book"], "drops its table books and every row in it; run `pybackend remove"),
        (["remove", "resource", "author", "--drop"], "book.author refer to 'author'; remove those fields first"),
    ],
)
def test_a_bad_change_of_a_resource_is_refused_and_nothing_written(
    tmp_path: Path, args: list[str], problem: str
) -> None:
    recorded = _with_library(tmp_path)

    result = CliRunner().invoke(cli, [*args, "--project", str(tmp_path)])

    assert result.exit_code == ExitCode.INVALID_ANSWERS, result.output
    assert problem in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == [".copier-answers.yml"]
    assert (tmp_path / ".copier-answers.yml").read_text() == recorded


def test_set_still_changes_answers(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["set", "celery=true", "--project", str(tmp_path)])

    assert result.exit_code == ExitCode.NOT_A_PROJECT


def test_without_uv_a_resource_change_is_refused_before_any_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """uv runs the project's tools that write the migration: without it, nothing is rendered and nothing reported
    as updated (it used to print the summary, then fail and put the files back)."""
    import shutil
    import subprocess

    argv = ["new", "shop", "-y", "--no-lock", "--no-docker", "--output-dir", str(tmp_path)]
    assert CliRunner().invoke(cli, argv, catch_exceptions=False).exit_code == 0
    project = tmp_path / "shop"
    tools = tmp_path / "git-only"
    tools.mkdir()
    git = shutil.which("git")
    assert git is not None
    (tools / "git").symlink_to(git)
    monkeypatch.setenv("PATH", str(tools))

    result = CliRunner().invoke(cli, ["add", "resource", "book", "title:str", "--project", str(project)])

    assert result.exit_code == ExitCode.INVALID_ANSWERS, result.output
    assert "needs uv" in result.output and "Updated" not in result.output, result.output
    status = subprocess.run([git, "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True)
    assert status.stdout == "", status.stdout


@pytest.mark.parametrize("name", ["bo\x1b[31mok", "ti\ttle", "be\x07ll", "nul\x00l"])
def test_a_control_character_in_a_name_is_shown_escaped(tmp_path: Path, name: str) -> None:
    """An escape sequence in a refused name would otherwise restyle the user's terminal; a tab would hide."""
    _with_library(tmp_path)

    result = CliRunner().invoke(cli, ["set", "resource", "book", f"+{name}:str", "--project", str(tmp_path)])

    assert result.exit_code == ExitCode.INVALID_ANSWERS, result.output
    assert ascii(name)[1:-1] in result.output, result.output
    assert all(char.isprintable() or char == "\n" for char in result.output), repr(result.output)


def test_a_drop_revision_gets_the_tables_own_creation_as_its_downgrade(tmp_path: Path) -> None:
    """What autogenerate reads back from the scratch SQLite database (DOUBLE, DATETIME) is replaced by the model's
    own creation, with the imports that needs; the upgrade is left as written."""
    from pybackend.resources import TableCode, _replace_downgrade

    revision = tmp_path / "abc_drop_book.py"
    marks = ("# ### commands auto generated by Alembic - please adjust! ###", "# ### end Alembic commands ###")
    revision.write_text(
        '"""drop book"""\n\nimport sqlalchemy as sa\nfrom alembic import op\n\n\n'
        f"def upgrade() -> None:\n    {marks[0]}\n    op.drop_table('books')\n    {marks[1]}\n\n\n"
        f"def downgrade() -> None:\n    {marks[0]}\n    op.create_table('books', sa.Column('price', sa.DOUBLE()))\n"
        f"    {marks[1]}\n"
    )
    created = f"{marks[0]}\n    op.create_table('books', sa.Column('at', mysql.DATETIME(fsp=6)))\n    {marks[1]}"

    _replace_downgrade(
        revision, TableCode(created, ("from sqlalchemy.dialects import mysql", "import sqlalchemy as sa"))
    )

    text = revision.read_text()
    assert "sa.DOUBLE()" not in text and "mysql.DATETIME(fsp=6)" in text, text
    assert "op.drop_table('books')" in text, text
    assert text.count("from sqlalchemy.dialects import mysql\n") == 1 and text.count("import sqlalchemy as sa") == 1
