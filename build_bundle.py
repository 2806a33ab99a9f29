"""Hatch hooks: pybackend's version, and a git bundle of every release for the wheel.

An installed pybackend renders projects from version tags, and `update` needs the old versions too, so the wheel
carries the whole release history of the templates, not just the current files. The history is the tracked release
list (`releases.toml`), not git tags, so any full clone or fork builds the same wheel, tagged or not. A build from a
commit that is not a release is a development version, and its bundle also carries the files it was built from.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.metadata.plugin.interface import MetadataHookInterface

# The hooks run in a build environment without pybackend installed: they use its release logic from the source.
sys.path.insert(0, str(Path(__file__).resolve().parent / "generator"))

from pybackend.errors import PybackendError
from pybackend.releases import Build, Release, current_build, read_release_list

BUNDLE_NAME = "templates.bundle"


class BuildRefused(Exception):
    """The wheel would not carry the release history its projects need."""


class VersionHook(MetadataHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def update(self, metadata: dict[str, Any]) -> None:
        metadata["version"] = str(_build(Path(self.root)).version)


class BundleBuildHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    _scratch: tempfile.TemporaryDirectory[str] | None = None

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        # The wheel is written after this hook returns; `finalize` removes the bundle once it is in.
        self._scratch = tempfile.TemporaryDirectory(prefix="pybackend-bundle-")
        bundle = Path(self._scratch.name) / BUNDLE_NAME
        write_bundle(root, bundle)
        build_data["force_include"][str(bundle)] = f"pybackend/_template/{BUNDLE_NAME}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None


def write_bundle(root: Path, bundle: Path) -> dict[str, str]:
    """Write a bundle of the release list's versions (and this build's, when it is not a release) as `v*` tags.

    Returns the tags and their commits. Refuses when a listed release cannot be carried: a wheel missing one
    could not update the projects that release made.
    """
    releases = _releases(root)
    for release in releases:
        if not _succeeds(root, "cat-file", "-e", f"{release.commit}^{{commit}}"):
            raise BuildRefused(
                f"cannot build the wheel: release {release.version} was cut from commit {release.commit}, which "
                "this clone does not have (a shallow clone, or rewritten history); fetch the full history "
                "(`git fetch --unshallow`) and build again"
            )
        tagged = _git(root, "rev-parse", "--verify", "--quiet", f"refs/tags/{release.tag}^{{commit}}", check=False)
        if tagged.strip() and tagged.strip() != release.commit:
            raise BuildRefused(
                f"cannot build the wheel: the tag {release.tag} points at {tagged.strip()}, but releases.toml "
                f"records {release.version} as {release.commit}; the release list decides, so move or delete the "
                "tag, or correct the list"
            )
    tags = {release.tag: release.commit for release in releases}
    build = _build(root)
    tags[build.tag] = build.commit
    with tempfile.TemporaryDirectory(prefix="pybackend-staging-") as scratch:
        staging = Path(scratch) / "staging.git"
        _git(Path(scratch), "init", "--quiet", "--bare", str(staging))
        refspecs = [f"{commit}:refs/tags/{tag}" for tag, commit in tags.items()]
        _git(staging, "fetch", "--quiet", "--no-tags", str(root), *refspecs)
        _git(staging, "bundle", "create", "--quiet", str(bundle), "--tags")
    return tags


def _releases(root: Path) -> list[Release]:
    try:
        return read_release_list(root)
    except PybackendError as error:
        raise BuildRefused(f"cannot build the wheel: {error.message}") from error


def _build(root: Path) -> Build:
    if not (root / ".git").exists():
        raise BuildRefused(
            "cannot build pybackend outside a git clone: its version and bundled releases come from the "
            "repository's history; build from a full clone (`pip install .` or `uv build --wheel` there)"
        )
    try:
        return current_build(root, _releases(root))
    except PybackendError as error:
        raise BuildRefused(f"cannot build the wheel: {error.message}") from error


def _succeeds(cwd: Path, *args: str) -> bool:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False).returncode == 0


def _git(cwd: Path, *args: str, check: bool = True) -> str:
    completed = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if check and completed.returncode != 0:
        raise BuildRefused(f"cannot build the wheel: git {' '.join(args)} failed: {completed.stderr.strip()}")
    return completed.stdout
