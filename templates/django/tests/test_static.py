"""The admin's and the documentation's static files: from the packages until `collectstatic` has
run, then compressed, under hashed names, with a long immutable cache."""

import re
from pathlib import Path

from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings as DjangoSettings

BUNDLE = "ninja/swagger-ui-bundle"
# Its name once collected, with the first 12 hexadecimal digits of its MD5 hash.
HASHED_BUNDLE = re.compile(r"/docs/assets/ninja/swagger-ui-bundle\.[0-9a-f]{12}\.js")


def _bundle_url(client: Client) -> str:
    page = client.get("/docs").content.decode()
    found = re.search(rf'src="(/docs/assets/{BUNDLE}[^"]*\.js)"', page)
    assert found, page
    return found[1]


def test_without_collectstatic_the_files_come_from_their_packages(client: Client) -> None:
    url = _bundle_url(client)

    response = client.get(url)
    response.close()

    assert url == f"/docs/assets/{BUNDLE}.js"
    assert response.status_code == 200


def test_collected_files_are_compressed_hashed_and_cached_for_a_year(
    tmp_path: Path, settings: DjangoSettings
) -> None:
    settings.STATIC_ROOT = tmp_path
    # The documentation's files alone: compressing the admin's would take longer than the test.
    call_command(
        "collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin", "redoc*"]
    )
    settings.COLLECTED = True
    settings.WHITENOISE_USE_FINDERS = False
    client = Client()

    url = _bundle_url(client)
    response = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    response.close()

    assert HASHED_BUNDLE.fullmatch(url)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
