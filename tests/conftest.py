"""Shared fixtures: a small covenant world with one party of every kind."""

import os
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone, translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from hypothesis import settings as hypothesis_settings

from tests.factories import (
    CovenantFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ServiceAreaFactory,
    TenancyFactory,
    UserFactory,
)
from woonzeker.accounts.models import Role
from woonzeker.cases import services
from woonzeker.cases.constants import CorporationDecision, Outcome, ProblemArea, Severity, State
from woonzeker.organisations.models import OrganisationKind as Kind

# In CI the property-based tests draw the same examples every run, so a red build can be reproduced;
# on a developer's machine they keep exploring (and Hypothesis replays any failure it found).
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def audit_seals_of_their_own(settings, tmp_path_factory):
    """Each test seals the audit chain into a file of its own, with a key of its own (never var/'s)."""
    settings.AUDIT_SEAL_PATH = tmp_path_factory.mktemp("seals") / "audit-seals.jsonl"
    settings.AUDIT_SEAL_KEY = "a-test-seal-key-of-at-least-32-characters"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; hashing their passwords the production way would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def force_login_passes_the_second_factor(request, monkeypatch):
    """``client.force_login(user)`` yields a session that has passed the second factor too, as after
    password and code; tests of the door itself (marked ``real_second_factor``) get Django's own."""
    if request.node.get_closest_marker("real_second_factor"):
        return
    django_force_login = Client.force_login

    def force_login(self, user, backend=None):
        django_force_login(self, user, backend)
        device, _ = StaticDevice.objects.get_or_create(user=user, name="test session", defaults={"confirmed": True})
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with its tokens' request counts at zero (token ids repeat between tests)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def english_messages():
    """Services' messages in English in unit tests; pages are tested in Dutch through the client."""
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files (original ledgers) in the test's own folder; the folder, returned."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def world(db):
    dordrecht = MunicipalityFactory(name="Dordrecht", cbs_code="0505")
    covenant = CovenantFactory(municipalities=[dordrecht])
    corporation = OrganisationFactory(name="Woonstichting Test", kind=Kind.HOUSING_CORPORATION)
    other_corporation = OrganisationFactory(name="Andere Corporatie", kind=Kind.HOUSING_CORPORATION)
    team = OrganisationFactory(name="Wijkteam Noord", kind=Kind.SOCIAL_TEAM)
    other_team = OrganisationFactory(name="Wijkteam Zuid", kind=Kind.SOCIAL_TEAM)
    ServiceAreaFactory(team=team, municipality=dordrecht, postcode_from="3311AA", postcode_to="3316ZZ")
    ServiceAreaFactory(team=other_team, municipality=dordrecht, postcode_from="3317AA", postcode_to="3329ZZ")
    social_service = OrganisationFactory(name="SDD", kind=Kind.SOCIAL_SERVICE)
    health_service = OrganisationFactory(name="DG&J", kind=Kind.HEALTH_SERVICE)
    safe_home = OrganisationFactory(name="Veilig Thuis", kind=Kind.SAFE_HOME)
    municipality = OrganisationFactory(name="Gemeente Dordrecht", kind=Kind.MUNICIPALITY, municipality=dordrecht)
    return SimpleNamespace(
        dordrecht=dordrecht,
        covenant=covenant,
        corporation=corporation,
        other_corporation=other_corporation,
        team=team,
        other_team=other_team,
        social_service=social_service,
        health_service=health_service,
        safe_home=safe_home,
        municipality=municipality,
        corporation_worker=UserFactory(organisation=corporation),
        corporation_coordinator=UserFactory(organisation=corporation, role=Role.COORDINATOR),
        other_corporation_worker=UserFactory(organisation=other_corporation),
        team_worker=UserFactory(organisation=team),
        team_coordinator=UserFactory(organisation=team, role=Role.COORDINATOR),
        other_team_worker=UserFactory(organisation=other_team),
        social_service_worker=UserFactory(organisation=social_service),
        health_service_worker=UserFactory(organisation=health_service),
        safe_home_worker=UserFactory(organisation=safe_home),
        municipality_user=UserFactory(organisation=municipality, role=Role.COORDINATOR),
        functional_admin=UserFactory(organisation=municipality, role=Role.FUNCTIONAL_ADMIN),
        privacy_officer=UserFactory(organisation=municipality, role=Role.PRIVACY_OFFICER),
    )


@pytest.fixture
def make_case(world, today):
    """Build a case and walk it, through the real services, to ``state``."""

    def build(state=State.SIGNAL, *, established_days_ago=50, tenancy=None, **tenancy_fields):
        tenancy = tenancy or TenancyFactory(
            corporation=world.corporation, municipality=world.dordrecht, **tenancy_fields
        )
        established = today - timedelta(days=established_days_ago)
        case = services.establish_signal(
            world.corporation_worker, tenancy, established_on=established, arrears=Decimal("700.00")
        )
        if state == State.SIGNAL:
            return case
        services.record_approach(
            world.corporation_worker,
            case,
            channel="letter",
            approached_on=established + timedelta(days=2),
            reached=True,
        )
        if state == State.RESOLVED_BEFORE_REFERRAL:
            services.resolve_before_referral(
                world.corporation_worker, case, resolution="arrears_paid", resolved_on=established + timedelta(days=5)
            )
            return case
        referred = established + timedelta(days=10)
        services.refer(world.corporation_worker, case, referred_on=referred)
        if state == State.REFERRED:
            return case
        services.record_analysis(
            world.team_worker,
            case,
            tenant_reached=True,
            problems={ProblemArea.FINANCES: Severity.SEVERE, ProblemArea.ADDICTION: Severity.MODERATE},
            summary_for_corporation="Huurder werkt mee.",
            internal_notes="Vertrouwelijk: verslaving.",
        )
        services.send_feedback(world.team_worker, case, sent_on=referred + timedelta(days=7))
        if state == State.FEEDBACK_SENT:
            return case
        services.record_corporation_decision(world.corporation_worker, case, decision=CorporationDecision.AGREED)
        services.start_care_trajectory(
            world.team_worker, case, started_on=referred + timedelta(days=9), reason="Schulden in beeld brengen."
        )
        if state == State.CARE_TRAJECTORY:
            return case
        services.close_care_trajectory(
            world.team_worker, case, outcome=Outcome.ARREARS_CLEARED, closed_on=referred + timedelta(days=20)
        )
        return case

    return build


@pytest.fixture(autouse=True)
def ledger_imports_run_at_once(request, settings, monkeypatch):
    """A queued ledger import runs to completion when it is queued (django-tasks' ImmediateBackend, inside
    the request that queues it), so a test reads its report at once. Tests of the real worker (marked
    ``real_task_worker``) keep the database backend and run ``db_worker`` themselves."""
    if request.node.get_closest_marker("real_task_worker"):
        return
    from woonzeker.ledgers import tasks

    settings.TASKS = {
        **settings.TASKS,
        "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    }
    monkeypatch.setattr(tasks, "import_ledger_task", tasks.import_ledger_task.using(backend="immediate"))
