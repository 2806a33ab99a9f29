from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pybackend.errors import TemplateSourceError
from pybackend.source import ensure_cache, template_source


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def _bundle_with_tags(tmp_path: Path, *tags: str) -> Path:
    repo = tmp_path / "release"
    repo.mkdir(exist_ok=True)
    if not (repo / ".git").exists():
        _git(repo, "init", "-q")
    for tag in tags:
        (repo / "copier.yml").write_text(f"version: {tag}\n")
        _git(repo, "add", "-A")
        _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", tag)
        _git(repo, "tag", tag)
    bundle = tmp_path / f"{tags[-1]}.bundle"
    _git(repo, "bundle", "create", str(bundle), "--tags")
    return bundle


def test_a_checkout_renders_its_own_working_tree() -> None:
    source = template_source()
    assert source.is_checkout
    assert Path(source.path).is_absolute(), "a relative _src_path would break later updates"
    assert (Path(source.path) / "copier.yml").is_file()


def test_the_cache_gains_the_bundle_tags_and_keeps_older_ones(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    ensure_cache(_bundle_with_tags(tmp_path, "v0.1.0"), cache)
    ensure_cache(_bundle_with_tags(tmp_path, "v0.2.0"), cache)
    ensure_cache(_bundle_with_tags(tmp_path, "v0.3.0"), cache)
    assert _git(cache, "tag", "--list").split() == ["v0.1.0", "v0.2.0", "v0.3.0"]
    assert _git(cache, "show", "v0.1.0:copier.yml") == "version: v0.1.0\n"


def test_a_missing_bundle_says_to_reinstall(tmp_path: Path) -> None:
    with pytest.raises(TemplateSourceError, match="reinstall pybackend"):
        ensure_cache(tmp_path / "absent.bundle", tmp_path / "cache")
