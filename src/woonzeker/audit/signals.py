"""Configuration changes in the admin go into the audit trail too (BIO: changes to who may do what are
logged where nobody can quietly edit them). Django's own admin log stays as it is; this adds the entry to
the hash chain."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from woonzeker.audit import services
from woonzeker.audit.models import AuditAction

VERBS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


@receiver(post_save, sender=LogEntry, dispatch_uid="audit-admin-log-entry")
def record_admin_change(sender, instance, created, **kwargs):
    if not created:
        return
    model = instance.content_type.model if instance.content_type_id else "object"
    what = f"admin: {VERBS.get(instance.action_flag, 'changed')} {model} {instance.object_id}: {instance.object_repr}"
    services.record(instance.user, AuditAction.CHANGE, what[:200], reason=instance.get_change_message()[:1000])
