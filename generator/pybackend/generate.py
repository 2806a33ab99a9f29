"""Write a new project: render with Copier into a scratch directory, finish it, then move it into place.

The scratch directory is beside the target (`pybackend.target`), so the target either appears complete or not
at all.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import TemplateError as JinjaTemplateError

from pybackend.errors import PybackendError, TemplateError
from pybackend.git import git
from pybackend.signals import sigterm_interrupts
from pybackend.source import TemplateSource
from pybackend.target import check_target, claimed, move_into_place, require_intact

_SECRET_LINE = re.compile(r"^SECRET_KEY=.*$", re.MULTILINE)
_DATABASE_URL = re.compile(r"^DATABASE_URL=(.*)$", re.MULTILINE)
# The database server a project without Docker needs, and the command creating what its .env names on it.
_DATABASE_SETUP = {
    "postgresql": (
        "PostgreSQL",
        "sudo -u postgres psql -c \"CREATE ROLE {user} LOGIN PASSWORD '{password}'\" "
        '-c "CREATE DATABASE {name} OWNER {user}"',
    ),
    "mysql": (
        "MySQL or MariaDB",
        "sudo mysql -e \"CREATE DATABASE {name}; CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'; "
        "GRANT ALL ON {name}.* TO '{user}'@'%'\"",
    ),
}
# The project's README opens with the commands that set it up and run it, in its first console block.
_FIRST_CONSOLE_BLOCK = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Options:
    git: bool = True
    lock: bool = True


@dataclass
class Result:
    path: Path
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)


def generate(answers: Mapping[str, Any], target: Path, source: TemplateSource, options: Options = Options()) -> Result:
    """Create `target` holding the rendered, finished project; on any failure or signal, leave nothing."""
    check_target(target)
    result = Result(path=target)
    with sigterm_interrupts(), claimed(target) as scratch:
        check_target(target)  # again, now that no other run can be creating it
        project = scratch / target.name
        try:
            render(answers, project, source)
            write_env_file(project)
            if options.lock:
                result.warnings.extend(lock_dependencies(project))
            if options.git:
                _initial_commit(project, answers)
            result.files = list_files(project)
            result.next_steps = [*database_steps(project, answers), *first_commands(project)]
        except (PybackendError, OSError):
            # The directory removed under the run explains any failure (a missing working directory looks like
            # a missing git, for one): say so rather than what it caused.
            require_intact(scratch, target)
            raise
        require_intact(scratch, target)  # the files listed are the project's, not a partial one written anew
        move_into_place(project, target)
    return result


def preview(answers: Mapping[str, Any], target: Path, source: TemplateSource) -> list[str]:
    """The files `generate` would write, found by rendering into a scratch directory that is then removed."""
    check_target(target)
    with tempfile.TemporaryDirectory(prefix="pybackend-preview-") as scratch:
        project = Path(scratch) / target.name
        render(answers, project, source)
        return list_files(project)


def render(answers: Mapping[str, Any], destination: Path, source: TemplateSource) -> None:
    # Copier is imported here, not at module level, so that the CLI starts fast.
    from copier import run_copy
    from copier.errors import CopierError, DirtyLocalWarning

    try:
        with warnings.catch_warnings():
            # Rendering a checkout with uncommitted changes is how pybackend is developed, not something to warn about.
            warnings.simplefilter("ignore", DirtyLocalWarning)
            run_copy(
                source.path,
                destination,
                data=dict(answers),
                vcs_ref=source.ref,
                defaults=True,
                overwrite=True,
                quiet=True,
                skip_tasks=True,
            )
    except (CopierError, JinjaTemplateError, ValueError, OSError) as error:
        raise TemplateError(f"rendering the template failed: {error}") from error


def write_env_file(project: Path) -> None:
    """.env is the example with a fresh secret; it is git-ignored, so it never enters history or updates."""
    example = project / ".env.example"
    if not example.is_file():
        return
    secret = secrets.token_urlsafe(48)
    text = _SECRET_LINE.sub(lambda _: f"SECRET_KEY={secret}", example.read_text(encoding="utf-8"))
    env_file = project / ".env"
    env_file.write_text(text, encoding="utf-8")
    env_file.chmod(0o600)


def first_commands(project: Path) -> list[str]:
    """The commands the project's README starts with, so that what `new` prints is what the README says."""
    readme = project / "README.md"
    found = _FIRST_CONSOLE_BLOCK.search(readme.read_text(encoding="utf-8")) if readme.is_file() else None
    return found.group(1).splitlines() if found else []


def database_steps(project: Path, answers: Mapping[str, Any]) -> list[str]:
    """Without compose to start it, the database server is the user's: name the user and database `.env` expects.

    The README's own commands then install and start the service, which connects where DATABASE_URL points.
    """
    database = answers.get("database")
    if answers.get("docker") or database not in _DATABASE_SETUP:
        return []
    found = _DATABASE_URL.search(_read(project / ".env.example"))
    if not found:
        return []
    url = urlsplit(found.group(1))
    user, password, name = url.username or "", url.password or "", url.path.lstrip("/")
    server, command = _DATABASE_SETUP[database]
    return [
        f"# start {server}, then create the user and database that DATABASE_URL in .env names "
        "(or point DATABASE_URL at yours):",
        command.format(user=user, password=password, name=name),
    ]


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def list_files(project: Path) -> list[str]:
    return sorted(
        path.relative_to(project).as_posix()
        for path in project.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(project).parts
    )


def lock_dependencies(project: Path) -> list[str]:
    """Pin the dependencies now so the first commit, the Dockerfile and CI share one lock file."""
    uv = shutil.which("uv")
    if uv is None:
        return ["uv was not found, so no uv.lock was written; run `uv lock` in the project"]
    completed = subprocess.run([uv, "lock", "--quiet"], cwd=project, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        return [f"`uv lock` failed, so no uv.lock was written (run it later): {completed.stderr.strip()}"]
    return []


def _initial_commit(project: Path, answers: Mapping[str, Any]) -> None:
    from pybackend.git import identity

    # The branch the project's CI workflow runs on, whatever git's own default is on this machine.
    git(project, "init", "--quiet", "--initial-branch=main")
    # Without a git identity on this machine, commit as the project's author rather than fail; the identity goes
    # to git's environment only, so the user's git configuration is never written.
    env = {**os.environ, **identity(project, str(answers["author_name"]), str(answers["author_email"]))}
    for args in (["add", "--all"], ["commit", "--quiet", "--no-verify", "-m", "Initial commit from pybackend"]):
        git(project, *args, env=env)
