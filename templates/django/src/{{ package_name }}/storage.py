"""The static files' storage: WhiteNoise's, compressed and hashed, once `collectstatic` has run."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc] # untyped upstream
    """`collectstatic` writes each file compressed (gzip, Brotli) and under a name with its hash,
    listed in STATIC_ROOT/staticfiles.json, which WhiteNoise serves with a year-long immutable
    cache. Until it has run (in development, in the tests) the manifest is missing: pages then name
    each file as it is, and WhiteNoise serves it from its package (WHITENOISE_USE_FINDERS)."""

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        return str(super().stored_name(name))


@register(Tags.staticfiles, deploy=True)
def check_collected(**_kwargs: Any) -> list[CheckMessage]:
    """`check --deploy`: in production the files are served collected, compressed and hashed."""
    if settings.COLLECTED:
        return []
    return [
        CheckWarning(
            f"STATIC_ROOT ({settings.STATIC_ROOT}) holds no collected static files: they are"
            " served uncompressed, with a short cache.",
            hint="Run `python manage.py collectstatic --noinput` (the image build does).",
            id="service.W001",
        )
    ]
