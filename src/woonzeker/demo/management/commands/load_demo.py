"""Load the Drechtsteden covenant with fictional parties, users and a few hundred cases."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from woonzeker.demo.cases import DEMO_PASSWORD, demo_secret_base32, load_demo_cases, load_demo_users
from woonzeker.demo.drechtsteden import load_covenant
from woonzeker.monitoring.refresh import refresh_figures


class Command(BaseCommand):
    help = "Load the demo covenant, organisations, users and cases (idempotent: skips what exists)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=300, help="How many demo cases (default 300).")
        parser.add_argument("--seed", type=int, default=2015)

    def handle(self, *args, **options):
        # The demo's notifications stay in the application: no mail for hundreds of fictional cases.
        with transaction.atomic(), override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            covenant = load_covenant()
            users = load_demo_users()
            created = load_demo_cases(covenant, users, options["cases"], options["seed"])
            refresh_figures()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {covenant.name}; {created} new cases."))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in users.values():
            self.stdout.write(f"  {user.username:<24} {user.organisation}, {user.get_role_display()}")
        self.stdout.write("")
        self.stdout.write("Second step (every login that can see personal data): a code from an authenticator app")
        self.stdout.write(f"with the demo secret {demo_secret_base32()}, or the code printed by `make code`.")
