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


def test_release_tags_sort_as_versions_and_ignore_other_tags(tmp_path: Path) -> None:
    from pybackend.releases import newest_release, release_tags

    bundle = _bundle_with_tags(tmp_path, "v1.9.0", "v1.10.0", "v1.2", "nightly", "v2.0.0rc1-3-gabc1234")
    repo = tmp_path / "release"
    assert bundle.is_file()
    assert release_tags(repo) == ["v1.2", "v1.9.0", "v1.10.0"]
    assert newest_release(repo) == "v1.10.0"


def test_a_requested_version_names_its_tag_with_or_without_v() -> None:
    from pybackend.errors import VersionError
    from pybackend.releases import release_tag

    assert release_tag("1.4.0") == release_tag("v1.4.0") == "v1.4.0"
    with pytest.raises(VersionError, match="not a release version"):
        release_tag("main")


def test_the_template_env_var_renders_the_newest_release_of_that_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _bundle_with_tags(tmp_path, "v1", "v2")
    monkeypatch.setenv("PYBACKEND_TEMPLATE", str(tmp_path / "release"))
    template_source.cache_clear()
    try:
        source = template_source()
        assert (source.path, source.ref) == (str((tmp_path / "release").resolve()), "v2")
    finally:
        template_source.cache_clear()
