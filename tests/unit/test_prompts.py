"""The terminal prompts, driven through prompt_toolkit's pipe input as a user's keys would drive them."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput
from pybackend.answers import Editable
from pybackend.prompts import LinePrompter, TerminalPrompter
from pybackend.questions import Question

DOWN, ENTER, CTRL_C, CTRL_D, BACKSPACE = "\x1b[B", "\r", "\x03", "\x04", "\x7f"
DATABASE = Question(
    name="database", type="str", help="Database", default="sqlite", choices=("sqlite", "postgresql", "mysql", "none")
)
CELERY = Question(name="celery", type="bool", help="Celery", default=False)
DESCRIPTION = Question(name="description", type="str", help="Description", default="A service")
TESTING = Question(name="testing", type="str", help="Kits", default=["a"], choices=("a", "b"), multiselect=True)
SPACE = " "


@pytest.fixture
def keys() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe:
        yield pipe


def _ask(keys: PipeInput, typed: str, question: Question, default: Any, choices: list[str]) -> Any:
    keys.send_text(typed)
    return TerminalPrompter(input=keys, output=DummyOutput()).ask(question, default, choices)


def test_a_choice_is_picked_with_the_arrow_keys(keys: PipeInput) -> None:
    assert _ask(keys, DOWN + DOWN + ENTER, DATABASE, "sqlite", list(DATABASE.choices)) == "mysql"


def test_the_list_starts_on_the_default(keys: PipeInput) -> None:
    assert _ask(keys, DOWN + ENTER, DATABASE, "postgresql", list(DATABASE.choices)) == "mysql"


def test_only_the_offered_choices_are_listed(keys: PipeInput) -> None:
    assert _ask(keys, DOWN + ENTER, DATABASE, "sqlite", ["sqlite", "none"]) == "none"


def test_yes_no_questions_take_one_key(keys: PipeInput) -> None:
    assert _ask(keys, "y", CELERY, False, []) is True
    assert _ask(keys, "n", CELERY, True, []) is False
    assert _ask(keys, ENTER, CELERY, True, []) is True


def test_a_multi_select_is_a_checkbox_list_that_starts_on_the_default(keys: PipeInput) -> None:
    assert _ask(keys, ENTER, TESTING, ["a"], ["a", "b"]) == ["a"]
    assert _ask(keys, DOWN + SPACE + ENTER, TESTING, ["a"], ["a", "b"]) == ["a", "b"]
    assert _ask(keys, SPACE + ENTER, TESTING, ["a"], ["a", "b"]) == []


def test_the_line_prompt_takes_a_multi_select_as_a_comma_separated_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("b, a\n\n"))
    prompter = LinePrompter()
    assert prompter.ask(TESTING, ["a"], ["a", "b"]) == "b, a"
    assert prompter.ask(TESTING, ["a"], ["a", "b"]) == ["a"], "an empty line takes the default"
    assert "testing: Kits (any of a, b, separated by commas; none for none) [a]:" in capsys.readouterr().out


def test_typing_replaces_a_default_and_enter_keeps_it(keys: PipeInput) -> None:
    assert _ask(keys, "Orders API" + ENTER, DESCRIPTION, "A backend service", []) == "Orders API"
    assert _ask(keys, ENTER, DESCRIPTION, "A backend service", []) == "A backend service"
    assert _ask(keys, "x" + BACKSPACE + ENTER, DESCRIPTION, "A backend service", []) == "A backend service"


def test_refused_text_comes_back_for_editing(keys: PipeInput) -> None:
    assert _ask(keys, BACKSPACE * 2 + "e" + ENTER, DESCRIPTION, Editable("Orders\x1b"), []) == "Ordere"
    assert _ask(keys, "!" + ENTER, DESCRIPTION, Editable("Orders"), []) == "Orders!"


@pytest.mark.parametrize(("question", "choices"), [(DATABASE, list(DATABASE.choices)), (CELERY, []), (DESCRIPTION, [])])
def test_ctrl_c_and_end_of_input_interrupt_every_kind_of_prompt(
    keys: PipeInput, question: Question, choices: list[str]
) -> None:
    with pytest.raises(KeyboardInterrupt):
        _ask(keys, CTRL_C, question, question.default, choices)
    keys.close()
    with pytest.raises(KeyboardInterrupt):
        TerminalPrompter(input=keys, output=DummyOutput()).ask(question, question.default, choices)


def test_ctrl_d_ends_the_input_of_a_text_prompt(keys: PipeInput) -> None:
    with pytest.raises(KeyboardInterrupt):
        _ask(keys, CTRL_D, DESCRIPTION, "", [])


def test_the_summary_is_confirmed_before_writing(
    keys: PipeInput, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    prompter = TerminalPrompter(input=keys, output=DummyOutput())
    keys.send_text("n")
    assert prompter.confirm({"project_name": "orders", "celery": True}, tmp_path / "orders") is False
    shown = capsys.readouterr().out
    assert "project_name  orders" in shown
    assert "celery        true" in shown
    assert f"The project will be written to {tmp_path / 'orders'}" in shown
    keys.send_text(ENTER)
    prompter.confirm({"project_name": "orders", "testing": []}, tmp_path / "orders")
    assert "testing       none" in capsys.readouterr().out
    keys.send_text(ENTER)
    assert prompter.confirm({"project_name": "orders"}, tmp_path / "orders") is True
