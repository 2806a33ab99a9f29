"""Tier 4: `pybackend update`, `add`, `set` and `check` against throwaway template repositories.

Each test builds its own template repository (see template_repo.py), cuts release v1, generates a project from it
through `PYBACKEND_TEMPLATE`, changes the template and cuts later releases, then runs the installed `pybackend`
command in the project and checks what a user would notice: the files, git's state, the exit status and the
messages. Nothing needs the network (`--no-lock`) or anything but git.

    uv run pytest tests/update -q -n 2
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from pybackend.errors import ExitCode
from support.procs import clean_env

from .runs import PYBACKEND, Run, run_pybackend
from .template_repo import MAIN_PY, TemplateRepo

TIMEOUT = 60
_IDENTITY = ("-c", "user.name=Test User", "-c", "user.email=user@example.com")


class Project:
    """A generated project, and the git commands its user runs."""

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.env = env

    def git(self, *args: str) -> str:
        completed = subprocess.run(
            ["git", *_IDENTITY, *args],
            cwd=self.path,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=TIMEOUT,
        )
        assert completed.returncode == 0, f"git {args}:\n{completed.stdout}\n{completed.stderr}"
        return completed.stdout

    def read(self, name: str) -> str:
        return (self.path / name).read_text(encoding="utf-8")

    def write(self, name: str, text: str) -> None:
        (self.path / name).write_text(text, encoding="utf-8")

    def edit(self, name: str, old: str, new: str) -> None:
        text = self.read(name)
        assert old in text, f"{old!r} is not in the project's {name}"
        self.write(name, text.replace(old, new, 1))

    def commit(self, message: str = "my changes") -> None:
        self.git("add", "--all")
        self.git("commit", "--quiet", "-m", message)

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def status(self) -> str:
        return self.git("status", "--porcelain", "--untracked-files=all")

    def unmerged(self) -> set[str]:
        """The paths in git's unmerged state, as `git ls-files -u` lists them."""
        return {line.split("\t", 1)[1] for line in self.git("ls-files", "-u").splitlines()}

    def answers(self) -> dict[str, Any]:
        recorded = yaml.safe_load(self.read(".copier-answers.yml"))
        assert isinstance(recorded, dict)
        return recorded

    def files(self) -> dict[str, bytes]:
        """Every file outside .git, with its bytes: equal snapshots mean nothing changed."""
        return {
            path.relative_to(self.path).as_posix(): path.read_bytes()
            for path in sorted(self.path.rglob("*"))
            if path.is_file() and ".git" not in path.relative_to(self.path).parts
        }

    def state(self) -> tuple[str, str, dict[str, bytes]]:
        """HEAD, `git status` and the files: what a refused or rolled-back command must leave as it found."""
        return self.head(), self.status(), self.files()


class Workspace:
    """One test's template repository, HOME, and the directory its projects are generated in."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.template = TemplateRepo.create(root / "template")
        home = root / "home"
        home.mkdir()
        self.projects = root / "projects"
        self.projects.mkdir()
        self.env = clean_env(
            {
                "HOME": str(home),
                "XDG_CONFIG_HOME": str(home / ".config"),
                "XDG_CACHE_HOME": str(home / ".cache"),
                "GIT_CONFIG_NOSYSTEM": "1",
                "LC_ALL": "C",
                "LANGUAGE": "C",
                "PYBACKEND_TEMPLATE": str(self.template.path),
            }
        )

    def pybackend(self, *args: str, cwd: Path) -> Run:
        return run_pybackend(*args, cwd=cwd, env=self.env, timeout=TIMEOUT)

    def pybackend_patched(self, patch: str, *args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
        """`pybackend ARGS` in a Python that first runs `patch`: a way to make something happen at one exact
        point inside Copier (a directory removed, a Ctrl-C in its clean-up)."""
        command = [sys.executable, "-c", f"{patch}\nfrom pybackend.cli import main\nmain()", *args]
        completed = subprocess.run(
            command,
            cwd=cwd,
            env=env or self.env,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            text=True,
            check=False,
            timeout=TIMEOUT,
        )
        return Run(["pybackend", *args], completed.returncode, completed.stdout, completed.stderr)

    def new(self, name: str = "demo", *options: str) -> Project:
        """`pybackend new NAME -y --no-lock`, from the template's newest release."""
        self.pybackend("new", name, "-y", "--no-lock", *options, cwd=self.projects).expect(0)
        return Project(self.projects / name, self.env)

    def update(self, project: Project, *options: str) -> Run:
        return self.pybackend("update", "--no-lock", *options, cwd=project.path)

    def check(self, project: Project) -> tuple[int, dict[str, Any]]:
        run = self.pybackend("check", "--json", cwd=project.path)
        return run.code, json.loads(run.stdout)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def _between_markers(text: str, ours: str, theirs: str) -> bool:
    """Whether `text` holds one conflict block with `ours` before the update and `theirs` after it."""
    pattern = r"<<<<<<< before updating\n(?P<ours>.*?)\n=======\n(?P<theirs>.*?)\n>>>>>>> after updating"
    return any(ours in m["ours"] and theirs in m["theirs"] for m in re.finditer(pattern, text, re.DOTALL))


# 1. A clean update


