""".env after `set`, `add` and `update`: the variables left behind are listed, and rewritten only when asked."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pybackend.cli import cli
from pybackend.envfile import Stale, bring_in_line, brought_in_line, stale_in_project, stale_variables

OLD_EXAMPLE = """\
# Settings of orders.
# development | test | production
APP_ENV=development
# random value of 32+ characters
SECRET_KEY=change-me
# json | console
LOG_FORMAT=json
# the database
DATABASE_URL=postgresql://app:app@localhost:5432/app
"""
NEW_EXAMPLE = """\
# Settings of orders.
# development | test | production
APP_ENV=development
# random value of 32+ characters
SECRET_KEY=change-me
# json | console
LOG_FORMAT=console
# the database
DATABASE_URL=mysql://app:app@localhost:3306/app
# redis://host:port/db
REDIS_URL=redis://localhost:6379/0
"""
ENV = """\
# Settings of orders.
# development | test | production
APP_ENV=production
# random value of 32+ characters
SECRET_KEY=s3cr3t-value-of-the-user
# json | console
export LOG_FORMAT="json"
# the database
DATABASE_URL=postgresql://me:hunter2@db.internal:5432/orders
MY_OWN=kept
"""


def test_only_variables_whose_example_value_changed_and_that_differ_are_stale() -> None:
    stale = stale_variables(ENV, OLD_EXAMPLE, NEW_EXAMPLE)
    assert stale == [
        Stale("LOG_FORMAT", "json", "console"),
        Stale("DATABASE_URL", "postgresql://me:hunter2@db.internal:5432/orders", "mysql://app:app@localhost:3306/app"),
        Stale("REDIS_URL", None, "redis://localhost:6379/0"),
    ], "APP_ENV (the user's own value, the example unchanged) and SECRET_KEY are not the change's business"


def test_a_variable_already_in_line_is_not_stale() -> None:
    in_line = ENV.replace('export LOG_FORMAT="json"', "LOG_FORMAT=console")
    assert [variable.name for variable in stale_variables(in_line, OLD_EXAMPLE, NEW_EXAMPLE)] == [
        "DATABASE_URL",
        "REDIS_URL",
    ]


def test_the_secret_is_never_stale_even_when_the_example_changes_it() -> None:
    new_example = NEW_EXAMPLE.replace("SECRET_KEY=change-me", "SECRET_KEY=replace-me")
    assert "SECRET_KEY" not in [variable.name for variable in stale_variables(ENV, OLD_EXAMPLE, new_example)]


def test_a_password_in_a_url_is_not_shown() -> None:
    (_, database, _) = stale_variables(ENV, OLD_EXAMPLE, NEW_EXAMPLE)
    assert "hunter2" not in database.describe()
    assert database.describe() == (
        "DATABASE_URL=postgresql://me:***@db.internal:5432/orders; "
        ".env.example now has DATABASE_URL=mysql://app:***@localhost:3306/app"
    )


def test_bringing_in_line_rewrites_exactly_the_stale_lines_and_appends_missing_ones() -> None:
    stale = stale_variables(ENV, OLD_EXAMPLE, NEW_EXAMPLE)
    assert brought_in_line(ENV, stale, NEW_EXAMPLE) == (
        ENV.replace('export LOG_FORMAT="json"', "export LOG_FORMAT=console").replace(
            "postgresql://me:hunter2@db.internal:5432/orders", "mysql://app:app@localhost:3306/app"
        )
        + "# redis://host:port/db\nREDIS_URL=redis://localhost:6379/0\n"
    )


def test_a_file_without_a_final_newline_and_with_crlf_lines_keeps_its_lines() -> None:
    env = "LOG_FORMAT=json\r\nOTHER=1"
    stale = stale_variables(env, OLD_EXAMPLE, NEW_EXAMPLE)
    assert brought_in_line(env, stale[:1], NEW_EXAMPLE) == "LOG_FORMAT=console\r\nOTHER=1\n"


def test_a_project_without_env_or_example_has_nothing_stale(tmp_path: Path) -> None:
    assert stale_in_project(tmp_path, OLD_EXAMPLE, None) == []
    assert stale_in_project(tmp_path, OLD_EXAMPLE, NEW_EXAMPLE) == [], "no .env"
    (tmp_path / ".env").write_text(ENV)
    assert stale_in_project(tmp_path, NEW_EXAMPLE, NEW_EXAMPLE) == [], "an unchanged example leaves .env alone"


def test_the_rewritten_env_keeps_its_permissions(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_text(NEW_EXAMPLE)
    env = tmp_path / ".env"
    env.write_text(ENV)
    env.chmod(0o600)
    bring_in_line(tmp_path, stale_in_project(tmp_path, OLD_EXAMPLE, NEW_EXAMPLE))
    assert "LOG_FORMAT=console" in env.read_text()
    assert env.stat().st_mode & 0o777 == 0o600
    assert sorted(path.name for path in tmp_path.iterdir()) == [".env", ".env.example"]


@pytest.fixture(scope="module")
def flask_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp("envfile")
    argv = ["new", "shop", "-y", "--no-lock", "--framework", "flask", "--database", "postgresql", "--no-docker"]
    result = CliRunner().invoke(cli, [*argv, "--output-dir", str(parent)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return parent / "shop"


def _set(project: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["set", *args, "--project", str(project)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _undo(project: Path) -> None:
    subprocess.run(["git", "reset", "--quiet", "--hard"], cwd=project, check=True)
    subprocess.run(["git", "clean", "-d", "--force", "--quiet"], cwd=project, check=True)


def test_set_lists_what_env_no_longer_matches_and_changes_it_only_when_asked(flask_project: Path) -> None:
    env = flask_project / ".env"
    before = env.read_text()
    output = _set(flask_project, "database=mysql", "log_format=console")
    assert "LOG_FORMAT=json; .env.example now has LOG_FORMAT=console" in output
    assert "DATABASE_URL=postgresql://app:***@localhost:5432/app; .env.example now has DATABASE_URL=mysql://" in output
    assert "SECRET_KEY" not in output
    assert "pass --update-env" in output
    assert env.read_text() == before, ".env is never changed without being asked"

    _undo(flask_project)
    output = _set(flask_project, "database=mysql", "log_format=console", "--update-env")
    assert "Rewrote LOG_FORMAT, DATABASE_URL in .env." in output
    after = env.read_text()
    assert after == before.replace("LOG_FORMAT=json", "LOG_FORMAT=console").replace(
        "DATABASE_URL=postgresql://app:app@localhost:5432/app", "DATABASE_URL=mysql://app:app@localhost:3306/app"
    ), "exactly those lines change: the secret and every other line stay"
    _undo(flask_project)
    env.write_text(before)


@pytest.mark.parametrize(("reply", "rewritten"), [("y\n", True), ("n\n", False)])
def test_on_a_terminal_the_user_is_asked(
    flask_project: Path, monkeypatch: pytest.MonkeyPatch, reply: str, rewritten: bool
) -> None:
    monkeypatch.setattr("pybackend.cli._on_terminal", lambda: True)
    env = flask_project / ".env"
    before = env.read_text()
    argv = ["set", "log_format=console", "--project", str(flask_project)]
    result = CliRunner().invoke(cli, argv, input=reply, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Rewrite these lines of .env (every other line is kept)? [y/n]" in result.output
    assert ("LOG_FORMAT=console" in env.read_text()) is rewritten
    _undo(flask_project)
    env.write_text(before)


def test_add_appends_the_variables_a_feature_needs_when_asked(flask_project: Path) -> None:
    env = flask_project / ".env"
    before = env.read_text()
    result = CliRunner().invoke(
        cli, ["add", "cache", "--update-env", "--project", str(flask_project)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "REDIS_URL is missing; .env.example now has REDIS_URL=redis://localhost:6379/0" in result.output
    assert env.read_text().startswith(before)
    assert "\nREDIS_URL=redis://localhost:6379/0\n" in env.read_text()
    _undo(flask_project)
    env.write_text(before)


def test_a_dry_run_lists_what_env_would_no_longer_match(flask_project: Path) -> None:
    env = flask_project / ".env"
    before = env.read_text()

    output = _set(flask_project, "log_format=console", "--dry-run")

    listed = ".env would no longer match the project:\n  LOG_FORMAT=json; .env.example now has LOG_FORMAT=console"
    assert listed in output
    assert env.read_text() == before
    assert (flask_project / ".copier-answers.yml").read_text().count("log_format: json") == 1
