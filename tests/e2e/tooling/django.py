"""Django's own tooling on a generated project: `manage.py collectstatic`, `check --deploy` and
`makemigrations --check`, in production, then the collected files as the service serves them."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from support.project import Project
from support.steps import Steps

BOOT_TIMEOUT = 60
# The largest file /docs loads (about 1.5 MB): served compressed, under its hashed name.
BUNDLE = re.compile(r'src="(/docs/assets/ninja/swagger-ui-bundle\.[0-9a-f]{12}\.js)"')
YEAR_IMMUTABLE = "max-age=315360000, public, immutable"


def check(project: Project, env: dict[str, str], steps: Steps, tmp: Path) -> None:
    static_env = {**env, "STATIC_ROOT": str(tmp / "django-static")}
    with steps.soft("manage.py collectstatic --noinput"):
        project.uv_run(["python", "manage.py", "collectstatic", "--noinput"], env=static_env, timeout=180)
        assert (tmp / "django-static" / "staticfiles.json").is_file(), "collectstatic wrote no manifest"
    with steps.soft("manage.py check --deploy --fail-level WARNING"):
        project.uv_run(
            ["python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env=static_env, timeout=120
        )
    with steps.soft("manage.py makemigrations --check --dry-run"):
        project.uv_run(["python", "manage.py", "makemigrations", "--check", "--dry-run"], env=env, timeout=120)
    with steps.soft("collected static files: compressed, hashed, cached for a year; hosts checked, probes not"):
        _serves_collected_files(project, static_env)


def _serves_collected_files(project: Project, env: dict[str, str]) -> None:
    server, base_url, _ = project.serve("django-static", env, BOOT_TIMEOUT)
    try:
        with httpx.Client(base_url=base_url, timeout=10) as client:
            page = client.get("/docs")
            found = BUNDLE.search(page.text)
            assert page.status_code == 200 and found, f"/docs names no hashed Swagger bundle:\n{page.text[:1000]}"
            bundle = client.get(found[1], headers={"Accept-Encoding": "gzip, br"})
            assert bundle.status_code == 200, bundle.status_code
            assert bundle.headers.get("content-encoding") in {"br", "gzip"}, dict(bundle.headers)
            assert bundle.headers.get("cache-control") == YEAR_IMMUTABLE, dict(bundle.headers)
            foreign = client.get("/api/v1/items", headers={"Host": "evil.example"})
            assert foreign.status_code == 400, f"Host: evil.example -> {foreign.status_code}"
            probes = ("/health", "/ready", "/metrics") if project.answers.get("metrics") else ("/health", "/ready")
            for probe in probes:
                answer = client.get(probe, headers={"Host": "10.1.2.3:8000"})
                assert answer.status_code == 200, f"{probe} with the pod's address as Host -> {answer.status_code}"
    finally:
        server.terminate(timeout=20)
