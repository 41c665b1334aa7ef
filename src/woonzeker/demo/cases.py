"""Fictional users and cases spread over every state, with some deadlines overdue."""

import random
from base64 import b32encode
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from woonzeker.accounts.models import Role, User
from woonzeker.cases import services
from woonzeker.cases.constants import (
    SIGNAL_WITHDRAWAL_OUTCOMES,
    ApproachChannel,
    CorporationDecision,
    InvolvementStatus,
    MilestoneKind,
    Outcome,
    ProblemArea,
    Resolution,
    Severity,
)
from woonzeker.cases.models import Case
from woonzeker.organisations.models import Organisation, OrganisationKind, ServiceArea
from woonzeker.tenancies.models import Tenancy

DEMO_PASSWORD = "demo-woonzeker-2015"
#: The demo logins' authenticator secret (hex, as django-otp keeps it): public, like the password.
DEMO_TOTP_KEY = b"woonzeker-demo-2015!".hex()

#: username, organisation code, role, first name, last name
DEMO_USERS = [
    ("corporatie", "merwehaven", Role.CASE_WORKER, "Anouk", "de Waal"),
    ("corporatie-coordinator", "merwehaven", Role.COORDINATOR, "Ruud", "Verhoef"),
    ("wijkteam", "swt-dordrecht-noord", Role.CASE_WORKER, "Fatima", "El Amrani"),
    ("wijkteam-coordinator", "swt-dordrecht-noord", Role.COORDINATOR, "Joost", "Kranendonk"),
    ("sdd", "sdd", Role.CASE_WORKER, "Marieke", "Boender"),
    ("dgj", "dgj", Role.CASE_WORKER, "Sander", "Ploeg"),
    ("veiligthuis", "veilig-thuis-zhz", Role.CASE_WORKER, "Esther", "van Gelder"),
    ("gemeente", "gemeente-dordrecht", Role.COORDINATOR, "Hans", "Timmer"),
    ("beheer", "gemeente-dordrecht", Role.FUNCTIONAL_ADMIN, "Ingrid", "Smits"),
    ("privacy", "gemeente-dordrecht", Role.PRIVACY_OFFICER, "Wouter", "Bakker"),
]

FIRST_NAMES = [
    "Jan",
    "Petra",
    "Mohamed",
    "Sanne",
    "Kees",
    "Aylin",
    "Dirk",
    "Naima",
    "Bas",
    "Linda",
    "Henk",
    "Yusuf",
    "Ilse",
    "Gert",
    "Priya",
    "Wim",
    "Eva",
    "Tom",
    "Mila",
    "Rachid",
]
LAST_NAMES = [
    "Bakker",
    "Visser",
    "de Jong",
    "Jansen",
    "van Dijk",
    "Smit",
    "Meijer",
    "Yilmaz",
    "de Graaf",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Kok",
]
STREETS = [
    "Merwekade",
    "Voorstraat",
    "Singel",
    "Dubbeldamseweg",
    "Kerkstraat",
    "Molenstraat",
    "Rivierdijk",
    "Oranjelaan",
    "Noordendijk",
    "Burgemeester de Raadtsingel",
    "Lindenlaan",
    "Havenstraat",
]

# Target state: share of the demo cases.
MIX = [
    ("signal", 18),
    ("resolved", 12),
    ("withdrawn", 3),
    ("referred", 15),
    ("feedback_sent", 10),
    ("care_trajectory", 17),
    ("closed", 17),
    ("safe_home", 8),
]


def load_demo_users():
    users = {}
    for username, org_code, role, first, last in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "organisation": Organisation.objects.get(code=org_code),
                "role": role,
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        give_demo_authenticator(user)
        users[username] = user
    # One case worker per other team and corporation, so every case has someone to act for it.
    for organisation in Organisation.objects.filter(
        kind__in=[OrganisationKind.SOCIAL_TEAM, OrganisationKind.HOUSING_CORPORATION]
    ):
        username = f"demo-{organisation.code}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "organisation": organisation,
                "role": Role.COORDINATOR,
                "first_name": "Demo",
                "last_name": organisation.name,
                "email": f"{username}@example.org",
            },
        )
        if created:
            user.set_unusable_password()
            user.save()
    return users


