"""Wheels of pybackend built from a repository, and installed on a user's machine of their own: a venv holding the
wheel and an empty home, so the template cache starts empty."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .procs import clean_env
from .release import uv_cache_dir

# Proxies pointed at a closed port: nothing can be fetched from the network.
NO_NETWORK = {
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "ALL_PROXY": "http://127.0.0.1:9",
}


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    """Run a command that must succeed; returns what it printed."""
    completed = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=timeout
    )
    assert completed.returncode == 0, f"{args}:\n{completed.stdout}\n{completed.stderr}"
    return completed.stdout


def uv() -> str:
    found = shutil.which("uv")
    assert found, "uv is needed to build and install wheels"
    return found


def build_wheel(source: Path, dist: Path) -> Path:
    """`uv build --wheel` in `source`; the build's temporary files stay under `dist`'s parent."""
    temporary = dist.with_name(f"{dist.name}-tmp")
    temporary.mkdir(parents=True, exist_ok=True)
    run(uv(), "build", "--wheel", "--out-dir", dist, cwd=source, env=clean_env({"TMPDIR": str(temporary)}))
    (built,) = dist.glob("*.whl")
    return built


def install_wheel(wheel: Path, where: Path, *, offline: bool) -> tuple[Path, dict[str, str]]:
    """A venv in `where` holding `wheel`, and an environment with an empty HOME that runs its pybackend (with no
    network when `offline`), sharing the outer uv cache; returns (pybackend, environment)."""
    venv = where / "venv"
    run(uv(), "venv", "--quiet", "--python", sys.executable, venv, cwd=where)
    run(uv(), "pip", "install", "--quiet", "--python", venv / "bin" / "python", wheel, cwd=where)
    home = where / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "UV_CACHE_DIR": uv_cache_dir(),  # the packages a project installs: the user's cache, not the templates'
    }
    if offline:
        env.update(NO_NETWORK)
    env.pop("VIRTUAL_ENV", None)
    return venv / "bin" / "pybackend", env
