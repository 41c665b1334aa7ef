"""The shipped default covenant: Samenwerkingsafspraken Preventie Huisuitzettingen Drechtsteden 2015-2017.

The municipalities are real (with their CBS codes); corporations, teams and
people are fictional. Postcode ranges are the municipalities' own ranges,
split between fictional teams.
"""

from datetime import date
from decimal import Decimal

from woonzeker.covenants.models import Covenant
from woonzeker.organisations.models import Municipality, Organisation, OrganisationKind, ServiceArea

MUNICIPALITIES = [
    ("Alblasserdam", "0482"),
    ("Dordrecht", "0505"),
    ("Hendrik-Ido-Ambacht", "0531"),
    ("Papendrecht", "0590"),
    ("Sliedrecht", "0610"),
    ("Zwijndrecht", "0642"),
]

#: (team code, team name, municipality, postcode from, postcode to, district)
TEAMS = [
    ("swt-dordrecht-noord", "Sociaal Wijkteam Dordrecht Noord", "Dordrecht", "3311AA", "3316ZZ", "Binnenstad en Noord"),
    ("swt-dordrecht-zuid", "Sociaal Wijkteam Dordrecht Zuid", "Dordrecht", "3317AA", "3329ZZ", "Zuid en Stadspolders"),
    ("swt-zwijndrecht", "Sociaal Team Zwijndrecht", "Zwijndrecht", "3330AA", "3335ZZ", ""),
    ("swt-ambacht", "Sociaal Team Hendrik-Ido-Ambacht", "Hendrik-Ido-Ambacht", "3340AA", "3344ZZ", ""),
    ("swt-papendrecht", "Sociaal Team Papendrecht", "Papendrecht", "3350AA", "3356ZZ", ""),
    ("dn-sliedrecht", "Dorpsnetwerk Sliedrecht", "Sliedrecht", "3360AA", "3364ZZ", ""),
    ("dn-alblasserdam", "Dorpsnetwerk Alblasserdam", "Alblasserdam", "2950AA", "2954ZZ", ""),
]

CORPORATIONS = [
    ("merwehaven", "Woonstichting Merwehaven"),
    ("drechthuis", "Drechthuis Wonen"),
    ("oudemaas", "Stichting Oude Maas Wonen"),
    ("waalborg", "Waalborg Woondiensten"),
    ("lingestede", "Lingestede Huisvesting"),
]

SERVICES = [
    ("sdd", "Sociale Dienst Drechtsteden", OrganisationKind.SOCIAL_SERVICE),
    ("dgj", "Dienst Gezondheid & Jeugd", OrganisationKind.HEALTH_SERVICE),
    ("veilig-thuis-zhz", "Veilig Thuis Zuid-Holland Zuid", OrganisationKind.SAFE_HOME),
]


def load_covenant():
    """Create (or find) the Drechtsteden covenant with its parties and service areas."""
    municipalities = {
        name: Municipality.objects.get_or_create(cbs_code=code, defaults={"name": name})[0]
        for name, code in MUNICIPALITIES
    }
    covenant, _ = Covenant.objects.get_or_create(
        name="Samenwerkingsafspraken Preventie Huisuitzettingen Drechtsteden 2015-2017",
        defaults={
            "region": "Drechtsteden",
            "starts_on": date(2015, 11, 7),
            "ends_on": date(2017, 12, 31),
            "arrears_threshold_months": Decimal("1.00"),
            "referral_term_days": 42,
            "analysis_term_days": 14,
            "current_rent_must_be_paid": True,
            "due_soon_days": 7,
            "current_rent_check_interval_days": 30,
            "arrangement_review_interval_days": 90,
            "baseline_evictions": {"2005": 241, "2014": 137},
        },
    )
    covenant.municipalities.set(municipalities.values())

    def organisation(code, name, kind, municipality=None):
        return Organisation.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "municipality": municipality}
        )[0]

    parties = [organisation(code, name, OrganisationKind.HOUSING_CORPORATION) for code, name in CORPORATIONS]
    parties += [organisation(code, name, kind) for code, name, kind in SERVICES]
    for code, name, municipality, postcode_from, postcode_to, district in TEAMS:
        team = organisation(code, name, OrganisationKind.SOCIAL_TEAM)
        ServiceArea.objects.get_or_create(
            team=team,
            municipality=municipalities[municipality],
            postcode_from=postcode_from,
            postcode_to=postcode_to,
            defaults={"name": district},
        )
        parties.append(team)
    for name, municipality in municipalities.items():
        parties.append(
            organisation(f"gemeente-{name.lower()}", f"Gemeente {name}", OrganisationKind.MUNICIPALITY, municipality)
        )
    covenant.parties.set(parties)
    return covenant
