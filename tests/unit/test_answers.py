from __future__ import annotations

from typing import Any

import pytest
from pybackend.answers import resolve_answers
from pybackend.errors import InvalidAnswersError
from pybackend.questions import Question


def _resolve(questions: list[Question], **given: Any) -> dict[str, Any]:
    return resolve_answers(questions, {"project_name": "orders-api", **given}, use_defaults=True)


def _problems(questions: list[Question], **given: Any) -> str:
    with pytest.raises(InvalidAnswersError) as caught:
        _resolve(questions, **given)
    return "\n".join(caught.value.problems)


def test_defaults_give_the_no_service_stack(questions: list[Question]) -> None:
    answers = _resolve(questions)
    assert answers["package_name"] == "orders_api"
    assert {k: answers[k] for k in ("framework", "database", "auth", "log_format", "python_version")} == {
        "framework": "fastapi",
        "database": "sqlite",
        "auth": "jwt",
        "log_format": "json",
        "python_version": "3.11",
    }
    assert (answers["metrics"], answers["docker"], answers["kubernetes"]) == (True, True, False)
    assert (answers["celery"], answers["cache"]) == (False, False)
    assert "reserved_package_names" not in answers


@pytest.mark.parametrize("name", ["Orders", "1orders", "orders--api", "orders-", "or ders", "x" * 65])
def test_project_name_is_validated(questions: list[Question], name: str) -> None:
    with pytest.raises(InvalidAnswersError, match="project_name"):
        resolve_answers(questions, {"project_name": name}, use_defaults=True)


@pytest.mark.parametrize("name", ["import", "json", "asyncio", "celery", "tests", "my-pkg", "9lives", "Pkg"])
def test_package_name_must_be_a_safe_identifier(questions: list[Question], name: str) -> None:
    assert "package_name" in _problems(questions, package_name=name)


def test_a_derived_package_name_that_shadows_the_stdlib_is_refused(questions: list[Question]) -> None:
    with pytest.raises(InvalidAnswersError, match="standard-library"):
        resolve_answers(questions, {"project_name": "logging"}, use_defaults=True)


def test_a_framework_without_a_template_is_refused_with_a_reason(questions: list[Question]) -> None:
    assert "flask template is not available yet" in _problems(questions, framework="flask")


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ({"auth": "jwt", "database": "none"}, "auth=jwt keeps users in the database"),
        ({"auth": "none", "cache": True, "database": "none"}, "cache=true caches item reads"),
        ({"kubernetes": True, "docker": False}, "kubernetes=true deploys the Docker image"),
    ],
)
def test_combinations_that_cannot_work_are_refused(
    questions: list[Question], given: dict[str, Any], reason: str
) -> None:
    assert reason in _problems(questions, **given)


def test_every_problem_is_reported_at_once(questions: list[Question]) -> None:
    problems = _problems(questions, database="oracle", celery="maybe", colour="blue")
    assert "unknown question 'colour'" in problems
    assert "'oracle' is not one of sqlite, postgresql, mysql, none" in problems
    assert "'maybe' is not a yes/no value" in problems


def test_answers_from_text_are_typed(questions: list[Question]) -> None:
    answers = _resolve(questions, celery="yes", cache="false", python_version=3.12)
    assert (answers["celery"], answers["cache"], answers["python_version"]) == (True, False, "3.12")


def test_without_defaults_or_prompts_the_missing_answers_are_named(questions: list[Question]) -> None:
    with pytest.raises(InvalidAnswersError) as caught:
        resolve_answers(questions, {"project_name": "svc", "database": "sqlite"}, use_defaults=False)
    message = caught.value.message
    assert "missing answers for: package_name, description" in message
    assert "database" not in message.split("missing answers for:")[1].split("(")[0]


class _ScriptedPrompter:
    def __init__(self, replies: dict[str, list[Any]]) -> None:
        self.replies = replies
        self.rejections: list[str] = []

    def ask(self, question: Question, default: Any) -> Any:
        queue = self.replies.get(question.name)
        return queue.pop(0) if queue else default

    def reject(self, question: Question, problem: str) -> None:
        self.rejections.append(problem)


def test_prompts_ask_again_after_invalid_input(questions: list[Question]) -> None:
    prompter = _ScriptedPrompter({"package_name": ["json", "orders"], "database": ["none"], "auth": ["jwt", "none"]})
    answers = resolve_answers(questions, {"project_name": "orders-api"}, use_defaults=False, prompter=prompter)
    assert (answers["package_name"], answers["database"], answers["auth"]) == ("orders", "none", "none")
    assert len(prompter.rejections) == 2
    assert "standard-library" in prompter.rejections[0]
    assert "auth=jwt keeps users in the database" in prompter.rejections[1]


def test_descriptions_are_data_not_templates(questions: list[Question]) -> None:
    tricky = 'He said "hi" \\ {{ 7*7 }} {% raw %} ${HOME}'
    assert _resolve(questions, description=tricky)["description"] == tricky
