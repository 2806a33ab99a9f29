from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from email.headerregistry import Address
from typing import Any

import pytest
from pybackend.answers import describe_default, offered_choices, resolve_answers
from pybackend.errors import InvalidAnswersError
from pybackend.questions import Question, for_new_projects


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


def _offering(questions: list[Question], frameworks: str) -> list[Question]:
    """The questions of a version that renders only `frameworks` (space-separated)."""
    return [replace(q, default=frameworks) if q.name == "offered_frameworks" else q for q in questions]


def test_a_framework_without_a_template_is_refused_with_a_reason(questions: list[Question]) -> None:
    assert "flask template is not available yet" in _problems(_offering(questions, "fastapi"), framework="flask")


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ({"auth": "jwt", "database": "none"}, "auth=jwt keeps users in the database"),
        ({"auth": "none", "cache": True, "database": "none"}, "cache=true caches item reads"),
        ({"kubernetes": True, "docker": False}, "kubernetes=true deploys the Docker image"),
        ({"celery_broker": "rabbitmq", "celery": False}, "celery_broker=rabbitmq is Celery's broker"),
    ],
)
def test_combinations_that_cannot_work_are_refused_when_given(
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
        self.asked: dict[str, tuple[Any, list[str]]] = {}

    def ask(self, question: Question, default: Any, choices: Sequence[str]) -> Any:
        self.asked[question.name] = (default, list(choices))
        queue = self.replies.get(question.name)
        return queue.pop(0) if queue else default

    def reject(self, question: Question, problem: str) -> None:
        self.rejections.append(problem)


def test_prompts_ask_again_after_invalid_input(questions: list[Question]) -> None:
    prompter = _ScriptedPrompter({"package_name": ["json", "orders"], "database": ["oracle", "sqlite"]})
    answers = resolve_answers(questions, {"project_name": "orders-api"}, use_defaults=False, prompter=prompter)
    assert (answers["package_name"], answers["database"]) == ("orders", "sqlite")
    assert len(prompter.rejections) == 2
    assert "standard-library" in prompter.rejections[0]
    assert "'oracle' is not one of sqlite, postgresql, mysql, none" in prompter.rejections[1]


def test_the_project_name_is_asked_first_and_the_package_name_follows_the_accepted_one(
    questions: list[Question],
) -> None:
    prompter = _ScriptedPrompter({"project_name": ["Orders API", "orders-api"]})
    answers = resolve_answers(questions, {}, use_defaults=False, prompter=prompter)
    assert next(iter(prompter.asked)) == "project_name"
    assert len(prompter.rejections) == 1
    assert "project_name must start with a lowercase letter" in prompter.rejections[0]
    assert prompter.asked["package_name"][0] == "orders_api"
    assert answers["package_name"] == "orders_api"


def test_an_invalid_given_answer_is_asked_again_with_the_refused_text_to_edit(questions: list[Question]) -> None:
    prompter = _ScriptedPrompter({"project_name": ["orders"]})
    answers = resolve_answers(questions, {"project_name": "Orders"}, use_defaults=False, prompter=prompter)
    assert answers["project_name"] == "orders"
    assert prompter.asked["project_name"][0] == "Orders"
    assert len(prompter.rejections) == 1


def test_questions_left_with_one_valid_answer_are_not_asked(questions: list[Question]) -> None:
    prompter = _ScriptedPrompter({"database": ["none"], "docker": [False]})
    answers = resolve_answers(questions, {"project_name": "svc"}, use_defaults=False, prompter=prompter)
    assert {"auth", "cache", "kubernetes"}.isdisjoint(prompter.asked)
    assert (answers["auth"], answers["cache"], answers["kubernetes"]) == ("none", False, False)
    assert {"auth", "cache", "kubernetes"} <= set(
        resolve_answers(questions, {"project_name": "svc"}, use_defaults=False, prompter=_ScriptedPrompter({}))
    )


def test_a_choice_left_alone_is_not_asked_and_more_are_offered_as_listed(questions: list[Question]) -> None:
    prompter = _ScriptedPrompter({})
    one = _offering(questions, "fastapi")
    answers = resolve_answers(one, {"project_name": "svc"}, use_defaults=False, prompter=prompter)
    assert "framework" not in prompter.asked
    assert answers["framework"] == "fastapi"
    assert prompter.asked["database"][1] == ["sqlite", "postgresql", "mysql", "none"]

    two = _offering(questions, "fastapi flask")
    prompter = _ScriptedPrompter({"framework": ["django", "flask"]})
    answers = resolve_answers(two, {"project_name": "svc"}, use_defaults=False, prompter=prompter)
    assert prompter.asked["framework"] == ("fastapi", ["fastapi", "flask"])
    assert answers["framework"] == "flask"
    assert "the django template is not available yet" in prompter.rejections[0]


def test_offered_frameworks_are_data_in_copier_yml(questions: list[Question]) -> None:
    framework = next(q for q in questions if q.name == "framework")
    assert offered_choices(framework, {"offered_frameworks": "fastapi flask"}) == ["fastapi", "flask"]
    assert framework.choices == ("fastapi", "flask", "django", "tornado", "pyramid")


@pytest.mark.parametrize(
    ("project_name", "package_name"),
    [
        ("billing-reconciliation-service-eu-west", "billing_reconciliation_service_e"),
        ("customer-accounts-and-subscriptions-api", "customer_accounts_and_subscripti"),
        ("orders-and-payments-and-returns-x-y-z", "orders_and_payments_and_returns"),  # no trailing '_'
    ],
)
def test_the_package_name_from_a_long_project_name_is_cut_to_fit(
    questions: list[Question], project_name: str, package_name: str
) -> None:
    assert _resolve(questions, project_name=project_name)["package_name"] == package_name


def test_new_projects_take_names_of_40_and_32_characters_at_most(questions: list[Question]) -> None:
    new = for_new_projects(questions)
    assert _resolve(new, project_name="p" * 40, package_name="q" * 32)["package_name"] == "q" * 32
    assert "project_name must be 40 characters at most" in _problems(new, project_name="p" * 41)
    assert "package_name must be 32 characters at most" in _problems(new, package_name="q" * 33)
    # The other checks still apply after the length.
    assert "would shadow" in _problems(new, package_name="json")


def test_projects_made_with_longer_names_still_validate(questions: list[Question]) -> None:
    """`update` validates the recorded answers against copier.yml, which keeps every earlier release's limit."""
    answers = _resolve(questions, project_name="p" * 64, package_name="q" * 64)
    assert (len(answers["project_name"]), len(answers["package_name"])) == (64, 64)


def test_defaults_adapt_to_earlier_answers(questions: list[Question]) -> None:
    answers = _resolve(questions, database="none", docker=False)
    assert (answers["auth"], answers["cache"], answers["kubernetes"]) == ("none", False, False)
    assert _resolve(questions, database="postgresql")["auth"] == "jwt"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("package_name", "from project_name"),
        ("auth", "jwt; none when database is none"),
        ("database", "sqlite"),
        ("metrics", "true"),
        ("project_name", ""),
    ],
)
def test_derived_defaults_are_described_by_what_they_follow(
    questions: list[Question], question: str, expected: str
) -> None:
    assert describe_default(next(q for q in questions if q.name == question), questions) == expected


