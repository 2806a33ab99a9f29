"""Choose a small set of stacks in which every value of every option, and every pair of values, appears.

Validity comes from copier.yml's own validators, so a stack the generator refuses is never chosen. Only the
options that a default, condition or validator links to another are combined in full (some thousands of
combinations); the free ones (the Python version, the log format...) are filled in per stack, each with the value
that covers the most pairs still missing. The choice is deterministic: the same questions give the same stacks.
"""

from __future__ import annotations

import itertools
from typing import Any

from pybackend.answers import linked_answers, resolve_answers
from pybackend.errors import InvalidAnswersError
from pybackend.questions import Question

Stack = dict[str, Any]
Item = tuple[str, Any]
Pair = tuple[Item, Item]
# How many of the best-ranked combinations of the linked options are filled in and compared, per stack chosen.
_SHORTLIST = 64


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
    linked = [name for name in values if name in linked_answers(questions)]
    free = [name for name in values if name not in linked]
    candidates = [
        stack
        for combo in itertools.product(*(values[name] for name in linked))
        if is_valid(questions, stack := dict(zip(linked, combo, strict=True)))
    ]
    own_pairs = [_pairs(stack) for stack in candidates]
    held = {item for stack in candidates for item in stack.items()}
    free_items = [(name, value) for name in free for value in values[name]]
    uncovered = set().union(*own_pairs)
    uncovered |= {_pair(a, b) for a in held for b in free_items}
    uncovered |= {_pair(a, b) for a, b in itertools.combinations(free_items, 2) if a[0] != b[0]}
    chosen: list[Stack] = []
    while uncovered:
        # Rank by an upper bound on what each would cover (its own missing pairs, and every missing pair of its
        # values with a free one), then fill in the free options of the most promising only.
        needs: dict[Item, int] = {}  # missing pairs of a linked option's value with a free one
        missing: dict[Item, int] = {}  # missing pairs of each value
        for a, b in uncovered:
            for item, other in ((a, b), (b, a)):
                missing[item] = missing.get(item, 0) + 1
                if other[0] in free and item[0] not in free:
                    needs[item] = needs.get(item, 0) + 1
        bounds = [
            len(own & uncovered) + sum(needs.get(item, 0) for item in stack.items())
            for stack, own in zip(candidates, own_pairs, strict=True)
        ]
        ranked = sorted(range(len(candidates)), key=lambda index: -bounds[index])[:_SHORTLIST]
        best = max(
            (_filled(candidates[index], free, values, uncovered, missing) for index in ranked), key=lambda s: s[1]
        )[0]
        assert is_valid(questions, best), best
        assert _pairs(best) & uncovered, "a stack that covers no missing pair: the search would not end"
        chosen.append(best)
        uncovered -= _pairs(best)
    return chosen


def _filled(
    stack: Stack, free: list[str], values: dict[str, list[Any]], uncovered: set[Pair], missing: dict[Item, int]
) -> tuple[Stack, int]:
    """`stack` with each free option given the value that adds the most missing pairs (the value with the most
    missing pairs of its own among equals, so that the pairs of two free options get their turn); and how many
    pairs the stack covers."""
    filled = dict(stack)
    for name in free:

        def gain(value: Any, name: str = name) -> tuple[int, int]:
            item = (name, value)
            return sum(_pair(item, other) in uncovered for other in filled.items()), missing.get(item, 0)

        filled[name] = max(values[name], key=gain)
    return filled, len(_pairs(filled) & uncovered)


def _pair(a: Item, b: Item) -> Pair:
    return (a, b) if a[0] < b[0] else (b, a)


def _pairs(stack: Stack) -> set[Pair]:
    return set(itertools.combinations(sorted(stack.items(), key=lambda item: item[0]), 2))
