"""Users: every user belongs to one organisation and has one role there."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASE_WORKER = "case_worker", _("Case worker")
    COORDINATOR = "coordinator", _("Coordinator")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functional administrator")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")


class UsernameValidator(RegexValidator):
    """A username is made of lowercase ASCII letters, digits and ``. - _ @``: nothing that looks like another
    username but is not (a Greek omicron in "corporatie", a Cyrillic "а"), no capitals that read the same."""

    regex = r"\A[a-z0-9.@_-]+\Z"
    message = _("A username consists of lowercase letters (a to z), digits and the characters . - _ @ only.")
    flags = 0


class User(AbstractUser):
    Role = Role

    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        help_text=_("Lowercase letters (a to z), digits and . - _ @ only."),
        validators=[UsernameValidator()],
        error_messages={"unique": _("A user with that username already exists.")},
    )

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices, default=Role.CASE_WORKER)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self):
        super().clean()
        if self.role == Role.PRIVACY_OFFICER and (
            self.organisation is None or self.organisation.kind != "municipality"
        ):
            raise ValidationError({"role": _("A privacy officer works for a municipality.")})

    def save(self, *args, **kwargs):
        # The Django admin is for functional administrators only: staff status
        # follows the role and cannot be granted separately.
        self.is_staff = self.role == Role.FUNCTIONAL_ADMIN
        super().save(*args, **kwargs)

    @property
    def organisation_kind(self):
        return self.organisation.kind if self.organisation_id else None

    def __str__(self):
        return self.get_full_name() or self.username
