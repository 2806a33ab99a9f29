from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pybackend.errors import TemplateSourceError
from pybackend.releases import current_build, read_release_list
from pybackend.source import cache_checkout, checkout_root, ensure_cache, own_version_tag, template_source


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


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty HOME, so the template cache is this test's own."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    template_source.cache_clear()
    yield home
    template_source.cache_clear()


def test_a_checkout_renders_itself_as_it_stands_through_the_cache(home: Path) -> None:
    source = template_source()
    root = checkout_root()
    assert root is not None
    assert source.path == "~/.cache/pybackend/templates", "the same path on every machine, so projects move"
    assert source.ref == own_version_tag() == f"v{current_build(root, read_release_list(root)).version}"
    cache = home / ".cache/pybackend/templates"
    tracked = sorted(filter(None, _git(root, "ls-files", "-z").split("\0")))
    rendered = sorted(filter(None, _git(cache, "ls-tree", "-r", "-z", "--name-only", source.ref).split("\0")))
    assert rendered == [name for name in tracked if (root / name).exists()]
    assert _git(cache, "show", f"{source.ref}:copier.yml") == (root / "copier.yml").read_text()
    # The checkout's listed releases come along, so its projects can be updated to and from them.
    for release in read_release_list(root):
        assert _git(cache, "rev-parse", f"{release.tag}^{{commit}}").strip() == release.commit


def test_a_project_generated_inside_a_checkout_stays_out_of_its_templates(home: Path, tmp_path: Path) -> None:
    checkout = tmp_path / "clone"
    checkout.mkdir()
    _git(checkout, "init", "-q")
    (checkout / "copier.yml").write_text("a: 1\n")
    _git(checkout, "add", "-A")
    _git(checkout, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "start")
    project = checkout / "myservice"
    project.mkdir()
    (project / "main.py").write_text("print()\n")
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "generated")
    (checkout / "notes.txt").write_text("untracked\n")
    (checkout / "copier.yml").write_text("a: 2\n")
    cache = home / ".cache/pybackend/templates"

    cache_checkout(checkout, cache)

    (tag,) = _git(cache, "tag", "--list").split()
    assert _git(cache, "ls-tree", "-r", "--name-only", tag).split() == ["copier.yml"]
    assert _git(cache, "show", f"{tag}:copier.yml") == "a: 2\n"
    # Twice with the same files: the same version, nothing new.
    cache_checkout(checkout, cache)
    assert _git(cache, "tag", "--list").split() == [tag]


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


def test_a_bundle_whose_version_the_cache_has_at_another_commit_is_refused(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    cache = tmp_path / "cache"
    ensure_cache(_bundle_with_tags(first, "v0.2.0"), cache)
    cached = _git(cache, "rev-parse", "v0.2.0").strip()

    with pytest.raises(TemplateSourceError) as refused:
        ensure_cache(_bundle_with_tags(second, "v0.1.0", "v0.2.0"), cache)

    message = str(refused.value)
    assert f"v0.2.0 is commit {cached[:12]} there" in message
    assert f"git -C {cache} tag -d v0.2.0" in message
    assert _git(cache, "rev-parse", "v0.2.0").strip() == cached, "the cached version is never moved"
    assert _git(cache, "tag", "--list").split() == ["v0.2.0"], "nothing is fetched"


def test_a_checkout_whose_version_the_cache_has_at_another_commit_is_refused(home: Path, tmp_path: Path) -> None:
    checkout, elsewhere = tmp_path / "clone", tmp_path / "elsewhere"
    for repository, text in ((checkout, "a: 1\n"), (elsewhere, "a: 2\n")):
        repository.mkdir()
        _git(repository, "init", "-q")
        (repository / "copier.yml").write_text(text)
        _git(repository, "add", "-A")
        _git(repository, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "start")
    cache = home / ".cache/pybackend/templates"
    cache_checkout(checkout, cache)
    (tag,) = _git(cache, "tag", "--list").split()
    _git(cache, "tag", "-d", tag)
    _git(cache, "fetch", "-q", str(elsewhere), f"HEAD:refs/tags/{tag}")  # the same version from another commit
    other = _git(cache, "rev-parse", tag).strip()

    with pytest.raises(TemplateSourceError, match=f"tag -d {re.escape(tag)}"):
        cache_checkout(checkout, cache)

    assert _git(cache, "rev-parse", tag).strip() == other
