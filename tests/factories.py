"""Factories for test data: one per model a test needs to set up."""

from datetime import date
from decimal import Decimal

import factory

from woonzeker.accounts.models import Role, User
from woonzeker.covenants.models import Covenant
from woonzeker.organisations.models import Municipality, Organisation, OrganisationKind, ServiceArea
from woonzeker.tenancies.models import Tenancy


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["cbs_code"]

    name = "Dordrecht"
    cbs_code = "0505"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    code = factory.Sequence(lambda n: f"org-{n}")
    kind = OrganisationKind.HOUSING_CORPORATION


class CovenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Covenant
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Convenant {n}")
    region = "Drechtsteden"
    starts_on = date(2015, 11, 7)
    ends_on = date(2017, 12, 31)

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.set(extracted)


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea

    team = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.SOCIAL_TEAM)
    municipality = factory.SubFactory(MunicipalityFactory)
    postcode_from = "3311AA"
    postcode_to = "3318ZZ"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CASE_WORKER
    password = factory.django.Password("correct-horse-battery")


class TenancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenancy

    corporation = factory.SubFactory(OrganisationFactory)
    contract_number = factory.Sequence(lambda n: f"C-{n:06d}")
    tenant_name = factory.Sequence(lambda n: f"Huurder {n}")
    street = "Voorstraat"
    house_number = factory.Sequence(lambda n: str(n % 300 + 1))
    postcode = "3311AB"
    town = "Dordrecht"
    municipality = factory.SubFactory(MunicipalityFactory)
    monthly_rent = Decimal("650.00")


def give_consent(actor, case, *kinds, given_on=None):
    """The household consents to share ``case`` with the services of ``kinds`` (default: both)."""
    from django.utils import timezone

    from woonzeker.cases import services

    return services.record_consent(
        actor,
        case,
        given_by=case.tenancy.tenant_name,
        given_on=given_on or timezone.localdate(),
        parties=kinds or (OrganisationKind.SOCIAL_SERVICE, OrganisationKind.HEALTH_SERVICE),
    )


def dutch_date(day):
    """A date as a Dutch page shows it: ``1 december 2026``."""
    from django.utils import translation

    from woonzeker.formatting import long_date

    with translation.override("nl"):
        return long_date(day)


def client_for(user, scopes=None):
    """An API client holding a new token of ``user`` with ``scopes`` (every scope when None)."""
    from rest_framework.test import APIClient

    from woonzeker.api.models import ApiToken, Scope

    _token, key = ApiToken.issue(user=user, name="test", scopes=list(Scope.values if scopes is None else scopes))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def signal_body(world, today, **changes):
    """The JSON body of ``POST /api/v1/cases/signals/`` for a tenancy in the ``world`` fixture's Dordrecht."""
    return {
        "contract_number": "API-2",
        "tenant_name": "Api Huurder",
        "street": "Singel",
        "house_number": "4",
        "postcode": "3312AB",
        "town": "Dordrecht",
        "municipality": world.dordrecht.pk,
        "monthly_rent": "650.00",
        "arrears": "700.00",
        "established_on": today.isoformat(),
        **changes,
    }
