"""Every list page and list endpoint reads a fixed number of queries, however many rows it shows.

Each test renders a list with 2 rows, then with 20, and asserts the same number of queries: a
list that asks the database once per row (an N+1) fails here long before it is slow with a
million cases (bench/load.py measures that).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import OrganisationFactory, ServiceAreaFactory, UserFactory, client_for
from woonzeker.api.models import ApiToken, Scope
from woonzeker.cases.constants import State
from woonzeker.cases.models import Case, Consent, Involvement
from woonzeker.ledgers.models import ImportChannel, ImportStatus, LedgerImport
from woonzeker.notifications.models import Kind, Notification
from woonzeker.organisations.models import OrganisationKind

pytestmark = pytest.mark.django_db
FEW, MANY = 2, 20


def queries(client, url, *, expect_rows, **headers):
    """Number of queries of one GET; checks the page shows every row (by the strings in ``expect_rows``)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    body = response.content.decode()
    missing = [row for row in expect_rows if row not in body]
    assert not missing, f"{url} does not show {missing}"
    return len(captured)


def assert_constant(count_for):
    """``count_for(n)`` adds rows up to n and returns the queries of the list; the count must not grow.
    The first request is a warm-up (a session's first page, per-process caches)."""
    count_for(FEW)
    few = count_for(FEW)
    many = count_for(MANY)
    assert few == many, f"{few} queries for {FEW} rows, {many} for {MANY}: a query per row"


@pytest.fixture
def open_cases(world, make_case, today):
    """Adds open cases up to n, referred to the team by Veilig Thuis, with a case worker and the
    social service involved, so every party's list shows them all; returns their tenants' names."""
    made = []

    def up_to(n):
        while len(made) < n:
            case = make_case(State.SIGNAL, tenant_name=f"Huurder Lijst {len(made) + 1:02d}")
            made.append(case)
        Case.objects.filter(pk__in=[c.pk for c in made]).update(
            state=State.REFERRED,
            social_team=world.team,
            referred_by=world.safe_home,
            referred_on=today - timedelta(days=3),
            feedback_due_on=today + timedelta(days=11),
            case_worker=world.team_worker,
        )
        for case in made:
            Involvement.objects.get_or_create(
                case=case, organisation=world.social_service, defaults={"requested_on": today}
            )
            Consent.objects.get_or_create(
                case=case, defaults={"given_by": "Huurder", "given_on": today, "social_service": True}
            )
        return [f"Huurder Lijst {i + 1:02d}" for i in range(n)]

    return up_to


@pytest.mark.parametrize(
    "party",
    ["corporation_worker", "corporation_coordinator", "team_worker", "social_service_worker", "safe_home_worker"],
)
def test_work_queue_of_every_party(client, world, open_cases, party):
    client.force_login(getattr(world, party))

    def count_for(n):
        return queries(client, "/", expect_rows=open_cases(n))

    assert_constant(count_for)


def test_work_queue_filtered_and_searched(client, world, open_cases):
    client.force_login(world.team_worker)
    url = f"/?state=referred&deadline=on_time&case_worker={world.team_worker.pk}&q=Huurder"

    def count_for(n):
        return queries(client, url, expect_rows=open_cases(n))

    assert_constant(count_for)


def test_work_queue_as_htmx_fragment(client, world, open_cases):
    client.force_login(world.corporation_worker)

    def count_for(n):
        return queries(client, "/", expect_rows=open_cases(n), HTTP_HX_REQUEST="true")

    assert_constant(count_for)


def test_notifications(client, world, open_cases):
    user = world.team_worker
    client.force_login(user)
    cases = []

    def count_for(n):
        open_cases(n)
        for case in Case.objects.order_by("pk")[len(cases) : n]:
            cases.append(case)
            Notification.objects.create(
                user=user, kind=Kind.NEW_REFERRAL, case=case, message=f"Bericht {len(cases):02d}", key=f"k{case.pk}"
            )
        return queries(client, reverse("notifications:list"), expect_rows=[f"Bericht {i + 1:02d}" for i in range(n)])

    assert_constant(count_for)


def test_ledger_import_list(client, world):
    client.force_login(world.corporation_worker)
    made = []

    def count_for(n):
        while len(made) < n:
            made.append(
                LedgerImport.objects.create(
                    corporation=world.corporation,
                    status=ImportStatus.IMPORTED,
                    channel=ImportChannel.UPLOAD,
                    filename=f"huurstand-{len(made) + 1:02d}.csv",
                    original="ledgers/x.csv",
                    sha256=f"{len(made):064d}",
                    size=100,
                    imported_by=UserFactory(organisation=world.corporation),
                )
            )
        return queries(client, reverse("ledgers:list"), expect_rows=[f"huurstand-{i + 1:02d}.csv" for i in range(n)])

    assert_constant(count_for)


