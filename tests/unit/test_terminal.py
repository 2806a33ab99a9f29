"""`pybackend new` at a real terminal: keystrokes in through a pseudo-terminal, the screen read back."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pybackend.errors import ExitCode

ENTER = "\r"
# Escape sequences (colours, cursor moves) and carriage returns: what is left is the text on the screen.
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]|\r")
_TIMEOUT = 60
# A question as questionary draws it (`? database:`), or the confirmation before writing.
_PROMPT = re.compile(r"\? (?:(?P<name>[a-z_]+):|Write the project\?)")


class Terminal:
    """A program on a pseudo-terminal of 120 columns: `expect` reads its screen, `type` sends keys."""

    def __init__(self, argv: list[str], cwd: Path) -> None:
        self._master, replica = os.openpty()
        fcntl.ioctl(replica, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 120, 0, 0))
        # No cursor-position requests: there is no real terminal emulator to answer them.
        env = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1", "COLUMNS": "120"}
        env.pop("NO_COLOR", None)
        self.process = subprocess.Popen(
            argv, cwd=cwd, stdin=replica, stdout=replica, stderr=replica, env=env, start_new_session=True
        )
        os.close(replica)
        self.raw = ""  # everything written to the screen, escape sequences included
        self._read_to = 0

    def expect(self, text: str) -> str:
        """Wait until `text` is on the screen after what was expected before; return the screen up to it."""
        deadline = time.monotonic() + _TIMEOUT
        while True:
            screen = self.screen
            found = screen.find(text, self._read_to)
            if found >= 0:
                seen, self._read_to = screen[self._read_to : found], found + len(text)
                return seen
            if time.monotonic() > deadline or not self._read(deadline - time.monotonic()):
                raise AssertionError(f"{text!r} never appeared; the screen:\n{screen[self._read_to :]}")

    def next_prompt(self, after: str) -> str:
        """Wait for the question after the one named `after`, or the confirmation (named "").

        A prompt is drawn again at each key and once more when answered, so only a new name is a new question.
        """
        deadline = time.monotonic() + _TIMEOUT
        while True:
            for found in _PROMPT.finditer(self.screen, self._read_to):
                self._read_to = found.end()
                if (found["name"] or "") != after:
                    return found["name"] or ""
            if time.monotonic() > deadline or not self._read(deadline - time.monotonic()):
                raise AssertionError(f"no prompt appeared; the screen:\n{self.screen[self._read_to :]}")

    def answer_the_rest_with_enter(self, after: str) -> None:
        """Take the default of every question after the one named `after`, up to the confirmation."""
        while after := self.next_prompt(after):
            self.type(ENTER)

    def type(self, keys: str) -> None:
        os.write(self._master, keys.encode())

    def wait(self) -> int:
        while self._read(_TIMEOUT):
            pass
        return self.process.wait(timeout=_TIMEOUT)

    @property
    def screen(self) -> str:
        return _CONTROL.sub("", self.raw)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self._master)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self._master], [], [], max(timeout, 0))
        if not ready:
            return False
        try:
            chunk = os.read(self._master, 65536)
        except OSError:  # the program ended and closed the terminal
            return False
        self.raw += chunk.decode("utf-8", "replace")
        return bool(chunk)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    argv = [sys.executable, "-m", "pybackend", "new", "orders", "--output-dir", "out", "--no-git", "--no-lock"]
    running = Terminal(argv, tmp_path)
    yield running
    running.close()


def test_typing_replaces_a_default_the_help_stands_apart_and_the_summary_names_the_target(
    terminal: Terminal, tmp_path: Path
) -> None:
    terminal.expect("package_name:")
    terminal.type(ENTER)
    terminal.expect("One-line description of the service")
    terminal.expect("description:")
    terminal.expect("A backend service")  # the default is shown before anything is typed, muted
    assert "description: \x1b[0;90mA backend service" in terminal.raw
    terminal.type("Orders API" + ENTER)
    terminal.expect("author_name:")
    terminal.type("Jane" + ENTER)
    terminal.answer_the_rest_with_enter("author_name")
    shown = terminal.screen
    assert re.search(r"^\s*description\s+Orders API$", shown, re.MULTILINE), shown
    assert re.search(r"^\s*author_name\s+Jane$", shown, re.MULTILINE), shown
    assert f"The project will be written to {tmp_path / 'out' / 'orders'}" in shown
    assert "A backend serviceOrders API" not in shown and "Your NameJane" not in shown
    assert "One-line description of the service A backend service" not in shown
    # The help is a line of its own, in a muted style.
    assert "\x1b[2mOne-line description of the service\x1b[0m" in terminal.raw
    terminal.type("n")
    assert terminal.wait() == ExitCode.INTERRUPTED
    assert "Nothing was written." in terminal.screen
    assert not (tmp_path / "out").exists()


def test_enter_keeps_a_default_shown_but_not_typed(terminal: Terminal, tmp_path: Path) -> None:
    terminal.expect("package_name:")
    terminal.type("x\x7f" + ENTER)  # a key typed and erased leaves the default
    terminal.expect("description:")
    terminal.type(ENTER)
    terminal.expect("author_name:")
    terminal.type(ENTER)
    terminal.answer_the_rest_with_enter("author_name")
    shown = terminal.screen
    assert re.search(r"^\s*package_name\s+orders$", shown, re.MULTILINE), shown
    assert re.search(r"^\s*description\s+A backend service$", shown, re.MULTILINE), shown
    terminal.type("n")
    assert terminal.wait() == ExitCode.INTERRUPTED
