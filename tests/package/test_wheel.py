"""The wheel renders from the release tags it carries, with no checkout on disk and no network."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support.release import VERSION, release_copy

_NO_NETWORK = {
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "ALL_PROXY": "http://127.0.0.1:9",
}


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    completed = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, f"{args}:\n{completed.stdout}\n{completed.stderr}"
    return completed.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is needed to build and install the wheel")
    source = release_copy(tmp_path_factory.mktemp("release"))
    dist = tmp_path_factory.mktemp("dist")
    _run(uv, "build", "--wheel", "--out-dir", dist, cwd=source)
    (built,) = dist.glob("*.whl")
    return built


def test_the_wheel_carries_every_release_tag(wheel: Path) -> None:
    import zipfile

    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        bundle = archive.read("pybackend/_template/templates.bundle")
    assert "pybackend/_template/copier.yml" in names
    assert any(name.startswith("pybackend/_template/templates/fastapi/") for name in names)
    heads = subprocess.run(
        ["git", "bundle", "list-heads", "/dev/stdin"], input=bundle, capture_output=True, check=True
    ).stdout.decode()
    assert f"refs/tags/v{VERSION}" in heads


def test_an_installed_wheel_generates_offline_from_its_bundle(wheel: Path, tmp_path: Path) -> None:
    uv = shutil.which("uv")
    assert uv
    venv = tmp_path / "venv"
    _run(uv, "venv", "--quiet", "--python", sys.executable, venv, cwd=tmp_path)
    _run(uv, "pip", "install", "--quiet", "--python", venv / "bin" / "python", wheel, cwd=tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, **_NO_NETWORK, "HOME": str(home), "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("VIRTUAL_ENV", None)
    work = tmp_path / "work"
    work.mkdir()
    _run(venv / "bin" / "pybackend", "new", "orders-api", "-y", "--no-lock", cwd=work, env=env)

    answers = yaml.safe_load((work / "orders-api" / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == "~/.cache/pybackend/templates"
    assert answers["_commit"] == f"v{VERSION}"
    assert (work / "orders-api" / "pyproject.toml").is_file()
    tags = _run("git", "tag", "--list", cwd=home / ".cache" / "pybackend" / "templates").split()
    assert tags == [f"v{VERSION}"]
    assert _run(venv / "bin" / "pybackend", "--version", cwd=work, env=env).strip().endswith(VERSION)
