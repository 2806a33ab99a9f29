from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = f"{__package__}"
    # Django's own auth app is `auth`; this one holds the service's users.
    label = "accounts"
    verbose_name = "Accounts"
