"""The README's exit-code table against the code: every exit code has its row, and every error a user can meet
exits with the code whose row describes it."""

from __future__ import annotations

import re

import click
import pytest
from pybackend import errors
from pybackend.errors import ExitCode, PybackendError
from support import REPO_ROOT

# Each error class, and words of the README row its exit code must have.
DESCRIBED: dict[type[PybackendError], str] = {
    errors.PybackendError: "unexpected error",
    errors.RollbackError: "unexpected error",
    errors.ProjectRemovedError: "directory removed while it was being updated",
    errors.UsageError: "an empty `--to`",
    errors.InvalidAnswersError: "invalid or missing answers",
    errors.ResourceError: "a resource or field `add resource` refuses",
    errors.TargetError: "the target cannot be used",
    errors.TargetNotEmptyError: "not empty",
    errors.TemplateError: "rendering or updating failed",
    errors.TemplateSourceError: "template source unavailable",
    errors.NotAProjectError: "not a pybackend project",
    errors.ProjectNotReadyError: "not a git repository, or has uncommitted changes",
    errors.VersionError: "the template repository or version the project records is gone",
    errors.ConflictsError: "the update finished with conflicts",
}


def _readme_table() -> dict[int, str]:
    """`| code | meaning |` rows of the table under "Exit codes (`pybackend.errors.ExitCode`)"."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("Exit codes (`pybackend.errors.ExitCode`)") :].split("\n\n")[1]
    rows = [re.fullmatch(r"\| (\d+) \| (.+) \|", line) for line in table.splitlines()[2:]]
    assert all(rows), f"a row of the exit-code table is not `| code | meaning |`:\n{table}"
    return {int(row[1]): row[2] for row in rows if row}


def _error_classes(base: type[PybackendError] = PybackendError) -> set[type[PybackendError]]:
    found = {base}
    for subclass in base.__subclasses__():
        found |= _error_classes(subclass)
    return found


def test_every_exit_code_has_its_row_and_no_row_is_left_over() -> None:
    assert sorted(_readme_table()) == sorted({int(code) for code in ExitCode})


def test_every_error_is_described_by_its_codes_row() -> None:
    table = _readme_table()
    assert _error_classes() == set(DESCRIBED), "a new error class needs its words in DESCRIBED and in the README"
    wrong = {
        cls.__name__: (int(cls.exit_code), table[cls.exit_code])
        for cls, words in DESCRIBED.items()
        if words not in table[cls.exit_code]
    }
    assert wrong == {}


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (ExitCode.OK, "nothing to do"),
        (ExitCode.USAGE, "usage"),
        (ExitCode.UPDATE_AVAILABLE, "a newer template version is available"),
        (ExitCode.INTERRUPTED, "interrupted"),
    ],
)
def test_the_codes_no_error_class_carries(code: ExitCode, words: str) -> None:
    assert words in _readme_table()[code]


def test_clicks_own_usage_errors_exit_with_the_usage_code() -> None:
    assert click.UsageError("x").exit_code == ExitCode.USAGE
