"""Tier 2: a resource's files as the template renders them are already what the project's ruff would write.

`add resource` formats the files it writes with the project's ruff, but an update merges the template's later
renderings into them three ways: a line ruff had rewritten differs from the template's on both sides, so the next
template change near it (or `set resource`, or `remove resource`) would be a conflict the user never caused. So
every framework's resource files, rendered for names of a usual length and every field type, pass `ruff format
--check` and `ruff check` as rendered, with no formatting step. (Names near the limits may still be rewritten.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pybackend.answers import resolve_answers
from pybackend.generate import Options, generate
from pybackend.questions import for_new_projects, load_questions
from pybackend.resources import FIELD_TYPES, FRAMEWORKS, Field, Resource, plural_of
from pybackend.source import template_source

pytestmark = pytest.mark.render

REPO_ROOT = Path(__file__).resolve().parents[2]
RUFF = Path(sys.executable).parent / "ruff"
_QUESTIONS = for_new_projects(load_questions(REPO_ROOT / "copier.yml"))


def _resources(auth: bool) -> list[dict[str, Any]]:
    """Two resources with names of a usual length: one with a field of every type, optional and unique where it may
    be, referring to itself and (with auth) to users; the other, named in two words, referring to the first."""
    fields = [
        Field(f"{kind}_value", kind, optional=index % 2 == 1, unique=kind == "str")
        for index, kind in enumerate(FIELD_TYPES)
    ]
    fields.append(Field("parent", "ref", optional=True, ref="publication"))
    if auth:
        fields.append(Field("reviewer", "ref", optional=True, ref="user"))
    referring = (Field("title", "str"), Field("publication", "ref", ref="publication"))
    return [
        Resource("publication", plural_of("publication"), tuple(fields)).answer(),
        Resource("book_review", plural_of("book_review"), referring).answer(),
    ]


# Each framework with its default ORM, and FastAPI with SQLModel too, whose resources have files of their own.
STACKS = [(framework, None) for framework in FRAMEWORKS] + [("fastapi", "sqlmodel")]


@pytest.mark.parametrize("auth", ["jwt", "none"])
@pytest.mark.parametrize(("framework", "orm"), STACKS)
def test_resource_files_are_rendered_as_ruff_writes_them(
    framework: str, orm: str | None, auth: str, tmp_path: Path
) -> None:
    stack = {
        "project_name": "library",
        "framework": framework,
        "database": "postgresql",
        "auth": auth,
        "cache": auth == "jwt",
        **({"orm": orm} if orm else {}),
    }
    answers = resolve_answers(_QUESTIONS, stack, use_defaults=True)
    answers["resources"] = _resources(auth == "jwt")  # `new` never takes them; `add resource` records them
    project = tmp_path / "library"
    generate(answers, project, template_source(), Options(git=False, lock=False))
    assert (project / "tests" / "publication").is_dir(), "the resource's tests were not rendered"
    models = "".join(path.read_text() for path in (project / "src" / "library" / "book_review").glob("*.py"))
    assert "class BookReview(" in models, "a name of two words is one class name of both, capitalised"
    for args in (["format", "--check", "--diff"], ["check", "--output-format", "concise"]):
        done = subprocess.run(
            [str(RUFF), *args, "--no-cache", "."], cwd=project, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"ruff {' '.join(args)}:\n{done.stdout[-6000:]}\n{done.stderr[-2000:]}"
