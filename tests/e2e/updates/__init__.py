"""One real update scenario per framework (tests/e2e/test_update_project.py runs them): the texts of a user's edit
and of a maintainer's change, fitted to that framework's files. Each framework has a module named after it that
defines `SCENARIO`."""

from __future__ import annotations

import re
from dataclasses import dataclass

PACKAGE = "orders_api"  # the project is generated as `orders-api`


@dataclass(frozen=True)
class UpdateScenario:
    # The items routes module, in the template tree and in the project; the user edits it, the maintainer too.
    template_routes: str
    routes: str
    # The user inserts `user_route` after the one occurrence of `route_anchor` in the routes module, and appends
    # `user_test` (one test function) to `route_tests`. The route answers GET /api/v1/items/count with
    # {"total": <number of items>}.
    route_anchor: str
    user_route: str
    route_tests: str
    user_test: str
    # The maintainer inserts `template_docstring` after the one occurrence of `docstring_anchor` (far from the
    # user's edit) in the template's routes module, and `template_test` (one test function) before the one
    # occurrence of `health_test_anchor` in the template's health tests.
    docstring_anchor: str
    template_docstring: str
    template_health_tests: str
    health_tests: str
    health_test_anchor: str
    template_test: str
    # Two texts of the merged routes module: the first must still come before the second (routing order), or
    # None where the order does not matter.
    route_order: tuple[str, str] | None = None
    # What `pybackend add celery cache` must add, and a test module of each feature.
    added_files: tuple[str, ...] = (f"src/{PACKAGE}/worker.py", f"src/{PACKAGE}/items/cache.py")
    feature_tests: tuple[str, ...] = ("tests/test_worker.py", "tests/items/test_cache.py")

    @staticmethod
    def test_name(text: str) -> str:
        found = re.findall(r"^(?:async )?def (test_\w+)\(", text, flags=re.MULTILINE)
        assert len(found) == 1, f"expected one test function in:\n{text}"
        return str(found[0])

    def own_tests(self) -> tuple[str, str]:
        """The node ids of the user's test and the template's new test."""
        return (
            f"{self.route_tests}::{self.test_name(self.user_test)}",
            f"{self.health_tests}::{self.test_name(self.template_test)}",
        )
