"""The README's quick start, from a fresh clone with no tags, keeps working: a project generated inside the clone
disturbs neither later runs nor pybackend's own tests and linters, and is first-class for `add`.

    uv run pytest tests/package/test_quick_start.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import REPO_ROOT

_TIMEOUT = 900


def _uv() -> str:
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is needed for the quick start")
    return uv


def _run(*args: str | Path, cwd: Path, env: dict[str, str]) -> str:
    completed = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=_TIMEOUT
    )
    assert completed.returncode == 0, f"$ {' '.join(map(str, args))}\n{completed.stdout}\n{completed.stderr}"
    return completed.stdout


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh clone of this repository's committed state, its tags deleted, and an empty HOME to run it in."""
    where = tmp_path_factory.mktemp("quick-start")
    path = where / "pybackend"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO_ROOT), str(path)], check=True)
    for tag in subprocess.run(["git", "tag"], cwd=path, capture_output=True, text=True, check=True).stdout.split():
        subprocess.run(["git", "tag", "-d", tag], cwd=path, capture_output=True, check=True)
    home = where / "home"
    home.mkdir()
    uv_cache = subprocess.run([_uv(), "cache", "dir"], capture_output=True, text=True, check=True).stdout.strip()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "UV_PROJECT", "PYBACKEND_")) and key != "VIRTUAL_ENV"
    }
    env |= {"HOME": str(home), "UV_CACHE_DIR": uv_cache, "UV_PYTHON": sys.executable, "GIT_CONFIG_NOSYSTEM": "1"}
    return path, env


def test_the_quick_start_twice_then_the_clones_own_checks(clone: tuple[Path, dict[str, str]]) -> None:
    path, env = clone
    uv = _uv()

    # The README's two commands, in order (the second one, `pytest`, narrowed below: its tiers run in this checkout).
    _run(uv, "run", "pybackend", "new", "myservice", "--defaults", cwd=path, env=env)
    assert (path / "myservice" / "pyproject.toml").is_file()
    _run(uv, "run", "pybackend", "new", "otherservice", "--defaults", "--no-lock", cwd=path, env=env)
    assert (path / "otherservice" / ".git").is_dir()

    # The generated projects are invisible to the clone's git, linters and tests.
    assert _run("git", "status", "--porcelain", "--untracked-files=all", cwd=path, env=env) == ""
    _run(uv, "run", "ruff", "check", ".", cwd=path, env=env)
    _run(uv, "run", "ruff", "format", "--check", ".", cwd=path, env=env)
    _run(uv, "run", "mypy", cwd=path, env=env)
    # Every test of the clone is collected, and none of the projects'; the tests of the checkout's own template
    # source pass beside the projects.
    collected = _run(uv, "run", "pytest", "-q", "--collect-only", "-p", "no:cacheprovider", cwd=path, env=env)
    assert "myservice" not in collected and "otherservice" not in collected, collected[-3000:]
    _run(uv, "run", "pytest", "-q", "-p", "no:cacheprovider", "tests/unit/test_source.py", cwd=path, env=env)

    # A project made from the clone is first-class: `add` works on it, and it is up to date.
    project = path / "myservice"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == "~/.cache/pybackend/templates"
    _run(uv, "run", "--project", path, "pybackend", "add", "cache", cwd=project, env=env)
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["cache"] is True
    assert (project / "src" / "myservice" / "items" / "cache.py").is_file()
    assert "redis" in (project / "uv.lock").read_text(), "the lock follows pyproject.toml"
    _run("git", "add", "--all", cwd=project, env=env)
    _run("git", "-c", "user.name=Me", "-c", "user.email=me@example.com", "commit", "-qm", "cache", cwd=project, env=env)
    _run(uv, "run", "--project", path, "pybackend", "check", cwd=project, env=env)
