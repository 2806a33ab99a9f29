"""The Python interpreters a generated project is installed with, by the `python_version` it declares.

Found, in order, at PYBACKEND_PYTHON_3_12 (for 3.12; likewise for each version), on PATH as `python3.12`, or in
pyenv's versions directory. An interpreter that cannot be found skips the test, unless PYBACKEND_REQUIRE_SERVICES=1:
then it fails, as a missing service does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .services import unavailable


def _pyenv_versions() -> Path:
    root = os.environ.get("PYENV_ROOT")
    if not root:
        found = shutil.which("pyenv")
        root = (
            subprocess.run([found, "root"], capture_output=True, text=True, check=False).stdout.strip()
            if found
            else str(Path.home() / ".pyenv")
        )
    return Path(root) / "versions"


def find_interpreter(version: str) -> str | None:
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        return sys.executable
    named = os.environ.get(f"PYBACKEND_PYTHON_{version.replace('.', '_')}")
    if named:
        return named
    on_path = shutil.which(f"python{version}")
    if on_path and "shims" not in Path(on_path).parts:  # pyenv's shims serve only its global version
        return on_path
    candidates = sorted(
        _pyenv_versions().glob(f"{version}.*/bin/python{version}"),
        key=lambda path: [int(part) if part.isdigit() else -1 for part in path.parts[-3].split(".")],
        reverse=True,
    )
    return str(candidates[0]) if candidates else None


def interpreter(version: str) -> str:
    found = find_interpreter(version)
    if found is None:
        unavailable(f"no Python {version} interpreter (set PYBACKEND_PYTHON_{version.replace('.', '_')})")
    return found
