"""Tier 2: render every value and every pair of values, and check each project as its tools would."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from expected_files import expected_files
from pairwise import Stack, covering_stacks
from pybackend.answers import resolve_answers
from pybackend.generate import Options, generate
from pybackend.questions import NEW_PROJECT_NAME_LIMITS, for_new_projects, load_questions
from pybackend.source import template_source
from support.offered import missing_values
from support.parsing import assert_files_parse

pytestmark = pytest.mark.render

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
_LEFTOVER_JINJA = re.compile(r"(?<!\$)\{\{|\{%|\{#")
# The questions as `pybackend new` asks them.
_QUESTIONS = for_new_projects(load_questions(REPO_ROOT / "copier.yml"))


def _longest(name: str) -> str:
    return name.ljust(NEW_PROJECT_NAME_LIMITS["project_name"], "x")


_TRICKY = 'Orders "API" \\ it\'s {{ not_jinja }} {% raw %} ${HOME} $(id) `id` # not a comment: café ☕'

# Where isort puts the package among the tests' imports depends on its name: every other stack's package sorts
# after `tests` (web_pair01_...), the rest before it (svc_pair00_...). The names are as long as a new project may
# take (the package name is cut from it to its own limit), so that no line outgrows the projects' own ruff.
STACKS: list[tuple[str, Stack]] = [
    (f"pair{index:02d}", {"project_name": _longest(f"{('svc', 'web')[index % 2]}-pair{index:02d}-"), **stack})
    for index, stack in enumerate(covering_stacks(_QUESTIONS))
] + [
    ("tricky-text", {"description": _TRICKY, "author_name": 'O\'Brien "Bob" \\', "package_name": "orders_core"}),
]


@pytest.fixture(scope="module", params=STACKS, ids=[name for name, _ in STACKS])
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    name, stack = request.param
    answers = resolve_answers(_QUESTIONS, {"project_name": f"svc-{name}", **stack}, use_defaults=True)
    target = tmp_path_factory.mktemp("render") / answers["project_name"]
    generate(answers, target, template_source(), Options(git=False, lock=False))
    return target, answers


def test_every_offered_value_is_rendered() -> None:
    """Against the list written by hand in support/offered.py, not the validators that chose the stacks: a value
    they wrongly refuse would otherwise drop out of the matrix without a word."""
    resolved = [
        resolve_answers(_QUESTIONS, {"project_name": f"svc-{name}", **stack}, use_defaults=True)
        for name, stack in STACKS
    ]
    assert missing_values(resolved) == {}


def _files(project: Path) -> list[Path]:
    return sorted(path for path in project.rglob("*") if path.is_file())


def _run(*args: str | Path, cwd: Path) -> None:
    completed = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, f"{args[0]} failed:\n{completed.stdout}\n{completed.stderr}"


def test_the_file_list_is_exactly_what_the_answers_ask_for(rendered: tuple[Path, dict[str, Any]]) -> None:
    project, answers = rendered
    actual = {path.relative_to(project).as_posix() for path in _files(project)}
    assert actual == expected_files(answers)


def test_no_template_syntax_is_left(rendered: tuple[Path, dict[str, Any]]) -> None:
    project, _ = rendered
    for path in _files(project):
        # The tricky answers carry template-like text on purpose; it must come through as data.
        text = path.read_text(encoding="utf-8").replace("{{ not_jinja }}", "").replace("{% raw %}", "")
        assert not _LEFTOVER_JINJA.search(text), f"{path.relative_to(project)} holds template syntax"


def test_every_data_file_parses(rendered: tuple[Path, dict[str, Any]]) -> None:
    project, answers = rendered
    assert_files_parse(project)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["description"] == answers["description"]
    assert pyproject["project"]["name"] == answers["project_name"]


def test_ruff_passes(rendered: tuple[Path, dict[str, Any]]) -> None:
    project, _ = rendered
    _run(BIN / "ruff", "check", "--no-cache", ".", cwd=project)
    _run(BIN / "ruff", "format", "--no-cache", "--check", ".", cwd=project)


def test_delivery_files_pass_their_validators(rendered: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    project, answers = rendered
    if answers["docker"]:
        _run(BIN / "hadolint", "Dockerfile", cwd=project)
        _run(BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", "compose.yaml", cwd=project)
    if answers["ci"] == "github":
        workflow = ".github/workflows/ci.yml"
        _run(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", workflow, cwd=project)
    if answers["kubernetes"]:
        kubectl = shutil.which("kubectl")
        assert kubectl, "kubectl is needed to build the kustomizations"
        for overlay in ("base", "overlays/dev", "overlays/prod"):
            built = subprocess.run(
                [kubectl, "kustomize", f"k8s/{overlay}"], cwd=project, capture_output=True, text=True, check=False
            )
            assert built.returncode == 0, built.stderr
            manifests = tmp_path / f"{overlay.replace('/', '-')}.yaml"
            manifests.write_text(built.stdout)
            _run(BIN / "kubernetes-validate", "--strict", manifests, cwd=project)
        _run(BIN / "kubernetes-validate", "--strict", "k8s/base/secret.example.yaml", cwd=project)
