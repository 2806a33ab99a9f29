"""Release copies of this checkout: fresh repositories tagged like releases, to build wheels and test updates."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

from . import REPO_ROOT

VERSION: str = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["version"]
_IDENTITY = ("-c", "user.name=release", "-c", "user.email=release@example.com")


def git(*args: str | Path, cwd: Path) -> str:
    completed = subprocess.run(
        ["git", *_IDENTITY, *map(str, args)], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, f"git {args}:\n{completed.stdout}\n{completed.stderr}"
    return completed.stdout


def release_copy(destination: Path, tag: str = f"v{VERSION}") -> Path:
    """This checkout's files, uncommitted work included, as a fresh repository with one commit tagged `tag`."""
    listed = git("ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=REPO_ROOT)
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    git("init", "-q", cwd=destination)
    release(destination, tag, message="release")
    return destination


def release(repository: Path, tag: str, message: str | None = None) -> None:
    """Commit everything in `repository` and tag it, as a maintainer cutting release `tag` would."""
    git("add", "-A", cwd=repository)
    git("commit", "-q", "--allow-empty", "-m", message or f"release {tag}", cwd=repository)
    git("tag", tag, cwd=repository)


def set_version(repository: Path, version: str) -> None:
    """Bump the version in pyproject.toml, the step before tagging a release."""
    pyproject = repository / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(text.replace(f'version = "{VERSION}"', f'version = "{version}"', 1))
