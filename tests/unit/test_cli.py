from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from pybackend import generate
from pybackend.cli import cli
from pybackend.errors import ExitCode, TemplateError


def _run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def _new(tmp_path: Path, *args: str, input: str | None = None) -> Result:
    return _run("new", *args, "--output-dir", str(tmp_path), "--no-lock", input=input)


def test_version_and_help() -> None:
    assert _run("--version").output.startswith("pybackend, version ")
    help_text = _run("--help").output
    assert "new" in help_text
    assert "options" in help_text


def test_every_question_is_an_option_with_its_help_and_choices() -> None:
    help_text = _run("new", "--help").output
    assert "--database [sqlite|postgresql|mysql|none]" in help_text
    assert "--celery / --no-celery" in help_text
    assert "Prometheus metrics on /metrics" in help_text


def test_options_json_lists_questions_choices_and_defaults() -> None:
    rows = {row["name"]: row for row in json.loads(_run("options", "--json").output)}
    assert rows["framework"]["choices"] == ["fastapi", "flask", "django", "tornado", "pyramid"]
    assert rows["framework"]["default"] == "fastapi"
    assert rows["celery"] == {
        "name": "celery",
        "type": "bool",
        "help": rows["celery"]["help"],
        "default": False,
        "choices": [],
    }
    assert "reserved_package_names" not in rows


