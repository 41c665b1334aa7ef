from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "woonzeker.ledgers"
    verbose_name = _("Rent ledgers")
