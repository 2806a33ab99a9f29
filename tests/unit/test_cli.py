from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from pybackend import generate
from pybackend.cli import cli
from pybackend.errors import ExitCode, TemplateError
from pybackend.questions import Question
from support.offered import OFFERED

# A choice with one valid answer is not asked.
FRAMEWORK_ASKED = len(OFFERED["framework"]) > 1


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
    assert rows["framework"]["choices"] == OFFERED["framework"]
    assert rows["framework"]["default"] == "fastapi"
    assert rows["celery"] == {
        "name": "celery",
        "type": "bool",
        "help": rows["celery"]["help"],
        "default": False,
        "choices": [],
        "multiselect": False,
        "choices_by": {},
    }
    assert rows["testing"] == {
        "name": "testing",
        "type": "str",
        "help": rows["testing"]["help"],
        "default": ["api-fuzzing"],
        "choices": ["api-fuzzing", "load"],
        "multiselect": True,
        "choices_by": {},
    }
    assert rows["package_name"]["default"] == "from project_name"
    assert rows["auth"]["default"] == "jwt; none when database is none"
    assert {"reserved_package_names", "dependency_import_names", "offered_frameworks"}.isdisjoint(rows)


def test_options_show_derived_defaults_by_what_they_follow() -> None:
    output = _run("options").output
    assert "default: from project_name" in output
    assert "default: jwt; none when database is none" in output
    assert "None" not in output
    assert "{{" not in output
    assert f"\nframework ({' | '.join(OFFERED['framework'])})\n" in output


def test_help_lists_only_the_frameworks_this_version_renders() -> None:
    help_text = _run("new", "--help").output
    assert f"--framework [{'|'.join(OFFERED['framework'])}]" in help_text
    assert "from project_name" in help_text


def _offering_only_fastapi(monkeypatch: pytest.MonkeyPatch) -> None:
    """The questions of a version that renders FastAPI alone, as this one did before its other templates landed."""
    from dataclasses import replace

    from pybackend import source

    load = source.load_questions

    def fastapi_only(path: Path) -> list[Question]:
        return [replace(q, default="fastapi") if q.name == "offered_frameworks" else q for q in load(path)]

    monkeypatch.setattr(source, "load_questions", fastapi_only)
    # `new` reads the questions once per process: read them afresh, for this test only.
    from functools import cache

    from pybackend import cli

    monkeypatch.setattr(cli, "_questions", cache(cli._questions.__wrapped__))


def test_a_framework_not_offered_is_refused_like_any_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _offering_only_fastapi(monkeypatch)
    result = _new(tmp_path, "svc", "-y", "--framework", "flask")
    assert result.exit_code == ExitCode.INVALID_ANSWERS
    assert "the flask template is not available yet in this version of pybackend; choose fastapi" in result.output
    assert list(tmp_path.iterdir()) == []


def test_defaults_adapt_to_a_project_without_a_database(tmp_path: Path) -> None:
    result = _new(tmp_path, "svc", "--defaults", "--database", "none", "--no-docker", "--no-git")
    assert result.exit_code == 0, result.output
    pyproject = (tmp_path / "svc" / "pyproject.toml").read_text()
    assert "pyjwt" not in pyproject
    assert "redis" not in pyproject
    assert not (tmp_path / "svc" / "src" / "svc" / "auth").exists()
    assert not (tmp_path / "svc" / "k8s").exists()


