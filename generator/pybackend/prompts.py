"""Interactive questions: arrow-key lists and yes/no confirms on a terminal, plain lines of text otherwise.

Both prompters refuse in one style (the CLI's `Error: ...`), and both turn Ctrl-C and end of input into
KeyboardInterrupt, which the CLI answers with exit code 130 before anything is written.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any

import click

from pybackend.questions import Question


def show_refusal(problem: str) -> None:
    click.secho(f"Error: {problem}", err=True, fg="red")


def summary(answers: Mapping[str, Any]) -> str:
    width = max(len(name) for name in answers)
    return "\n".join(f"  {name:<{width}}  {plain(value)}" for name, value in answers.items())


def plain(value: Any) -> str:
    """An answer as it is typed: booleans as true/false, a multi-select's list as `a,b` (or `none`)."""
    from pybackend.answers import plain as typed

    return typed(value)


class TerminalPrompter:
    """questionary prompts. `prompt_kwargs` reach prompt_toolkit: tests pass a pipe input and a dummy output."""

    def __init__(self, **prompt_kwargs: Any) -> None:
        self._kwargs = prompt_kwargs

    def ask(self, question: Question, default: Any, choices: Sequence[str]) -> Any:
        import questionary

        message = f"{question.name}: {question.help}"
        if question.type == "bool":
            prompt = questionary.confirm(message, default=bool(default), **self._kwargs)
        elif question.multiselect:
            checked = default if isinstance(default, list) else []
            boxes = [questionary.Choice(choice, checked=choice in checked) for choice in choices]
            prompt = questionary.checkbox(message, choices=boxes, **self._kwargs)
        elif choices:
            prompt = questionary.select(
                message, choices=list(choices), default=default if default in choices else None, **self._kwargs
            )
        else:
            prompt = questionary.text(message, default="" if default is None else str(default), **self._kwargs)
        try:
            return prompt.unsafe_ask()
        except EOFError:
            raise KeyboardInterrupt from None

    def reject(self, question: Question, problem: str) -> None:
        show_refusal(problem)

    def confirm(self, answers: Mapping[str, Any]) -> bool:
        import questionary

        click.echo("\n" + summary(answers) + "\n")
        try:
            return bool(questionary.confirm("Write the project?", default=True, **self._kwargs).unsafe_ask())
        except EOFError:
            raise KeyboardInterrupt from None


class LinePrompter:
    """One line of standard input per answer, for when it is not a terminal (a pipe, a script)."""

    def ask(self, question: Question, default: Any, choices: Sequence[str]) -> Any:
        shown_default = "" if default is None else plain(default)
        if question.multiselect:
            from pybackend.answers import NO_CHOICE

            options = f" (any of {', '.join(choices)}, separated by commas; {NO_CHOICE} for none)"
        elif choices:
            options = f" ({', '.join(choices)})"
        else:
            options = " (yes/no)" if question.type == "bool" else ""
        click.echo(f"{click.style(question.name, bold=True)}: {question.help}{options} [{shown_default}]: ", nl=False)
        reply = _read_line()
        return reply if reply else default

    def reject(self, question: Question, problem: str) -> None:
        show_refusal(problem)

    def confirm(self, answers: Mapping[str, Any]) -> bool:
        click.echo("\n" + summary(answers) + "\n")
        while True:
            click.echo("Write the project? (yes/no) [yes]: ", nl=False)
            reply = _read_line().lower()
            if reply in {"", "y", "yes"}:
                return True
            if reply in {"n", "no"}:
                return False
            show_refusal(f"'{reply}' is not yes or no")


def _read_line() -> str:
    line = sys.stdin.readline()
    if not line:
        raise KeyboardInterrupt  # end of input: the answers stop here, and nothing is written
    click.echo()  # the reply was not typed on this screen, so end the question's line here
    return line.rstrip("\r\n")
