"""Print the code a demo login enters as its second step (what an authenticator app would show)."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from woonzeker.demo.cases import DEMO_TOTP_KEY, current_demo_code


class Command(BaseCommand):
    help = "Print the current second-step code of the demo logins (only for accounts with the demo secret)."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="A demo login; checks that it uses the demo secret.")

    def handle(self, *args, username=None, **options):
        if username and not TOTPDevice.objects.filter(user__username=username, key=DEMO_TOTP_KEY).exists():
            raise CommandError(f"{username} is not a demo login with the demo secret.")
        self.stdout.write(current_demo_code())