def test_descriptions_are_data_not_templates(questions: list[Question]) -> None:
    tricky = 'He said "hi" \\ {{ 7*7 }} {% raw %} ${HOME}'
    assert _resolve(questions, description=tricky)["description"] == tricky


@pytest.mark.parametrize("question", ["project_name", "package_name", "author_email"])
def test_a_trailing_newline_is_refused(questions: list[Question], question: str) -> None:
    valid = {"project_name": "orders", "package_name": "orders", "author_email": "dev@example.com"}[question]
    assert question in _problems(questions, **{question: valid + "\n"})


@pytest.mark.parametrize("question", ["description", "author_name"])
@pytest.mark.parametrize("bad", ["\x00", "\x7f", "\x1b[31m", "\n", "\r", "\x85", "\u2028", "\ud800", "\udfff"])
def test_free_text_refuses_control_characters_and_lone_surrogates(
    questions: list[Question], question: str, bad: str
) -> None:
    assert f"{question} must be one line of printable text" in _problems(questions, **{question: f"a{bad}b"})


def test_free_text_keeps_any_printable_text(questions: list[Question]) -> None:
    text = "Zoë \"Ops\" <ops> 🚀, Inc. \\ 'quoted'"
    answers = _resolve(questions, description=text, author_name=text)
    assert answers["description"] == answers["author_name"] == text


@pytest.mark.parametrize(
    "email",
    [
        "a,b@x.io",
        "a:b@x.io",
        "a@b..io",
        "é@x.io",
        "🚀@x.io",
        "a.@x.io",
        "a@x.io.",
        "a@-x.io",
        "a b@x.io",
        "a@localhost",
        '"a"@x.io',
        "a@[1.2.3.4]",
        "@x.io",
        "a@",
    ],
)
def test_e_mail_addresses_packaging_would_refuse_are_refused(questions: list[Question], email: str) -> None:
    assert "author_email must be an e-mail address" in _problems(questions, author_email=email)


