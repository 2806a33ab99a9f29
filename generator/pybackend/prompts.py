"""Interactive questions: arrow-key lists and yes/no confirms on a terminal, plain lines of text otherwise.

Both prompters refuse in one style (the CLI's `Error: ...`), and both turn Ctrl-C and end of input into
KeyboardInterrupt, which the CLI answers with exit code 130 before anything is written.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from pybackend.answers import Editable
from pybackend.questions import Question

# The default, shown where the answer goes, in the muted colour of text not typed.
_PLACEHOLDER_STYLE = "fg:ansibrightblack"


def show_refusal(problem: str) -> None:
    click.secho(f"Error: {problem}", err=True, fg="red")


def summary(answers: Mapping[str, Any], target: Path) -> str:
    """Every answer, then where the project goes, as the confirmation shows them."""
    width = max(len(name) for name in answers)
    rows = [f"  {name:<{width}}  {plain(value)}" for name, value in answers.items()]
    return "\n".join([*rows, "", f"  The project will be written to {target.absolute()}"])


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

        # The help on a line of its own, muted, so that it never runs into the default or the answer.
        click.secho(question.help, dim=True)
        message = f"{question.name}:"
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
        elif isinstance(default, Editable):
            # Refused text comes back as text to edit, not to type again.
            prompt = questionary.text(message, default=str(default), **self._kwargs)
        else:
            # The default is shown, not typed: typing replaces it, and Enter on nothing keeps it.
            shown = "" if default is None else str(default)
            placeholder = [(_PLACEHOLDER_STYLE, shown)]
            prompt = questionary.text(message, placeholder=placeholder, **self._kwargs)
            answer = self._answer(prompt)
            return default if answer == "" and default is not None else answer
        return self._answer(prompt)

    @staticmethod
    def _answer(prompt: Any) -> Any:
        try:
            return prompt.unsafe_ask()
        except EOFError:
            raise KeyboardInterrupt from None

    def reject(self, question: Question, problem: str) -> None:
        show_refusal(problem)

    def confirm(self, answers: Mapping[str, Any], target: Path) -> bool:
        import questionary

        click.echo("\n" + summary(answers, target) + "\n")
        return bool(self._answer(questionary.confirm("Write the project?", default=True, **self._kwargs)))


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

    def confirm(self, answers: Mapping[str, Any], target: Path) -> bool:
        click.echo("\n" + summary(answers, target) + "\n")
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
