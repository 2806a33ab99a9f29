"""Choose a small set of stacks in which every value of every option, and every pair of values, appears.

Validity comes from copier.yml's own validators, so a stack the generator refuses is never chosen.
"""

from __future__ import annotations

import itertools
from typing import Any

from pybackend.answers import resolve_answers
from pybackend.errors import InvalidAnswersError
from pybackend.questions import Question

Stack = dict[str, Any]


def option_values(questions: list[Question]) -> dict[str, list[Any]]:
    """The options with a closed set of values: every choice, or both booleans."""
    values: dict[str, list[Any]] = {}
    for question in questions:
        if question.hidden:
            continue
        if question.type == "bool":
            values[question.name] = [False, True]
        elif question.multiselect:
            # Every selection, none included; tuples, so that stacks can be compared as pairs.
            choices = question.choices
            values[question.name] = [
                combo for size in range(len(choices) + 1) for combo in itertools.combinations(choices, size)
            ]
        elif question.choices:
            values[question.name] = list(question.choices)
    return values


def is_valid(questions: list[Question], stack: Stack) -> bool:
    try:
        resolve_answers(questions, {"project_name": "matrix", **stack}, use_defaults=True)
    except InvalidAnswersError:
        return False
    return True


def covering_stacks(questions: list[Question]) -> list[Stack]:
    """Greedy all-pairs cover over the valid stacks; values no valid stack can hold are dropped."""
    values = option_values(questions)
    names = list(values)
    candidates = [
        stack
        for combo in itertools.product(*values.values())
        if is_valid(questions, stack := dict(zip(names, combo, strict=True)))
    ]
    uncovered = {pair for stack in candidates for pair in _pairs(stack)}
    chosen: list[Stack] = []
    while uncovered:
        best = max(candidates, key=lambda stack: len(_pairs(stack) & uncovered))
        chosen.append(best)
        uncovered -= _pairs(best)
    return chosen


def _pairs(stack: Stack) -> set[tuple[tuple[str, Any], tuple[str, Any]]]:
    return set(itertools.combinations(sorted(stack.items(), key=lambda item: item[0]), 2))
