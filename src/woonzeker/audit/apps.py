from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "woonzeker.audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from woonzeker.audit import signals  # noqa: F401 (connects the admin log to the trail)