@pytest.mark.parametrize(
    "email", ["dev@example.com", "first.last+tag@mail.example.co.uk", "o'neil@x-y.io", "A_1@b2.io"]
)
def test_e_mail_addresses_are_accepted_as_packaging_reads_them(questions: list[Question], email: str) -> None:
    assert _resolve(questions, author_email=email)["author_email"] == email
    # hatchling builds the Author-email header with this class; it must take the address whole.
    assert str(Address(display_name="Dev", addr_spec=email)).endswith(f"<{email}>")


@pytest.mark.parametrize("name", ["pydantic_settings", "starlette", "pytest", "yaml", "anyio", "sqlalchemy"])
def test_a_package_name_cannot_shadow_a_dependency(questions: list[Question], name: str) -> None:
    assert "would shadow" in _problems(questions, package_name=name)


@pytest.mark.parametrize("question", ["package_name", "description", "author_name", "author_email", "project_name"])
def test_long_values_are_refused_in_a_short_message(questions: list[Question], question: str) -> None:
    problems = _problems(questions, **{question: "a" * 300})
    assert "characters at most" in problems
    assert len(problems) < 120


def test_an_enormous_value_is_not_quoted_back(questions: list[Question]) -> None:
    problems = _problems(questions, database="x" * 100_000, description="y" * 100_000)
    assert len(problems) < 300
    assert "no answer may exceed" in problems


@pytest.mark.parametrize("value", [["a"], {"a": 1}, None])
def test_answers_that_are_not_text_are_refused_without_being_printed(questions: list[Question], value: Any) -> None:
    problems = _problems(questions, description=value, celery=value)
    assert "description: expected text" in problems
    assert "celery: expected yes or no" in problems


def test_refused_values_are_quoted_with_what_is_not_printable_escaped(questions: list[Question]) -> None:
    problems = _problems(questions, database="\x1b[31mred\udc80", celery="\x07")
    assert "'\\x1b[31mred\\udc80' is not one of" in problems
    assert "'\\x07' is not a yes/no value" in problems
    assert "\x1b" not in problems


# The testing question: a multi-select, whose answer is a list of its choices.
TWO_KITS = Question(
    name="testing", type="str", help="Testing kits", default=["a"], choices=("a", "b"), multiselect=True
)


def test_testing_is_a_multi_select_with_api_fuzzing_by_default(questions: list[Question]) -> None:
    testing = next(q for q in questions if q.name == "testing")
    assert testing.multiselect
    assert testing.default == ["api-fuzzing"]
    assert describe_default(testing, questions) == "api-fuzzing"
    assert _resolve(questions)["testing"] == ["api-fuzzing"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["b", "a"], ["a", "b"]),  # in the order of the choices, as Copier keeps them
        (["a", "a"], ["a"]),
        ("b,a", ["a", "b"]),  # a flag, `set` or a prompt's line
        (" b , ", ["b"]),
        ("none", []),
        (["none"], []),
        ("", []),
        ([], []),
    ],
)
def test_a_multi_select_takes_a_list_or_a_comma_separated_line(given: Any, expected: list[str]) -> None:
    assert resolve_answers([TWO_KITS], {"testing": given}, use_defaults=True) == {"testing": expected}


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        (["a", "c"], "testing: 'c' is not one of a, b, none"),
        ("c", "testing: 'c' is not one of a, b, none"),
        (["none", "a"], "testing: 'none' selects nothing and goes alone"),
        ([1], "testing: expected a list of choices, each one text"),
        ({"a": 1}, "testing: expected a list of choices, got a mapping"),
        (True, "testing: expected a list of choices, got 'True'"),
    ],
)
def test_a_multi_select_refuses_what_it_does_not_offer(given: Any, problem: str) -> None:
    with pytest.raises(InvalidAnswersError) as caught:
        resolve_answers([TWO_KITS], {"testing": given}, use_defaults=True)
    assert caught.value.problems == [problem]


def test_unknown_testing_kits_are_refused(questions: list[Question]) -> None:
    assert "testing: 'bogus' is not one of api-fuzzing, load, none" in _problems(questions, testing=["bogus"])


def test_a_multi_select_of_one_choice_is_still_asked(questions: list[Question]) -> None:
    class Asks:
        def __init__(self) -> None:
            self.asked: list[str] = []

        def ask(self, question: Question, default: Any, choices: Sequence[str]) -> Any:
            self.asked.append(question.name)
            return [] if question.name == "testing" else default

        def reject(self, question: Question, problem: str) -> None:
            raise AssertionError(problem)

    prompter = Asks()
    answers = resolve_answers(questions, {"project_name": "orders-api"}, use_defaults=False, prompter=prompter)
    assert "testing" in prompter.asked
    assert answers["testing"] == []
