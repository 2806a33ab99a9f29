"""The command line: it maps switches onto typed calls and is the one place that turns errors into exit codes.

Copier (and everything heavy) is imported only by the commands that render, so `pybackend --help` stays instant.
"""

from __future__ import annotations

import sys
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pybackend.errors import ExitCode, Interrupted, InvalidAnswersError, PybackendError
from pybackend.questions import MANAGED_ANSWERS, Question

if TYPE_CHECKING:
    from collections.abc import Callable

    from pybackend.envfile import Stale
    from pybackend.prompts import LinePrompter, TerminalPrompter
    from pybackend.resources import Resource, TableCode
    from pybackend.update import Plan


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PybackendError as error:
            click.secho(f"Error: {_printable(error.message)}", err=True, fg="red")
            ctx.exit(error.exit_code)
        except (KeyboardInterrupt, Interrupted):
            # Click would answer Ctrl-C with "Aborted!" and exit 1; pybackend has its own code for it.
            click.echo("\nInterrupted; nothing was changed.", err=True)
            ctx.exit(ExitCode.INTERRUPTED)


def _printable(message: str) -> str:
    """A message as the terminal should show it: a control character the user typed (an escape sequence, a bell, a
    tab inside a name) is written as its escape, so that it cannot restyle or rewrite the screen. Lines stay lines."""
    return "\n".join(
        "".join(char if char.isprintable() else ascii(char)[1:-1] for char in line) for line in message.split("\n")
    )


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
    from pybackend.questions import for_new_projects
    from pybackend.source import current_questions

    return for_new_projects(current_questions())


def _option(question: Question) -> click.Option:
    from pybackend.answers import computed_values, describe_default, offered_choices

    flag = question.name.replace("_", "-")
    help_text = f"{question.help} [default: {describe_default(question, _questions())}]"
    if question.type == "bool":
        return click.Option([f"--{flag}/--no-{flag}", question.name], default=None, help=help_text)
    offered = offered_choices(question, computed_values(_questions()))
    if question.multiselect:
        from pybackend.answers import NO_CHOICE

        default = describe_default(question, _questions())
        how = f"repeat the option to choose several, `--{flag} {NO_CHOICE}` to choose none"
        return click.Option(
            [f"--{flag}", question.name],
            type=_Listed([*offered, NO_CHOICE]),
            multiple=True,
            default=None,
            help=f"{question.help}; {how} [default: {default}]",
        )
    kind = _Listed(offered) if question.choices else click.STRING
    return click.Option([f"--{flag}", question.name], type=kind, default=None, help=help_text)