def test_new_writes_a_git_repository_with_one_commit_on_main(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever this machine's git names a new branch, the project starts on the branch its CI workflow runs on.
    (tmp_path / "gitconfig").write_text("[init]\n\tdefaultBranch = trunk\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    result = _new(tmp_path, "orders-api", "--defaults")
    assert result.exit_code == 0, result.output
    project = tmp_path / "orders-api"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["package_name"] == "orders_api"
    assert answers["_src_path"] == "~/.cache/pybackend/templates"
    log = subprocess.run(["git", "log", "--oneline"], cwd=project, capture_output=True, text=True, check=True)
    assert len(log.stdout.splitlines()) == 1
    branch = subprocess.run(
        ["git", "branch", "--show-current"], cwd=project, capture_output=True, text=True, check=True
    )
    assert branch.stdout.strip() == "main"
    status = subprocess.run(["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True)
    assert status.stdout == ""
    assert "uv run python -m orders_api" in result.output
    assert not [p for p in tmp_path.iterdir() if p.name not in {"orders-api", "gitconfig"}], (
        "no scratch directory is left behind"
    )


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


@pytest.mark.parametrize(
    ("database", "server", "creates"),
    [
        ("postgresql", "PostgreSQL", 'psql -c "CREATE ROLE app LOGIN PASSWORD \'app\'" -c "CREATE DATABASE app'),
        ("mysql", "MySQL", "mysql -e \"CREATE DATABASE app; CREATE USER 'app'@'%' IDENTIFIED BY 'app'; GRANT ALL ON"),
    ],
)
def test_without_docker_the_next_steps_create_the_database_env_names(
    tmp_path: Path, database: str, server: str, creates: str
) -> None:
    result = _new(tmp_path, "orders", "-y", "--no-git", "--database", database, "--no-docker")
    assert result.exit_code == 0, result.output
    steps = [line.strip() for line in result.output.split("Next:", 1)[1].strip().splitlines()]
    assert steps[0] == f"cd {tmp_path / 'orders'}"
    assert steps[1].startswith(f"# start {server}") and "DATABASE_URL" in steps[1]
    assert creates in steps[2]
    assert f"{database}://app:app@localhost:" in (tmp_path / "orders" / ".env").read_text()
    assert steps[3:] == ["uv sync", "uv run python -m orders"]


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
    result = _new(tmp_path, "svc", "-y", "--database", "none", "--auth", "jwt")
    assert result.exit_code == ExitCode.INVALID_ANSWERS
    assert "auth=jwt keeps users in the database" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_long_package_name_is_refused_in_one_short_line(tmp_path: Path) -> None:
    result = _new(tmp_path, "svc", "-y", "--package-name", "a" * 300)
    assert result.exit_code == ExitCode.INVALID_ANSWERS
    assert "package_name must be 32 characters at most" in result.output
    assert len(result.output) < 200
    assert list(tmp_path.iterdir()) == []


def test_missing_answers_without_a_terminal_are_named(tmp_path: Path) -> None:
    result = _new(tmp_path, "svc", "--no-interactive")
    assert result.exit_code == ExitCode.INVALID_ANSWERS
    assert "missing answers for: package_name" in result.output
    assert "--defaults" in result.output


def test_a_missing_name_without_a_terminal_is_named(tmp_path: Path) -> None:
    result = _new(tmp_path, "-y")
    assert result.exit_code == ExitCode.INVALID_ANSWERS
    assert "missing answers for: project_name" in result.output
    assert list(tmp_path.iterdir()) == []


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


def test_celery_broker_is_an_option_a_data_file_answer_and_checked(tmp_path: Path) -> None:
    assert "--celery-broker [redis|rabbitmq]" in _run("new", "--help").output
    rows = {row["name"]: row for row in json.loads(_run("options", "--json").output)}
    assert (rows["celery_broker"]["choices"], rows["celery_broker"]["default"]) == (["redis", "rabbitmq"], "redis")

    data = tmp_path / "answers.json"
    data.write_text(json.dumps({"celery": True, "celery_broker": "rabbitmq"}))
    result = _new(tmp_path / "out", "svc", "-y", "--no-git", "--data-file", str(data))
    assert result.exit_code == 0, result.output
    answers = yaml.safe_load((tmp_path / "out" / "svc" / ".copier-answers.yml").read_text())
    assert (answers["celery"], answers["celery_broker"]) == (True, "rabbitmq")
    assert "RABBITMQ_URL=" in (tmp_path / "out" / "svc" / ".env").read_text()

    refused = _new(tmp_path / "refused", "svc", "-y", "--celery", "--celery-broker", "kafka")
    assert refused.exit_code == ExitCode.INVALID_ANSWERS, refused.output
    assert not (tmp_path / "refused").exists() or list((tmp_path / "refused").iterdir()) == []


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


# The questions a default stack asks, in order, after project_name (framework only when this version offers more
# than one); answered by Enter unless a test says otherwise.
_ASKED = [
    "package_name",
    "description",
    "author_name",
    "author_email",
    "python_version",
    *(["framework"] if FRAMEWORK_ASKED else []),
    "database",
    "orm",
    "auth",
    "celery",
    "cache",
    "log_format",
    "metrics",
    "testing",
    "docker",
    "kubernetes",
    "ci",
]


def test_interactive_questions_are_asked_again_after_invalid_input(tmp_path: Path) -> None:
    lines = ["json", "orders", *[""] * (4 + FRAMEWORK_ASKED), "none", "", "", "", "bogus", "none", "no", "", "yes"]
    result = _new(tmp_path, "orders-api", "--interactive", "--no-git", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert "Error: package_name 'json' would shadow" in result.output
    assert "auth:" not in result.output, "auth has one valid answer without a database: not asked"
    assert "cache:" not in result.output
    assert "kubernetes:" not in result.output
    answers = yaml.safe_load((tmp_path / "orders-api" / ".copier-answers.yml").read_text())
    assert (answers["package_name"], answers["database"], answers["docker"]) == ("orders", "none", False)
    assert "pyjwt" not in (tmp_path / "orders-api" / "pyproject.toml").read_text()
    assert "Error: testing: 'bogus' is not one of api-fuzzing, load, none" in result.output
    assert answers["testing"] == []


def test_a_missing_name_is_asked_first_and_checked_at_once(tmp_path: Path) -> None:
    lines = ["Orders API", "orders-api", *[""] * len(_ASKED), "yes"]
    result = _new(tmp_path, "--interactive", "--no-git", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    first_refusal = result.output.index("Error: project_name must start with a lowercase letter")
    assert first_refusal < result.output.index("package_name:"), "the name is checked before anything else is asked"
    assert "package_name: Python import name of the service package [orders_api]" in result.output
    assert (tmp_path / "orders-api" / "src" / "orders_api").is_dir()


def test_the_answers_are_summarised_and_declining_writes_nothing(tmp_path: Path) -> None:
    lines = [*[""] * len(_ASKED), "no"]
    result = _new(tmp_path, "orders", "--interactive", "--no-git", input="\n".join(lines) + "\n")
    assert result.exit_code == ExitCode.INTERRUPTED
    assert re.search(r"^  package_name +orders$", result.output, re.MULTILINE)
    assert re.search(r"^  kubernetes +false$", result.output, re.MULTILINE)
    assert "Write the project?" in result.output
    assert f"The project will be written to {tmp_path / 'orders'}" in result.output
    assert "Nothing was written." in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("answered", [0, 5, len(_ASKED)])
def test_end_of_input_at_any_prompt_exits_130_and_writes_nothing(tmp_path: Path, answered: int) -> None:
    result = _new(tmp_path, "orders", "--interactive", input="\n" * answered)
    assert result.exit_code == ExitCode.INTERRUPTED
    assert "Interrupted; nothing was changed." in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_at_a_prompt_exits_130_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pybackend import prompts

    def interrupted(*args: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(prompts, "_read_line", interrupted)
    result = _new(tmp_path, "orders", "--interactive")
    assert result.exit_code == ExitCode.INTERRUPTED
    assert "Aborted!" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_every_refusal_has_one_style(tmp_path: Path) -> None:
    lines = ["", "", "", "", "maybe-not", "", *[""] * FRAMEWORK_ASKED, "oracle", "", "", "", "maybe", *[""] * 8, "yes"]
    result = _new(tmp_path, "orders", "--interactive", "--no-git", input="\n".join(lines) + "\n")
    refusals = [line for line in result.output.splitlines() if "Error" in line or "rror:" in line]
    assert refusals == [
        "Error: python_version: 'maybe-not' is not one of 3.11, 3.12, 3.13, 3.14",
        "Error: database: 'oracle' is not one of sqlite, postgresql, mysql, none",
        "Error: celery: 'maybe' is not a yes/no value (true or false)",
    ]


@pytest.mark.parametrize("command", [["update"], ["check"], ["add", "celery", "--project", "."], ["set", "cache=true"]])
def test_project_commands_refuse_a_directory_that_is_not_a_project(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == ExitCode.NOT_A_PROJECT
    assert "is not a pybackend project" in result.output
    assert list(tmp_path.iterdir()) == []


_BOMB = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
    b"%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n" % ((c,) * 2 + (c - 1,) * 9) for c in range(98, 108)
)
# Each answers file, and how it is refused: not text, not a mapping or too large is an invalid answers file; a
# mapping of something else (a YAML alias bomb, kept unexpanded) is not a pybackend project.
_HOSTILE_ANSWERS = {
    "binary": (b"\x00\xff\xfe\x00garbage", ExitCode.INVALID_ANSWERS),
    "utf-16": ("_src_path: x\n_commit: v1\nframework: fastapi\n".encode("utf-16"), ExitCode.INVALID_ANSWERS),
    "not a mapping": (b"- a\n- b\n", ExitCode.INVALID_ANSWERS),
    "too large": (b"_src_path: x\n" + b"# padding\n" * 200_000, ExitCode.INVALID_ANSWERS),
    "alias bomb": (_BOMB, ExitCode.NOT_A_PROJECT),
}


@pytest.mark.parametrize("command", [["update"], ["check"], ["add", "celery", "--project", "."], ["set", "cache=true"]])
@pytest.mark.parametrize("kind", list(_HOSTILE_ANSWERS))
def test_project_commands_refuse_an_unreadable_answers_file_in_one_short_line(
    command: list[str], kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content, code = _HOSTILE_ANSWERS[kind]
    (tmp_path / ".copier-answers.yml").write_bytes(content)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and len(result.output) < 500, result.output


def test_set_needs_key_value_pairs_and_add_known_features(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["set", "celery"])
    assert result.exit_code == ExitCode.USAGE
    assert "'celery' is not KEY=VALUE" in result.output
    result = CliRunner().invoke(cli, ["add", "graphql"])
    assert result.exit_code == ExitCode.USAGE
    assert "'graphql' is not one of" in result.output


def test_set_refuses_an_answer_given_twice_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["set", "celery=true", "log_format=console", "celery=false"])
    assert result.exit_code == ExitCode.INVALID_ANSWERS, result.output
    assert "celery is given more than once" in result.output


def test_testing_is_a_repeatable_option_with_none_to_choose_nothing() -> None:
    help_text = " ".join(_run("new", "--help").output.split())
    assert "--testing [api-fuzzing|load|none]" in help_text
    assert "repeat the option to choose several, `--testing none` to choose none [default: api-fuzzing]" in help_text
    assert "testing (any of api-fuzzing, load; or none)" in _run("options").output


def _testing_of(project: Path) -> list[str]:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    testing: list[str] = answers["testing"]
    return testing


@pytest.mark.parametrize(
    ("flags", "chosen"),
    [
        ([], ["api-fuzzing"]),
        (["--testing", "load", "--testing", "api-fuzzing"], ["api-fuzzing", "load"]),
        (["--testing", "load", "--testing", "load"], ["load"]),
        (["--testing", "none"], []),
    ],
)
def test_testing_kits_are_chosen_with_flags(tmp_path: Path, flags: list[str], chosen: list[str]) -> None:
    result = _new(tmp_path, "svc", "-y", "--no-git", *flags)
    assert result.exit_code == 0, result.output
    project = tmp_path / "svc"
    assert _testing_of(project) == chosen
    fuzzing = "api-fuzzing" in chosen
    assert (project / "tests" / "test_api_fuzzing.py").is_file() == fuzzing
    assert ('"schemathesis>=' in (project / "pyproject.toml").read_text()) == fuzzing
    load = "load" in chosen
    assert (project / "locustfile.py").is_file() == load
    assert ("locust" in (project / ".github" / "workflows" / "ci.yml").read_text()) == load
    assert ("## Load tests" in (project / "README.md").read_text()) == load


def test_an_unknown_testing_kit_is_refused(tmp_path: Path) -> None:
    result = _new(tmp_path, "svc", "-y", "--testing", "api-fuzzing", "--testing", "chaos")
    assert result.exit_code == ExitCode.INVALID_ANSWERS
    assert "testing: 'chaos' is not one of api-fuzzing, load, none" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("listed", "chosen"), [("[]", []), ("[load]", ["load"]), ("[load, api-fuzzing]", ["api-fuzzing", "load"])]
)
def test_testing_kits_are_a_yaml_list_in_a_data_file(tmp_path: Path, listed: str, chosen: list[str]) -> None:
    data = tmp_path / "answers.yml"
    data.write_text(f"testing: {listed}\n")
    result = _new(tmp_path / "out", "svc", "-y", "--no-git", "--data-file", str(data))
    assert result.exit_code == 0, result.output
    assert _testing_of(tmp_path / "out" / "svc") == chosen


def test_a_data_file_with_an_unknown_testing_kit_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "answers.yml"
    data.write_text("testing: [api-fuzzing, chaos]\n")
    result = _new(tmp_path / "out", "svc", "-y", "--data-file", str(data))
    assert result.exit_code == ExitCode.INVALID_ANSWERS
    assert "testing: 'chaos' is not one of api-fuzzing, load, none" in result.output


def test_orm_values_go_with_their_framework(tmp_path: Path) -> None:
    rows = {row["name"]: row for row in json.loads(_run("options", "--json").output)}
    assert rows["orm"]["choices_by"] == {
        "framework": {
            "fastapi": ["sqlalchemy", "sqlmodel"],
            "flask": ["sqlalchemy", "flask-sqlalchemy"],
            "django": ["django"],
            "tornado": ["sqlalchemy"],
            "pyramid": ["sqlalchemy"],
        }
    }
    by_framework = "by framework: fastapi: sqlalchemy | sqlmodel; flask: sqlalchemy | flask-sqlalchemy;"
    assert by_framework in _run("options").output

    refused = _new(tmp_path, "svc", "-y", "--no-git", "--framework", "tornado", "--orm", "sqlmodel")
    assert refused.exit_code == 3, refused.output
    assert "orm=sqlmodel is not offered with tornado; choose sqlalchemy" in refused.output
    assert not (tmp_path / "svc").exists()

    django = _new(tmp_path, "dj", "-y", "--no-git", "--framework", "django")
    assert yaml.safe_load((tmp_path / "dj" / ".copier-answers.yml").read_text())["orm"] == "django"
    without_database = _new(tmp_path, "nodb", "-y", "--no-git", "--framework", "flask", "--database", "none")
    assert "orm" not in yaml.safe_load((tmp_path / "nodb" / ".copier-answers.yml").read_text())
    assert django.exit_code == without_database.exit_code == 0
