"""Property: the set-based import opens and resolves signals exactly as the plain rules say.

For any sequence of snapshots of a few tenancies (arrears around the
threshold, payment arrangements, tenancies left out of a file), importing
them in date order gives the same signals as applying the contract's rules
(``meets_arrears_threshold``, resolution at zero arrears or an arrangement)
one tenancy at a time in Python.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import OrganisationFactory, UserFactory
from woonzeker.cases.arrears import meets_arrears_threshold
from woonzeker.cases.constants import State
from woonzeker.cases.models import Case
from woonzeker.ledgers.importing import import_ledger
from woonzeker.ledgers.models import ImportChannel, ImportStatus
from woonzeker.organisations.models import OrganisationKind

RENT = Decimal("500.00")
HEADER = ";".join(
    ["peildatum", "contractnummer", "huurder_naam", "straat", "huisnummer", "postcode", "woonplaats"]
    + ["maandhuur", "achterstand", "betalingsregeling"]
)

arrears = st.sampled_from([0, 1, 250, 499, 500, 501, 750, 1000, 2000]).map(Decimal)
snapshot = st.dictionaries(st.integers(min_value=0, max_value=2), st.tuples(arrears, st.booleans()), min_size=1)


def expected_signals(snapshots, covenant, dates):
    """The plain rules, tenancy by tenancy: a list of (contract, established_on, final state)."""
    cases = []
    open_case = {}
    for day, rows in zip(dates, snapshots, strict=True):
        for tenancy, (amount, arrangement) in sorted(rows.items()):
            current = open_case.get(tenancy)
            if current is not None and (amount == 0 or arrangement):
                current[2] = State.RESOLVED_BEFORE_REFERRAL
                open_case.pop(tenancy)
            elif current is None and not arrangement and meets_arrears_threshold(amount, RENT, covenant):
                case = [f"T{tenancy}", day, State.SIGNAL]
                cases.append(case)
                open_case[tenancy] = case
    return sorted(tuple(case) for case in cases)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(snapshots=st.lists(snapshot, min_size=1, max_size=4))
def test_import_opens_and_resolves_signals_as_the_rules_say(world, tmp_path_factory, today, snapshots):
    corporation = OrganisationFactory(kind=OrganisationKind.HOUSING_CORPORATION)
    user = UserFactory(organisation=corporation)
    folder = tmp_path_factory.mktemp("ledgers")
    dates = [today - timedelta(days=100) + timedelta(days=30 * i) for i in range(len(snapshots))]
    for day, rows in zip(dates, snapshots, strict=True):
        lines = [HEADER] + [
            f"{day:%d-%m-%Y};T{t};Huurder;Voorstraat;1;3311AB;Dordrecht;{RENT};{a};{'ja' if arr else 'nee'}"
            for t, (a, arr) in sorted(rows.items())
        ]
        path = folder / f"{day}.csv"
        path.write_text("\n".join(lines), encoding="utf-8")
        record = import_ledger(user, corporation, path, path.name, ImportChannel.UPLOAD)
        assert record.status == ImportStatus.IMPORTED, record.report
    actual = sorted(
        Case.objects.filter(corporation=corporation).values_list("tenancy__contract_number", "established_on", "state")
    )
    assert actual == expected_signals(snapshots, world.covenant, dates)
