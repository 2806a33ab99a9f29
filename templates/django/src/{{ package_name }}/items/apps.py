from django.apps import AppConfig


class ItemsConfig(AppConfig):
    name = f"{__package__}"
    label = "items"
    verbose_name = "Items"

    def ready(self) -> None:
        # The service's own `check --deploy` check: the static files are collected.
        from .. import storage  # noqa: F401, PLC0415
