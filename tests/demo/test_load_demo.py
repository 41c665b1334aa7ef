"""`make run` loads a demo a user can explore: every state, some deadlines overdue, a login per role."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from woonzeker.accounts.models import Role, User
from woonzeker.cases.constants import State
from woonzeker.cases.models import Case
from woonzeker.cases.selectors import deadlines_due
from woonzeker.organisations.models import Organisation, OrganisationKind
from woonzeker.organisations.routing import responsible_team

pytestmark = pytest.mark.django_db


def test_demo_covers_every_state_and_has_overdue_deadlines(capsys):
    call_command("load_demo", cases=120)
    states = set(Case.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert Case.objects.filter(source="safe_home").exists()
    assert deadlines_due(timezone.localdate(), within_days=0).exists()
    out = capsys.readouterr().out
    for username in ["corporatie", "wijkteam", "sdd", "dgj", "veiligthuis", "gemeente", "beheer", "privacy"]:
        assert username in out
    demo_users = ["corporatie", "wijkteam-coordinator", "beheer", "privacy"]
    assert {u.role for u in User.objects.filter(username__in=demo_users)} == set(Role.values)


def test_demo_services_see_their_cases_with_consent():
    """Every demo involvement has the household's consent for its service, so the demo SDD and DG&J see them."""
    from woonzeker.accounts.authorization import visible_cases
    from woonzeker.cases.models import Involvement

    call_command("load_demo", cases=120)
    involvements = Involvement.objects.select_related("case", "organisation")
    assert involvements.exists()
    for involvement in involvements:
        assert involvement.case.consents.filter(withdrawn_on__isnull=True).exists()
    for username in ["sdd", "dgj"]:
        user = User.objects.get(username=username)
        assert visible_cases(user).count() == involvements.filter(organisation=user.organisation).count()


def test_demo_is_idempotent():
    call_command("load_demo", cases=20)
    call_command("load_demo", cases=20)
    assert Case.objects.count() == 20
    assert Organisation.objects.filter(kind=OrganisationKind.HOUSING_CORPORATION).count() == 5


def test_every_demo_postcode_is_covered_by_a_team():
    call_command("load_demo", cases=60)
    for municipality, postcode in Case.objects.values_list("tenancy__municipality__name", "tenancy__postcode"):
        from woonzeker.organisations.models import Municipality

        assert responsible_team(Municipality.objects.get(name=municipality), postcode)


@pytest.mark.real_second_factor
def test_a_newcomer_signs_in_as_a_demo_login_with_the_printed_code(client, capsys):
    """`make run` prints the password and how to get the code; `make code` prints the code."""
    from woonzeker.demo.cases import DEMO_PASSWORD, demo_secret_base32

    call_command("load_demo", cases=5)
    out = capsys.readouterr().out
    assert demo_secret_base32() in out and "make code" in out
    client.post("/inloggen/", {"username": "corporatie", "password": DEMO_PASSWORD})
    assert client.get("/")["Location"].startswith("/inloggen/code/")
    call_command("demo_code", "corporatie")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()
    assert client.post("/inloggen/code/", {"code": code}).status_code == 302
    assert client.get("/").status_code == 200


def test_demo_code_refuses_an_account_without_the_demo_secret(world):
    with pytest.raises(CommandError, match="not a demo login"):
        call_command("demo_code", world.corporation_worker.username)
