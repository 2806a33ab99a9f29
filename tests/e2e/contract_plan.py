"""Which contract tests a stack's answers switch off, written out by hand, and the check of a contract run
against it.

A contract test whose part is off skips itself; the end-to-end tier then checks that exactly the tests this list
names for the stack's answers skipped, and every other one ran and passed. A skip that is not listed here fails
the stack (a check that never runs proves nothing), and so does a listed test that ran anyway (its switch is
broken). When you add a contract test that skips for some answers, add it here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support.pending import contract_not_yet

Answers = dict[str, Any]


def _db(a: Answers) -> bool:
    return a["database"] != "none"


def _auth(a: Answers) -> bool:
    return a["auth"] == "jwt"


def _redis(a: Answers) -> bool:
    return bool(a["celery"] or a["cache"])


def _json_bodies(a: Answers) -> bool:
    """Some route reads a JSON body."""
    return _db(a) or _auth(a) or bool(a["celery"])


# (test id prefix, "this test skips for these answers"). Test ids are "<file>::<name>[<params>]".
SKIPPED_WHEN: tuple[tuple[str, Callable[[Answers], bool]], ...] = (
    ("test_auth.py::", lambda a: not _auth(a)),
    ("test_accounts.py::", lambda a: not _auth(a)),
    ("test_http_details.py::test_json_routes_refuse_other_content_types", lambda a: not _json_bodies(a)),
    ("test_http_details.py::test_deeply_nested_json_is_no_server_error", lambda a: not _json_bodies(a)),
    ("test_basics.py::test_metrics_absent_when_off", lambda a: a["metrics"]),
    ("test_basics.py::test_items_absent_without_database", _db),
    ("test_basics.py::test_auth_absent_when_off", _auth),
    ("test_basics.py::test_tasks_absent_without_celery", lambda a: a["celery"]),
    ("test_cache.py::", lambda a: not _db(a)),
    ("test_items.py::test_writes_need_a_token", lambda a: not (_db(a) and _auth(a))),
    ("test_items.py::test_only_the_owner_changes_an_item", lambda a: not (_db(a) and _auth(a))),
    ("test_items.py::test_writes_need_no_token_without_auth", lambda a: not _db(a) or _auth(a)),
    ("test_items.py::", lambda a: not _db(a)),
    ("test_metrics.py::test_route_label_is_the_template", lambda a: not (a["metrics"] and _db(a))),
    ("test_metrics.py::", lambda a: not a["metrics"]),
    ("test_openapi.py::test_auth_scheme_documented", lambda a: not _auth(a)),
    ("test_tasks.py::", lambda a: not a["celery"]),
    ("test_tokens.py::test_tasks_need_a_token", lambda a: not (_auth(a) and a["celery"])),
    ("test_tokens.py::", lambda a: not _auth(a)),
    ("test_limits.py::test_chunked_body_is_refused_once_past_the_limit", lambda a: not (_db(a) or a["celery"])),
    ("test_limits.py::test_token_attempts_are_limited_per_client_address", lambda a: not _auth(a)),
    ("test_limits.py::test_registrations_are_limited_per_client_address", lambda a: not _auth(a)),
    ("test_limits.py::test_reading_is_not_limited", lambda a: not _auth(a)),
    ("test_client_address.py::test_untrusted_peer_cannot_escape_the_limit", lambda a: not _auth(a)),
    ("test_client_address.py::test_trusted_proxy_limits_each_forwarded_client", lambda a: not _auth(a)),
)


def expected_to_skip(test_id: str, answers: Answers) -> bool:
    """A version 3 test the framework does not pass yet skips (support/pending.py); otherwise the first entry whose
    prefix matches decides, and a test no entry names always runs."""
    if contract_not_yet(test_id, str(answers.get("framework", ""))):
        return True
    for prefix, skipped in SKIPPED_WHEN:
        if test_id.startswith(prefix):
            return skipped(answers)
    return False


@dataclass
class ContractRun:
    passed: list[str]
    skipped: dict[str, str]  # test id -> reason
    failed: list[str]

    @classmethod
    def from_junit(cls, path: Path) -> ContractRun:
        passed: list[str] = []
        skipped: dict[str, str] = {}
        failed: list[str] = []
        for case in ET.parse(path).getroot().iter("testcase"):  # noqa: S314 (our own pytest wrote it)
            module = case.get("classname", "").rsplit(".", 1)[-1]
            test_id = f"{module}.py::{case.get('name', '')}"
            skip = case.find("skipped")
            if skip is not None:
                skipped[test_id] = skip.get("message", "")
            elif case.find("failure") is not None or case.find("error") is not None:
                failed.append(test_id)
            else:
                passed.append(test_id)
        return cls(passed, skipped, failed)

    def problems(self, answers: Answers) -> list[str]:
        """How this run departs from the plan for these answers (failures are reported by pytest itself)."""
        found = []
        for test_id, reason in sorted(self.skipped.items()):
            if not expected_to_skip(test_id, answers):
                found.append(f"skipped, but it must run for these answers: {test_id} ({reason})")
        for test_id in sorted(self.passed):
            if expected_to_skip(test_id, answers):
                found.append(f"ran, but these answers switch its part off (the switch is broken): {test_id}")
        if not self.passed:
            found.append("no contract test ran")
        return found

    def summary(self) -> str:
        return f"{len(self.passed)} passed, {len(self.skipped)} skipped, {len(self.failed)} failed"
