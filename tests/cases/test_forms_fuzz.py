"""Bad input never breaks a page: every form of the case page, the new signal and the referral take
arbitrary text (any Unicode, control characters, huge numbers, impossible dates) and answer with the
form and its errors, never with a server error; and nothing is stored when the input is refused.
"""

from datetime import date

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import give_consent
from woonzeker.cases import services
from woonzeker.cases.constants import State
from woonzeker.cases.forms import MOVE_FORMS, NewSignalForm, ReferResidentForm
from woonzeker.cases.models import Case, CaseEvent
from woonzeker.cases.workflow import MOVES
from woonzeker.organisations.models import OrganisationKind as Kind
from woonzeker.tenancies.models import Tenancy

pytestmark = pytest.mark.django_db

NASTY = [
    "",
    " ",
    "\x00",
    "0",
    "-1",
    "1e999",
    "NaN",
    "Infinity",
    "9" * 40,
    "1.234,56",
    "12,345.67",
    "0000-01-01",
    "9999-12-31",
    "2026-02-30",
    "31-12-2026",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "١٢٣",
    "１２３",
    "🏠" * 300,
    "a" * 5000,
]


def value_for(field):
    """Arbitrary text, something nasty, or a value the field would accept."""
    plausible = [st.text(max_size=300), st.sampled_from(NASTY)]
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        plausible.append(st.sampled_from([str(value) for value, _ in field.choices] or [""]))
    if isinstance(field, forms.ModelChoiceField):
        plausible.append(st.integers(min_value=-(2**70), max_value=2**70).map(str))
    if isinstance(field, forms.DateField):
        plausible.append(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat))
    if isinstance(field, forms.DecimalField | forms.IntegerField):
        plausible.append(st.decimals(allow_nan=True, allow_infinity=True).map(str))
    return st.one_of(*plausible)


def form_data(form_class, prefix=None):
    """A POST body for ``form_class``: each field given something arbitrary, or left out."""
    fields = dict(form_class.base_fields)
    return st.fixed_dictionaries(
        {},
        optional={(f"{prefix}-{name}" if prefix else name): value_for(field) for name, field in fields.items()},
    )


PARTY = {
    Kind.HOUSING_CORPORATION: ("corporation_worker", "corporation_coordinator"),
    Kind.SOCIAL_TEAM: ("team_worker", "team_coordinator"),
    Kind.SOCIAL_SERVICE: ("social_service_worker", None),
    Kind.HEALTH_SERVICE: ("health_service_worker", None),
}
BUILDABLE = [State.SIGNAL, State.REFERRED, State.FEEDBACK_SENT, State.CARE_TRAJECTORY]


def actor_and_case(world, make_case, move):
    """A user who may make ``move``, and a case in a state where it applies."""
    kind = next(k for k in PARTY if k in move.parties)
    worker, coordinator = PARTY[kind]
    user = getattr(world, coordinator if "case_worker" not in move.roles else worker)
    state = next((s for s in BUILDABLE if s in move.sources), State.CARE_TRAJECTORY)
    case = make_case(state)
    if move.name == "update_involvement":
        if case.state != State.CARE_TRAJECTORY:
            case = make_case(State.CARE_TRAJECTORY)
        give_consent(world.team_worker, case)
        services.request_involvement(world.team_worker, case, organisation=world.social_service)
    return user, case


def snapshot(case):
    case.refresh_from_db()
    return (
        case.state,
        case.updated_at if hasattr(case, "updated_at") else None,
        CaseEvent.objects.filter(case=case).count(),
        case.approaches.count(),
        case.involvements.count(),
        case.payment_arrangements.count(),
        case.milestones.count(),
        case.current_rent_checks.count(),
    )


FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("move_name", sorted(MOVE_FORMS))
def test_every_move_form_takes_any_input_without_a_server_error(client, world, make_case, move_name):
    user, case = actor_and_case(world, make_case, MOVES[move_name])
    client.force_login(user)
    url = f"/dossiers/{case.pk}/{move_name}/"
    statuses = set()

    @FUZZ
    @given(data=form_data(MOVE_FORMS[move_name], prefix=move_name))
    def post_anything(data):
        before = snapshot(case)
        response = client.post(url, data)
        statuses.add(response.status_code)
        assert response.status_code < 500, data
        if response.status_code != 302:
            assert snapshot(case) == before, data

    post_anything()
    assert 400 in statuses  # the form itself answered (not a refusal before it)


@pytest.mark.parametrize(
    ("path", "form_class", "user"),
    [
        ("/signalen/nieuw/", NewSignalForm, "corporation_worker"),
        ("/aanmelden/", ReferResidentForm, "safe_home_worker"),
    ],
)
def test_opening_a_case_takes_any_input_without_a_server_error(client, world, path, form_class, user):
    client.force_login(getattr(world, user))
    statuses = set()

    @FUZZ
    @given(data=form_data(form_class))
    def post_anything(data):
        cases, tenancies = Case.objects.count(), Tenancy.objects.count()
        response = client.post(path, data)
        statuses.add(response.status_code)
        assert response.status_code < 500, data
        if response.status_code != 302:
            assert (Case.objects.count(), Tenancy.objects.count()) == (cases, tenancies), data

    post_anything()
    assert 400 in statuses


@FUZZ
@given(code=st.one_of(st.text(max_size=100), st.sampled_from(NASTY)))
def test_the_code_page_takes_any_input_without_a_server_error(client, world, code):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(world.corporation_worker)
    TOTPDevice.objects.get_or_create(user=world.corporation_worker, name="app", defaults={"confirmed": True})
    response = client.post("/inloggen/code/", {"code": code, "next": code})
    assert response.status_code < 500