def give_demo_authenticator(user):
    """A confirmed authenticator app with the known demo secret, so the second step works from a fresh clone."""
    if not TOTPDevice.objects.filter(user=user, name="demo").exists():
        TOTPDevice.objects.create(user=user, name="demo", key=DEMO_TOTP_KEY, confirmed=True)


def demo_secret_base32():
    return b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode().rstrip("=")


def current_demo_code():
    """The code an authenticator app with the demo secret shows now."""
    return f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}"


def _worker(organisation):
    return User.objects.filter(organisation=organisation, role=Role.COORDINATOR).order_by("pk").first()


def load_demo_cases(covenant, users, count, seed):
    if Case.objects.exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    areas = list(ServiceArea.objects.select_related("municipality"))
    corporations = list(Organisation.objects.filter(kind=OrganisationKind.HOUSING_CORPORATION).order_by("code"))
    sdd = Organisation.objects.get(code="sdd")
    dgj = Organisation.objects.get(code="dgj")
    safe_home = users["veiligthuis"]
    targets = [state for state, weight in MIX for _ in range(weight)]
    created = 0
    for number in range(count):
        # The demo users' own organisations get a fair share of the cases.
        corporation = corporations[0] if number % 3 == 0 else rng.choice(corporations)
        area = areas[0] if number % 4 == 0 else rng.choice(areas)
        tenancy = _tenancy(rng, number, corporation, area)
        target = rng.choice(targets)
        if target == "safe_home":
            _safe_home_case(rng, tenancy, safe_home, today)
        else:
            _corporation_case(rng, tenancy, target, today, sdd, dgj)
        created += 1
    return created


def demo_bsn(number):
    """A made-up citizen service number that passes the eleven-test (the demo's households are fictional),
    a different one for every ``number``."""
    for step in range(10):
        digits = f"{90_000_000 + (number * 10 + step) % 9_000_000:08d}"
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return digits + str(check)
    raise AssertionError("unreachable: one of ten consecutive prefixes has a check digit")


def _tenancy(rng, number, corporation, area):
    low, high = int(area.postcode_from[:4]), int(area.postcode_to[:4])
    postcode = f"{rng.randint(low, high)}{rng.choice('ABCDEGHJKLMNPRT')}{rng.choice('ABCDEGHJKLMNPRT')}"
    rent = Decimal(rng.randrange(48000, 95000)) / 100
    return Tenancy.objects.create(
        corporation=corporation,
        contract_number=f"{corporation.code[:3].upper()}-{100000 + number}",
        tenant_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        street=rng.choice(STREETS),
        house_number=str(rng.randint(1, 240)),
        postcode=postcode,
        town=area.municipality.name,
        municipality=area.municipality,
        monthly_rent=rent,
        phone=f"06{rng.randint(10000000, 99999999)}",
        bsn=demo_bsn(number),
    )


