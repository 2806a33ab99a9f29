from django.apps import AppConfig


class ItemsConfig(AppConfig):
    name = f"{__package__}"
    label = "items"
    verbose_name = "Items"