def test_new_writes_a_git_repository_with_one_commit(tmp_path: Path) -> None:
    result = _new(tmp_path, "orders-api", "--defaults")
    assert result.exit_code == 0, result.output
    project = tmp_path / "orders-api"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["package_name"] == "orders_api"
    assert answers["_src_path"] == str(Path(__file__).resolve().parents[2])
    log = subprocess.run(["git", "log", "--oneline"], cwd=project, capture_output=True, text=True, check=True)
    assert len(log.stdout.splitlines()) == 1
    status = subprocess.run(["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True)
    assert status.stdout == ""
    assert "uv run python -m orders_api" in result.output
    assert not [p for p in tmp_path.iterdir() if p.name != "orders-api"], "no scratch directory is left behind"


def test_the_printed_next_steps_are_the_readmes_and_start_a_database_server_first(tmp_path: Path) -> None:
    result = _new(tmp_path, "orders", "-y", "--no-git", "--database", "postgresql", "--cache")
    assert result.exit_code == 0, result.output
    steps = [line.strip() for line in result.output.split("Next:", 1)[1].strip().splitlines()]
    assert steps == [
        f"cd {tmp_path / 'orders'}",
        "docker compose up --detach --wait postgres redis",
        "uv sync",
        "uv run python -m orders",
    ]
    readme = (tmp_path / "orders" / "README.md").read_text()
    assert "\n".join(steps[1:]) in readme


def test_a_sqlite_project_needs_no_server_to_start(tmp_path: Path) -> None:
    result = _new(tmp_path, "notes", "-y", "--no-git")
    steps = [line.strip() for line in result.output.split("Next:", 1)[1].strip().splitlines()]
    assert steps == [f"cd {tmp_path / 'notes'}", "uv sync", "uv run python -m notes"]


def test_each_project_gets_its_own_secret_in_an_ignored_env_file(tmp_path: Path) -> None:
    secrets = []
    for name in ("one", "two"):
        assert _new(tmp_path, name, "-y", "--no-git").exit_code == 0
        env = (tmp_path / name / ".env").read_text()
        (line,) = [line for line in env.splitlines() if line.startswith("SECRET_KEY=")]
        secrets.append(line.removeprefix("SECRET_KEY="))
    assert secrets[0] != secrets[1]
    assert all(len(secret) >= 32 and secret != "change-me" for secret in secrets)
    assert ".env\n" in (tmp_path / "one" / ".gitignore").read_text()


def test_no_git_leaves_no_repository(tmp_path: Path) -> None:
    assert _new(tmp_path, "svc", "-y", "--no-git").exit_code == 0
    assert not (tmp_path / "svc" / ".git").exists()


def test_dry_run_prints_the_tree_and_writes_nothing(tmp_path: Path) -> None:
    result = _new(tmp_path, "svc", "-y", "--dry-run")
    assert result.exit_code == 0, result.output
    assert ".copier-answers.yml" in result.output.splitlines()
    assert "pyproject.toml" in result.output.splitlines()
    assert list(tmp_path.iterdir()) == []


def test_invalid_answers_exit_with_their_code_and_write_nothing(tmp_path: Path) -> None:
    result = _new(tmp_path, "svc", "-y", "--database", "none")
    assert result.exit_code == ExitCode.INVALID_ANSWERS
    assert "auth=jwt keeps users in the database" in result.output
    assert list(tmp_path.iterdir()) == []


def test_missing_answers_without_a_terminal_are_named(tmp_path: Path) -> None:
    result = _new(tmp_path, "svc", "--no-interactive")
    assert result.exit_code == ExitCode.INVALID_ANSWERS
    assert "missing answers for: package_name" in result.output
    assert "--defaults" in result.output


def test_a_non_empty_target_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "notes.txt").write_text("mine")
    result = _new(tmp_path, "svc", "-y")
    assert result.exit_code == ExitCode.TARGET_NOT_EMPTY
    assert "not empty" in result.output
    assert [p.name for p in (tmp_path / "svc").iterdir()] == ["notes.txt"]


def test_an_empty_target_directory_is_used(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    assert _new(tmp_path, "svc", "-y", "--no-git").exit_code == 0
    assert (tmp_path / "svc" / "pyproject.toml").is_file()


def test_a_failed_render_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_render = generate.render

    def render_then_fail(*args: object, **kwargs: object) -> None:
        real_render(*args, **kwargs)  # type: ignore[arg-type]
        raise TemplateError("rendering the template failed: boom")

    monkeypatch.setattr(generate, "render", render_then_fail)
    result = _new(tmp_path / "new" / "parent", "svc", "-y")
    assert result.exit_code == ExitCode.TEMPLATE_ERROR
    assert "boom" in result.output
    assert list(tmp_path.iterdir()) == [], "not even the output directories it created are left"


def test_flags_override_the_data_file_and_answers_files_replay(tmp_path: Path) -> None:
    data = tmp_path / "answers.json"
    data.write_text(json.dumps({"database": "postgresql", "celery": True, "description": "Orders"}))
    out = tmp_path / "out"
    assert _new(out, "first", "-y", "--no-git", "--data-file", str(data), "--no-celery").exit_code == 0
    first = yaml.safe_load((out / "first" / ".copier-answers.yml").read_text())
    assert (first["database"], first["celery"], first["description"]) == ("postgresql", False, "Orders")

    replay = _new(
        out, "second", "--no-git", "--data-file", str(out / "first" / ".copier-answers.yml"), "--package-name", "first"
    )
    assert replay.exit_code == 0, replay.output
    second = yaml.safe_load((out / "second" / ".copier-answers.yml").read_text())
    assert {k: v for k, v in second.items() if not k.startswith("_") and k != "project_name"} == {
        k: v for k, v in first.items() if not k.startswith("_") and k != "project_name"
    }


def test_a_data_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "answers.yml"
    data.write_text("- sqlite\n")
    result = _new(tmp_path, "svc", "-y", "--data-file", str(data))
    assert result.exit_code == ExitCode.INVALID_ANSWERS
    assert "mapping" in result.output


def test_interactive_questions_are_asked_again_after_invalid_input(tmp_path: Path) -> None:
    replies = ["json", "orders", "", "", "", "", "", "none", "jwt", "none", "", "", "", "", "", "", ""]
    result = _new(tmp_path, "orders-api", "--interactive", "--no-git", input="\n".join(replies) + "\n")
    assert result.exit_code == 0, result.output
    assert "standard-library" in result.output
    assert "auth=jwt keeps users in the database" in result.output
    answers = yaml.safe_load((tmp_path / "orders-api" / ".copier-answers.yml").read_text())
    assert (answers["package_name"], answers["database"], answers["auth"]) == ("orders", "none", "none")


@pytest.mark.parametrize("command", [["update"], ["check"], ["add", "celery", "--project", "."], ["set", "cache=true"]])
def test_project_commands_refuse_a_directory_that_is_not_a_project(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == ExitCode.NOT_A_PROJECT
    assert "is not a pybackend project" in result.output
    assert list(tmp_path.iterdir()) == []


def test_set_needs_key_value_pairs_and_add_known_features(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["set", "celery"])
    assert result.exit_code == ExitCode.USAGE
    assert "'celery' is not KEY=VALUE" in result.output
    result = CliRunner().invoke(cli, ["add", "graphql"])
    assert result.exit_code == ExitCode.USAGE
    assert "'graphql' is not one of" in result.output
