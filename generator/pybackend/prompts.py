"""Interactive questions on a terminal."""

from __future__ import annotations

from typing import Any

import click

from pybackend.questions import Question


class ClickPrompter:
    def ask(self, question: Question, default: Any) -> Any:
        label = click.style(question.name, bold=True) + f": {question.help}"
        if question.type == "bool":
            return click.confirm(label, default=bool(default))
        kind = click.Choice(question.choices) if question.choices else click.STRING
        return click.prompt(label, default=default, type=kind, show_choices=bool(question.choices))

    def reject(self, question: Question, problem: str) -> None:
        click.secho(f"  {problem}", err=True, fg="red")
