"""A covenant: the agreement between the parties of a region, with its rules as data.

Another region, or a later covenant, runs on the same code by adding a
Covenant record: the thresholds and terms below are never literals in code.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Covenant(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    region = models.CharField(_("region"), max_length=100)
    starts_on = models.DateField(_("term starts on"))
    ends_on = models.DateField(_("term ends on"))
    municipalities = models.ManyToManyField(
        "organisations.Municipality", verbose_name=_("municipalities"), related_name="covenants"
    )
    parties = models.ManyToManyField("organisations.Organisation", verbose_name=_("parties"), related_name="covenants")

    # The rules of the agreement.
    arrears_threshold_months = models.DecimalField(
        _("arrears threshold (months of rent)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        help_text=_("Arrears of at least this many months' rent establish a signal."),
    )
    referral_term_days = models.PositiveSmallIntegerField(
        _("referral term (days)"),
        default=42,
        help_text=_("The corporation refers within this many days of establishing the arrears."),
    )
    analysis_term_days = models.PositiveSmallIntegerField(
        _("analysis term (days)"),
        default=14,
        help_text=_("The social team feeds back its analysis within this many days of the referral."),
    )
    current_rent_must_be_paid = models.BooleanField(
        _("current rent must be paid during a care trajectory"), default=True
    )
    # What is due during a care trajectory (``cases.deadlines``): the work queue shows the next one.
    current_rent_check_interval_days = models.PositiveSmallIntegerField(
        _("current-rent check every (days)"),
        default=30,
        help_text=_(
            "During a care trajectory the current rent is checked this many days after the last check "
            "(or the start of the trajectory): monthly, as the rent falls due."
        ),
    )
    arrangement_review_interval_days = models.PositiveSmallIntegerField(
        _("payment arrangement reviewed every (days)"),
        default=90,
        help_text=_("A payment arrangement is reviewed this many days after it was agreed."),
    )
    due_soon_days = models.PositiveSmallIntegerField(
        _("due soon (days)"),
        default=7,
        help_text=_("A deadline within this many days is shown as due soon."),
    )

    small_count_threshold = models.PositiveSmallIntegerField(
        _("smallest count shown"),
        default=5,
        help_text=_('Monitoring shows counts below this number as "<5", so that no household can be recognised.'),
    )

    # Retention terms (GDPR: personal data does not outlive its purpose); applied daily by ``apply_retention``.
    retention_unreferred_signal_months = models.PositiveSmallIntegerField(
        _("retention of signals never referred (months)"),
        default=6,
        help_text=_(
            "The personal data of a signal that ended without a referral is removed this many months after it ended."
        ),
    )
    retention_closed_case_years = models.PositiveSmallIntegerField(
        _("retention of closed cases (years)"),
        default=2,
        help_text=_("The personal data of a referred case is removed this many years after it closed."),
    )
    retention_audit_years = models.PositiveSmallIntegerField(
        _("retention of the audit trail (years)"),
        default=5,
        help_text=_(
            "Audit entries older than this are removed; the trail is one chain, so the longest term of all "
            "covenants applies."
        ),
    )

    # The privacy officers' daily notice of unusual access (privacy/unusual_access.py).
    unusual_access_per_hour = models.PositiveSmallIntegerField(
        _("unusual access: case files per hour"),
        default=30,
        help_text=_(
            "A user who opens more different case files than this within one hour is named in the privacy "
            "officers' daily notice."
        ),
    )
    unusual_refusals_per_day = models.PositiveSmallIntegerField(
        _("unusual access: refusals per day"),
        default=10,
        help_text=_(
            "A user who is refused (a case file, a move, an export, a sign-in) more often than this in one day is "
            "named in the privacy officers' daily notice."
        ),
    )

    # Monitoring baselines named in the agreement.
    baseline_evictions = models.JSONField(
        _("eviction baselines"),
        default=dict,
        blank=True,
        help_text=_('Evictions per year before the covenant, e.g. {"2005": 241, "2014": 137}.'),
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("covenant")
        verbose_name_plural = _("covenants")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="covenant_term_order"),
            models.CheckConstraint(
                condition=models.Q(arrears_threshold_months__gt=0), name="covenant_threshold_positive"
            ),
        ]

    def __str__(self):
        return self.name
