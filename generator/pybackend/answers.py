"""Turn given answers, defaults and prompts into one validated set of answers, before anything is written.

Defaults and validators are the Jinja expressions of copier.yml, evaluated the way Copier evaluates them, so a
set of answers accepted here is accepted by Copier too.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, Protocol

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from pybackend.errors import InvalidAnswersError
from pybackend.questions import Question

_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0"}


class Prompter(Protocol):
    """Asks the user for one answer; `resolve_answers` calls it again after `reject`."""

    def ask(self, question: Question, default: Any) -> Any: ...

    def reject(self, question: Question, problem: str) -> None: ...


def resolve_answers(
    questions: list[Question],
    given: Mapping[str, Any],
    *,
    use_defaults: bool,
    prompter: Prompter | None = None,
) -> dict[str, Any]:
    """Return the answer to every visible question, or raise `InvalidAnswersError` naming every problem."""
    by_name = {question.name: question for question in questions}
    problems = [f"unknown question '{name}'" for name in given if name not in by_name or by_name[name].hidden]
    missing: list[str] = []
    context: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    env = _environment()
    for question in questions:
        default = _render_default(env, question, context)
        if question.hidden:
            context[question.name] = default
            continue
        if question.name in given:
            value, problem = _check(env, question, given[question.name], context)
            if problem:
                problems.append(problem)
        elif prompter is not None:
            value = _ask_until_valid(env, prompter, question, default, context)
        elif use_defaults:
            value, problem = _check(env, question, default, context)
            if problem:
                problems.append(f"{problem} (the default; give {question.name} yourself)")
        else:
            missing.append(question.name)
            continue
        context[question.name] = answers[question.name] = value
    if missing:
        problems.append(
            "missing answers for: " + ", ".join(missing) + " (give them as options or in --data-file, "
            "or pass --defaults to take the defaults)"
        )
    if problems:
        raise InvalidAnswersError(problems)
    return answers


def _ask_until_valid(
    env: _Environment, prompter: Prompter, question: Question, default: Any, context: dict[str, Any]
) -> Any:
    while True:
        value, problem = _check(env, question, prompter.ask(question, default), context)
        if not problem:
            return value
        prompter.reject(question, problem)


def _check(env: _Environment, question: Question, raw: Any, context: Mapping[str, Any]) -> tuple[Any, str | None]:
    try:
        value = coerce(question, raw)
    except ValueError as error:
        return raw, f"{question.name}: {error}"
    if question.choices and str(value) not in question.choices:
        return value, f"{question.name}: '{value}' is not one of {', '.join(question.choices)}"
    if question.validator:
        try:
            message = env.render(question.validator, {**context, question.name: value}).strip()
        except TemplateError as error:
            return value, f"{question.name}: its validator failed: {error}"
        if message:
            return value, message
    return value, None


def coerce(question: Question, raw: Any) -> Any:
    """Convert a raw answer (from a flag, a data file or a prompt) to the question's type."""
    if question.type == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"'{raw}' is not a yes/no value (true or false)")
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ValueError(f"'{raw}' is not text")
    return str(raw)


def _render_default(env: _Environment, question: Question, context: Mapping[str, Any]) -> Any:
    if not isinstance(question.default, str):
        return question.default
    try:
        return env.render(question.default, context)
    except TemplateError:
        # A default derived from an answer that is itself missing or invalid: that answer's problem is reported.
        return None


class _Environment(SandboxedEnvironment):
    """Copier's settings for copier.yml expressions; each expression is compiled once per process."""

    def __init__(self) -> None:
        super().__init__(
            extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )
        self._compiled: dict[str, Template] = {}

    def render(self, source: str, context: Mapping[str, Any]) -> str:
        template = self._compiled.get(source)
        if template is None:
            template = self._compiled[source] = self.from_string(source)
        return template.render(context)


@cache
def _environment() -> _Environment:
    return _Environment()
