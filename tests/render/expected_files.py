"""The exact file list of a generated project, as data: which answers bring which files. The shared files are
here; each framework's own are in `files/<framework>.py`.

`<pkg>` stands for the package name. A file that appears or goes away without a line here changing is a bug.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

Answers = dict[str, Any]

_ALWAYS = """
.copier-answers.yml .env .env.example .gitignore .pre-commit-config.yaml README.md pyproject.toml
"""

# The delivery files, shared by every framework.
_WHEN: list[tuple[Callable[[Answers], bool], str]] = [
    (lambda a: a["docker"], "Dockerfile .dockerignore compose.yaml"),
    (lambda a: a["ci"] == "github", ".github/workflows/ci.yml"),
    (
        lambda a: a["kubernetes"],
        """
        k8s/base/kustomization.yaml k8s/base/config.env k8s/base/deployment.yaml k8s/base/service.yaml
        k8s/base/ingress.yaml k8s/base/hpa.yaml k8s/base/pdb.yaml k8s/base/networkpolicy.yaml
        k8s/base/secret.example.yaml
        k8s/overlays/dev/kustomization.yaml k8s/overlays/dev/namespace.yaml
        k8s/overlays/prod/kustomization.yaml k8s/overlays/prod/namespace.yaml
        """,
    ),
    (lambda a: a["kubernetes"] and a["database"] != "none", "k8s/base/migrate-job.yaml"),
    (lambda a: a["kubernetes"] and a["database"] == "sqlite", "k8s/base/data-pvc.yaml k8s/base/sqlite-data.patch.yaml"),
    (lambda a: a["kubernetes"] and a["celery"], "k8s/base/worker.yaml k8s/base/beat.yaml"),
    (lambda a: "api-fuzzing" in a["testing"], "tests/test_api_fuzzing.py"),
    (lambda a: "load" in a["testing"], "locustfile.py"),
    # /ready's check of RabbitMQ, where it is Celery's broker (Django's is in its health.py).
    (
        lambda a: a["celery"] and a["celery_broker"] == "rabbitmq" and a["framework"] != "django",
        "src/<pkg>/rabbitmq.py",
    ),
    # Django's auth has its own list of common passwords.
    (
        lambda a: a["auth"] == "jwt" and a["framework"] != "django",
        "src/<pkg>/auth/password_rules.py tests/auth/test_password_rules.py",
    ),
    # Password hashing off the event loop, for the async frameworks only.
    (
        lambda a: a["auth"] == "jwt" and a["framework"] in {"fastapi", "tornado"},
        "src/<pkg>/auth/async_passwords.py tests/auth/test_async_passwords.py",
    ),
]


def expected_files(answers: Answers) -> set[str]:
    own = importlib.import_module(f"files.{answers['framework']}")
    names = _ALWAYS.split() + own.ALWAYS.split()
    for applies, files in [*_WHEN, *own.WHEN]:
        if applies(answers):
            names += files.split()
    return {name.replace("<pkg>", answers["package_name"]) for name in names}
