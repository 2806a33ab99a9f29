"""Projects made with `uv run pybackend new` in a clone of pybackend checked out at an older commit, then handled
by a newer pybackend: this checkout's.

Such a project records the clone and one of its commits (`_src_path: /path/to/the/clone`, `_commit: 90f0028`),
as release 0.1.0's checkout wrote them, and follows that clone's history. The pybackend that runs carries the whole
history of its own templates, that commit included, so `check` offers its newer template and
`update --to <its version>` moves the project onto it, with or without the clone.

    uv run pytest tests/update/test_from_a_clone.py -q
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from pybackend.errors import ExitCode
from support import REPO_ROOT
from support.procs import clean_env
from support.release import FIRST, git
from support.summary import parse_summary

from .runs import Run, run_pybackend

TIMEOUT = 120
USER_FILE = "src/orders/discounts.py"


@dataclass
class Setup:
    clone: Path
    project: Path
    env: dict[str, str]

    def pybackend(self, *args: str, expect: int) -> Run:
        return run_pybackend(*args, cwd=self.project, env=self.env, timeout=TIMEOUT).expect(expect)

    def check(self) -> dict[str, object]:
        report = json.loads(self.pybackend("check", "--json", expect=ExitCode.UPDATE_AVAILABLE).stdout)
        assert isinstance(report, dict)
        return report

    def answers(self) -> dict[str, object]:
        recorded = yaml.safe_load((self.project / ".copier-answers.yml").read_text())
        assert isinstance(recorded, dict)
        return recorded

    def state(self) -> tuple[str, str]:
        head = git("rev-parse", "HEAD", cwd=self.project)
        return head, git("status", "--porcelain", "--untracked-files=all", cwd=self.project)


@pytest.fixture
def made_in_a_clone(tmp_path: Path) -> Setup:
    """`pybackend new orders` run in a clone at the first release, as that release's checkout ran it: Copier
    rendering the clone's HEAD. Then a file of the user's own, committed."""
    from copier import run_copy

    clone, project, home = tmp_path / "pybackend", tmp_path / "orders", tmp_path / "home"
    home.mkdir()
    git("clone", "--quiet", "--no-checkout", "--no-tags", REPO_ROOT, clone, cwd=tmp_path)
    git("checkout", "--quiet", FIRST["commit"], cwd=clone)
    run_copy(
        str(clone),
        project,
        data={"project_name": "orders"},
        vcs_ref="HEAD",
        defaults=True,
        skip_tasks=True,
        unsafe=True,
        quiet=True,
    )
    (project / USER_FILE).write_text("RATE = 0.1\n")
    git("init", "--quiet", cwd=project)
    git("add", "--all", cwd=project)
    git("commit", "--quiet", "-m", "orders", cwd=project)
    env = clean_env(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "LC_ALL": "C",
        }
    )
    env.pop("PYBACKEND_TEMPLATE", None)
    setup = Setup(clone, project, env)
    assert setup.answers()["_commit"] == FIRST["commit"][:7]
    return setup


def test_check_offers_the_running_template_and_update_moves_onto_it(made_in_a_clone: Setup) -> None:
    setup = made_in_a_clone
    report = setup.check()
    latest = str(report["latest"])
    command = f"pybackend update --to {latest.removeprefix('v')}"
    assert report == {"current": FIRST["commit"][:7], "latest": latest, "update_available": True, "command": command}
    text = setup.pybackend("check", expect=ExitCode.UPDATE_AVAILABLE).stdout
    assert text == f"Template {latest} is available (the project is on {FIRST['commit'][:7]}); run `{command}`.\n"

    # The release the project is on, by its version: nothing to do.
    before = setup.state()
    for version in (FIRST["version"], f"v{FIRST['version']}"):
        run = setup.pybackend("update", "--no-lock", "--to", version, expect=ExitCode.OK)
        assert "nothing to do" in run.stdout
        assert setup.state() == before

    run = setup.pybackend(*command.split()[1:], "--no-lock", expect=ExitCode.OK)

    summary = parse_summary(run.stdout)
    assert summary["conflicts"] == []
    assert ".copier-answers.yml" in summary["changed"]
    assert (setup.project / USER_FILE).read_text() == "RATE = 0.1\n"
    answers = setup.answers()
    assert (answers["_src_path"], answers["_commit"]) == ("~/.cache/pybackend/templates", latest)
    git("add", "--all", cwd=setup.project)
    git("commit", "--quiet", "-m", "update", cwd=setup.project)
    run = setup.pybackend("check", expect=ExitCode.OK)
    assert run.stdout == f"The project is on the newest template, {latest}.\n"


def test_without_the_clone_the_running_template_is_still_offered(made_in_a_clone: Setup) -> None:
    setup = made_in_a_clone
    setup.clone.rename(setup.clone.with_name("elsewhere"))
    command = str(setup.check()["command"])
    before = setup.state()

    # Following the clone is not possible any more: the error says what to run instead.
    run = setup.pybackend("update", "--no-lock", expect=ExitCode.VERSION)
    assert f"{setup.clone}, which is not on this machine any more" in run.stderr
    assert f"`{command}` moves the project onto it" in run.stderr
    assert setup.state() == before

    run = setup.pybackend(*command.split()[1:], "--no-lock", "--dry-run", expect=ExitCode.OK)
    assert parse_summary(run.stdout)["conflicts"] == []
    assert "Nothing was changed (dry run)." in run.stdout
    assert setup.state() == before

    setup.pybackend(*command.split()[1:], "--no-lock", expect=ExitCode.OK)
    assert setup.answers()["_src_path"] == "~/.cache/pybackend/templates"
    assert (setup.project / USER_FILE).read_text() == "RATE = 0.1\n"
