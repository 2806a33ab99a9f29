"""A project's `.env` against its `.env.example`, after `set`, `add` or `update` changed the example.

`.env` is the user's (git-ignored, holding the secret), so it is only read here, unless the user asks for the lines
that no longer match to be rewritten. A variable no longer matches when the change gave it another value in
`.env.example` (DATABASE_URL after `set database=mysql`, LOG_FORMAT after `set log_format=console`) or added it,
and `.env` holds something else or nothing. Variables the change left alone are the user's business, whatever
they hold; `SECRET_KEY` is never touched; a variable the project no longer reads stays, harmless.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

ENV_FILE = ".env"
EXAMPLE_FILE = ".env.example"
_SECRET_NAME = "SECRET_KEY"  # noqa: S105 (the name of the variable never touched)
_ASSIGNMENT = re.compile(r"^(?P<lead>\s*(?:export\s+)?)(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=(?P<value>.*)$")
# The password of a URL (`postgresql://app:secret@host/db`), hidden when a value is shown.
_URL_PASSWORD = re.compile(r"(?<=://)([^:/@\s]*):[^@\s]*@")


@dataclass(frozen=True)
class Stale:
    """A variable of `.env` that no longer matches the project."""

    name: str
    current: str | None  # its value in .env; None when .env lacks it
    expected: str  # the value .env.example now holds

    def describe(self) -> str:
        if self.current is None:
            return f"{self.name} is missing; .env.example now has {self.name}={_masked(self.expected)}"
        return f"{self.name}={_masked(self.current)}; .env.example now has {self.name}={_masked(self.expected)}"


def stale_variables(env: str, old_example: str, new_example: str) -> list[Stale]:
    """The variables of `env` that the change from `old_example` to `new_example` left behind, in the new order."""
    before, after, current = _values(old_example), _values(new_example), _values(env)
    return [
        Stale(name, current.get(name), value)
        for name, value in after.items()
        if name != _SECRET_NAME and before.get(name) != value and current.get(name) != value
    ]


def brought_in_line(env: str, stale: list[Stale], new_example: str) -> str:
    """`env` with each stale variable's line rewritten, and missing ones appended with their comment.

    Every other line (the secret, comments, blank lines, the user's own variables) is kept, in its order.
    """
    expected = {variable.name: variable.expected for variable in stale}
    lines = env.splitlines(keepends=True)
    for index, line in enumerate(lines):
        found = _ASSIGNMENT.match(line.rstrip("\r\n"))
        if found and found["name"] in expected:
            ending = line[len(line.rstrip("\r\n")) :]
            lines[index] = f"{found['lead']}{found['name']}={expected[found['name']]}{ending}"
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    comments = _comments(new_example)
    for variable in stale:
        if variable.current is None:
            lines.extend(f"{comment}\n" for comment in comments.get(variable.name, []))
            lines.append(f"{variable.name}={variable.expected}\n")
    return "".join(lines)


def read_example(project: Path) -> str | None:
    """The project's `.env.example` as it stands, or None without one."""
    try:
        return (project / EXAMPLE_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None


def stale_in_project(project: Path, old_example: str | None, new_example: str | None) -> list[Stale]:
    """The stale variables of the project's `.env`, once its `.env.example` has moved on from `old_example` to
    `new_example` (what it holds now, or what a dry run would make it)."""
    env = _read_env(project)
    if new_example is None or env is None or new_example == old_example:
        return []
    return stale_variables(env, old_example or "", new_example)


def bring_in_line(project: Path, stale: list[Stale]) -> None:
    """Rewrite the project's `.env` with `stale` brought in line, in one move that keeps its permissions."""
    env_file = project / ENV_FILE
    env = _read_env(project)
    new_example = read_example(project)
    if env is None or new_example is None or not stale:
        return
    text = brought_in_line(env, stale, new_example)
    descriptor, name = tempfile.mkstemp(prefix=".env.", dir=project)
    scratch = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        scratch.chmod(env_file.stat().st_mode & 0o7777)
        scratch.replace(env_file)
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise


def _read_env(project: Path) -> str | None:
    try:
        with (project / ENV_FILE).open(encoding="utf-8", newline="") as stream:
            return stream.read()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError, UnicodeDecodeError):
        return None


def _values(text: str) -> dict[str, str]:
    """Each variable's value as a program reading the file sees it: the last assignment, unquoted."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        found = _ASSIGNMENT.match(line)
        if found:
            values[found["name"]] = _unquoted(found["value"].strip())
    return values


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _comments(example: str) -> dict[str, list[str]]:
    """The comment line right above each variable of `.env.example`, which says what it means."""
    found: dict[str, list[str]] = {}
    above: list[str] = []
    for line in example.splitlines():
        assignment = _ASSIGNMENT.match(line)
        if assignment:
            found[assignment["name"]] = above[-1:]  # the file's own heading is not the first variable's
            above = []
        elif line.lstrip().startswith("#"):
            above.append(line)
        else:
            above = []
    return found


def _masked(value: str) -> str:
    return _URL_PASSWORD.sub(r"\1:***@", value)
