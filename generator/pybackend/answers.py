"""Turn given answers, defaults and prompts into one validated set of answers, before anything is written.

Defaults, `when` conditions and validators are the Jinja expressions of copier.yml, evaluated the way Copier
evaluates them, so a set of answers accepted here is accepted by Copier too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Protocol

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from pybackend.errors import InvalidAnswersError
from pybackend.questions import Question

_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0", ""}
# Longer than any answer a question accepts: such a value is refused before a validator sees (and quotes) it.
MAX_ANSWER_LENGTH = 1000
# The answer to a multi-select question that selects nothing, where a list cannot be written (a flag, `set`, a line).
NO_CHOICE = "none"
_SHOWN_LENGTH = 40


class Editable(str):
    """Refused text offered back to its prompt: to be edited there, where a default is only shown."""

    __slots__ = ()


class Prompter(Protocol):
    """Asks the user for one answer; `resolve_answers` calls `ask` again after `reject`."""

    def ask(self, question: Question, default: Any, choices: Sequence[str]) -> Any: ...

    def reject(self, question: Question, problem: str) -> None: ...


def resolve_answers(
    questions: list[Question],
    given: Mapping[str, Any],
    *,
    use_defaults: bool,
    prompter: Prompter | None = None,
) -> dict[str, Any]:
    """Return the answer to every visible question, or raise `InvalidAnswersError` naming every problem.

    A question whose `when` is false for the earlier answers is not asked: its default (which follows those
    answers) is its answer, unless one was given, which is then checked like any other.
    """
    by_name = {question.name: question for question in questions}
    problems = [f"unknown question '{shown(name)}'" for name in given if name not in by_name or by_name[name].hidden]
    missing: list[str] = []
    refused: set[str] = set()
    context: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    env = _environment()
    for question in questions:
        default = _render_default(env, question, context)
        if question.hidden:
            context[question.name] = default
            continue
        if env.reads(question) & refused:
            # Its default, condition or validator follows an answer already refused: only that one is reported.
            refused.add(question.name)
            if question.name in given and (problem := check(question, given[question.name], {}, validate=False)[1]):
                problems.append(problem)
            continue
        answer = _answer(question, given, default, context, use_defaults=use_defaults, prompter=prompter)
        if answer is None:
            missing.append(question.name)
            continue
        value, problem = answer
        if problem:
            problems.append(problem)
            refused.add(question.name)
        context[question.name] = answers[question.name] = value
    if missing:
        problems.append(
            "missing answers for: " + ", ".join(missing) + " (give them as options or in --data-file, "
            "or pass --defaults to take the defaults)"
        )
    if problems:
        raise InvalidAnswersError(problems)
    return answers


def _answer(
    question: Question,
    given: Mapping[str, Any],
    default: Any,
    context: dict[str, Any],
    *,
    use_defaults: bool,
    prompter: Prompter | None,
) -> tuple[Any, str | None] | None:
    """One question's answer and its problem: given, implied (`when` is false), asked, or defaulted; else None."""
    if question.name in given:
        value, problem = check(question, given[question.name], context)
        if problem and prompter is not None:
            prompter.reject(question, problem)
            return _ask_until_valid(prompter, question, _editable(question, value, default), context)
        return value, problem
    if default is not None and not _is_asked(_environment(), question, context):
        return check(question, default, context)
    if prompter is not None:
        return _ask_until_valid(prompter, question, default, context)
    if use_defaults and default is not None:
        value, problem = check(question, default, context)
        return value, problem and f"{problem} (the default; give {question.name} yourself)"
    return None


def _ask_until_valid(prompter: Prompter, question: Question, default: Any, context: dict[str, Any]) -> tuple[Any, None]:
    choices = offered_choices(question, context)
    if len(choices) == 1 and question.choices and not question.multiselect:
        return choices[0], None  # one choice left is no question; the summary still shows it
    while True:
        value, problem = check(question, prompter.ask(question, default, choices), context)
        if not problem:
            return value, None
        prompter.reject(question, problem)
        default = _editable(question, value, default)


def _editable(question: Question, refused: Any, default: Any) -> Any:
    """What to offer after a refusal: refused text comes back for editing rather than being typed again."""
    if isinstance(refused, str) and not question.choices and question.type == "str":
        return Editable(refused)
    return default


