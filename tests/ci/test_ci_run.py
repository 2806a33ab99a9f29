"""`.ci/run` fails when a lint, format or type check fails, and says which, even though the tests pass; the steps
after a failed check still run, so one run shows every problem."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from support import REPO_ROOT


def _copy_of_the_repository(target: Path) -> Path:
    """A clone (pybackend's version comes from its git history), with this checkout's uncommitted edits."""
    subprocess.run(["git", "clone", "--quiet", str(REPO_ROOT), str(target)], check=True, capture_output=True)
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, check=True, text=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        source = REPO_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def test_ci_fails_on_each_lint_format_and_type_error(tmp_path: Path) -> None:
    repo = _copy_of_the_repository(tmp_path / "repo")
    probe = repo / "generator" / "pybackend" / "_ci_probe.py"
    probe.write_text(
        "import os\n"  # ruff check: unused import
        "def answer( ) -> int :\n    return 'forty-two'\n"  # ruff format, and mypy: wrong return type
    )
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"}}
    done = subprocess.run(
        [str(repo / ".ci" / "run")],
        cwd=repo,
        env={**env, "PYBACKEND_CI_TESTS": "tests/unit/test_migrations.py"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    for step in ("ruff check", "ruff format --check", "mypy"):
        assert f"::: {step} FAILED" in output, f"{step} did not fail:\n{output[-4000:]}"
    assert "::: pytest FAILED" not in output and "passed" in output, output[-4000:]
    closing = done.stdout.strip().splitlines()[-1]
    # uv, uv sync, kubectl, Chromium, PostgreSQL, MariaDB, Redis, RabbitMQ and pytest passed; the three checks failed.
    assert closing == "::: ci: 9 steps passed, 3 failed (ruff check, ruff format --check, mypy)", output[-2000:]
