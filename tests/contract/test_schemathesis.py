"""Property-based run over the service's own OpenAPI document: no 5xx, responses match their schemas."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from support.service import Service

MAX_EXAMPLES = int(os.environ.get("PYBACKEND_SCHEMATHESIS_EXAMPLES", "20"))
# A run is reproducible from its seed: printed with every result, and fixed by PYBACKEND_SCHEMATHESIS_SEED.
SEED = int(os.environ.get("PYBACKEND_SCHEMATHESIS_SEED") or secrets.randbelow(2**31))
TIMEOUT = 240
HOOKS = Path(__file__).with_name("schemathesis_hooks.py")


def test_schemathesis(service: Service, request: pytest.FixtureRequest) -> None:
    args = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--no-color",
        "run",
        service.url("/openapi.json"),
        "--checks",
        service.schemathesis_checks,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        # One worker: CPython 3.11's AST constructor is not thread-safe ("recursion depth mismatch" when
        # hypothesis describes its filters from two threads at once).
        "--workers",
        "1",
        "--request-timeout",
        "10",
        "--generation-database",
        "none",
        "--max-failures",
        "25",
        "--continue-on-failure",
        "--suppress-health-check",
        "all",
    ]
    if service.auth:
        args += ["--header", f"Authorization: Bearer {request.getfixturevalue('user').token}"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)}
        try:
            done = subprocess.run(args, cwd=tmp, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            pytest.fail(f"schemathesis ran longer than {TIMEOUT}s (seed {SEED})\n{exc.stdout!s}")
    out = done.stdout + done.stderr
    print(f"schemathesis seed {SEED} (PYBACKEND_SCHEMATHESIS_SEED={SEED} repeats this run)")
    if done.returncode != 0:
        pytest.fail(
            f"schemathesis found problems (exit {done.returncode}, seed {SEED}; "
            f"PYBACKEND_SCHEMATHESIS_SEED={SEED} repeats this run):\n{out[-20_000:]}",
            pytrace=False,
        )
