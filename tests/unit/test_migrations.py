from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pybackend import migrations


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_recorded_rename_is_taken_once_and_leaves_the_work_tree_alone(project: Path) -> None:
    assert migrations.main(["rename", "app/routes.py", "app/views.py"]) == 0

    assert [path.name for path in project.iterdir()] == [".git"]
    assert migrations.take_renames(project) == {"app/routes.py": "app/views.py"}
    assert migrations.take_renames(project) == {}


def test_moves_across_releases_are_chained(project: Path) -> None:
    for old, new in (("a.py", "b.py"), ("other.py", "elsewhere.py"), ("b.py", "c.py"), ("elsewhere.py", "other.py")):
        migrations.record_rename(project, old, new)

    assert migrations.take_renames(project) == {"a.py": "c.py"}


def test_a_malformed_command_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert migrations.main(["rename", "only-one"]) == 2
    assert "usage" in capsys.readouterr().err
    assert migrations.take_renames(project) == {}
