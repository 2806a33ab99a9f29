"""The contract version 3 lines a framework does not meet yet, written out by hand: the one place to read them.

Each entry is a check the framework's projects do not pass today (issue 22 tracks them). The end-to-end tier does
not run the fault checks named here, and the contract suite skips the tests named here, saying why; the contract
plan (tests/e2e/contract_plan.py) expects exactly those skips, so a test listed here that starts to pass is still
skipped (remove it from the list), and a test that fails and is not listed fails its stack.
"""

from __future__ import annotations

# Fault checks of tests/e2e/faults.py (by the names in V3_CHECKS there), per framework.
FAULTS_NOT_YET: dict[str, set[str]] = {
    "fastapi": set(),
    "flask": set(),
    "django": set(),
    "tornado": set(),
    "pyramid": set(),
}

# Contract tests (test id prefixes, "<file>::<name>"), per framework.
CONTRACT_NOT_YET: dict[str, tuple[str, ...]] = {
    "fastapi": (),
    "flask": (),
    "django": (),
    "tornado": (),
    "pyramid": (),
}


def contract_not_yet(test_id: str, framework: str) -> bool:
    return test_id.startswith(CONTRACT_NOT_YET.get(framework, ()))
