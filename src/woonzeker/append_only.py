"""Records that are written once and never changed or removed through the application."""

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(f"{self.model._meta.verbose_name_plural} are append-only.")

    def delete(self):
        raise TypeError(f"{self.model._meta.verbose_name_plural} are append-only.")


class AppendOnlyModel(models.Model):
    """Saving an existing row, deleting it, and bulk update or delete all raise ``TypeError``."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError(f"{self._meta.verbose_name_plural} are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{self._meta.verbose_name_plural} are append-only.")