def check(question: Question, raw: Any, context: Mapping[str, Any], *, validate: bool = True) -> tuple[Any, str | None]:
    """The answer typed for `question`, and the problem with it (None when it is accepted)."""
    try:
        value = coerce(question, raw)
    except ValueError as error:
        return raw, f"{question.name}: {error}"
    if question.multiselect:
        if unknown := [item for item in value if item not in question.choices]:
            offered = [*offered_choices(question, context), NO_CHOICE]
            return value, f"{question.name}: '{shown(unknown[0])}' is not one of {', '.join(offered)}"
        value = [choice for choice in question.choices if choice in value]  # Copier's order, each once
    elif question.choices and str(value) not in question.choices:
        offered = offered_choices(question, context)
        return value, f"{question.name}: '{shown(value)}' is not one of {', '.join(offered)}"
    return value, _validate(_environment(), question, value, context) if validate else None


def offered_choices(question: Question, context: Mapping[str, Any]) -> list[str]:
    """The choices the question's validator accepts after the answers in `context`.

    This is how copier.yml switches a choice off (a framework whose template has not landed) without
    dropping it from the file: its validator refuses it, so it is neither listed nor accepted. A validator
    that needs an answer `context` does not hold yet cannot decide, and keeps the choice.
    """
    env = _environment()
    offered = []
    for choice in question.choices:
        try:
            answer = [choice] if question.multiselect else choice
            refused = _validate(env, question, answer, context, strict=True)
        except TemplateError:
            refused = None
        if not refused:
            offered.append(choice)
    return offered


def choices_by(question: Question, questions: list[Question]) -> dict[str, dict[str, list[str]]]:
    """Which of the question's choices go with each value of an answer its validator reads, where that varies:
    `{"framework": {"fastapi": ["sqlalchemy", "sqlmodel"], ...}}` for the ORM."""
    env = _environment()
    computed = computed_values(questions)
    by_name = {q.name: q for q in questions}
    found: dict[str, dict[str, list[str]]] = {}
    if not question.validator or not question.choices:
        return found
    for name in sorted(env.variables(question.validator) - computed.keys() - {question.name}):
        source = by_name.get(name)
        if source is None or not source.choices or source.multiselect:
            continue
        offered = {
            value: offered_choices(question, {**computed, name: value}) for value in offered_choices(source, computed)
        }
        if len({tuple(choices) for choices in offered.values()}) > 1:
            found[name] = offered
    return found


def linked_answers(questions: list[Question]) -> set[str]:
    """The questions whose default, condition or validator reads another answer, and the answers they read."""
    env = _environment()
    computed = computed_values(questions)
    linked: set[str] = set()
    for question in questions:
        if reads := env.reads(question) - computed.keys():
            linked |= reads | {question.name}
    return linked


def computed_values(questions: list[Question]) -> dict[str, Any]:
    """The values of the computed (`when: false`) entries, which every validator may read."""
    env = _environment()
    return {q.name: _render_default(env, q, {}) for q in questions if q.hidden}


def describe_default(question: Question, questions: list[Question]) -> str:
    """The default as a user reads it: a value, or what it follows (`from project_name`, `jwt; none when ...`)."""
    if not question.derived_default:
        return "" if question.default is None else plain(question.default)
    env = _environment()
    computed = computed_values(questions)
    sources = sorted(env.variables(question.default) - computed.keys())
    by_name = {q.name: q for q in questions}
    if len(sources) != 1 or not by_name[sources[0]].choices:
        return "from " + " and ".join(sources)
    (source,) = sources
    outcomes: dict[str, list[str]] = {}
    for choice in by_name[source].choices:
        value = _render_default(env, question, {**computed, source: choice})
        outcomes.setdefault(plain(value), []).append(choice)
    usual, *others = outcomes
    return usual + "".join(f"; {value} when {source} is {' or '.join(outcomes[value])}" for value in others)


