"""The release list, and the version of a checkout: a release, or a development version that names its commit."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from packaging.version import Version
from pybackend.errors import TemplateSourceError
from pybackend.git import snapshot
from pybackend.releases import current_build, parse_release_list, read_release_list

_IDENTITY = ("-c", "user.name=Maintainer", "-c", "user.email=maintainer@example.com")


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *_IDENTITY, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def _commit(repo: Path, message: str, **files: str) -> str:
    for name, text in files.items():
        (repo / name).write_text(text)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", message)
    return _git(repo, "rev-parse", "HEAD").strip()


def _record(repo: Path, version: str, commit: str) -> str:
    listed = (repo / "releases.toml").read_text() if (repo / "releases.toml").exists() else ""
    return _commit(
        repo,
        f"Record {version}",
        **{"releases.toml": f'{listed}[[release]]\nversion = "{version}"\ncommit = "{commit}"\n'},
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "pybackend"
    path.mkdir()
    _git(path, "init", "-q")
    _commit(path, "start", **{"copier.yml": "a: 1\n"})
    return path


def _version(repo: Path) -> Version:
    return current_build(repo, read_release_list(repo)).version


def test_the_release_list_is_read_oldest_first() -> None:
    text = (
        '[[release]]\nversion = "0.10.0"\ncommit = "' + "b" * 40 + '"\n'
        '[[release]]\nversion = "0.9.0"\ncommit = "' + "a" * 40 + '"\n'
    )
    assert [str(release.version) for release in parse_release_list(text, "releases.toml")] == ["0.9.0", "0.10.0"]
    assert [release.tag for release in parse_release_list(text, "releases.toml")] == ["v0.9.0", "v0.10.0"]


@pytest.mark.parametrize(
    "text",
    [
        '[[release]]\nversion = "0.1.0"\ncommit = "90f0028"\n',
        '[[release]]\nversion = "latest"\ncommit = "' + "a" * 40 + '"\n',
        '[[release]]\ncommit = "' + "a" * 40 + '"\n',
        'release = "0.1.0"\n',
        "[[release]\n",
    ],
    ids=["short-commit", "not-a-version", "no-version", "not-a-table", "not-toml"],
)
def test_a_malformed_release_list_is_refused(text: str) -> None:
    with pytest.raises(TemplateSourceError, match=r"releases\.toml"):
        parse_release_list(text, "releases.toml")


def test_this_repository_records_its_first_release() -> None:
    releases = read_release_list(Path(__file__).resolve().parents[2])
    assert [(str(release.version), release.commit) for release in releases][:1] == [
        ("0.1.0", "90f00281a4d1ab09df772dc83b5c17857ccb8574")
    ]


def test_a_commit_with_no_release_is_a_development_version(repo: Path) -> None:
    head = _git(repo, "rev-parse", "HEAD").strip()
    version = _version(repo)
    assert version.is_devrelease
    assert version.local == f"g{head[:7]}"


def test_the_release_commit_and_the_commit_recording_it_are_that_release(repo: Path) -> None:
    released = _commit(repo, "ready", **{"copier.yml": "a: 2\n"})
    recording = _record(repo, "0.2.0", released)
    build = current_build(repo, read_release_list(repo))
    assert (str(build.version), build.commit) == ("0.2.0", released)

    listed = read_release_list(repo)
    _git(repo, "checkout", "-q", released)
    # At the release commit itself its own list does not know the release yet; the later list does.
    assert current_build(repo, read_release_list(repo)).version.is_devrelease
    assert str(current_build(repo, listed).version) == "0.2.0"
    _git(repo, "checkout", "-q", recording)
    assert str(_version(repo)) == "0.2.0"


def test_commits_after_a_release_count_up_from_it(repo: Path) -> None:
    released = _commit(repo, "ready", **{"copier.yml": "a: 2\n"})
    _record(repo, "0.2.0", released)
    _commit(repo, "more", **{"copier.yml": "a: 3\n"})
    head = _commit(repo, "and more", **{"copier.yml": "a: 4\n"})
    version = _version(repo)
    assert str(version) == f"0.2.1.dev3+g{head[:7]}"
    assert Version("0.2.0") < version < Version("0.2.1")


def test_uncommitted_edits_make_a_later_development_version_of_their_own(repo: Path) -> None:
    released = _commit(repo, "ready", **{"copier.yml": "a: 2\n"})
    _record(repo, "0.2.0", released)
    clean = current_build(repo, read_release_list(repo))
    (repo / "copier.yml").write_text("a: 3\n")
    os.utime(repo / "copier.yml", (2_000_000_000, 2_000_000_000))
    dirty = current_build(repo, read_release_list(repo))
    (repo / "copier.yml").write_text("a: 4\n")
    os.utime(repo / "copier.yml", (2_000_000_100, 2_000_000_100))
    later = current_build(repo, read_release_list(repo))

    assert clean.version == Version("0.2.0")
    assert dirty.version.is_devrelease and dirty.commit != released
    assert _git(repo, "show", f"{dirty.commit}:copier.yml") == "a: 3\n"
    assert clean.version < dirty.version < later.version
    # The same files give the same version and commit every time, so `check` can say "up to date".
    assert current_build(repo, read_release_list(repo)) == later


def test_a_snapshot_holds_tracked_edits_but_no_untracked_files_or_nested_repositories(repo: Path) -> None:
    head = _git(repo, "rev-parse", "HEAD").strip()
    assert snapshot(repo) == head
    (repo / "copier.yml").write_text("a: edited\n")
    (repo / "scratch.txt").write_text("not tracked\n")
    nested = repo / "myservice"
    nested.mkdir()
    _git(nested, "init", "-q")
    _commit(nested, "a project generated inside the checkout", **{"main.py": "print()\n"})
    staged = repo / "staged.yml"
    staged.write_text("b: 1\n")
    _git(repo, "add", "staged.yml")
    status = _git(repo, "status", "--porcelain")

    commit = snapshot(repo)

    assert _git(repo, "ls-tree", "-r", "--name-only", commit).split() == ["copier.yml", "staged.yml"]
    assert _git(repo, "show", f"{commit}:copier.yml") == "a: edited\n"
    assert _git(repo, "rev-parse", f"{commit}^").strip() == head
    assert snapshot(repo) == commit
    # The user's index, work tree and branch are as they were.
    assert _git(repo, "status", "--porcelain") == status
    assert _git(repo, "rev-parse", "HEAD").strip() == head
