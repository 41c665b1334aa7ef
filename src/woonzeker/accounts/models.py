"""Users: every user belongs to one organisation and has one role there."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASE_WORKER = "case_worker", _("Case worker")
    COORDINATOR = "coordinator", _("Coordinator")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functional administrator")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")


class Language(models.TextChoices):
    """The interface language a person chose; Dutch unless they choose English."""

    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")


class UsernameValidator(RegexValidator):
    """A username is made of lowercase ASCII letters, digits and ``. - _ @``: nothing that looks like another
    username but is not (a Greek omicron in "corporatie", a Cyrillic "а"), no capitals that read the same."""

    regex = r"\A[a-z0-9.@_-]+\Z"
    message = _("A username consists of lowercase letters (a to z), digits and the characters . - _ @ only.")
    flags = 0


USERS_ARE_NOT_DELETED = _("A user is never deleted: deactivate the account instead (untick 'Active').")


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
    # Set when a functional administrator created the account or moved it to another organisation or role: the
    # account stays inactive until another administrator activates it (``accounts.admin``, four eyes).
    awaiting_activation_by_other_than = models.ForeignKey(
        "self",
        verbose_name=_("waits for activation by someone other than"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        default=Language.DUTCH,
        help_text=_("The language of the pages for this person; the switch in the header changes it."),
    )

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

    def delete(self, *args, **kwargs):
        """Users are deactivated, never deleted: the audit trail and the cases' history keep naming them."""
        raise PermissionDenied(USERS_ARE_NOT_DELETED)

    @property
    def organisation_kind(self):
        return self.organisation.kind if self.organisation_id else None

    def __str__(self):
        return self.get_full_name() or self.username


class SecondFactorResetRequest(models.Model):
    """One functional administrator asks to remove a user's second factor (a lost phone); another approves.

    Only on approval are the user's devices (authenticator app, backup codes) removed, and the user sets up a
    new app on the next sign-in. Two people, because whoever removes someone's second factor and knows or
    resets their password could sign in as them (``second_factor.approve_second_factor_reset``)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="second_factor_reset_requests"
    )
    reason = models.TextField(
        _("reason"), help_text=_("Why the second factor is removed, e.g. how the phone was lost.")
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        User,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("removal of a second factor")
        verbose_name_plural = _("removals of a second factor")
        ordering = ["-requested_at"]

    def __str__(self):
        return _("Second factor of %(user)s") % {"user": self.user.username}


@receiver(pre_delete, sender=User, dispatch_uid="users_are_not_deleted")
def refuse_to_delete_a_user(sender, instance, **kwargs):
    """The same refusal for a queryset's ``delete()``, which does not call ``User.delete`` (a receiver also
    keeps Django from deleting users in bulk without asking)."""
    raise PermissionDenied(USERS_ARE_NOT_DELETED)
