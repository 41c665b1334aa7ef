"""The parties to a covenant and the places they serve."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from woonzeker.organisations.postcodes import normalise_postcode


class Municipality(models.Model):
    """A municipality (gemeente): a territory with a CBS code."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    cbs_code = models.CharField(_("CBS code"), max_length=4, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name


class OrganisationKind(models.TextChoices):
    HOUSING_CORPORATION = "housing_corporation", _("Housing corporation")
    SOCIAL_TEAM = "social_team", _("Social team or village network")
    SOCIAL_SERVICE = "social_service", _("Social service")
    HEALTH_SERVICE = "health_service", _("Health service")
    SAFE_HOME = "safe_home", _("Veilig Thuis")
    MUNICIPALITY = "municipality", _("Municipality")


class Organisation(models.Model):
    """A party to a covenant: a corporation, a team, a service or a municipality."""

    Kind = OrganisationKind

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Short reference used in imports."))
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("For a municipality organisation: the municipality it is."),
    )
    email = models.EmailField(_("e-mail address"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == OrganisationKind.MUNICIPALITY and not self.municipality_id:
            raise ValidationError({"municipality": _("A municipality organisation names its municipality.")})


class ServiceArea(models.Model):
    """The addresses a social team serves: a postcode range within a municipality."""

    team = models.ForeignKey(
        Organisation,
        verbose_name=_("social team"),
        on_delete=models.CASCADE,
        related_name="service_areas",
        limit_choices_to={"kind": OrganisationKind.SOCIAL_TEAM},
    )
    municipality = models.ForeignKey(Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT)
    postcode_from = models.CharField(_("postcode from"), max_length=6, help_text=_("e.g. 3311AA"))
    postcode_to = models.CharField(_("postcode to"), max_length=6, help_text=_("e.g. 3318ZZ"))
    name = models.CharField(_("district"), max_length=100, blank=True)

    class Meta:
        ordering = ["municipality__name", "postcode_from"]
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        indexes = [models.Index(fields=["municipality", "postcode_from", "postcode_to"])]

    def __str__(self):
        return f"{self.team}: {self.municipality} {self.postcode_from}-{self.postcode_to}"

    def clean(self):
        self.postcode_from = normalise_postcode(self.postcode_from, field="postcode_from")
        self.postcode_to = normalise_postcode(self.postcode_to, field="postcode_to")
        if self.postcode_from > self.postcode_to:
            raise ValidationError({"postcode_to": _("The range ends before it starts.")})
        if self.team_id and self.team.kind != OrganisationKind.SOCIAL_TEAM:
            raise ValidationError({"team": _("Only a social team serves addresses.")})
