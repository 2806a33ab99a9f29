"""The command line: it maps switches onto typed calls and is the one place that turns errors into exit codes.

Copier (and everything heavy) is imported only by the commands that render, so `pybackend --help` stays instant.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any

import click

from pybackend.errors import ExitCode, PybackendError
from pybackend.questions import Question, load_questions
from pybackend.source import questions_file


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PybackendError as error:
            click.secho(f"Error: {error.message}", err=True, fg="red")
            ctx.exit(error.exit_code)


class _QuestionCommand(click.Command):
    """A command whose options are the questions of copier.yml, read only when the command is used."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._questions_loaded = False

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        if not self._questions_loaded:
            self._questions_loaded = True
            self.params.extend(_option(q) for q in _questions() if not q.hidden and q.name != "project_name")
        return super().get_params(ctx)


@cache
def _questions() -> list[Question]:
    """copier.yml, read once per process: `new` needs it for its options and again for the answers."""
    return load_questions(questions_file())


def _option(question: Question) -> click.Option:
    flag = question.name.replace("_", "-")
    default = "derived" if question.derived_default else str(question.default)
    if question.type == "bool":
        default = default.lower()
    help_text = f"{question.help} [default: {default}]"
    if question.type == "bool":
        return click.Option([f"--{flag}/--no-{flag}", question.name], default=None, help=help_text)
    kind = click.Choice(question.choices) if question.choices else click.STRING
    return click.Option([f"--{flag}", question.name], type=kind, default=None, help=help_text)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pybackend", prog_name="pybackend")
def cli() -> None:
    """Generate production-shaped Python backend services, and keep them up to date."""


@cli.command(cls=_QuestionCommand)
@click.argument("name")
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    help="Parent directory of the new project [default: the current directory]",
)
@click.option("--defaults", "-y", "use_defaults", is_flag=True, help="Take the default for every unanswered question")
@click.option(
    "--data-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Answers as a YAML or JSON mapping of question names (a .copier-answers.yml replays)",
)
@click.option("--dry-run", is_flag=True, help="Print the files that would be written, and write nothing")
@click.option("--git/--no-git", default=True, help="Make the project a git repository with one initial commit")
@click.option("--lock/--no-lock", default=True, help="Write uv.lock with `uv lock` (needs the package index)")
@click.option(
    "--interactive/--no-interactive",
    default=None,
    help="Ask for unanswered questions [default: when standard input is a terminal]",
)
def new(
    name: str,
    output_dir: Path,
    use_defaults: bool,
    data_file: Path | None,
    dry_run: bool,
    git: bool,
    lock: bool,
    interactive: bool | None,
    **flags: Any,
) -> None:
    """Create the project NAME in a new directory of that name."""
    from pybackend.answers import resolve_answers
    from pybackend.data_file import read_data_file
    from pybackend.generate import Options, generate, preview
    from pybackend.prompts import ClickPrompter
    from pybackend.source import template_source

    given: dict[str, Any] = read_data_file(data_file) if data_file else {}
    given.update({key: value for key, value in flags.items() if value is not None})
    given["project_name"] = name
    if interactive is None:
        interactive = sys.stdin.isatty() and not use_defaults
    prompter = ClickPrompter() if interactive else None
    answers = resolve_answers(_questions(), given, use_defaults=use_defaults, prompter=prompter)
    target = output_dir / name
    source = template_source()
    if dry_run:
        for path in preview(answers, target, source):
            click.echo(path)
        return
    result = generate(answers, target, source, Options(git=git, lock=lock))
    for warning in result.warnings:
        click.secho(f"Warning: {warning}", err=True, fg="yellow")
    click.echo(f"Created {result.path} ({len(result.files)} files). Next:\n")
    click.echo(f"  cd {result.path}\n  uv sync\n  uv run python -m {answers['package_name']}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the questions as JSON")
def options(as_json: bool) -> None:
    """List the questions, their choices and defaults."""
    import json

    questions = [q for q in _questions() if not q.hidden]
    if as_json:
        rows = [
            {"name": q.name, "type": q.type, "help": q.help, "default": q.default, "choices": list(q.choices)}
            for q in questions
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    for q in questions:
        choices = f" ({' | '.join(q.choices)})" if q.choices else ""
        click.echo(f"{q.name}{choices}\n    {q.help}\n    default: {q.default}")


def main() -> None:
    try:
        cli.main(prog_name="pybackend")
    except KeyboardInterrupt:
        click.echo("Interrupted; nothing was written.", err=True)
        sys.exit(ExitCode.INTERRUPTED)