def _corporation_case(rng, tenancy, target, today, sdd, dgj):
    def past(day):
        return min(day, today)

    corporation_user = _worker(tenancy.corporation)
    age = {"signal": rng.randint(5, 70), "resolved": rng.randint(20, 120), "withdrawn": rng.randint(20, 120)}.get(
        target, rng.randint(60, 240)
    )
    established = today - timedelta(days=age)
    months = Decimal(rng.choice(["1.0", "1.2", "1.5", "2.0", "2.5", "3.0"]))
    case = services.establish_signal(
        corporation_user,
        tenancy,
        established_on=established,
        arrears=(tenancy.monthly_rent * months).quantize(Decimal("0.01")),
    )
    if target == "withdrawn":
        services.withdraw_signal(
            corporation_user,
            case,
            outcome=rng.choice(SIGNAL_WITHDRAWAL_OUTCOMES[:3]),
            closed_on=past(established + timedelta(days=10)),
        )
        return
    if rng.random() < 0.85 or target != "signal":
        services.record_approach(
            corporation_user,
            case,
            channel=rng.choice(ApproachChannel.values[:3]),
            approached_on=min(today, established + timedelta(days=rng.randint(1, 10))),
            reached=rng.random() < 0.6,
        )
    if target == "signal":
        return
    if target == "resolved":
        services.resolve_before_referral(
            corporation_user,
            case,
            resolution=rng.choice(Resolution.values),
            resolved_on=past(established + timedelta(days=rng.randint(5, 30))),
        )
        return
    referred = established + timedelta(days=rng.randint(14, 50))  # some after day 42: late
    if target == "referred":
        referred = min(referred, today - timedelta(days=rng.randint(0, 25)))
        referred = max(referred, established + timedelta(days=11))
    services.refer(corporation_user, case, referred_on=past(referred))
    team_user = _worker(case.social_team)
    if target == "referred":
        return
    reached = rng.random() < 0.8
    services.record_analysis(
        team_user,
        case,
        tenant_reached=reached,
        problems={area: rng.choice(Severity.values[1:]) for area in rng.sample(ProblemArea.values, rng.randint(1, 4))},
        summary_for_corporation="Huurder is in beeld; zie afspraken."
        if reached
        else "Huurder niet bereikt na drie pogingen.",
        internal_notes="Interne notitie van het team (fictief).",
    )
    feedback = past(referred + timedelta(days=rng.randint(3, 20)))  # some after day 14: late
    services.send_feedback(team_user, case, sent_on=feedback)
    if target == "feedback_sent":
        return
    trajectory = target == "care_trajectory" or rng.random() < 0.6
    if not trajectory:
        services.decide_no_care_trajectory(
            team_user,
            case,
            reason="Huurder wil geen hulp.",
            outcome=Outcome.HELP_REFUSED,
            closed_on=past(feedback + timedelta(days=3)),
        )
        return
    services.record_corporation_decision(corporation_user, case, decision=CorporationDecision.AGREED)
    started = past(feedback + timedelta(days=rng.randint(1, 7)))
    services.start_care_trajectory(
        team_user, case, started_on=started, reason="Schulden en inkomen vragen begeleiding."
    )
    service = rng.choice([sdd, dgj])
    services.record_consent(
        team_user,
        case,
        given_by=case.tenancy.tenant_name,
        given_on=started,
        parties=[service.kind],
        purpose="Schuldhulp en begeleiding in het zorgtraject.",
    )
    involvement = services.request_involvement(
        team_user,
        case,
        organisation=service,
        requested_on=started,
        question="Kunnen jullie meekijken naar de schulden en het inkomen van dit huishouden?",
    )
    service_user = _any_user(involvement.organisation)
    services.update_involvement(
        service_user, involvement, status=InvolvementStatus.ACCEPTED, on=started, progress="Intake gepland."
    )
    involvement.case.refresh_from_db()  # the involvement moved the case's version on
    services.update_involvement(
        service_user, involvement, progress="Intake gehad; afspraken over de vaste lasten gemaakt."
    )
    case.refresh_from_db()  # moved on through the involvement; act on the case as it is now
    services.record_payment_arrangement(
        corporation_user, case, agreed_on=started, monthly_amount=Decimal("50.00"), total_amount=case.arrears_amount
    )
    services.record_current_rent_check(
        corporation_user, case, checked_on=past(started + timedelta(days=30)), paid=rng.random() < 0.8
    )
    if target == "care_trajectory":
        return
    closed = past(started + timedelta(days=rng.randint(30, 90)))
    if rng.random() < 0.12:
        services.record_milestone(
            corporation_user, case, kind=MilestoneKind.SUMMONS, occurred_on=past(started + timedelta(days=10))
        )
        services.record_milestone(corporation_user, case, kind=MilestoneKind.EVICTION_EXECUTED, occurred_on=closed)
        outcome = Outcome.EVICTED
    else:
        outcome = rng.choice(
            [Outcome.ARREARS_CLEARED, Outcome.ARRANGEMENT_RUNNING, Outcome.EVICTION_AVERTED, Outcome.MOVED]
        )
    services.close_care_trajectory(team_user, case, outcome=outcome, closed_on=closed)


def _any_user(organisation):
    user = User.objects.filter(organisation=organisation).order_by("pk").first()
    return user


def _safe_home_case(rng, tenancy, safe_home_user, today):
    services.refer_from_safe_home(
        safe_home_user,
        tenancy,
        referred_on=today - timedelta(days=rng.randint(0, 30)),
        note="Bewoner met huurachterstand, via Veilig Thuis.",
    )
