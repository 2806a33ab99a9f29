"""Where `new` writes: every problem with the target is one line and exit code 4; signals and crashes leave nothing."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pybackend import generate
from pybackend.cli import cli
from pybackend.errors import ExitCode
from pybackend.target import SCRATCH_PREFIX


def _new(parent: Path, name: str = "svc", *args: str) -> Result:
    argv = ["new", name, "-y", "--no-git", "--no-lock", "--output-dir", str(parent), *args]
    return CliRunner().invoke(cli, argv, catch_exceptions=False)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """The destinations rendered into: a refused target must be refused before any rendering."""
    calls: list[Path] = []
    real = generate.render

    def recording(answers: object, destination: Path, source: object) -> None:
        calls.append(destination)
        real(answers, destination, source)  # type: ignore[arg-type]

    monkeypatch.setattr(generate, "render", recording)
    yield calls


def _refused_in_one_line(result: Result, reason: str) -> None:
    assert result.exit_code == ExitCode.TARGET_UNUSABLE, result.output
    assert reason in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_file_in_the_way_is_refused_before_rendering(tmp_path: Path, renders: list[Path]) -> None:
    (tmp_path / "svc").write_text("mine")
    _refused_in_one_line(_new(tmp_path), "is a file, not a directory")
    assert renders == []
    assert (tmp_path / "svc").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["svc"]


@pytest.mark.parametrize("points_to", ["elsewhere", "missing"])
def test_a_symbolic_link_is_refused_and_left_alone(tmp_path: Path, renders: list[Path], points_to: str) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "svc").symlink_to(tmp_path / points_to)
    _refused_in_one_line(_new(tmp_path), "is a symbolic link")
    assert renders == []
    assert (tmp_path / "svc").is_symlink()
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_file_as_a_parent_is_refused(tmp_path: Path, renders: list[Path]) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    _refused_in_one_line(_new(tmp_path / "notes.txt" / "deeper"), "notes.txt is a file, not a directory")
    assert renders == []


def test_a_parent_that_cannot_be_written_is_refused(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # root writes through file modes; a kernel filesystem refuses it instead.
        parent = Path("/sys")
        if os.access(parent, os.W_OK) and not _refuses_writes(parent):
            pytest.skip("no directory refuses writes to root here")
    else:
        parent = tmp_path / "read-only"
        parent.mkdir()
        parent.chmod(0o555)
    _refused_in_one_line(_new(parent), "permission denied")
    assert not (parent / "svc").exists()


def _refuses_writes(directory: Path) -> bool:
    try:
        (directory / ".pybackend-probe").mkdir()
    except OSError:
        return True
    (directory / ".pybackend-probe").rmdir()
    return False


def test_a_run_on_a_name_another_run_holds_is_refused(tmp_path: Path) -> None:
    lock = tmp_path / f"{SCRATCH_PREFIX}svc.lock"
    other_run = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(other_run, fcntl.LOCK_EX)
        _refused_in_one_line(_new(tmp_path), "another pybackend run is creating")
        assert not (tmp_path / "svc").exists()
    finally:
        os.close(other_run)
    assert _new(tmp_path).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["svc"], "the lock file is removed after use"


def test_scratch_left_by_a_killed_run_is_removed_and_a_live_one_is_kept(tmp_path: Path) -> None:
    abandoned = tmp_path / f"{SCRATCH_PREFIX}abandoned"
    (abandoned / "other" / "src").mkdir(parents=True)
    (abandoned / "other" / ".env").write_text("SECRET_KEY=abandoned\n")
    (abandoned / ".owner").write_text("")
    stale_lock = tmp_path / f"{SCRATCH_PREFIX}other.lock"
    stale_lock.write_text("")
    live = tmp_path / f"{SCRATCH_PREFIX}live"
    live.mkdir()
    (live / ".owner").write_text("")
    owner = os.open(live / ".owner", os.O_RDWR)
    try:
        fcntl.flock(owner, fcntl.LOCK_EX)
        assert _new(tmp_path).exit_code == 0
        assert sorted(p.name for p in tmp_path.iterdir()) == [live.name, "svc"]
    finally:
        os.close(owner)


def _start_new(parent: Path, *args: str, slow_git: Path | None = None) -> subprocess.Popen[str]:
    env = dict(os.environ)
    if slow_git is not None:
        # The initial commit is the step after the .env is written: a slow `git init` holds the run right there.
        slow_git.mkdir()
        real = shutil.which("git")
        (slow_git / "git").write_text(f'#!/bin/sh\n[ "$1" = init ] && sleep 3\nexec "{real}" "$@"\n')
        (slow_git / "git").chmod(0o755)
        env["PATH"] = f"{slow_git}{os.pathsep}{env['PATH']}"
    return subprocess.Popen(
        [sys.executable, "-m", "pybackend", "new", "svc", "-y", "--no-lock", "--output-dir", str(parent), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )


def _wait_for_env_file_in_scratch(parent: Path, process: subprocess.Popen[str]) -> None:
    """Until the project and its .env are in the scratch directory, the point where a signal leaves the most."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if list(parent.glob(f"{SCRATCH_PREFIX}*/svc/.env")):
            return
        time.sleep(0.005)
    pytest.fail(f"the run never wrote its scratch project: {process.communicate()}")


