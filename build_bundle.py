"""Hatch build hook: put a git bundle of the release tags into the wheel.

An installed pybackend renders projects from these tags, and `update` needs the old tags too, so the wheel
carries the whole release history of the templates, not just the current files.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUNDLE_NAME = "templates.bundle"


class BundleBuildHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        release_tag = f"v{self.metadata.version}"
        tags = _git(root, "tag", "--list", "v*").split()
        if release_tag not in tags:
            raise RuntimeError(
                f"cannot build the wheel: the tag {release_tag} is missing; the wheel renders projects from its "
                f"release tags, so tag the release first (git tag {release_tag})"
            )
        out_dir = Path(tempfile.mkdtemp(prefix="pybackend-bundle-"))
        bundle = out_dir / BUNDLE_NAME
        _git(root, "bundle", "create", str(bundle), *[f"refs/tags/{tag}" for tag in tags])
        build_data["force_include"][str(bundle)] = f"pybackend/_template/{BUNDLE_NAME}"


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return result.stdout
