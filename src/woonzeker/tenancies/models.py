"""A tenancy (huurovereenkomst): one household renting one home.

This is where a tenant's personal details live. A case refers to its tenancy;
Veilig Thuis may refer a resident whose landlord or contract is not known, so
``corporation`` and ``contract_number`` may be empty for such a household.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.nl import bsn as nl_bsn

from woonzeker.crypto import EncryptedCharField, keyed_hash, mask
from woonzeker.organisations.models import OrganisationKind
from woonzeker.organisations.postcodes import display_postcode, normalise_postcode


def validate_bsn(value):
    if value and not nl_bsn.is_valid(value):
        raise ValidationError(_("'%(value)s' is not a valid BSN (eleven-test)."), params={"value": mask(value)})


def typed_bsn(text):
    """A BSN as someone types it (spaces, dots, eight digits without the leading zero) in the form it is
    stored and hashed in; '' when the text is no valid BSN (eleven-test)."""
    return nl_bsn.compact(text) if nl_bsn.is_valid(text) else ""


class TenancyQuerySet(models.QuerySet):
    def with_bsn(self, bsn):
        """The tenancies of this citizen service number, found through its keyed hash."""
        return self.filter(bsn_hash=keyed_hash(bsn)) if bsn else self.none()


def format_address(street, house_number, house_number_suffix, postcode, town):
    """One line: "Singel 12-A, 3312 AB Dordrecht"."""
    number = f"{house_number}{'-' + house_number_suffix if house_number_suffix else ''}"
    return f"{street} {number}, {display_postcode(postcode)} {town}"


class Tenancy(models.Model):
    corporation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("housing corporation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenancies",
        limit_choices_to={"kind": OrganisationKind.HOUSING_CORPORATION},
    )
    contract_number = models.CharField(_("contract number"), max_length=50, blank=True)
    tenant_name = models.CharField(_("tenant name"), max_length=200)
    street = models.CharField(_("street"), max_length=200)
    house_number = models.CharField(_("house number"), max_length=10)
    house_number_suffix = models.CharField(_("suffix"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6)
    town = models.CharField(_("town"), max_length=100)
    municipality = models.ForeignKey(
        "organisations.Municipality", verbose_name=_("municipality"), on_delete=models.PROTECT
    )
    monthly_rent = models.DecimalField(_("monthly rent"), max_digits=8, decimal_places=2, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    # Encrypted at rest; found through bsn_hash (woonzeker/crypto.py); shown masked (accounts.disclosure.shown_bsn).
    bsn = EncryptedCharField(_("BSN"), blank=True, validators=[validate_bsn], hash_field="bsn_hash")
    bsn_hash = models.CharField(_("BSN (keyed hash)"), max_length=64, blank=True, editable=False)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    # Set when the retention terms removed the personal data above (``privacy.retention``).
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True)

    objects = TenancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("tenancy")
        verbose_name_plural = _("tenancies")
        constraints = [
            models.UniqueConstraint(
                fields=["corporation", "contract_number"],
                condition=~models.Q(contract_number=""),
                name="tenancy_contract_unique_per_corporation",
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_rent__isnull=True) | models.Q(monthly_rent__gte=0),
                name="tenancy_rent_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["postcode", "house_number"]),
            # Looked up by equality only: a plain index, not db_index=True, which on PostgreSQL adds a second
            # one for LIKE (varchar_pattern_ops) that a hash never needs and every ledger import must fill.
            models.Index(fields=["bsn_hash"], name="tenancy_bsn_hash"),
        ]

    def __str__(self):
        return f"{self.tenant_name}, {self.address}"

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None and "bsn" in update_fields:
            update_fields = {*update_fields, "bsn_hash"}  # the hash follows the number (EncryptedCharField.pre_save)
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def address(self):
        return format_address(self.street, self.house_number, self.house_number_suffix, self.postcode, self.town)

    def clean(self):
        if self.postcode:
            self.postcode = normalise_postcode(self.postcode)
