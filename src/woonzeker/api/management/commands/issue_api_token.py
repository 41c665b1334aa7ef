"""python manage.py issue_api_token --organisation CODE --name NAME --scopes cases:read,ledger:write"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from woonzeker.accounts.models import Role, User
from woonzeker.api.models import ApiToken, Scope
from woonzeker.organisations.models import Organisation


class Command(BaseCommand):
    help = "Issue an API token for an organisation's system; the key is shown once."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The organisation's code.")
        parser.add_argument("--name", required=True, help="Which system the token is for.")
        parser.add_argument("--scopes", required=True, help=f"Comma-separated: {', '.join(Scope.values)}.")

    @transaction.atomic
    def handle(self, *args, organisation, name, scopes, **options):
        try:
            organisation = Organisation.objects.get(code=organisation)
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation with code '{organisation}'.") from None
        scopes = [scope.strip() for scope in scopes.split(",") if scope.strip()]
        unknown = sorted(set(scopes) - set(Scope.values))
        if unknown or not scopes:
            raise CommandError(
                f"Unknown scopes: {', '.join(unknown) or '(none given)'}; choose from {', '.join(Scope.values)}."
            )
        # The token acts as a service account of the organisation: no password, no pages.
        account, _created = User.objects.get_or_create(
            username=f"api-{organisation.code}-{name}".lower().replace(" ", "-")[:150],
            defaults={"organisation": organisation, "role": Role.CASE_WORKER, "first_name": "API", "last_name": name},
        )
        account.set_unusable_password()
        account.save()
        token, key = ApiToken.issue(user=account, name=name, scopes=scopes)
        self.stdout.write(f"Token {token.prefix} for {organisation} ({', '.join(scopes)}). The key, shown once:")
        self.stdout.write(key)