def test_sigterm_during_new_exits_130_and_leaves_nothing(tmp_path: Path) -> None:
    parent = tmp_path / "parent"
    process = _start_new(parent, slow_git=tmp_path.parent / f"{tmp_path.name}-git")
    _wait_for_env_file_in_scratch(parent, process)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == ExitCode.INTERRUPTED, stderr
    assert "Interrupted; nothing was changed." in stderr
    assert "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == [], "no target, no scratch, not even the parent it created"


def test_scratch_of_a_run_killed_outright_is_removed_by_the_next_run(tmp_path: Path) -> None:
    process = _start_new(tmp_path, slow_git=tmp_path.parent / f"{tmp_path.name}-git")
    _wait_for_env_file_in_scratch(tmp_path, process)
    # The run and the git it started die together, as when the machine stops or the OOM killer takes the group.
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    assert list(tmp_path.glob(f"{SCRATCH_PREFIX}*/svc/.env")), "SIGKILL cannot be handled: the scratch stays"
    assert _new(tmp_path).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["svc"]


def test_two_concurrent_runs_on_one_name_one_wins_the_other_is_told(tmp_path: Path) -> None:
    runs = [_start_new(tmp_path, "--no-git") for _ in range(2)]
    outcomes = sorted((run.wait(timeout=120), run.communicate()[1]) for run in runs)
    assert [code for code, _ in outcomes] == [0, ExitCode.TARGET_UNUSABLE], outcomes
    refusal = outcomes[1][1]
    assert "another pybackend run is creating" in refusal or "already exists and is not empty" in refusal
    assert "Traceback" not in refusal
    assert len(refusal.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["svc"]


@pytest.mark.parametrize(
    "broken", ["{{ project_name | no_such_filter }}", "{{ not_a_question }}", "{% if project_name %}unclosed"]
)
def test_a_real_render_error_exits_5_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    template = _template_repository(
        tmp_path / "template", {"README.md.jinja": "# {{ project_name }}\n", "z.py.jinja": broken}
    )
    monkeypatch.setenv("PYBACKEND_TEMPLATE", str(template))
    parent = tmp_path / "out" / "parent"
    with _fresh_template_source():
        result = _new(parent)
    assert result.exit_code == ExitCode.TEMPLATE_ERROR, result.output
    assert "rendering the template failed" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists(), "no project, no scratch, not even the parents it created"


@contextmanager
def _fresh_template_source() -> Iterator[None]:
    """The template source and its questions are read once per process; this test changes where they come from."""
    from pybackend import cli as cli_module
    from pybackend import source

    for cached in (source.template_source, cli_module._questions):
        cached.cache_clear()
    try:
        yield
    finally:
        for cached in (source.template_source, cli_module._questions):
            cached.cache_clear()


def _template_repository(repository: Path, files: dict[str, str]) -> Path:
    """A template repository with this checkout's questions and the given FastAPI tree, released as v0.0.1."""
    from pybackend.source import checkout_root

    root = checkout_root()
    assert root is not None
    tree = repository / "templates" / "fastapi"
    tree.mkdir(parents=True)
    (repository / "copier.yml").write_text((root / "copier.yml").read_text(encoding="utf-8"), encoding="utf-8")
    for name, text in files.items():
        (tree / name).write_text(text, encoding="utf-8")
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.com"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "release"], ["tag", "v0.0.1"]):
        subprocess.run(["git", *identity, *args], cwd=repository, check=True, capture_output=True)
    return repository


def test_sigterm_at_a_prompt_exits_130_and_writes_nothing(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "pybackend", "new", "svc", "--interactive", "--output-dir", str(tmp_path / "parent")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    shown = ""
    while "package_name" not in shown:
        character = process.stdout.read(1)
        assert character, f"the run ended before asking: {process.communicate()}"
        shown += character
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == ExitCode.INTERRUPTED, stderr
    assert "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []


def test_an_output_dir_that_is_a_file_is_refused_with_exit_4(tmp_path: Path, renders: list[Path]) -> None:
    (tmp_path / "file").write_text("mine")
    _refused_in_one_line(_new(tmp_path / "file"), "is a file, not a directory")
    assert renders == []
    assert (tmp_path / "file").read_text() == "mine"


# The steps of `new` after which the output directory is removed, as another program (or a user) might.
_STEPS = ["render", "write_env_file", "lock_dependencies", "_initial_commit", "list_files", "first_commands"]


@pytest.mark.parametrize("after", _STEPS)
@pytest.mark.parametrize("mid_render", [False, True], ids=["", "the-scratch-recreated"])
def test_an_output_directory_removed_during_new_is_a_clear_error_and_nothing_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: str, mid_render: bool
) -> None:
    parent = tmp_path / "out"
    parent.mkdir()
    real = getattr(generate, after)

    def then_removed(*args: object, **kwargs: object) -> object:
        if mid_render and after == "render":
            # Removed while Copier writes: the files it writes next recreate the directories on their way.
            shutil.rmtree(parent)
            return real(*args, **kwargs)
        found = real(*args, **kwargs)
        shutil.rmtree(parent)
        return found

    monkeypatch.setattr(generate, after, then_removed)
    result = _new(parent, "svc", *(["--git", "--lock"] if after in {"_initial_commit", "lock_dependencies"} else []))
    assert result.exit_code == ExitCode.TARGET_UNUSABLE, result.output
    assert f"{parent} was removed while the project was being written; nothing was created" in result.output
    assert "Created" not in result.output and "git is required" not in result.output
    assert not parent.exists(), "nothing is recreated"
