"""A sign-in blocked after too many failed attempts is told to the functional administrators.

django-axes blocks the username, or the address trying (``AXES_*`` settings); this tells whoever manages
the accounts, once a day per username and address, so a password being guessed is noticed while it happens
(BIO: security events are watched, not only logged). A username that belongs to no account is not repeated
in the message: it is text an attacker chose.
"""

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from woonzeker.accounts.models import Role, User


@receiver(user_locked_out, dispatch_uid="woonzeker.accounts.lockout")
def tell_the_functional_administrators(sender, request=None, username=None, ip_address=None, **kwargs):
    from woonzeker.notifications.models import Kind
    from woonzeker.notifications.services import notify

    known = bool(username) and User.objects.filter(username=username).exists()
    administrators = User.objects.filter(role=Role.FUNCTIONAL_ADMIN, is_active=True)
    with translation.override("nl"):
        who = _("the account %(username)s") % {"username": username} if known else _("a username that has no account")
        message = _(
            "Signing in was blocked after too many failed attempts: %(who)s, from address %(address)s. "
            "Check with the person whether it was them; if not, the password may be being guessed."
        ) % {"who": who, "address": ip_address or "?"}
    key = f"account_locked:{username if known else '-'}:{ip_address}:{timezone.localdate().isoformat()}"
    notify(administrators, Kind.ACCOUNT_LOCKED, key[:200], message)


@receiver(user_logged_in, dispatch_uid="woonzeker.accounts.lockout.reset")
def clear_this_usernames_failures(sender, request=None, user=None, **kwargs):
    """A successful sign-in clears the failed attempts of that username, wherever they came from, and no
    others: the attempts on other usernames from the same address still count towards that address's limit
    (django-axes' own ``AXES_RESET_ON_SUCCESS`` would clear them too, so an attacker could reset the count of
    a password being sprayed by signing in with an account of their own)."""
    AccessAttempt.objects.filter(username=user.get_username()).delete()
