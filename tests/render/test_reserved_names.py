"""A package name must not shadow a module the project imports: copier.yml's reserved names cover every one.

The dependencies are those of real rendered projects, one per database with every option on; their import names are
read from the distributions uv installs for them, dependencies of dependencies included.
"""

from __future__ import annotations

import json
import keyword
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from pybackend.answers import computed_values, resolve_answers
from pybackend.generate import render
from pybackend.questions import Question
from pybackend.source import template_source

pytestmark = pytest.mark.render

_PACKAGE_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_TOP_LEVEL_NAMES = """
import importlib.metadata, json
names = set()
for dist in importlib.metadata.distributions():
    for file in dist.files or ():
        first = file.parts[0]
        if first in ("..", "__pycache__") or first.endswith((".dist-info", ".data", ".pth", ".egg-info")):
            continue
        if len(file.parts) == 1:
            if not first.endswith((".py", ".so", ".pyd")):
                continue
            first = first.split(".")[0]
        names.add(first)
print(json.dumps(sorted(names)))
"""


def _reserved(questions: list[Question]) -> set[str]:
    computed = computed_values(questions)
    return set(computed["reserved_package_names"].split()) | set(computed["dependency_import_names"].split())


class _EverythingOn:
    """Answers yes to every yes/no question that is asked, every choice of a multi-select, and takes the default
    for the rest."""

    def ask(self, question: Question, default: Any, choices: Sequence[str]) -> Any:
        if question.multiselect:
            return list(choices)
        return True if question.type == "bool" else default

    def reject(self, question: Question, problem: str) -> None:
        raise AssertionError(problem)


def _requirements(questions: list[Question], scratch: Path) -> set[str]:
    requirements: set[str] = set()
    database = next(q for q in questions if q.name == "database")
    for value in database.choices:
        given = {"project_name": f"all-{value}", "database": value}
        answers = resolve_answers(questions, given, use_defaults=True, prompter=_EverythingOn())
        project = scratch / answers["project_name"]
        render(answers, project, template_source())
        pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
        requirements |= set(pyproject["project"]["dependencies"])
        requirements |= set(pyproject["dependency-groups"]["dev"])
    return requirements


def test_every_import_name_of_every_dependency_is_reserved(questions: list[Question], tmp_path: Path) -> None:
    uv = shutil.which("uv")
    assert uv, "uv installs the dependencies to read their import names"
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("\n".join(sorted(_requirements(questions, tmp_path))) + "\n")
    venv = tmp_path / "venv"
    for args in (
        ["venv", "--quiet", "--python", sys.executable, str(venv)],
        ["pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), "-r", str(requirements)],
    ):
        completed = subprocess.run([uv, *args], capture_output=True, text=True, check=False)
        assert completed.returncode == 0, completed.stderr
    listed = subprocess.run(
        [str(venv / "bin" / "python"), "-c", _TOP_LEVEL_NAMES], capture_output=True, text=True, check=True
    )
    imported = {name for name in json.loads(listed.stdout) if _PACKAGE_NAME.match(name)}
    assert "pydantic_settings" in imported, "the listing found the dependencies"
    missing = imported - _reserved(questions)
    assert not missing, f"add to dependency_import_names in copier.yml: {' '.join(sorted(missing))}"


def test_keywords_and_the_standard_library_are_reserved(questions: list[Question]) -> None:
    names = {name for name in {*sys.stdlib_module_names, *keyword.kwlist} if _PACKAGE_NAME.match(name)}
    missing = names - _reserved(questions)
    assert not missing, f"add to reserved_package_names in copier.yml: {' '.join(sorted(missing))}"
