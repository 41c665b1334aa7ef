from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "woonzeker.audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from woonzeker.audit import seals, signals  # noqa: F401 (the seal key's check; the admin log and sign-ins)
