"""/docs works with no internet access: every script, style and image it loads comes from the service itself."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
from support.service import Service

from .helpers import show

# (tag, attribute) pairs through which a page loads something; <a href> only links.
_LOADS = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src")}


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (tag, name) in _LOADS and value:
                self.found.append((tag, value))


def _page(client: httpx.Client) -> httpx.Response:
    r = client.get("/docs", follow_redirects=True)
    assert r.status_code == 200 and "text/html" in r.headers.get("content-type", ""), show(r)
    return r


def test_docs_load_only_same_origin_assets(service: Service, client: httpx.Client) -> None:
    r = _page(client)
    parser = _Assets()
    parser.feed(r.text)
    assert any(tag == "script" for tag, _ in parser.found), f"/docs loads no script: {r.text[:1000]}"
    origin = urlsplit(service.base_url).netloc
    foreign = [f"<{tag}> {url}" for tag, url in parser.found if urlsplit(urljoin(str(r.url), url)).netloc != origin]
    assert not foreign, "/docs loads from elsewhere (blank offline or under a strict content policy):\n" + "\n".join(
        foreign
    )


def test_docs_assets_are_served(service: Service, client: httpx.Client) -> None:
    """Each asset the page names loads (those from elsewhere are the check above's concern)."""
    r = _page(client)
    parser = _Assets()
    parser.feed(r.text)
    origin = urlsplit(service.base_url).netloc
    problems, checked = [], 0
    for tag, url in parser.found:
        full = urljoin(str(r.url), url)
        if urlsplit(full).netloc != origin:
            continue
        checked += 1
        asset = client.get(full)
        kind = asset.headers.get("content-type", "")
        if asset.status_code != 200 or not asset.content:
            problems.append(f"<{tag}> {url}: {asset.status_code}, {len(asset.content)} bytes")
        elif tag == "script" and "javascript" not in kind:
            problems.append(f"<{tag}> {url}: served as {kind!r}")
    assert checked, f"/docs loads nothing from the service itself: {parser.found}"
    assert not problems, "\n".join(problems)