def plain(value: Any) -> str:
    """An answer as it is typed: booleans as true/false, a multi-select's list as `a,b` (or `none`)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value) or NO_CHOICE
    return str(value)


def shown(value: Any) -> str:
    """A value as quoted in a message: cut when overlong, so a message stays one short line, and with what is not
    printable escaped, so a refusal can neither drive the terminal nor fail to print (a lone surrogate)."""
    text = str(value)
    cut = text if len(text) <= _SHOWN_LENGTH else text[:_SHOWN_LENGTH]
    printable = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in cut)
    return printable if cut is text else f"{printable}... ({len(text)} characters)"


def coerce(question: Question, raw: Any) -> Any:
    """Convert a raw answer (from a flag, a data file or a prompt) to the question's type."""
    if question.multiselect:
        return _coerce_list(raw)
    if question.type == "yaml" and isinstance(raw, list | dict):
        return raw  # a managed answer (resources), checked by the command that writes it
    if isinstance(raw, list | dict) or raw is None:
        raise ValueError(f"expected {'yes or no' if question.type == 'bool' else 'text'}, got {_kind(raw)}")
    if question.type == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE or (text in _FALSE and text):
            return text in _TRUE
        raise ValueError(f"'{shown(raw)}' is not a yes/no value (true or false)")
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ValueError(f"expected text, got {_kind(raw)}")
    text = str(raw)
    if len(text) > MAX_ANSWER_LENGTH:
        raise ValueError(f"the answer is {len(text)} characters long; no answer may exceed {MAX_ANSWER_LENGTH}")
    return text


def _coerce_list(raw: Any) -> list[str]:
    """A multi-select's answer: a list (a data file, repeated flags) or one line of text (`a,b`, or `none`)."""
    if isinstance(raw, str):
        if len(raw) > MAX_ANSWER_LENGTH:
            raise ValueError(f"the answer is {len(raw)} characters long; no answer may exceed {MAX_ANSWER_LENGTH}")
        raw = raw.split(",")
    if not isinstance(raw, list | tuple) or len(raw) > MAX_ANSWER_LENGTH:
        raise ValueError(f"expected a list of choices, got {_kind(raw)}")
    if not all(isinstance(item, str) for item in raw):
        raise ValueError("expected a list of choices, each one text")
    items = [item.strip() for item in raw if item.strip()]
    if NO_CHOICE in items:
        if len(items) > 1:
            raise ValueError(f"'{NO_CHOICE}' selects nothing and goes alone")
        return []
    return items


def _kind(raw: Any) -> str:
    """What a value is, without printing it: a list from a data file may be huge (a YAML alias bomb)."""
    if raw is None:
        return "nothing"
    if isinstance(raw, list | dict):
        return f"a {'list' if isinstance(raw, list) else 'mapping'}"
    return f"'{shown(raw)}'"


def _validate(
    env: _Environment, question: Question, value: Any, context: Mapping[str, Any], *, strict: bool = False
) -> str | None:
    if not question.validator:
        return None
    try:
        message = env.render(question.validator, {**context, question.name: value}).strip()
    except TemplateError as error:
        if strict:
            raise
        return f"{question.name}: its validator failed: {error}"
    return message or None


def _is_asked(env: _Environment, question: Question, context: Mapping[str, Any]) -> bool:
    """Copier's reading of `when`: a boolean, or an expression whose rendering is read as one."""
    if not isinstance(question.when, str):
        return bool(question.when)
    try:
        rendered = env.render(question.when, context)
    except TemplateError:
        # It depends on an answer that is itself missing or invalid: that answer's problem is reported.
        return True
    return rendered.strip().lower() not in _FALSE


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
        self._variables: dict[str, set[str]] = {}

    def render(self, source: str, context: Mapping[str, Any]) -> str:
        template = self._compiled.get(source)
        if template is None:
            template = self._compiled[source] = self.from_string(source)
        return template.render(context)

    def reads(self, question: Question) -> set[str]:
        """The other answers a question's default, condition and validator read."""
        expressions = [e for e in (question.default, question.when, question.validator) if isinstance(e, str)]
        return set().union(*(self.variables(e) for e in expressions)) - {question.name}

    def variables(self, source: str) -> set[str]:
        """The names an expression reads."""
        from jinja2 import meta

        found = self._variables.get(source)
        if found is None:
            found = self._variables[source] = set(meta.find_undeclared_variables(self.parse(source)))
        return found


@cache
def _environment() -> _Environment:
    return _Environment()
