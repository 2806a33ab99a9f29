"""One `pybackend` command run as a user runs it, and what it printed: shared by the update tier's scenarios."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from support.summary import parse_summary

PYBACKEND = Path(sys.executable).parent / "pybackend"


@dataclass
class Run:
    """One finished `pybackend` command."""

    args: list[str]
    code: int
    stdout: str
    stderr: str

    def describe(self) -> str:
        command = " ".join(self.args)
        return f"$ {command}  (exit {self.code})\n--- stdout ---\n{self.stdout}--- stderr ---\n{self.stderr}"

    def expect(self, code: int) -> Run:
        assert self.code == code, f"expected exit {code}\n{self.describe()}"
        return self

    def summary(self) -> dict[str, list[str]]:
        return parse_summary(self.stdout, self.describe())


def run_pybackend(*args: str, cwd: Path, env: dict[str, str], timeout: float, pybackend: Path = PYBACKEND) -> Run:
    """`pybackend ARGS` in `cwd`, with no input: this checkout's, or the `pybackend` given (an installed wheel's)."""
    command = [str(pybackend), *args]
    completed = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        text=True,
        check=False,
        timeout=timeout,
    )
    return Run(command, completed.returncode, completed.stdout, completed.stderr)