def test_clean_update_applies_the_template_change_and_leaves_it_uncommitted(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    assert project.answers()["_commit"] == "v1"
    assert project.answers()["_src_path"] == str(ws.template.path.resolve())
    head = project.head()
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.release("v2")

    run = ws.update(project).expect(ExitCode.OK)

    assert project.read("app/config.py") == "TIMEOUT = 60\nRETRIES = 3\n"
    assert project.answers()["_commit"] == "v2"
    assert "Updated demo (v1 to v2)" in run.stdout
    assert run.summary() == {
        "added": [],
        "changed": [".copier-answers.yml", "app/config.py"],
        "deleted": [],
        "conflicts": [],
    }
    # Left for review: nothing committed, both files modified in the working tree.
    assert project.head() == head
    assert sorted(project.status().splitlines()) == [" M .copier-answers.yml", " M app/config.py"]
    ws.pybackend("check", cwd=project.path).expect(ExitCode.OK)


# 2. A user edit away from the template's change


def test_a_user_edit_away_from_the_template_change_is_kept(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    project.edit("app/main.py", 'GREETING = "hello"', 'GREETING = "howdy"')
    project.commit()
    ws.template.replace("app/main.py", 'print(greet("world"))', 'print(shout("world"))')
    ws.template.release("v2")

    run = ws.update(project).expect(ExitCode.OK)

    main = project.read("app/main.py")
    assert 'GREETING = "howdy"' in main
    assert 'print(shout("world"))' in main
    assert "<<<<<<<" not in main
    assert run.summary()["conflicts"] == []
    assert "app/main.py" in run.summary()["changed"]
    assert project.unmerged() == set()


# 3. The same line changed on both sides


def test_the_same_line_changed_on_both_sides_is_a_conflict_and_the_rest_is_applied(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    project.edit("app/config.py", "TIMEOUT = 30", "TIMEOUT = 45")
    project.commit()
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.replace("app/main.py", 'print(greet("world"))', 'print(shout("world"))')
    ws.template.release("v2")

    run = ws.update(project).expect(ExitCode.CONFLICTS)

    assert "app/config.py" in run.stderr
    assert run.summary()["conflicts"] == ["app/config.py"]
    assert project.unmerged() == {"app/config.py"}
    assert "both modified:   app/config.py" in project.git("status")
    config = project.read("app/config.py")
    assert _between_markers(config, "TIMEOUT = 45", "TIMEOUT = 60"), config
    assert "RETRIES = 3" in config
    # Everything that did not conflict was applied.
    assert 'print(shout("world"))' in project.read("app/main.py")
    assert project.answers()["_commit"] == "v2"


# 4. A file the template deleted


def test_a_file_the_template_deleted_goes_unless_the_user_edited_it(ws: Workspace) -> None:
    ws.template.release("v1")
    pristine = ws.new("pristine")
    edited = ws.new("edited")
    edited.write("legacy.py", "LEGACY = 'mine'\n")
    edited.commit()
    ws.template.remove("legacy.py")
    ws.template.release("v2")

    run = ws.update(pristine).expect(ExitCode.OK)
    assert not (pristine.path / "legacy.py").exists()
    assert run.summary()["deleted"] == ["legacy.py"]
    assert run.summary()["conflicts"] == []

    run = ws.update(edited).expect(ExitCode.CONFLICTS)
    assert "legacy.py" in run.stderr
    assert run.summary()["conflicts"] == ["legacy.py"]
    assert run.summary()["deleted"] == []
    assert edited.read("legacy.py") == "LEGACY = 'mine'\n"
    assert edited.unmerged() == {"legacy.py"}
    assert "UD legacy.py" in edited.status().splitlines()
    assert "deleted by them: legacy.py" in edited.git("status")
    assert edited.answers()["_commit"] == "v2"


# 5. A file the template renamed


def test_a_file_the_template_renamed_keeps_the_user_edit_at_its_new_path(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    project.write("app/routes.py", 'ROUTES = ["/health", "/mine"]\n')
    project.commit()
    ws.template.replace("app/config.py", "RETRIES = 3", "RETRIES = 5")
    ws.template.release("v2")
    ws.template.rename("app/routes.py", "app/views.py")
    ws.template.migration(
        "v3", ["{{ _copier_python }}", "-m", "pybackend.migrations", "rename", "app/routes.py", "app/views.py"]
    )
    ws.template.release("v3")

    run = ws.update(project).expect(ExitCode.OK)

    assert project.read("app/views.py") == 'ROUTES = ["/health", "/mine"]\n'
    assert not (project.path / "app/routes.py").exists()
    assert project.unmerged() == set()
    summary = run.summary()
    assert summary["conflicts"] == []
    assert "app/views.py" in summary["added"]
    assert "app/routes.py" in summary["deleted"]
    assert project.read("app/config.py") == "TIMEOUT = 30\nRETRIES = 5\n"
    assert project.answers()["_commit"] == "v3"


def _rename_migration(template: TemplateRepo, version: str, old: str, new: str) -> None:
    template.rename(old, new)
    template.migration(version, ["{{ _copier_python }}", "-m", "pybackend.migrations", "rename", old, new])
    template.release(version)


def test_an_update_across_renames_and_later_changes_merges_them_into_the_users_file(ws: Workspace) -> None:
    """Moved in v2, changed in v3, moved again in v4: one update from v1 carries the user's edit and the change."""
    ws.template.release("v1")
    project = ws.new()
    project.edit("app/main.py", 'GREETING = "hello"', 'GREETING = "howdy"')
    project.commit()
    _rename_migration(ws.template, "v2", "app/main.py", "app/cli.py")
    ws.template.replace("app/cli.py", 'print(greet("world"))', 'print(shout("world"))')
    ws.template.release("v3")
    _rename_migration(ws.template, "v4", "app/cli.py", "app/commands/cli.py")

    run = ws.update(project).expect(ExitCode.OK)

    merged = project.read("app/commands/cli.py")
    assert merged == MAIN_PY.replace('"hello"', '"howdy"').replace('print(greet("world"))', 'print(shout("world"))')
    assert not (project.path / "app/main.py").exists()
    assert not (project.path / "app/cli.py").exists()
    assert run.summary() == {
        "added": ["app/commands/cli.py"],
        "changed": [".copier-answers.yml"],
        "deleted": ["app/main.py"],
        "conflicts": [],
    }
    assert project.unmerged() == set()


def test_a_renamed_file_changed_on_both_sides_is_a_conflict_at_its_new_path(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    project.write("app/routes.py", 'ROUTES = ["/health", "/mine"]\n')
    project.commit()
    _rename_migration(ws.template, "v2", "app/routes.py", "app/views.py")
    ws.template.write("app/views.py", 'ROUTES = ["/health", "/ready"]\n')
    ws.template.release("v3")

    run = ws.update(project).expect(ExitCode.CONFLICTS)

    assert "app/views.py" in run.stderr
    assert run.summary()["conflicts"] == ["app/views.py"]
    assert run.summary()["deleted"] == ["app/routes.py"]
    assert project.unmerged() == {"app/views.py"}
    views = project.read("app/views.py")
    assert _between_markers(views, '"/mine"', '"/ready"'), views
    # git knows all three sides, so `git checkout --ours/--theirs` and mergetools work on it.
    stages = {line.split()[2] for line in project.git("ls-files", "-u", "--", "app/views.py").splitlines()}
    assert stages == {"1", "2", "3"}


# 6. A feature added, then removed


def test_a_feature_added_then_removed_keeps_the_users_other_edits(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    assert not (project.path / "worker.py").exists()

    run = ws.pybackend("add", "celery", "--no-lock", cwd=project.path).expect(ExitCode.OK)
    assert project.read("worker.py") == "BROKER = 'redis://localhost'\n"
    assert project.answers()["celery"] is True
    assert project.answers()["_commit"] == "v1"
    assert run.summary()["added"] == ["worker.py"]
    project.commit("add celery")
    project.edit("app/main.py", 'GREETING = "hello"', 'GREETING = "howdy"')
    project.commit("my greeting")

    run = ws.pybackend("set", "celery=false", "--no-lock", cwd=project.path).expect(ExitCode.OK)

    assert not (project.path / "worker.py").exists()
    assert run.summary()["deleted"] == ["worker.py"]
    assert project.answers()["celery"] is False
    assert 'GREETING = "howdy"' in project.read("app/main.py")
    assert project.unmerged() == set()


# 7. An intermediate version, then the newest


def test_update_to_an_intermediate_version_then_to_the_newest(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.release("v2")
    ws.template.replace("app/config.py", "RETRIES = 3", "RETRIES = 5")
    ws.template.release("v3")

    ws.update(project, "--to", "v2").expect(ExitCode.OK)
    assert project.read("app/config.py") == "TIMEOUT = 60\nRETRIES = 3\n"
    assert project.answers()["_commit"] == "v2"
    code, report = ws.check(project)
    assert (code, report["current"], report["latest"]) == (ExitCode.UPDATE_AVAILABLE, "v2", "v3")
    project.commit("update to v2")

    run = ws.update(project).expect(ExitCode.OK)
    assert "v2 to v3" in run.stdout
    assert project.read("app/config.py") == "TIMEOUT = 60\nRETRIES = 5\n"
    assert project.answers()["_commit"] == "v3"


def test_a_question_new_in_a_release_takes_its_default_and_says_so(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    ws.template.question("metrics", type="bool", help="Prometheus metrics", default=True)
    ws.template.write("{% if metrics %}metrics.py{% endif %}", "ENABLED = True\n")
    ws.template.release("v2")

    run = ws.update(project).expect(ExitCode.OK)

    assert "New questions, answered with their defaults" in run.stdout
    assert "  metrics=true" in run.stdout.splitlines()
    assert project.answers()["metrics"] is True
    assert run.summary()["added"] == ["metrics.py"]
    project.commit("update to v2")

    # The way back out is the one the message names.
    run = ws.pybackend("set", "metrics=false", "--no-lock", cwd=project.path).expect(ExitCode.OK)
    assert not (project.path / "metrics.py").exists()
    assert "New questions" not in run.stdout


def test_a_fixed_question_new_in_a_release_takes_its_default_and_is_not_offered_to_set(ws: Workspace) -> None:
    orm = ws.template.questions.pop("orm")
    ws.template.release("v1")
    project = ws.new()
    ws.template.question("orm", **orm)
    ws.template.question("resources", type="yaml", help="The resources `add resource` wrote", default=[])
    ws.template.release("v2")

    run = ws.update(project).expect(ExitCode.OK)

    assert "  orm=sqlalchemy  (what the project was made with; fixed)" in run.stdout.splitlines()
    assert "resources" not in run.stdout, "the resources are pybackend's to keep, not a question"
    assert project.answers()["orm"] == "sqlalchemy"


def test_a_multi_select_new_in_a_release_takes_its_default_list_and_set_changes_it(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    ws.template.question(
        "testing",
        type="str",
        help="Testing kits",
        choices=["api-fuzzing", "load"],
        multiselect=True,
        default=["api-fuzzing"],
    )
    ws.template.write("{% if 'api-fuzzing' in testing %}test_api_fuzzing.py{% endif %}", "FUZZ = True\n")
    ws.template.write("{% if 'load' in testing %}locustfile.py{% endif %}", "LOAD = True\n")
    ws.template.release("v2")

    run = ws.update(project).expect(ExitCode.OK)

    assert "  testing=api-fuzzing" in run.stdout.splitlines()
    assert project.answers()["testing"] == ["api-fuzzing"]
    assert run.summary()["added"] == ["test_api_fuzzing.py"]
    project.commit("update to v2")

    run = ws.pybackend("set", "testing=load,api-fuzzing", "--no-lock", cwd=project.path).expect(ExitCode.OK)
    assert project.answers()["testing"] == ["api-fuzzing", "load"]
    assert (project.path / "locustfile.py").is_file()
    project.commit("load tests")

    ws.pybackend("set", "testing=none", "--no-lock", cwd=project.path).expect(ExitCode.OK)
    assert project.answers()["testing"] == []
    assert not (project.path / "test_api_fuzzing.py").exists()
    assert not (project.path / "locustfile.py").exists()
    project.commit("no testing kits")

    run = ws.pybackend("set", "testing=chaos", "--no-lock", cwd=project.path).expect(ExitCode.INVALID_ANSWERS)
    assert "testing: 'chaos' is not one of api-fuzzing, load, none" in run.stderr


def test_a_conditional_question_new_in_a_release_takes_its_default_and_changes_no_file(ws: Workspace) -> None:
    """As celery_broker came to projects with Celery on: Redis, the broker they already had."""
    ws.template.question("celery", type="bool", help="Celery", default=True)
    ws.template.write("{% if celery %}worker.py{% endif %}", "BROKER = 'redis'\n")
    ws.template.release("v1")
    project = ws.new()
    ws.template.question(
        "celery_broker",
        type="str",
        help="Celery's broker",
        choices=["redis", "rabbitmq"],
        default="redis",
        when="{{ celery }}",
    )
    ws.template.write("{% if celery %}worker.py{% endif %}.jinja", "BROKER = '{{ celery_broker }}'\n")
    ws.template.remove("{% if celery %}worker.py{% endif %}")
    ws.template.release("v2")

    run = ws.update(project).expect(ExitCode.OK)

    assert "  celery_broker=redis" in run.stdout.splitlines()
    assert project.answers()["celery_broker"] == "redis"
    assert project.read("worker.py") == "BROKER = 'redis'\n"
    assert {line[3:] for line in project.status().splitlines()} == {".copier-answers.yml"}


# 8. Refusals: each leaves the project as it was


def test_a_directory_that_is_not_a_project_is_refused(ws: Workspace) -> None:
    ws.template.release("v1")
    empty = ws.root / "empty"
    empty.mkdir()
    run = ws.update(Project(empty, ws.env)).expect(ExitCode.NOT_A_PROJECT)
    assert ".copier-answers.yml" in run.stderr
    assert list(empty.iterdir()) == []

    # A Copier project, but not one of pybackend's: no framework recorded.
    foreign = ws.root / "foreign"
    foreign.mkdir()
    (foreign / ".copier-answers.yml").write_text(f"_commit: v1\n_src_path: {ws.template.path}\n")
    ws.update(Project(foreign, ws.env)).expect(ExitCode.NOT_A_PROJECT)
    assert [path.name for path in foreign.iterdir()] == [".copier-answers.yml"]


def test_a_project_that_is_not_a_git_repository_is_refused(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new("demo", "--no-git")
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.release("v2")
    files = project.files()

    run = ws.update(project).expect(ExitCode.PROJECT_NOT_READY)

    assert "not a git repository" in run.stderr
    assert project.files() == files
    assert not (project.path / ".git").exists()


@pytest.mark.parametrize("change", ["modified", "untracked"])
def test_a_project_with_uncommitted_changes_is_refused(ws: Workspace, change: str) -> None:
    ws.template.release("v1")
    project = ws.new()
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.release("v2")
    if change == "modified":
        project.edit("app/config.py", "RETRIES = 3", "RETRIES = 4")
        name = "app/config.py"
    else:
        project.write("notes.txt", "to do\n")
        name = "notes.txt"
    before = project.state()

    run = ws.update(project).expect(ExitCode.PROJECT_NOT_READY)

    assert name in run.stderr
    assert project.state() == before
    assert project.answers()["_commit"] == "v1"


def test_a_downgrade_is_refused(ws: Workspace) -> None:
    ws.template.release("v1")
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.release("v2")
    project = ws.new()
    assert project.answers()["_commit"] == "v2"
    before = project.state()

    run = ws.update(project, "--to", "v1").expect(ExitCode.VERSION)

    assert "downgrade" in run.stderr
    assert project.state() == before


def test_an_unknown_version_is_refused(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    ws.template.release("v2")
    before = project.state()

    run = ws.update(project, "--to", "v7").expect(ExitCode.VERSION)
    assert "v7" in run.stderr
    assert project.state() == before

    ws.update(project, "--to", "latest").expect(ExitCode.VERSION)
    assert project.state() == before


def test_a_project_whose_recorded_version_is_gone_is_refused_with_what_to_do(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    ws.template.release("v2")
    # A commit the template repository never had (history rewritten, or made on another machine).
    missing = "0123456789abcdef0123456789abcdef01234567"
    project.edit(".copier-answers.yml", "_commit: v1", f"_commit: {missing}")
    project.commit("record a commit the template does not have")
    before = project.state()

    for command in (["update", "--no-lock"], ["check"], ["add", "celery", "--no-lock"]):
        run = ws.pybackend(*command, cwd=project.path).expect(ExitCode.VERSION)
        assert f"records template version {missing}" in run.stderr
        assert "fetch that commit back" in run.stderr
        assert "_commit" in run.stderr, "the message says how to record a release instead"
        assert project.state() == before


def test_a_template_repository_that_is_gone_is_refused_with_what_to_do(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    before = project.state()
    ws.template.path.rename(ws.root / "moved")

    for command in (["update", "--no-lock"], ["check"], ["set", "celery=true", "--no-lock"]):
        run = ws.pybackend(*command, cwd=project.path).expect(ExitCode.VERSION)
        assert f"{ws.template.path.resolve()}, which is not on this machine any more" in run.stderr
        assert "put the repository back at that path (clone it again), then retry" in run.stderr
        assert project.state() == before


def test_an_empty_version_is_refused_in_one_line(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.release("v2")
    before = project.state()

    for empty in ("", " "):
        run = ws.update(project, "--to", empty).expect(ExitCode.USAGE)
        assert run.stderr.strip().splitlines() == [
            "Error: --to needs a version, such as 1.2.0, or a revision of the template repository"
        ]
        assert project.state() == before


def test_a_release_with_the_same_files_is_nothing_to_do(ws: Workspace) -> None:
    """Two tags on one commit (a development build later cut as a release): there is nothing to update, and
    `check` does not offer it."""
    ws.template.release("v1")
    project = ws.new()
    subprocess.run(["git", "tag", "v2", "v1"], cwd=ws.template.path, check=True)
    before = project.state()

    assert ws.check(project)[0] == ExitCode.OK
    for options in ((), ("--to", "v2"), ("--to", "v1")):
        run = ws.update(project, *options).expect(ExitCode.OK)
        assert "nothing to do" in run.stdout
        assert "Updated" not in run.stdout
        assert "Review" not in run.stdout
        assert project.state() == before


_REMOVE_THE_PROJECT = """
import shutil
from pathlib import Path

import copier._main

project = Path.cwd()
render = copier._main.Worker.run_copy


def run_copy(self):
    # Copier has read the project's answers and fetched the new version; just before it writes that into the
    # project, the project goes away.
    if Path(self.dst_path).absolute() == project and project.is_dir():
        self.subproject.last_answers, self.template.local_abspath
        shutil.rmtree(project)
    return render(self)


copier._main.Worker.run_copy = run_copy
"""


def test_a_project_removed_during_its_update_is_not_recreated(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.release("v2")

    run = ws.pybackend_patched(_REMOVE_THE_PROJECT, "update", "--no-lock", cwd=project.path)

    assert run.code == ExitCode.ERROR, run.describe()
    assert run.stderr.strip().splitlines() == [
        f"Error: the project directory {project.path} was removed while it was being updated; nothing was "
        "recreated (restore it from a backup or a clone of its repository)"
    ], run.describe()
    assert not project.path.exists(), f"nothing is put back where the project was: {sorted(project.path.rglob('*'))}"


_CTRL_C_IN_COPIERS_CLEAN_UP = """
import copier._main


def _cleanup(self):
    raise KeyboardInterrupt


copier._main.Worker._cleanup = _cleanup
"""


def test_a_ctrl_c_in_copiers_own_clean_up_leaves_no_temporary_directory(ws: Workspace, tmp_path: Path) -> None:
    """A second Ctrl-C that lands while Copier removes its template clones: they are removed all the same."""
    ws.template.release("v1")
    project = ws.new()
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.release("v2")
    before = project.state()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**ws.env, "TMPDIR": str(temporary)}

    run = ws.pybackend_patched(_CTRL_C_IN_COPIERS_CLEAN_UP, "update", "--no-lock", cwd=project.path, env=env)

    assert run.code == ExitCode.INTERRUPTED, run.describe()
    assert sorted(path.name for path in temporary.iterdir()) == []
    assert project.state() == before


def test_a_project_with_no_commit_is_refused_before_git_fails_half_way(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new("demo", "--no-git")
    project.git("init", "--quiet")
    project.git("add", "--all")
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.release("v2")
    files = project.files()

    run = ws.update(project).expect(ExitCode.PROJECT_NOT_READY)

    assert "no commit" in run.stderr
    assert "git commit" in run.stderr
    assert "Traceback" not in run.stderr
    assert project.files() == files


def test_a_git_failure_during_the_update_is_reported_and_rolled_back(ws: Workspace) -> None:
    """Another git process holds the index: git refuses to write, and the update says so and changes nothing."""
    ws.template.release("v1")
    project = ws.new()
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.release("v2")
    before = project.state()
    lock = project.path / ".git" / "index.lock"
    lock.write_text("")

    run = ws.update(project)

    lock.unlink()
    assert run.code == ExitCode.PROJECT_NOT_READY, run.describe()
    assert "index.lock" in run.stderr
    assert "Traceback" not in run.stderr
    assert project.state() == before


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        (["set", "celery=maybe"], "celery"),
        (["set", "nosuch=1"], "nosuch"),
        (["add", "kubernetes"], "kubernetes needs docker"),
        (["set", "kubernetes=true"], "kubernetes needs docker"),
        (["set", "framework=flask"], "framework cannot be changed"),
        (["set", "package_name=other"], "package_name cannot be changed"),
        (["set", "orm=sqlmodel"], "orm cannot be changed"),
    ],
)
def test_invalid_answers_are_refused_before_anything_changes(ws: Workspace, command: list[str], problem: str) -> None:
    ws.template.release("v1")
    project = ws.new()
    before = project.state()

    run = ws.pybackend(*command, "--no-lock", cwd=project.path).expect(ExitCode.INVALID_ANSWERS)

    assert problem in run.stderr
    assert project.state() == before


# 9. Dry runs


def test_a_dry_run_reports_the_update_and_changes_nothing(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.remove("legacy.py")
    ws.template.release("v2")
    before = project.state()

    run = ws.update(project, "--dry-run").expect(ExitCode.OK)

    assert "Would update demo (v1 to v2)" in run.stdout
    assert run.summary() == {
        "added": [],
        "changed": [".copier-answers.yml", "app/config.py"],
        "deleted": ["legacy.py"],
        "conflicts": [],
    }
    assert project.state() == before

    run = ws.pybackend("add", "celery", "--dry-run", "--no-lock", cwd=project.path).expect(ExitCode.OK)
    assert run.summary()["added"] == ["worker.py"]
    assert project.state() == before


def test_a_dry_run_that_would_conflict_exits_with_conflicts_and_changes_nothing(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    project.edit("app/config.py", "TIMEOUT = 30", "TIMEOUT = 45")
    project.commit()
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.release("v2")
    before = project.state()

    run = ws.update(project, "--dry-run").expect(ExitCode.CONFLICTS)

    assert "Would update" in run.stdout
    assert run.summary()["conflicts"] == ["app/config.py"]
    assert "app/config.py" in run.stderr
    assert project.state() == before
    assert project.unmerged() == set()


# 10. Rollback after a failure or an interruption


def test_a_failed_update_leaves_the_project_as_it_was(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    project.edit("app/main.py", 'GREETING = "hello"', 'GREETING = "howdy"')
    project.commit()
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.write("added.py", "NEW = True\n")
    ws.template.migration("v2", ["{{ _copier_python }}", "-c", "raise SystemExit(1)"])
    ws.template.release("v2")
    # Ignored, so not the update's to touch: the rollback must leave it too.
    project.write(".env", "SECRET_KEY=kept\n")
    before = project.state()

    run = ws.update(project).expect(ExitCode.TEMPLATE_ERROR)

    assert "left as it was" in run.stderr
    assert project.state() == before
    assert project.answers()["_commit"] == "v1"


_LOCK_THEN_FAIL = (
    "import pathlib, subprocess; "
    "lock = subprocess.run(['git', 'rev-parse', '--git-path', 'index.lock'], capture_output=True, text=True); "
    "pathlib.Path(lock.stdout.strip()).touch(); raise SystemExit(1)"
)


def test_a_rollback_that_git_refuses_says_how_to_finish_it(ws: Workspace) -> None:
    """The update fails, and git then refuses the rollback (its index is locked): the message says what to run."""
    ws.template.release("v1")
    project = ws.new()
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.write("added.py", "NEW = True\n")
    ws.template.migration("v2", ["{{ _copier_python }}", "-c", _LOCK_THEN_FAIL])
    ws.template.release("v2")
    before = project.state()

    run = ws.update(project).expect(ExitCode.ERROR)

    assert "returning the project to its last commit failed" in run.stderr
    assert "index.lock" in run.stderr
    assert "Traceback" not in run.stderr
    (project.path / ".git" / "index.lock").unlink()
    command = re.search(r"run `(.+?)` in", run.stderr)
    assert command is not None, run.stderr
    subprocess.run(command[1], shell=True, cwd=project.path, check=True, capture_output=True)  # noqa: S602
    assert project.state() == before


_MARKER = ".marker"
_SLOW_MIGRATION = f"import pathlib, time; pathlib.Path({_MARKER!r}).touch(); time.sleep(60)"


@pytest.mark.parametrize(
    ("sent", "to_group"),
    [(signal.SIGTERM, False), (signal.SIGINT, False), (signal.SIGINT, True)],
    ids=["SIGTERM", "SIGINT", "SIGINT-to-process-group"],
)
def test_an_interrupted_update_leaves_the_project_as_it_was(
    ws: Workspace, tmp_path: Path, sent: signal.Signals, to_group: bool
) -> None:
    """The migration runs after Copier has written the new files, so there is something to undo."""
    ws.template.release("v1")
    project = ws.new()
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.write("added.py", "NEW = True\n")
    ws.template.migration("v2", ["{{ _copier_python }}", "-c", _SLOW_MIGRATION])
    ws.template.release("v2")
    project.write(".env", "SECRET_KEY=kept\n")
    before = project.state()
    marker = project.path / _MARKER
    log = tmp_path / "update.log"

    with log.open("wb") as output:
        # Output goes to a file, not a pipe: the migration's own process would hold a pipe open after pybackend
        # exits. A session of its own lets the test signal the group, as a terminal's Ctrl-C does.
        proc = subprocess.Popen(
            [str(PYBACKEND), "update", "--no-lock"],
            cwd=project.path,
            env=ws.env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + TIMEOUT
            while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            assert marker.exists(), f"the migration never started\n{log.read_text(errors='replace')}"
            if to_group:
                os.killpg(proc.pid, sent)
            else:
                proc.send_signal(sent)
            code = proc.wait(TIMEOUT)
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(10)

    output_text = log.read_text(errors="replace")
    assert code == ExitCode.INTERRUPTED, f"exit {code}\n{output_text}"
    assert "Interrupted" in output_text
    assert not marker.exists()
    assert project.state() == before


# 11. check


def test_check_reports_whether_a_newer_version_exists(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    assert ws.check(project) == (ExitCode.OK, {"current": "v1", "latest": "v1", "update_available": False})
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.release("v2")

    available = {"current": "v1", "latest": "v2", "update_available": True, "command": "pybackend update"}
    assert ws.check(project) == (ExitCode.UPDATE_AVAILABLE, available)
    run = ws.pybackend("check", cwd=project.path).expect(ExitCode.UPDATE_AVAILABLE)
    assert run.stdout == "Template v2 is available (the project is on v1); run `pybackend update`.\n"

    ws.update(project).expect(ExitCode.OK)
    project.commit("update to v2")
    assert ws.check(project) == (ExitCode.OK, {"current": "v2", "latest": "v2", "update_available": False})
    # Nothing left to do: a second update says so and changes nothing.
    before = project.state()
    run = ws.update(project).expect(ExitCode.OK)
    assert "nothing to do" in run.stdout
    assert project.state() == before


def test_a_second_signal_during_the_rollback_does_not_stop_it_half_way(ws: Workspace, tmp_path: Path) -> None:
    """A slow `git reset` (a wrapper around git) gives the test time to signal pybackend again mid-rollback."""
    ws.template.release("v1")
    project = ws.new()
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.write("added.py", "NEW = True\n")
    ws.template.migration("v2", ["{{ _copier_python }}", "-c", _SLOW_MIGRATION])
    ws.template.release("v2")
    project.write(".env", "SECRET_KEY=kept\n")
    before = project.state()
    marker, rolling_back = project.path / _MARKER, tmp_path / "rolling-back"
    shim = tmp_path / "bin"
    shim.mkdir()
    real_git = subprocess.run(["which", "git"], capture_output=True, text=True, check=True).stdout.strip()
    (shim / "git").write_text(
        f'#!/bin/sh\ncase "$*" in *"reset --quiet HEAD"*) touch {rolling_back}; sleep 2;; esac\nexec {real_git} "$@"\n'
    )
    (shim / "git").chmod(0o755)
    env = {**ws.env, "PATH": f"{shim}{os.pathsep}{ws.env['PATH']}"}
    log = tmp_path / "update.log"

    with log.open("wb") as output:
        proc = subprocess.Popen(
            [str(PYBACKEND), "update", "--no-lock"],
            cwd=project.path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_for(marker, proc, log)
            proc.send_signal(signal.SIGTERM)
            _wait_for(rolling_back, proc, log)
            os.killpg(proc.pid, signal.SIGINT)
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(TIMEOUT)
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(10)

    output_text = log.read_text(errors="replace")
    assert code == ExitCode.INTERRUPTED, f"exit {code}\n{output_text}"
    assert project.state() == before, output_text


def _wait_for(path: Path, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not path.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert path.exists(), f"{path.name} never appeared\n{log.read_text(errors='replace')}"


# 12. Projects made from a checkout, which record a commit rather than a version


def test_a_project_on_a_commit_updates_along_its_template_history(ws: Workspace) -> None:
    """As a checkout of an earlier pybackend recorded them: `_commit` is a commit of the template repository."""
    ws.template.release("v1")
    project = ws.new()
    recorded = subprocess.run(
        ["git", "rev-parse", "--short", "v1"], cwd=ws.template.path, capture_output=True, text=True, check=True
    ).stdout.strip()
    # Quoted, as Copier writes it: an all-digit short commit would otherwise read as a number.
    project.edit(".copier-answers.yml", "_commit: v1", f"_commit: '{recorded}'")
    project.edit("app/main.py", 'GREETING = "hello"', 'GREETING = "howdy"')
    project.commit("made from a checkout")
    code, report = ws.check(project)
    assert (code, report["update_available"]) == (ExitCode.OK, False), report

    # The template moves on without a release: the project follows its commits.
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.release("work-in-progress")
    code, report = ws.check(project)
    assert (code, report["current"], report["update_available"]) == (ExitCode.UPDATE_AVAILABLE, recorded, True)

    run = ws.update(project).expect(ExitCode.OK)

    assert project.read("app/config.py") == "TIMEOUT = 60\nRETRIES = 3\n"
    assert 'GREETING = "howdy"' in project.read("app/main.py")
    assert run.summary()["changed"] == [".copier-answers.yml", "app/config.py"]
    assert project.answers()["_commit"] == "work-in-progress"
    project.commit("update")
    assert ws.check(project)[0] == ExitCode.OK

    run = ws.pybackend("add", "celery", "--no-lock", cwd=project.path).expect(ExitCode.OK)
    assert run.summary()["added"] == ["worker.py"]
    project.commit("add celery")

    # Back to an older commit is a downgrade, refused like one.
    run = ws.update(project, "--to", recorded).expect(ExitCode.VERSION)
    assert "downgrade" in run.stderr


# 13. After the update: uv.lock, .env


def test_an_update_that_changes_pyproject_refreshes_uv_lock(ws: Workspace) -> None:
    pyproject = '[project]\nname = "{{ project_name }}"\nversion = "1.0.0"\nrequires-python = ">=3.11"\n'
    ws.template.write("pyproject.toml.jinja", pyproject)
    ws.template.release("v1")
    project = ws.new()
    subprocess.run(["uv", "lock", "--offline", "--quiet"], cwd=project.path, env=ws.env, check=True, timeout=TIMEOUT)
    project.commit("lock")
    locked = project.read("uv.lock")
    assert 'version = "1.0.0"' in locked
    ws.template.replace("pyproject.toml.jinja", 'version = "1.0.0"', 'version = "1.1.0"')
    ws.template.release("v2")

    run = ws.pybackend("update", cwd=project.path).expect(ExitCode.OK)

    assert 'version = "1.1.0"' in project.read("uv.lock"), run.describe()
    assert "uv.lock" in run.summary()["changed"]


def test_a_changed_env_example_is_pointed_out_and_env_left_alone(ws: Workspace) -> None:
    ws.template.release("v1")
    project = ws.new()
    project.write(".env", "TIMEOUT=30\nSECRET_KEY=mine\n")
    ws.template.write(".env.example", "TIMEOUT=30\nRETRIES=3\n")
    ws.template.release("v2")

    run = ws.update(project).expect(ExitCode.OK)

    assert "RETRIES is missing; .env.example now has RETRIES=3" in run.stdout
    assert "TIMEOUT" not in run.stdout, "a variable the update left alone is not listed"
    assert project.read(".env") == "TIMEOUT=30\nSECRET_KEY=mine\n"
    project.commit("update")

    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.release("v3")
    run = ws.update(project).expect(ExitCode.OK)
    assert ".env.example" not in run.stdout


def test_the_steps_by_hand_of_every_release_crossed_are_printed(ws: Workspace) -> None:
    """CHANGELOG.md's "After updating" parts, as the version the project moves to has them, for each release
    after the project's own; none for the releases it already had."""
    changelog = ws.template.path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## 1\n\n### After updating\n\n- Nothing, it is the first.\n")
    ws.template.release("v1")
    project = ws.new()
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    changelog.write_text(
        "# Changelog\n\n## 2\n\n### Changed\n\n- TIMEOUT is 60 s.\n\n"
        "### After updating a project made with 1\n\n- Set `RETRIES` in `.env`\n  to what your proxy allows.\n\n"
        "## 1\n\n### After updating\n\n- Nothing, it is the first.\n"
    )
    ws.template.release("v2")

    run = ws.update(project).expect(ExitCode.OK)

    assert (
        "By hand, after updating a project made with 1 (2), from the template's CHANGELOG.md:\n"
        "  - Set `RETRIES` in `.env`\n    to what your proxy allows.\n"
    ) in run.stdout, run.describe()
    assert "the first" not in run.stdout and "TIMEOUT is 60" not in run.stdout, run.describe()


# 14. A project inside a larger repository


def test_a_project_in_a_monorepo_is_checked_updated_and_changed_with_its_own_paths(ws: Workspace) -> None:
    ws.template.release("v1")
    monorepo = ws.root / "monorepo"
    (monorepo / "services").mkdir(parents=True)
    ws.pybackend("new", "demo", "-y", "--no-lock", "--no-git", "--output-dir", "services", cwd=monorepo).expect(0)
    top = Project(monorepo, ws.env)
    top.git("init", "--quiet")
    top.write("README.md", "# Everything\n")
    top.commit("monorepo")
    project = Project(monorepo / "services" / "demo", ws.env)
    project.write("legacy.py", "LEGACY = 'mine'\n")
    project.commit("my legacy")
    ws.template.replace("app/config.py", "TIMEOUT = 30", "TIMEOUT = 60")
    ws.template.remove("legacy.py")
    ws.template.release("v2")
    # Work in progress elsewhere in the monorepo is none of the update's business, and is left alone.
    top.write("README.md", "# Everything, soon documented\n")
    top.write("notes.txt", "elsewhere\n")

    assert ws.check(project)[0] == ExitCode.UPDATE_AVAILABLE
    run = ws.update(project, "--dry-run").expect(ExitCode.CONFLICTS)
    assert run.summary()["conflicts"] == ["legacy.py"]

    run = ws.update(project).expect(ExitCode.CONFLICTS)

    assert run.summary() == {
        "added": [],
        "changed": [".copier-answers.yml", "app/config.py"],
        "deleted": [],
        "conflicts": ["legacy.py"],
    }
    assert project.read("app/config.py") == "TIMEOUT = 60\nRETRIES = 3\n"
    assert project.read("legacy.py") == "LEGACY = 'mine'\n"
    assert top.unmerged() == {"services/demo/legacy.py"}
    assert top.read("README.md") == "# Everything, soon documented\n"
    assert top.read("notes.txt") == "elsewhere\n"
    project.git("rm", "--quiet", "legacy.py")
    project.git("add", "--all", ".")
    project.git("commit", "--quiet", "-m", "update to v2")

    run = ws.pybackend("add", "celery", "--no-lock", cwd=project.path).expect(ExitCode.OK)
    assert run.summary()["added"] == ["worker.py"]
    assert project.answers()["celery"] is True


def test_a_failed_update_in_a_monorepo_restores_only_the_project(ws: Workspace) -> None:
    ws.template.release("v1")
    monorepo = ws.root / "monorepo"
    monorepo.mkdir()
    ws.pybackend("new", "demo", "-y", "--no-lock", "--no-git", cwd=monorepo).expect(0)
    top = Project(monorepo, ws.env)
    top.git("init", "--quiet")
    top.write("other.py", "OTHER = 1\n")
    top.commit("monorepo")
    project = Project(monorepo / "demo", ws.env)
    ws.template.write("added.py", "NEW = True\n")
    ws.template.migration("v2", ["{{ _copier_python }}", "-c", "raise SystemExit(1)"])
    ws.template.release("v2")
    top.write("other.py", "OTHER = 2  # not committed yet\n")
    before = project.files()

    ws.update(project).expect(ExitCode.TEMPLATE_ERROR)

    assert project.files() == before
    assert top.read("other.py") == "OTHER = 2  # not committed yet\n"
    assert top.status() == " M other.py\n"


# 15. The first commit of a new project


@pytest.mark.parametrize(
    ("author", "committed_as"),
    [('O\'Brien, "Jr." Zoë 李', 'O\'Brien, "Jr." Zoë 李'), ("...", "pybackend")],
    ids=["quotes-commas-unicode", "punctuation-only"],
)
def test_the_first_commit_needs_no_git_identity(ws: Workspace, author: str, committed_as: str) -> None:
    ws.template.release("v1")
    assert "GIT_CONFIG_NOSYSTEM" in ws.env and not (Path(ws.env["HOME"]) / ".gitconfig").exists()

    project = ws.new("demo", "--data-file", str(_answers_file(ws.root, author_name=author)))

    assert project.git("log", "--format=%an <%ae>").strip() == f"{committed_as} <author@example.com>"
    assert not (Path(ws.env["HOME"]) / ".gitconfig").exists(), "the user's git configuration is not written"
    assert project.status() == ""


def _answers_file(root: Path, **answers: str) -> Path:
    path = root / "answers.yml"
    path.write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    return path