class _Listed(click.Choice[str]):
    """Lists the offered choices in `--help` but passes any value on, so that a refused one is refused like
    every other answer: by the questions, with their reasons and exit code 3."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return value


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pybackend", prog_name="pybackend")
def cli() -> None:
    """Generate production-shaped Python backend services, and keep them up to date."""


@cli.command(cls=_QuestionCommand)
@click.argument("name", required=False)
@click.option(
    "--output-dir",
    # Checked by pybackend, not Click, so that a file here is refused like any unusable target (exit 4).
    type=click.Path(path_type=Path),
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
    name: str | None,
    output_dir: Path,
    use_defaults: bool,
    data_file: Path | None,
    dry_run: bool,
    git: bool,
    lock: bool,
    interactive: bool | None,
    **flags: Any,
) -> None:
    """Create the project NAME in a new directory of that name (asked for when it is not given)."""
    from pybackend.answers import resolve_answers
    from pybackend.data_file import read_data_file
    from pybackend.generate import Options, generate, preview
    from pybackend.signals import sigterm_interrupts
    from pybackend.source import template_source
    from pybackend.target import check_parent

    check_parent(output_dir)  # before any question is asked
    given: dict[str, Any] = read_data_file(data_file) if data_file else {}
    # A replayed answers file records them: empty, they are every new project's; else added once it exists.
    if managed := [f"{key} are added with `{MANAGED_ANSWERS[key]}`" for key in MANAGED_ANSWERS if given.pop(key, [])]:
        raise InvalidAnswersError(managed)
    # A multi-select's option is repeated: a tuple, empty when it was not given.
    given.update(
        {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in flags.items()
            if value not in (None, ())
        }
    )
    if name is not None:
        given["project_name"] = name
    prompter = _prompter(interactive, use_defaults)
    with sigterm_interrupts():
        answers = resolve_answers(_questions(), given, use_defaults=use_defaults, prompter=prompter)
        target = output_dir / answers["project_name"]
        source = template_source()
        if dry_run:
            for path in preview(answers, target, source):
                click.echo(path)
            return
        if prompter is not None and not prompter.confirm(answers, target):
            click.echo("Nothing was written.", err=True)
            click.get_current_context().exit(ExitCode.INTERRUPTED)
        result = generate(answers, target, source, Options(git=git, lock=lock))
    for warning in result.warnings:
        click.secho(f"Warning: {warning}", err=True, fg="yellow")
    click.echo(f"Created {result.path} ({len(result.files)} files). Next:\n")
    for step in [f"cd {result.path}", *result.next_steps]:
        click.echo(f"  {step}")


def _prompter(interactive: bool | None, use_defaults: bool) -> TerminalPrompter | LinePrompter | None:
    """Arrow-key prompts on a terminal, one line each from a pipe, none when told so or given --defaults."""
    from pybackend.prompts import LinePrompter, TerminalPrompter

    if not (sys.stdin.isatty() and not use_defaults if interactive is None else interactive):
        return None
    return TerminalPrompter() if sys.stdin.isatty() and sys.stdout.isatty() else LinePrompter()


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the questions as JSON")
def options(as_json: bool) -> None:
    """List the questions, their choices and defaults."""
    import json

    from pybackend.answers import choices_by, computed_values, describe_default, offered_choices

    questions = _questions()
    computed = computed_values(questions)
    rows = [
        {
            "name": q.name,
            "type": q.type,
            "help": q.help,
            "default": describe_default(q, questions) if q.derived_default else q.default,
            "choices": offered_choices(q, computed),
            "multiselect": q.multiselect,
            # The choices that go with each value of an earlier answer, where they depend on it.
            "choices_by": choices_by(q, questions),
        }
        for q in questions
        if not q.hidden
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for q in (q for q in questions if not q.hidden):
        offered = offered_choices(q, computed)
        choices = f" ({' | '.join(offered)})" if offered else ""
        if q.multiselect:
            choices = f" (any of {', '.join(offered)}; or none)"
        default = describe_default(q, questions)
        click.echo(f"{q.name}{choices}\n    {q.help}\n    default: {default or '(none; an answer is required)'}")
        for name, offered_with in choices_by(q, questions).items():
            # The values that narrow the choices; the rest take them all.
            narrowed = {value: fitting for value, fitting in offered_with.items() if fitting != offered}
            pairs = "; ".join(f"{value}: {' | '.join(fitting)}" for value, fitting in narrowed.items())
            click.echo(f"    by {name}: {pairs}")


# The answers `add` turns on: the optional parts of a project, each a set of whole files.
_FEATURES = ("celery", "cache", "kubernetes", "docker", "metrics")
_PROJECT = click.argument("path", type=click.Path(file_okay=False, path_type=Path), default=Path())
_PROJECT_OPTION = click.option(
    "--project",
    "path",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    help="The project's directory [default: the current directory]",
)
_DRY_RUN = click.option("--dry-run", is_flag=True, help="Show what would change, and change nothing")
_LOCK = click.option("--lock/--no-lock", default=True, help="Refresh uv.lock when pyproject.toml changes")
_UPDATE_ENV = click.option(
    "--update-env/--keep-env",
    default=None,
    help="Rewrite the lines of .env that no longer match the project, keeping every other line "
    "[default: ask on a terminal, else keep .env and list them]",
)


@cli.command()
@_PROJECT
@click.option("--to", "version", metavar="VERSION", help="Update to this release [default: the newest]")
@_DRY_RUN
@_LOCK
@_UPDATE_ENV
def update(path: Path, version: str | None, dry_run: bool, lock: bool, update_env: bool | None) -> None:
    """Bring the project at PATH to a newer template version, keeping your edits."""
    from pybackend.update import plan_update

    _run_plan(plan_update(path, version), dry_run=dry_run, lock=lock, update_env=update_env)


class _DefaultGroup(_Group):
    """A command with subcommands for resources, whose arguments otherwise go to its `default` subcommand:
    `add celery` is `add features celery`, `set celery=true` is `set answers celery=true`."""

    default = ""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands:
            args = [self.default, *args]
        return super().parse_args(ctx, args)


class _AddGroup(_DefaultGroup):
    default = "features"


class _SetGroup(_DefaultGroup):
    default = "answers"


@cli.group(cls=_AddGroup)
def add() -> None:
    """Turn on FEATURES in an existing project (`add celery cache`), or add a resource (`add resource --help`)."""


@add.command(name="features")
@click.argument("features", nargs=-1, required=True, type=click.Choice(_FEATURES))
@_PROJECT_OPTION
@_DRY_RUN
@_LOCK
@_UPDATE_ENV
def add_features(features: tuple[str, ...], path: Path, dry_run: bool, lock: bool, update_env: bool | None) -> None:
    """Turn on FEATURES in an existing project, keeping your edits."""
    from pybackend.update import plan_change

    plan = plan_change(path, dict.fromkeys(features, "true"))
    _run_plan(plan, dry_run=dry_run, lock=lock, update_env=update_env)


@add.command(name="resource")
@click.argument("name")
@click.argument("fields", nargs=-1, required=True, metavar="FIELD:TYPE...")
@click.option("--plural", help="Its route and table name [default: NAME with English's regular plural]")
@_PROJECT_OPTION
@_DRY_RUN
@_LOCK
def add_resource(name: str, fields: tuple[str, ...], plural: str | None, path: Path, dry_run: bool, lock: bool) -> None:
    """Add the resource NAME with FIELDS (title:str pages:int? isbn:str:unique author:ref:user), its CRUD API,
    tests and migration. Types: str, text, int, float, bool, date, datetime, decimal, uuid, ref:RESOURCE."""
    from pybackend.resources import plan_add_resource

    plan, resource = plan_add_resource(path, name, fields, plural=plural)
    _run_resource_plan(plan, resource, f"add {name}", dry_run=dry_run, lock=lock)


@cli.group(name="set", cls=_SetGroup)
def set_() -> None:
    """Change answers of an existing project (`set celery=false`), or the fields of a resource (`set resource
    book +summary:text -pages`)."""


@set_.command(name="answers")
@click.argument("assignments", nargs=-1, required=True, metavar="KEY=VALUE...")
@_PROJECT_OPTION
@_DRY_RUN
@_LOCK
@_UPDATE_ENV
def set_answers(assignments: tuple[str, ...], path: Path, dry_run: bool, lock: bool, update_env: bool | None) -> None:
    """Change answers of an existing project (`celery=false`, `database=postgresql`), keeping your edits."""
    from pybackend.update import plan_change

    changes: dict[str, str] = {}
    repeated: list[str] = []
    for assignment in assignments:
        key, equals, value = assignment.partition("=")
        if not equals or not key:
            raise click.UsageError(f"'{assignment}' is not KEY=VALUE")
        name = key.strip().replace("-", "_")
        if name in changes and name not in repeated:
            repeated.append(name)
        changes[name] = value
    if repeated:
        raise InvalidAnswersError(f"{name} is given more than once; give each answer once" for name in repeated)
    if managed := [f"{key} is changed with `{MANAGED_ANSWERS[key]}`" for key in changes if key in MANAGED_ANSWERS]:
        raise InvalidAnswersError(managed)
    _run_plan(plan_change(path, changes), dry_run=dry_run, lock=lock, update_env=update_env)


# -FIELD arguments are no options: none is defined with one dash, not even -h (which would take `-author`).
@set_.command(name="resource", context_settings={"ignore_unknown_options": True, "help_option_names": ["--help"]})
@click.argument("name")
@click.argument("changes", nargs=-1, required=True, metavar="+FIELD:TYPE|-FIELD...")
@_PROJECT_OPTION
@_DRY_RUN
@_LOCK
def set_resource(name: str, changes: tuple[str, ...], path: Path, dry_run: bool, lock: bool) -> None:
    """Add fields to the resource NAME (+summary:text) or remove them (-pages), and write the migration."""
    from pybackend.resources import plan_change_resource

    plan, resource = plan_change_resource(path, name, changes)
    _run_resource_plan(plan, resource, f"change {name}", dry_run=dry_run, lock=lock)


@cli.group(cls=_Group)
def remove() -> None:
    """Remove a resource (`remove resource book --drop`)."""


@remove.command(name="resource")
@click.argument("name")
@click.option("--drop", is_flag=True, help="Drop its table and every row in it: required, as a confirmation")
@_PROJECT_OPTION
@_DRY_RUN
@_LOCK
def remove_resource(name: str, drop: bool, path: Path, dry_run: bool, lock: bool) -> None:
    """Remove the resource NAME: its files, and its table by a migration that drops it."""
    from pybackend.resources import plan_remove_resource, table_as_created

    plan, resource = plan_remove_resource(path, name, drop=drop)
    # Its table as the model creates it, read while the model is there: the revision's downgrade re-creates it so.
    downgrade = None if dry_run else table_as_created(plan.project.path, resource)
    _run_resource_plan(plan, resource, f"drop {name}", dry_run=dry_run, lock=lock, downgrade=downgrade)


@cli.command()
@_PROJECT
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON")
def check(path: Path, as_json: bool) -> None:
    """Exit 0 when the project at PATH is on the newest template, 11 when a newer one is available."""
    import json

    from pybackend.update import status

    found = status(path)
    if as_json:
        report = {"current": found.current, "latest": found.latest, "update_available": found.update_available}
        click.echo(json.dumps(report | ({"command": found.command} if found.update_available else {})))
    elif found.update_available:
        click.echo(f"Template {found.latest} is available (the project is on {found.current}); run `{found.command}`.")
    else:
        click.echo(f"The project is on the newest template, {found.current}.")
    if found.update_available:
        click.get_current_context().exit(ExitCode.UPDATE_AVAILABLE)


def _run_resource_plan(
    plan: Plan, resource: Resource, message: str, *, dry_run: bool, lock: bool, downgrade: TableCode | None = None
) -> None:
    """A change of the project's resources, then its migration (`message`, with `downgrade` as the code of its
    downgrade when given), which pybackend writes itself."""
    from pybackend.resources import finish_resource, migration_command, require_uv

    if not dry_run:
        require_uv()
    project = plan.project.path
    then_by_hand = f"write its migration with `{migration_command(project, message)}`"
    then = partial(finish_resource, project, resource, message, downgrade=downgrade)
    _run_plan(plan, dry_run=dry_run, lock=lock, then=then, then_by_hand=then_by_hand)


def _run_plan(
    plan: Plan,
    *,
    dry_run: bool,
    lock: bool,
    update_env: bool | None = None,
    then: Callable[[], Path] | None = None,
    then_by_hand: str = "",
) -> None:
    """Apply the plan and report it; `then` writes one more file of the user's (a migration) once it applied, or,
    if the change left conflicts, `then_by_hand` says how to write it once they are resolved."""
    from pybackend.envfile import read_example
    from pybackend.errors import ConflictsError
    from pybackend.update import FIXED_ANSWERS, apply

    if plan.is_noop:
        on = plan.project.commit
        same = f"on {on}, which has the files of {plan.target.ref}" if plan.target.ref != on else f"already on {on}"
        click.echo(f"{plan.project.name} is {same}, with these answers; nothing to do.")
        return
    what = f"{plan.project.commit} to {plan.target.ref}" if plan.target.ref != plan.project.commit else plan.target.ref
    old_example = read_example(plan.project.path)
    outcome = apply(plan, dry_run=dry_run, lock=lock)
    for warning in outcome.warnings:
        click.secho(f"Warning: {warning}", err=True, fg="yellow")
    changes = outcome.changes
    if not changes and not outcome.new_answers:
        click.echo(f"{plan.project.name} ({what}): no file changes; nothing to do.")
        return
    # The migration first: if writing it fails, the project is put back and nothing is reported as updated.
    written = then() if then is not None and not dry_run and not changes.conflicts else None
    click.echo(f"{'Would update' if dry_run else 'Updated'} {plan.project.name} ({what}):")
    for label, names in (
        ("added", changes.added),
        ("changed", changes.changed),
        ("deleted", changes.deleted),
        ("conflicts", changes.conflicts),
    ):
        click.echo(f"  {label:<10}{len(names):>3}" + "".join(f"\n    {name}" for name in names))
    # The answers pybackend keeps itself (the resources, none at first) are no question to the user.
    new_answers = {name: value for name, value in outcome.new_answers.items() if name not in MANAGED_ANSWERS}
    if new_answers:
        click.echo("New questions, answered with their defaults (change them with `pybackend set KEY=VALUE`):")
        for name, value in new_answers.items():
            fixed = "  (what the project was made with; fixed)" if name in FIXED_ANSWERS else ""
            click.echo(f"  {name}={_shown(value)}{fixed}")
    if not plan.same_version:
        _by_hand_after(plan)
    if dry_run:
        _list_stale_env(plan.project.path, old_example, outcome.env_example, would=True)
        click.echo("Nothing was changed (dry run).")
        if changes.conflicts:
            raise ConflictsError(f"the update would leave conflicts in: {', '.join(changes.conflicts)}")
        return
    if written is not None:
        click.echo(f"  written   {written.relative_to(plan.project.path)}")
    if ".env.example" not in changes.conflicts:
        _bring_env_in_line(plan.project.path, old_example, outcome.env_example, update_env)
    if changes.conflicts:
        raise ConflictsError(
            f"{len(changes.conflicts)} file(s) have conflicts: {', '.join(changes.conflicts)}. Both sides are in "
            "each file between <<<<<<< and >>>>>>> (or, for a file the template deleted, the file is yours and "
            "git marks it 'deleted by them'). Resolve them, `git add` them, then commit"
            + (f"; then {then_by_hand}" if then is not None and then_by_hand else "")
        )
    click.echo("Review the changes with `git diff`, then commit them.")


def _by_hand_after(plan: Plan) -> None:
    """What the template's CHANGELOG.md says to do by hand after an update across its releases."""
    from pybackend.changelog import by_hand_between

    for steps in by_hand_between(plan.target.repository, plan.project.commit, plan.target.ref):
        click.echo(f"By hand, {steps.heading[0].lower()}{steps.heading[1:]}, from the template's CHANGELOG.md:")
        click.echo("".join(f"  {line}".rstrip() + "\n" for line in steps.text.splitlines()), nl=False)


