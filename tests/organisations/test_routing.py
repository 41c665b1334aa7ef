"""Covenant step 3: the referral goes to the team responsible for the tenant's address."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import MunicipalityFactory, OrganisationFactory, ServiceAreaFactory
from woonzeker.organisations.models import OrganisationKind, ServiceArea
from woonzeker.organisations.routing import UncoveredAddress, responsible_team

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("postcode", "team"),
    [("3311AA", "team"), ("3316 zz", "team"), ("3317AA", "other_team"), ("3329ZZ", "other_team")],
)
def test_postcode_range_boundaries_route_to_their_team(world, postcode, team):
    assert responsible_team(world.dordrecht, postcode) == getattr(world, team)


def test_uncovered_postcode_is_an_error_naming_it(world):
    with pytest.raises(UncoveredAddress, match="No social team covers postcode 3330 AA in Dordrecht"):
        responsible_team(world.dordrecht, "3330AA")


def test_postcode_of_another_municipality_is_not_routed_by_range_alone(world):
    zwijndrecht = MunicipalityFactory(name="Zwijndrecht", cbs_code="0642")
    with pytest.raises(UncoveredAddress, match="Zwijndrecht"):
        responsible_team(zwijndrecht, "3312AB")


def test_overlapping_areas_are_reported_not_guessed(world):
    ServiceAreaFactory(
        team=OrganisationFactory(name="Derde Team", kind=OrganisationKind.SOCIAL_TEAM),
        municipality=world.dordrecht,
        postcode_from="3316AA",
        postcode_to="3317ZZ",
    )
    with pytest.raises(UncoveredAddress, match="more than one team"):
        responsible_team(world.dordrecht, "3316AB")


def test_invalid_postcode_is_named(world):
    with pytest.raises(ValidationError, match="'33AB' is not a Dutch postcode"):
        responsible_team(world.dordrecht, "33AB")


def test_service_area_must_be_a_valid_range(world):
    area = ServiceArea(team=world.team, municipality=world.dordrecht, postcode_from="3320AA", postcode_to="3310AA")
    with pytest.raises(ValidationError, match="ends before it starts"):
        area.full_clean()
    area = ServiceArea(
        team=world.corporation, municipality=world.dordrecht, postcode_from="3310AA", postcode_to="3320AA"
    )
    with pytest.raises(ValidationError, match="Only a social team"):
        area.full_clean()


def test_the_ledgers_coverage_in_memory_is_the_routing_rule(world):
    """A ledger decides coverage per row in memory (``MunicipalityResolver.covered``); it must agree with
    ``responsible_team`` for covered, uncovered, overlapping and other municipalities' postcodes."""
    from woonzeker.ledgers.municipalities import MunicipalityResolver

    zwijndrecht = MunicipalityFactory(name="Zwijndrecht", cbs_code="0642")
    ServiceAreaFactory(
        team=world.other_team, municipality=world.dordrecht, postcode_from="3316AA", postcode_to="3316ZZ"
    )
    resolver = MunicipalityResolver()
    for municipality in (world.dordrecht, zwijndrecht):
        for postcode in ("3311AA", "3316AB", "3317AA", "3329ZZ", "3330AA", "1000AA"):
            try:
                responsible_team(municipality, postcode)
                routed = True
            except UncoveredAddress:
                routed = False
            assert resolver.covered(municipality.pk, postcode) is routed, (municipality, postcode)
