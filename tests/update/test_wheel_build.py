"""Building the wheel that carries the release history (build_bundle.py) leaves nothing behind.

uv run pytest tests/update/test_wheel_build.py -q
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

from support import REPO_ROOT
from support.procs import clean_env


def test_a_wheel_build_leaves_no_temporary_bundle(tmp_path: Path) -> None:
    uv = shutil.which("uv")
    assert uv, "uv is needed to build the wheel"
    temporary, dist = tmp_path / "tmp", tmp_path / "dist"
    temporary.mkdir()

    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(dist)],
        cwd=REPO_ROOT,
        env=clean_env({"TMPDIR": str(temporary)}),
        capture_output=True,
        check=True,
        timeout=300,
    )

    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "pybackend/_template/templates.bundle" in archive.namelist()
    assert sorted(path.name for path in temporary.glob("pybackend-bundle-*")) == []
