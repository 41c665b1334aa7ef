"""Rent ledgers sent by corporations, and the history of every tenancy they describe."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    IMPORTED = "imported", _("Imported")
    REFUSED = "refused", _("Refused")


#: An import not yet finished: the task worker has it waiting or at work.
UNFINISHED = (ImportStatus.QUEUED, ImportStatus.RUNNING)


class ImportStage(models.TextChoices):
    """Where a running import is, for its progress bar."""

    WAITING = "waiting", _("Waiting for the worker")
    READING = "reading", _("Reading and checking the rows")
    APPLYING = "applying", _("Applying the rows")
    DONE = "done", _("Done")


class ImportChannel(models.TextChoices):
    UPLOAD = "upload", _("Upload")
    COMMAND = "command", _("Command line")
    API = "api", _("API")


class LedgerImport(models.Model):
    """One file a corporation sent: the original, what it did, and its report.

    A refused file is kept too, with the report that says why; only an
    imported file counts for "the same file twice" and "a second file for the
    same corporation and reference date". The original file, and the values its
    report quotes, are personal data: retention removes them once the
    corporation's term for signals has passed (``privacy.retention``); the
    counts and the checksum stay.
    """

    Status = ImportStatus

    corporation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("housing corporation"), on_delete=models.PROTECT
    )
    reference_date = models.DateField(_("reference date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices)
    channel = models.CharField(_("sent by"), max_length=20, choices=ImportChannel.choices)
    filename = models.CharField(_("file name"), max_length=255)
    original = models.FileField(_("original file"), upload_to="ledgers/%Y/%m/", max_length=255, blank=True)
    original_removed_on = models.DateField(
        _("original file removed on"),
        null=True,
        blank=True,
        help_text=_("The day retention removed the original file and the values quoted in its report."),
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    # Progress of a queued import, written by the import in short transactions of their own (a page polls it).
    stage = models.CharField(_("stage"), max_length=20, choices=ImportStage.choices, default=ImportStage.DONE)
    rows_applied = models.PositiveIntegerField(_("rows applied"), default=0)
    progress_at = models.DateTimeField(_("progress last told at"), null=True, blank=True)
    signals_opened = models.PositiveIntegerField(_("signals opened"), default=0)
    signals_resolved = models.PositiveIntegerField(_("signals resolved"), default=0)
    current_rent_breaches = models.PositiveIntegerField(_("current-rent breaches"), default=0)
    tenancies_missing = models.PositiveIntegerField(_("open cases missing from the file"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        constraints = [
            models.UniqueConstraint(
                fields=["corporation", "sha256"],
                condition=models.Q(status="imported"),
                name="ledger_file_imported_once",
            ),
            models.UniqueConstraint(
                fields=["corporation", "reference_date"],
                condition=models.Q(status="imported"),
                name="ledger_one_snapshot_per_corporation_and_date",
            ),
        ]

    def __str__(self):
        return f"{self.corporation} {self.reference_date or ''} ({self.get_status_display()})"


class TenancySnapshot(models.Model):
    """A tenancy's rent and arrears on one reference date, as one ledger said."""

    # No index of its own: the unique constraint on (tenancy, reference_date) serves every look-up by tenancy.
    tenancy = models.ForeignKey("tenancies.Tenancy", on_delete=models.CASCADE, related_name="snapshots", db_index=False)
    ledger_import = models.ForeignKey(LedgerImport, on_delete=models.CASCADE, related_name="snapshots")
    reference_date = models.DateField(_("reference date"))
    monthly_rent = models.DecimalField(_("monthly rent"), max_digits=8, decimal_places=2)
    arrears = models.DecimalField(_("arrears"), max_digits=10, decimal_places=2)
    payment_arrangement = models.BooleanField(_("payment arrangement running"), default=False)

    class Meta:
        ordering = ["tenancy", "reference_date"]
        verbose_name = _("tenancy snapshot")
        verbose_name_plural = _("tenancy snapshots")
        constraints = [
            models.UniqueConstraint(fields=["tenancy", "reference_date"], name="one_snapshot_per_tenancy_and_date")
        ]
