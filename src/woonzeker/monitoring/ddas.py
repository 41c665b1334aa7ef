"""The national early-signalling exchange file (DDAS Vroegsignalering v1.2) for one municipality and period.

This file holds personal data by design of the standard (BSN or address per
signal); it is produced only for the municipality's own coordinators and
every download is written to the audit trail (see ``views.ddas_export``).
The mapping of our states and outcomes to the standard's codes is in
``docs/architecture.md`` and in ``cases/constants.py``.
"""

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db.models import Prefetch, Q
from django.utils import timezone
from jsonschema import Draft202012Validator

from woonzeker.cases.constants import DDAS_CONTACT_KIND, DDAS_DAY_PART, DDAS_RESULT, Outcome, ReferralSource, State
from woonzeker.cases.models import ActiveApproach, Case

SCHEMA_PATH = Path(__file__).parent / "standards" / "ddas-vroegsignalering-v1.2.schema.json"
SUPPLIER_CODE = "WOONZEKER"

#: The status of a signal in the standard, from our state (and, for a withdrawn signal, its outcome).
SIGNAL_STATUS = {
    State.SIGNAL: "Nog niet opgepakt",
    State.RESOLVED_BEFORE_REFERRAL: "Niet opgepakt: andere reden",
    State.REFERRED: "Opgepakt",
    State.FEEDBACK_SENT: "Opgepakt",
    State.CARE_TRAJECTORY: "Opgepakt",
    State.CLOSED: "Opgepakt",
}
WITHDRAWN_STATUS = {
    Outcome.UNFOUNDED_SIGNAL: "Niet opgepakt: onterecht signaal",
    Outcome.DECEASED: "Inwoner is overleden",
    Outcome.MOVED: "Persoon is geen inwoner (meer) in de gemeente",
}


def validator():
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text()), format_checker=Draft202012Validator.FORMAT_CHECKER)


def cases_for(municipality, period):
    """The signals received in the period in the municipality: established, or referred (Veilig Thuis), then.

    Cases whose personal data the retention terms removed are left out: the exchange file identifies people.
    """
    received = Q(established_on__range=(period.start, period.end)) | Q(
        established_on__isnull=True, referred_on__range=(period.start, period.end)
    )
    return (
        Case.objects.filter(received, municipality=municipality, anonymised_on__isnull=True)
        .select_related("tenancy")
        .prefetch_related(Prefetch("approaches", queryset=ActiveApproach.objects.order_by("approached_on", "pk")))
        .order_by("pk")
    )


def _signal(case):
    tenancy = case.tenancy
    if tenancy.bsn:
        client = {"burgerservicenummer": tenancy.bsn}
    else:
        client = {"postcode": tenancy.postcode, "huisnummer": tenancy.house_number}
        if tenancy.house_number_suffix:
            client["huisnummertoevoeging"] = tenancy.house_number_suffix
    signal = {
        "ID": f"WZ-{case.pk}",
        "signaalpartner": {"type": "Huur" if case.source == ReferralSource.HOUSING_CORPORATION else "Overige"},
        "client": client,
        "status": WITHDRAWN_STATUS.get(case.outcome, SIGNAL_STATUS[case.state])
        if not case.referred_on
        else SIGNAL_STATUS[case.state],
        "signaaldatum": (case.referred_on or case.established_on).isoformat(),
    }
    if case.established_on:
        signal["ontstaansdatum"] = case.established_on.isoformat()
    if case.arrears_amount is not None:
        signal["bedrag"] = int(case.arrears_amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return signal


def _case(case):
    result = {
        "vroegsignalen": [{"ID": f"WZ-{case.pk}"}],
        "datumOpgepakt": case.referred_on.isoformat(),
        "contactpogingen": [
            {
                "soort": DDAS_CONTACT_KIND[approach.channel],
                "bereikt": approach.reached,
                "datum": approach.approached_on.isoformat(),
                **({"dagdeel": DDAS_DAY_PART[approach.day_part]} if approach.day_part else {}),
            }
            for approach in case.approaches.all()
        ],
    }
    if case.state == State.CLOSED and case.outcome:
        result["resultaat"] = DDAS_RESULT[case.outcome]
    return result


def exchange_file(municipality, organisation, contact, period, cases):
    """The exchange document; raises ``jsonschema.ValidationError`` if it would not meet the standard."""
    cases = list(cases)
    document = {
        "startdatumLevering": period.start.isoformat(),
        "einddatumLevering": period.end.isoformat(),
        "aanleverdatumEnTijd": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "codeGegevensleverancier": SUPPLIER_CODE,
        "leveringen": [
            {
                "teller": 1,
                "gemeentecode": municipality.cbs_code,
                "aanleverendeOrganisatie": {
                    "naam": organisation.name,
                    "contactpersonen": [
                        {
                            "naam": contact.get_full_name() or contact.username,
                            **({"email": contact.email} if contact.email else {}),
                        }
                    ],
                },
                "vroegsignalen": [_signal(case) for case in cases],
                "vroegsignaalzaken": [_case(case) for case in cases if case.referred_on],
            }
        ],
    }
    validator().validate(document)
    return document
