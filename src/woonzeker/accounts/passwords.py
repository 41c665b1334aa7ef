"""The password rules (``AUTH_PASSWORD_VALIDATORS``): Django's, with one message of our own."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, with its refusal in our catalogue: Django 5.2 rewrote the message and its
    Dutch translation did not follow, so the page said it in English."""

    def get_error_message(self):
        return ngettext(
            "This password is too short: use at least %(min_length)d character.",
            "This password is too short: use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
