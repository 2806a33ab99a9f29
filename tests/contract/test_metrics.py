"""Prometheus exposition: request count and latency, labelled method, route template and status."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from support.service import Service

from .helpers import Sample, parse_metrics, show

COUNTER = "http_requests_total"
HISTOGRAM = "http_request_duration_seconds"
LABELS = {"method", "route", "status"}
TEMPLATE_SEGMENT = re.compile(r"^(\{[^}]+\}|<[^>]+>|:\w+)$")


@pytest.fixture(autouse=True)
def _metrics_on(service: Service) -> None:
    if not service.metrics:
        pytest.skip("metrics are off (absence is checked in test_basics)")


def _scrape(client: httpx.Client) -> tuple[list[Sample], dict[str, str]]:
    r = client.get("/metrics")
    assert r.status_code == 200, show(r)
    assert r.headers.get("content-type", "").startswith(("text/plain", "application/openmetrics-text")), show(r)
    return parse_metrics(r.text)


def _value(samples: list[Sample], name: str, **labels: str) -> float:
    return sum(s.value for s in samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))


def test_families_and_labels(client: httpx.Client) -> None:
    client.get("/health")
    samples, types = _scrape(client)
    assert types.get(COUNTER) == "counter" or types.get(COUNTER.removesuffix("_total")) == "counter", types
    assert types.get(HISTOGRAM) == "histogram", types
    for name in (COUNTER, f"{HISTOGRAM}_bucket", f"{HISTOGRAM}_count", f"{HISTOGRAM}_sum"):
        found = [s for s in samples if s.name == name]
        assert found, f"no {name} samples"
        for s in found:
            assert set(s.labels) - {"le"} >= LABELS, f"{name} labels {s.labels}"
    assert any("le" in s.labels for s in samples if s.name == f"{HISTOGRAM}_bucket")


def test_requests_are_counted(client: httpx.Client) -> None:
    before = _value(_scrape(client)[0], COUNTER, method="GET", route="/health", status="200")
    for _ in range(3):
        client.get("/health")
    samples = _scrape(client)[0]
    after = _value(samples, COUNTER, method="GET", route="/health", status="200")
    assert after >= before + 3, f"GET /health 200 counted {before} -> {after}"
    assert _value(samples, f"{HISTOGRAM}_count", method="GET", route="/health", status="200") >= 3


def test_route_label_is_the_template(service: Service, client: httpx.Client, request: pytest.FixtureRequest) -> None:
    if not service.database:
        pytest.skip("no parametrised route without the database")
    make_item: Callable[..., dict[str, Any]] = request.getfixturevalue("make_item")
    item_id = str(make_item()["id"])
    assert client.get(f"/api/v1/items/{item_id}").status_code == 200
    samples = _scrape(client)[0]
    routes = {s.labels.get("route", "") for s in samples if s.name == COUNTER}
    concrete = f"/api/v1/items/{item_id}"
    assert concrete not in routes, f"route label holds the concrete path {concrete}: {sorted(routes)}"
    templated = [
        r for r in routes if r.startswith("/api/v1/items/") and TEMPLATE_SEGMENT.match(r.removeprefix("/api/v1/items/"))
    ]
    assert templated, f"no route template like /api/v1/items/{{item_id}} among {sorted(routes)}"
    counted = sum(_value(samples, COUNTER, method="GET", route=t, status="200") for t in templated)
    assert counted >= 1


def test_unknown_paths_do_not_become_labels(client: httpx.Client) -> None:
    marker = uuid.uuid4().hex
    client.get(f"/unknown/{marker}")
    samples = _scrape(client)[0]
    leaked = {s.labels.get("route") for s in samples if marker in s.labels.get("route", "")}
    assert not leaked, f"unmatched paths become route labels (unbounded cardinality): {leaked}"
