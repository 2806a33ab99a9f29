"""Named sub-steps of one end-to-end test: timed, and reported together.

A `soft` step that fails is recorded and the test goes on (lint failing should not hide a contract failure);
a `hard` step is a prerequisite, so its failure ends the test at once, with everything recorded so far.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest


@dataclass
class Steps:
    title: str
    timings: list[tuple[str, float, str]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    @contextlib.contextmanager
    def soft(self, name: str) -> Iterator[None]:
        start = time.monotonic()
        try:
            yield
        except Exception as exc:
            self._record(name, start, "FAILED")
            self.failures.append(f"[{self.title}] {name}:\n{_describe(exc)}")
        else:
            self._record(name, start, "ok")

    @contextlib.contextmanager
    def hard(self, name: str) -> Iterator[None]:
        start = time.monotonic()
        try:
            yield
        except Exception as exc:
            self._record(name, start, "FAILED")
            self.failures.append(f"[{self.title}] {name} (prerequisite, later steps not run):\n{_describe(exc)}")
            pytest.fail(self.report(), pytrace=False)
        self._record(name, start, "ok")

    def _record(self, name: str, start: float, outcome: str) -> None:
        self.timings.append((name, time.monotonic() - start, outcome))

    def summary(self) -> str:
        rows = [f"  {name:<62} {seconds:7.1f}s  {outcome}" for name, seconds, outcome in self.timings]
        total = time.monotonic() - self.started
        return f"{self.title}: {total:.0f}s\n" + "\n".join(rows)

    def report(self) -> str:
        return self.summary() + "\n\n" + "\n\n".join(self.failures)

    def finish(self) -> None:
        """Write the timings where PYBACKEND_E2E_TIMINGS points, print them, and fail on any recorded failure."""
        target = os.environ.get("PYBACKEND_E2E_TIMINGS")
        if target:
            with Path(target).open("a") as f:
                f.write(
                    json.dumps({"title": self.title, "total": time.monotonic() - self.started, "steps": self.timings})
                    + "\n"
                )
        if self.failures:
            pytest.fail(self.report(), pytrace=False)
        print(self.summary())  # shown with -rP or -s


def _describe(exc: BaseException) -> str:
    if isinstance(exc, AssertionError) and str(exc):
        return str(exc)
    return "".join(traceback.format_exception(exc)).strip()
