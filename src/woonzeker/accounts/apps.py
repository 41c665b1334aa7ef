from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "woonzeker.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from woonzeker.accounts import lockout  # noqa: F401 -- connects the lockout's receiver
