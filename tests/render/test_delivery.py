"""Delivery files keep the promises of CONTRACT.md's "Running it" and "Delivery", read as their tools read them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from pybackend.answers import resolve_answers
from pybackend.generate import Options, first_commands, generate
from pybackend.questions import load_questions
from pybackend.source import template_source

pytestmark = pytest.mark.render

REPO_ROOT = Path(__file__).resolve().parents[2]
_QUESTIONS = load_questions(REPO_ROOT / "copier.yml")

STACKS: dict[str, dict[str, Any]] = {
    "postgresql": {
        "database": "postgresql",
        "celery": True,
        "celery_broker": "rabbitmq",
        "cache": True,
        "kubernetes": True,
        "testing": ["api-fuzzing", "load"],
    },
    "mysql": {"database": "mysql", "celery": True, "kubernetes": True},
    "sqlite": {"database": "sqlite", "kubernetes": True, "testing": ["load"]},
}
# What each server accepts by default, less what it keeps for administrators (PostgreSQL's
# superuser_reserved_connections).
CONNECTION_LIMITS = {"postgresql": 100 - 3, "mysql": 151}
_PINNED_ACTION = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


@pytest.fixture(scope="module", params=list(STACKS))
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    name = request.param
    answers = resolve_answers(_QUESTIONS, {"project_name": f"ship-{name}", **STACKS[name]}, use_defaults=True)
    target = tmp_path_factory.mktemp("delivery") / answers["project_name"]
    generate(answers, target, template_source(), Options(git=False, lock=False))
    return target, answers


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _env_file(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line and not line.startswith("#"))
    return dict(pairs)


def test_the_readme_starts_the_servers_that_env_points_at(project: tuple[Path, dict[str, Any]]) -> None:
    root, answers = project
    services = _yaml(root / "compose.yaml")["services"]
    commands = first_commands(root)
    assert commands[-2:] == ["uv sync", f"uv run python -m {answers['package_name']}"]
    env = _env_file(root / ".env")
    for variable in ("DATABASE_URL", "REDIS_URL", "RABBITMQ_URL"):
        url = urlsplit(env.get(variable, ""))
        if url.scheme not in {"postgresql", "mysql", "redis", "amqp"}:
            continue
        # The service that answers there is started first, on that port, with those credentials.
        name = {"postgresql": "postgres", "mysql": "mariadb", "redis": "redis", "amqp": "rabbitmq"}[url.scheme]
        assert commands[0].startswith("docker compose up") and name in commands[0].split()
        assert url.hostname == "localhost"
        assert f"127.0.0.1:{url.port}:{url.port}" in services[name]["ports"]
        if url.scheme == "amqp":
            environment = services[name]["environment"]
            user, password = environment["RABBITMQ_DEFAULT_USER"], environment["RABBITMQ_DEFAULT_PASS"]
            assert (url.username, url.password) == (user, password)
        elif url.scheme != "redis":
            prefix = name.upper()
            environment = services[name]["environment"]
            assert (url.username, url.password) == (environment[f"{prefix}_USER"], environment[f"{prefix}_PASSWORD"])
            assert url.path.lstrip("/") == environment.get(f"{prefix}_DB", environment.get(f"{prefix}_DATABASE"))


def test_compose_publishes_on_loopback_checks_health_and_migrates_first(project: tuple[Path, dict[str, Any]]) -> None:
    root, answers = project
    services = _yaml(root / "compose.yaml")["services"]
    for name, service in services.items():
        assert all(str(port).startswith("127.0.0.1:") for port in service.get("ports", [])), name
        assert name == "migrate" or "test" in service["healthcheck"], f"{name} has no health check"
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    if answers["celery"]:
        for process in ("worker", "beat"):
            probe = " ".join(services[process]["healthcheck"]["test"])
            assert "heartbeat" in probe and "inspect" not in probe, "liveness must not ask the broker"
            # The probe reads the file where the process writes it, which is named, not left to the default.
            heartbeat_dir = services[process]["environment"]["HEARTBEAT_DIR"]
            assert f"'{heartbeat_dir}/{process}-heartbeat'" in probe


def test_the_workflow_is_pinned_read_only_and_bounded(project: tuple[Path, dict[str, Any]]) -> None:
    root, answers = project
    path = root / ".github" / "workflows" / "ci.yml"
    workflow = _yaml(path)
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        assert job["timeout-minutes"] > 0, name
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name
    uses = [line for line in path.read_text().splitlines() if "uses:" in line]
    assert uses and all(_PINNED_ACTION.match(line) for line in uses), uses
    assert {"lint", "types", "test", "image", "manifests", "audit"} <= set(workflow["jobs"])
    # The tests run against the real services, not the stand-ins.
    test_env = workflow["jobs"]["test"].get("env", {})
    if answers["database"] in CONNECTION_LIMITS:
        assert urlsplit(test_env["TEST_DATABASE_URL"]).scheme == answers["database"]
    assert ("TEST_REDIS_URL" in test_env) == (answers["celery"] or answers["cache"])
    rabbitmq = answers["celery"] and answers["celery_broker"] == "rabbitmq"
    assert ("TEST_RABBITMQ_URL" in test_env) == rabbitmq
    assert ("rabbitmq" in workflow["jobs"]["test"].get("services", {})) == rabbitmq


def test_the_load_job_runs_locust_for_30_seconds_against_the_migrated_service(
    project: tuple[Path, dict[str, Any]],
) -> None:
    root, answers = project
    jobs = _yaml(root / ".github" / "workflows" / "ci.yml")["jobs"]
    if "load" not in answers["testing"]:
        assert "load" not in jobs
        assert not (root / "locustfile.py").exists()
        return
    job = jobs["load"]
    assert set(job.get("services", {})) == set(jobs["test"].get("services", {}))
    assert job["env"]["APP_ENV"] == "production"
    assert urlsplit(job["env"]["DATABASE_URL"]).scheme == answers["database"]
    assert ("REDIS_URL" in job["env"]) == (answers["celery"] or answers["cache"])
    runs = [step.get("run", "") for step in job["steps"]]
    migrate = next(i for i, run in enumerate(runs) if "alembic upgrade head" in run)
    start = next(i for i, run in enumerate(runs) if f"python -m {answers['package_name']}" in run)
    locust = next(i for i, run in enumerate(runs) if "locust==" in run)
    assert migrate < start < locust
    assert "--headless" in runs[locust]
    assert "--run-time 30s" in runs[locust]
    assert "--locustfile locustfile.py" in runs[locust]
    assert (root / "locustfile.py").is_file()


def _kustomize(root: Path, overlay: str) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is needed to build the kustomizations"
    command = [kubectl, "kustomize", f"k8s/{overlay}"]
    built = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    return [document for document in yaml.safe_load_all(built.stdout) if document]


def test_kubernetes_rolls_out_safely_and_within_the_database_limit(project: tuple[Path, dict[str, Any]]) -> None:
    root, answers = project
    manifests = {(doc["kind"], doc["metadata"]["name"]): doc for doc in _kustomize(root, "overlays/prod")}
    name = answers["project_name"]
    web = manifests[("Deployment", name)]["spec"]
    pod = web["template"]["spec"]
    container = pod["containers"][0]
    pause = int(container["lifecycle"]["preStop"]["exec"]["command"][-1])
    # The pause, then the server's 20 s of graceful shutdown, fit in the grace period.
    assert pod["terminationGracePeriodSeconds"] >= pause + 20 and pause >= 3
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert pod["securityContext"]["runAsNonRoot"] is True

    ingress = manifests[("Ingress", name)]
    paths = {path["path"] for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]}
    assert {"/api", "/docs", "/openapi.json"} <= paths
    # Only the documentation pages the framework serves.
    assert ("/redoc" in paths) == (answers["framework"] == "fastapi")
    assert not any(path in {"/", "/metrics"} or path.startswith("/metrics") for path in paths)

    config = next(doc["data"] for (kind, _), doc in manifests.items() if kind == "ConfigMap")
    # Only the ingress controller's addresses may name a client address, not any pod of the cluster.
    assert not any(network in config["FORWARDED_ALLOW_IPS"] for network in ("10.0.0.0/8", "172.16.0.0/12", "*"))
    policy = manifests[("NetworkPolicy", name)]["spec"]
    assert set(policy["policyTypes"]) == {"Ingress", "Egress"}
    pods = [doc for (kind, _), doc in manifests.items() if kind in {"Deployment", "Job"}]
    assert all(
        policy["podSelector"]["matchLabels"].items() <= doc["spec"]["template"]["metadata"]["labels"].items()
        for doc in pods
    )
    assert [rule["ports"] for rule in policy["ingress"]] == [[{"protocol": "TCP", "port": "http"}]]
    egress_ports = {port["port"] for rule in policy["egress"] for port in rule["ports"]}
    backing = {"postgresql": {5432}, "mysql": {3306}}.get(answers["database"], set())
    redis = {6379} if answers["celery"] or answers["cache"] else set()
    rabbitmq = {5672} if answers["celery"] and answers["celery_broker"] == "rabbitmq" else set()
    assert egress_ports == {53} | backing | redis | rabbitmq
    if answers["database"] in CONNECTION_LIMITS:
        hpa = manifests[("HorizontalPodAutoscaler", name)]["spec"]
        pods = hpa["maxReplicas"] + web["strategy"]["rollingUpdate"]["maxSurge"]
        per_pod = int(config["DB_POOL_SIZE"]) + int(config["DB_MAX_OVERFLOW"])
        # Django's `manage.py migrate` opens a pool of its own: 6 connections at its peak (README).
        migration_job = 6 if answers["framework"] == "django" and answers["database"] == "postgresql" else 1
        assert pods * per_pod + migration_job < CONNECTION_LIMITS[answers["database"]]
    if answers["celery"]:
        assert config["CELERY_CONCURRENCY"]
        for process in ("worker", "beat"):
            probe = manifests[("Deployment", f"{name}-{process}")]["spec"]["template"]["spec"]["containers"][0]
            command = " ".join(probe["livenessProbe"]["exec"]["command"])
            assert "heartbeat" in command and "inspect" not in command, "liveness must not ask the broker"
            heartbeat_dir = {variable["name"]: variable["value"] for variable in probe["env"]}["HEARTBEAT_DIR"]
            assert f"'{heartbeat_dir}/{process}-heartbeat'" in command
