"""Generating a project for the tests: the one place that knows how."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from . import REPO_ROOT
from .procs import clean_env, run

# "cli" once `pybackend new` works end to end; "copier" renders with Copier directly.
GENERATOR = "cli"


def generate_project(name: str, answers: dict[str, Any], output_dir: Path, timeout: float = 300) -> Path:
    """Render project `name` with `answers` into output_dir/name and return that directory."""
    output_dir.mkdir(parents=True, exist_ok=True)
    data_file = output_dir / f"{name}.answers.yml"
    data_file.write_text(yaml.safe_dump({"project_name": name, **answers}, sort_keys=False))
    target = output_dir / name
    bin_dir = Path(sys.executable).parent
    if GENERATOR == "cli":
        args = [
            str(bin_dir / "pybackend"),
            "new",
            name,
            "--output-dir",
            str(output_dir),
            "--data-file",
            str(data_file),
            "--defaults",
            "--no-git",
        ]
    else:
        # --vcs-ref HEAD renders the working tree, uncommitted template edits included.
        args = [
            str(bin_dir / "copier"),
            "copy",
            "--trust",
            "--defaults",
            "--vcs-ref",
            "HEAD",
            "--data-file",
            str(data_file),
            str(REPO_ROOT),
            str(target),
        ]
    run(args, cwd=output_dir, env=clean_env(), timeout=timeout)
    assert (target / ".copier-answers.yml").is_file(), f"no .copier-answers.yml in {target}"
    return target
