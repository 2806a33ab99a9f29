"""The questions, read from copier.yml: the single place where they are declared."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from pybackend.errors import TemplateSourceError

QuestionType = Literal["str", "bool", "int", "float", "yaml", "json"]

# The longest names a new project takes: with them every generated line that carries a name stays within the
# projects' own ruff limit of 100 (the render tier renders every stack at these lengths). copier.yml keeps the
# 64 characters that earlier releases accepted: Copier validates recorded answers again on `update`, and would
# refuse a project, or replace its package name with the default, if the limits there were tighter.
NEW_PROJECT_NAME_LIMITS = {"project_name": 40, "package_name": 32}
# Answers only a command of their own writes (`add resource`): `new` neither asks nor offers them, `set` refuses them.
MANAGED_ANSWERS = {"resources": "pybackend add resource"}


@dataclass(frozen=True)
class Question:
    name: str
    type: QuestionType
    help: str
    default: Any
    choices: tuple[str, ...] = ()
    # Copier's multi-select: the answer is a list of the choices (possibly empty), kept in the order of `choices`.
    multiselect: bool = False
    validator: str | None = None
    when: Any = True

    @property
    def hidden(self) -> bool:
        """Computed questions (`when: false`) are never asked and never offered as options."""
        return self.when is False

    @property
    def derived_default(self) -> bool:
        return isinstance(self.default, str) and "{{" in self.default


def load_questions(copier_yml: Path) -> list[Question]:
    try:
        text = copier_yml.read_text(encoding="utf-8")
    except OSError as error:
        raise TemplateSourceError(f"cannot read the questions in {copier_yml}: {error}") from error
    return parse_questions(text, str(copier_yml))


def parse_questions(text: str, origin: str) -> list[Question]:
    import yaml  # not at module level: `pybackend --help` never reads the questions

    try:
        raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as error:
        raise TemplateSourceError(f"cannot read the questions in {origin}: {error}") from error
    if not isinstance(raw, dict):
        raise TemplateSourceError(f"{origin} does not hold a mapping of questions")
    return [_question(name, spec) for name, spec in raw.items() if not name.startswith("_")]


def _question(name: str, spec: dict[str, Any]) -> Question:
    choices = spec.get("choices") or ()
    return Question(
        name=name,
        type=spec.get("type", "str"),
        help=spec.get("help", name),
        default=spec.get("default"),
        choices=tuple(str(choice) for choice in choices),
        multiselect=bool(spec.get("multiselect", False)),
        validator=spec.get("validator"),
        when=spec.get("when", True),
    )


def for_new_projects(questions: list[Question]) -> list[Question]:
    """The questions as `new` asks them: copier.yml's, with the name limits of new projects checked first."""
    return [_limited(question) for question in questions if question.name not in MANAGED_ANSWERS]


def _limited(question: Question) -> Question:
    name = question.name
    if (limit := NEW_PROJECT_NAME_LIMITS.get(name)) is None:
        return question
    first = f"{{% if {name} | length > {limit} %}}{name} must be {limit} characters at most{{% else %}}"
    return replace(question, validator=f"{first}{question.validator or ''}{{% endif %}}")