@pytest.mark.parametrize("party", ["corporation_worker", "team_worker", "social_service_worker", "safe_home_worker"])
def test_api_case_list(world, open_cases, party):
    from rest_framework.test import APIClient

    _token, key = ApiToken.issue(user=getattr(world, party), name="count", scopes=[Scope.CASES_READ])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    def count_for(n):
        return queries(api, "/api/v1/cases/", expect_rows=open_cases(n))

    assert_constant(count_for)


@pytest.mark.parametrize("party", ["corporation_worker", "team_worker", "social_service_worker", "safe_home_worker"])
def test_api_case_detail_in_two_statements(world, open_cases, party):
    """The token with its user and organisation, then the case in full, whoever asks (and the audit entry)."""
    from rest_framework.test import APIClient

    open_cases(1)
    case = Case.objects.get()
    _token, key = ApiToken.issue(user=getattr(world, party), name="count", scopes=[Scope.CASES_READ])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    api.get(f"/api/v1/cases/{case.pk}/")  # warm-up: the first use of a token writes when it was last used
    with CaptureQueriesContext(connection) as captured:
        assert api.get(f"/api/v1/cases/{case.pk}/").json()["tenant_name"] == "Huurder Lijst 01"
    statements = [query["sql"] for query in captured]
    # The audit entry is one statement on PostgreSQL, a locked read-insert-update on SQLite.
    audit = ("audit_auditentry", "audit_auditchainhead", "SAVEPOINT")
    assert len([sql for sql in statements if not any(word in sql for word in audit)]) == 2


def test_api_case_list_filtered(world, open_cases, today):

    api = client_for(world.team_worker, [Scope.CASES_READ])
    url = f"/api/v1/cases/?state=referred&deadline_state=on_time&established_to={today.isoformat()}"

    def count_for(n):
        return queries(api, url, expect_rows=open_cases(n))

    assert_constant(count_for)


@pytest.mark.parametrize(
    ("model", "make"),
    [
        ("accounts_user", lambda i, world: UserFactory(username=f"lijst{i:02d}", organisation=world.team)),
        (
            "organisations_organisation",
            lambda i, world: OrganisationFactory(name=f"lijst{i:02d}", kind=OrganisationKind.SOCIAL_TEAM),
        ),
        (
            "organisations_servicearea",
            lambda i, world: ServiceAreaFactory(name=f"lijst{i:02d}", team=world.team, municipality=world.dordrecht),
        ),
    ],
)
def test_admin_lists(client, world, model, make):
    client.force_login(world.functional_admin)
    path = reverse(f"admin:{model}_changelist")
    made = []

    def count_for(n):
        while len(made) < n:
            made.append(make(len(made) + 1, world))
        return queries(client, path, expect_rows=[f"lijst{i + 1:02d}" for i in range(n)])

    assert_constant(count_for)


def test_monitoring_dashboard_does_not_grow_with_cases(client, world, open_cases):
    from woonzeker.monitoring.refresh import refresh_figures

    client.force_login(world.municipality_user)

    def count_for(n):
        open_cases(n)
        refresh_figures()
        return queries(client, f"{reverse('monitoring:dashboard')}?periode={timezone.localdate().year}", expect_rows=[])

    assert_constant(count_for)


@pytest.mark.parametrize("party", ["corporation_worker", "team_worker", "health_service_worker"])
def test_api_case_list_with_the_next_steps_of_care_trajectories(world, make_case, today, party):
    """The list's next steps read the page's trajectories' checks and arrangements in a few queries, not per row."""
    from decimal import Decimal

    from rest_framework.test import APIClient

    from tests.factories import give_consent
    from woonzeker.cases import services

    _token, key = ApiToken.issue(user=getattr(world, party), name="count", scopes=[Scope.CASES_READ])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    made = []

    def count_for(n):
        while len(made) < n:
            case = make_case(State.CARE_TRAJECTORY, tenant_name=f"Huurder Traject {len(made) + 1:02d}")
            services.record_current_rent_check(world.corporation_worker, case, checked_on=today, paid=True)
            services.record_payment_arrangement(
                world.team_worker, case, agreed_on=today, monthly_amount=Decimal("50"), total_amount=Decimal("700")
            )
            give_consent(world.team_worker, case)
            services.request_involvement(world.team_worker, case, organisation=world.health_service)
            made.append(case)
        return queries(api, "/api/v1/cases/", expect_rows=[f"Traject {i + 1:02d}" for i in range(n)])

    assert_constant(count_for)