def _list_stale_env(project: Path, old_example: str | None, new_example: str | None, *, would: bool) -> list[Stale]:
    """List the variables of the project's .env that the change leaves (or, in a dry run, would leave) behind."""
    from pybackend.envfile import stale_in_project

    stale = stale_in_project(project, old_example, new_example)
    if stale:
        click.echo(f".env {'would no longer match' if would else 'no longer matches'} the project:")
        for variable in stale:
            click.echo(f"  {variable.describe()}")
    return stale


def _bring_env_in_line(
    project: Path, old_example: str | None, new_example: str | None, update_env: bool | None
) -> None:
    """List the variables of .env the change left behind; rewrite them only when asked to."""
    from pybackend.envfile import bring_in_line

    stale = _list_stale_env(project, old_example, new_example, would=False)
    if not stale:
        return
    if update_env is None and _on_terminal():
        try:
            update_env = click.confirm("Rewrite these lines of .env (every other line is kept)?", default=None)
        except click.Abort:  # Ctrl-C or end of input: the change is made; only .env stays as it was
            click.echo()
    if update_env:
        bring_in_line(project, stale)
        click.echo(f"Rewrote {', '.join(variable.name for variable in stale)} in .env.")
    else:
        click.echo(".env was left as it is: edit those lines, or pass --update-env to have them rewritten.")


def _on_terminal() -> bool:
    return sys.stdin.isatty()


def _shown(value: Any) -> str:
    """An answer as `set` takes it back."""
    from pybackend.answers import plain

    return plain(value)


def main() -> None:
    try:
        cli.main(prog_name="pybackend")
    except (KeyboardInterrupt, Interrupted):
        click.echo("Interrupted; nothing was changed.", err=True)
        sys.exit(ExitCode.INTERRUPTED)
