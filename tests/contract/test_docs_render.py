"""Documentation of contract version 3: /openapi.json passes openapi-spec-validator, every documentation route
the project's README or Ingress names answers, and /docs renders in a real browser (headless Chromium) with every
operation listed, no render error and no request leaving the machine."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import yaml
from openapi_spec_validator import validate
from support.service import Service
from support.services import unavailable

from .helpers import json_body, show

BROWSERS = ("chromium", "chromium-browser")
# What Swagger UI (and ReDoc) show when they cannot render a document.
RENDER_ERRORS = ("Unable to render", "Failed to load API definition", "Could not render", "errors-wrapper")
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


@pytest.fixture(scope="module")
def document(client: httpx.Client) -> dict[str, Any]:
    r = client.get("/openapi.json")
    assert r.status_code == 200, show(r)
    return dict(json_body(r))


def test_openapi_document_passes_the_validator(document: dict[str, Any]) -> None:
    validate(document)  # raises with the first problem it finds


def _named_routes(project: Path) -> set[str]:
    """The non-/api GET routes the README's Endpoints table names, and the paths the Ingress routes."""
    routes: set[str] = set()
    readme = (project / "README.md").read_text()
    section = readme.partition("## Endpoints")[2].split("\n## ", 1)[0]
    for line in section.splitlines():
        cells = line.split("|")
        if len(cells) > 2 and "GET" in cells[1]:
            routes.update(p for p in re.findall(r"(/[\w.\-/]*)", cells[1]) if not p.startswith("/api"))
    routes.update(re.findall(r"`(/[\w.\-]+\.json)`", section))  # "the OpenAPI document is `/openapi.json`"
    for ingress in (project / "k8s").rglob("ingress*.yaml") if (project / "k8s").is_dir() else ():
        for manifest in yaml.safe_load_all(ingress.read_text()):
            for rule in (manifest or {}).get("spec", {}).get("rules", []):
                for entry in rule.get("http", {}).get("paths", []):
                    if not str(entry.get("path", "/api")).startswith("/api"):
                        routes.add(entry["path"])
    return routes


def test_routes_named_by_readme_and_ingress_answer(service: Service, client: httpx.Client) -> None:
    if not service.project_path:
        pytest.fail("the service description names no project_path: the README and Ingress cannot be read")
    routes = _named_routes(Path(service.project_path))
    assert {"/docs", "/openapi.json"} <= routes, f"the README names no documentation routes: {sorted(routes)}"
    failing = []
    for path in sorted(routes):
        r = client.get(path, follow_redirects=True)
        if r.status_code != 200:
            failing.append(show(r)[:200])
    assert not failing, "routes the README or the Ingress name do not answer:\n" + "\n".join(failing)


def _browser() -> str:
    for name in BROWSERS:
        if found := shutil.which(name):
            return found
    unavailable("no Chromium to render /docs in (apt-get install chromium)")


def _render(url: str, profile: Path) -> tuple[str, list[tuple[str, str]]]:
    """The DOM of `url` after its scripts have run, and every (URL, initiator) the browser asked for; the
    browser's own background requests have "not an origin" as their initiator, the page's its origin."""
    netlog = profile / "netlog.json"
    args = [
        _browser(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile / 'data'}",
        # Names resolve to nothing: a request for anything but the service cannot leave the machine, and the
        # net log below shows that it was attempted.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        f"--log-net-log={netlog}",
        "--virtual-time-budget=15000",
        "--dump-dom",
        url,
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and done.stdout.strip(), f"chromium exited {done.returncode}: {done.stderr[-2000:]}"
    requested: list[tuple[str, str]] = []
    if netlog.exists():
        for event in json.loads(netlog.read_text(errors="replace")).get("events", []):
            params = event.get("params") or {}
            if "url" in params and "initiator" in params:
                requested.append((str(params["url"]), str(params["initiator"])))
    return done.stdout, requested


def _operations(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, item in document.get("paths", {}).items()
        for method in item
        if method in METHODS
    ]


def test_docs_render_in_a_browser(service: Service, document: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory(prefix="pyb-chromium-") as tmp:
        dom, requested = _render(service.url("/docs"), Path(tmp))
    text = html.unescape(re.sub(r"<wbr\s*/?>|\u200b", "", dom))
    shown = [error for error in RENDER_ERRORS if error in text]
    assert not shown, f"/docs shows a render error ({shown}) in Chromium:\n{_visible(text)[:3000]}"
    missing = [f"{method} {path}" for method, path in _operations(document) if path not in text]
    listed = len(re.findall(r"opblock-summary-method", text))
    assert not missing, f"/docs in Chromium does not list {missing}:\n{_visible(text)[:3000]}"
    assert listed in {0, len(_operations(document))}, (
        f"/docs lists {listed} operations, the document has {len(_operations(document))}"
    )
    assert listed or "redoc" in text.lower(), f"/docs shows no operation list in Chromium:\n{_visible(text)[:3000]}"
    origin = urlsplit(service.base_url)
    page = f"{origin.scheme}://{origin.netloc}"
    asked = {url for url, initiator in requested if initiator == page}
    assert asked, f"the browser's net log shows no request from the page {page}: {requested[:20]}"
    left = sorted(url for url in asked if urlsplit(url).hostname not in {origin.hostname, *LOCAL_HOSTS})
    assert not left, "/docs made the browser ask for URLs off this machine:\n" + "\n".join(left[:20])


def _visible(dom: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", "", dom, flags=re.S)))
