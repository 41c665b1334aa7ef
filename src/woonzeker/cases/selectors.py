"""Reads of cases that more than one edge needs."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection, models
from django.db.models import Count, F, Q, Value, When
from django.utils.translation import gettext_lazy

from woonzeker.accounts.authorization import visible_case_ids_sql
from woonzeker.accounts.disclosure import OWN, may_read, may_search_by_bsn, rule
from woonzeker.cases import deadlines
from woonzeker.cases.constants import OPEN_STATES, InvolvementStatus, State
from woonzeker.cases.deadlines import DeadlineState
from woonzeker.cases.models import Case, CurrentRentCheck, Involvement, PaymentArrangement
from woonzeker.covenants.models import Covenant
from woonzeker.crypto import keyed_hash
from woonzeker.joined import Joined
from woonzeker.organisations.models import OrganisationKind
from woonzeker.tenancies.models import typed_bsn


def with_open_deadline(cases):
    """Annotate each case with its open promise: ``deadline`` ("referral", "analysis" or None) and ``due_on``."""
    return cases.annotate(
        due_on=models.Case(
            When(state=State.SIGNAL, then=F("referral_due_on")),
            When(state=State.REFERRED, then=F("feedback_due_on")),
            default=None,
            output_field=models.DateField(),
        ),
        deadline=models.Case(
            When(state=State.SIGNAL, then=Value("referral")),
            When(state=State.REFERRED, then=Value("analysis")),
            default=None,
            output_field=models.CharField(),
        ),
    )


def deadlines_due(today, within_days, cases=None):
    """Every open promise that is overdue on ``today`` or due within ``within_days`` days.

    One query: the due dates are stored on the case when it enters the step,
    so this is an indexed filter, not a loop in Python. Each case gets
    ``due_on`` (the date) and ``deadline`` ("referral" or "analysis"), soonest first.
    """
    cases = Case.objects.all() if cases is None else cases
    horizon = today + timedelta(days=within_days)
    # Filter on the stored columns (indexed), not on the annotation.
    due = cases.filter(
        Q(state=State.SIGNAL, referral_due_on__lte=horizon) | Q(state=State.REFERRED, feedback_due_on__lte=horizon)
    )
    return with_open_deadline(due).order_by("due_on", "pk")


#: The state in which a case waits for each kind of organisation's promise.
OWED_IN_STATE = {
    OrganisationKind.HOUSING_CORPORATION: State.SIGNAL,
    OrganisationKind.SOCIAL_TEAM: State.REFERRED,
}


def deadline_filter(deadline_state, today):
    """A Q for open cases whose open promise is in ``deadline_state`` ("overdue", "due_soon", "on_time") today.

    "Due soon" is each covenant's own window (``due_soon_days``); needs ``with_open_deadline``.
    """
    if deadline_state == DeadlineState.OVERDUE:
        return Q(due_on__lt=today)
    windows = Q()
    for covenant_id, days in Covenant.objects.values_list("pk", "due_soon_days"):
        windows |= Q(covenant_id=covenant_id, due_on__lte=today + timedelta(days=days))
    if deadline_state == DeadlineState.DUE_SOON:
        return Q(due_on__gte=today) & windows
    return Q(due_on__gte=today) & ~windows


#: Which cases the queue holds: the open ones (the default) or every case the user may see.
SCOPE_OPEN, SCOPE_ALL = "open", "all"


def work_queue(
    user,
    cases,
    today,
    *,
    scope=SCOPE_OPEN,
    state="",
    deadline="",
    team=None,
    municipality=None,
    case_worker=None,
    query="",
):
    """The cases of ``cases`` (already limited to what ``user`` may see), filtered and ordered: what the
    user's organisation owes first, soonest deadline first, then the other open cases, then the ended ones.

    ``scope`` is ``SCOPE_OPEN`` (the open cases) or ``SCOPE_ALL`` (resolved and closed ones too); a chosen
    ``state`` is that state alone, whichever the scope. Every filter and the order read columns the
    party's queue index holds (state, the due dates, covenant, id), so the order is still decided on the
    index (``queue_page``); the search adds the tenancy's indexed columns."""
    if state:
        cases = cases.filter(state=state)
    elif scope != SCOPE_ALL:
        cases = cases.filter(state__in=OPEN_STATES)
    cases = with_open_deadline(cases)
    if deadline:
        cases = cases.filter(deadline_filter(deadline, today))
    if team:
        cases = cases.filter(social_team=team)
    if municipality:
        cases = cases.filter(municipality=municipality)
    if case_worker:
        cases = cases.filter(case_worker=case_worker)
    if query:
        cases = cases.filter(search_filter(query, user))
    owed_state = OWED_IN_STATE.get(user.organisation_kind)
    # 0: what the user's organisation owes; 1: the other open cases; 2: resolved and closed ones.
    ranks = [When(state=owed_state, then=Value(0))] if owed_state else []
    ranks.append(When(state__in=OPEN_STATES, then=Value(1)))
    owed_first = models.Case(*ranks, default=Value(2))
    order = ["owed_first", F("due_on").asc(nulls_last=True), "pk"]
    if user.organisation_kind == OrganisationKind.SOCIAL_TEAM:
        # A team member's own open cases (assigned to them, or directed by them) come first: the columns are in
        # the team's queue index (``Case.Meta.indexes``), so the order still reads the index alone.
        mine = models.Case(
            When(Q(case_worker=user) | Q(case_director=user), state__in=OPEN_STATES, then=Value(0)),
            default=Value(1),
        )
        cases = cases.annotate(mine_first=mine)
        order.insert(0, "mine_first")
    return cases.annotate(owed_first=owed_first).order_by(*order)


def queue_page(queue, number, per_page, count=None):
    """Page ``number`` of ``queue`` (a ``work_queue``), its cases loaded with their tenancy and parties;
    ``count``, the queue's length when already known (``queue_counts``), saves counting it again.

    The order is decided on the cases' ids and the columns it reads alone, which the party's queue index
    holds (``Case.Meta.indexes``); only the page's own cases are then read in full. Ordering the full rows
    instead sorted every open case of a party, a hundred thousand at national scale, for each page."""
    paginator = Paginator(queue.values_list("pk", flat=True), per_page)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(number)
    ids = list(page.object_list)
    found = (
        with_open_deadline(Case.objects.filter(pk__in=ids))
        .select_related("tenancy", "social_team", "corporation", "case_worker", "case_director", "covenant")
        .in_bulk()
    )
    page.object_list = [found[pk] for pk in ids if pk in found]  # (a case removed in between is left out)
    return page


@dataclass(frozen=True)
class NextStep:
    """What is due next on a case, by whom and by when (``due_on`` None: no term of the covenant, or none its
    reader reads). ``name`` is the step's code (the API's), ``label`` its words (the page's)."""

    name: str
    label: str
    by: str
    due_on: date | None = None


#: Every next step: its code (``NextStep.name``, the API's) and its words (``NextStep.label``, the page's).
NEXT_STEPS = {
    "refer": gettext_lazy("Refer to the social team"),
    "feed_back": gettext_lazy("Feed the analysis back"),
    "corporation_decision": gettext_lazy("Agree or decline a care trajectory"),
    "trajectory_decision": gettext_lazy("Decide on a care trajectory"),
    "answer_request": gettext_lazy("Accept or decline the request to join"),
    "check_current_rent": gettext_lazy("Check the current rent"),
    "review_arrangement": gettext_lazy("Review the payment arrangement"),
    "follow_trajectory": gettext_lazy("Follow the care trajectory to an outcome"),
}
#: The codes, as the API's schema lists them.
NEXT_STEP_NAMES = tuple(NEXT_STEPS)


def _step(name, by, due_on=None):
    return NextStep(name, NEXT_STEPS[name], by, due_on)


def next_steps(user, cases, today):
    """The next step of each of ``cases`` (a page of the work queue) as ``user`` may read it, by case id.

    Derived from the state and the covenant's terms (``deadlines``); for a care trajectory, the soonest of
    the current-rent check and the review of the payment arrangement, each only for a reader of that record
    in the disclosure table (the health service reads neither). Two queries at most, for the page's
    trajectories only: never part of the queue's order."""
    trajectories = [c.pk for c in cases if c.state == State.CARE_TRAJECTORY]
    last_check, last_arrangement, asked = {}, {}, set()
    if trajectories:
        last_check, last_arrangement = _latest_records(
            trajectories,
            checks=may_read(user, "current_rent_checks", None),
            arrangements=may_read(user, "payment_arrangements", None),
        )
    if trajectories and rule(user, "involvements") == OWN:
        asked = set(
            Involvement.objects.filter(
                case__in=trajectories, organisation_id=user.organisation_id, status=InvolvementStatus.REQUESTED
            ).values_list("case", flat=True)
        )
    return {
        case.pk: _next_step(user, case, last_check, last_arrangement, asked)
        for case in cases
        if case.state in OPEN_STATES
    }


DATE = models.DateField()
#: The records whose latest date sets a trajectory's next step: (model, date field).
_LATEST = {"checks": (CurrentRentCheck, "checked_on"), "arrangements": (PaymentArrangement, "agreed_on")}


def _latest_records(case_ids, **wanted):
    """By case id among ``case_ids``: the date of its latest current-rent check and of its latest payment
    arrangement, each only when ``wanted`` (``checks``, ``arrangements``), in one statement composed here
    rather than by the ORM (two grouped queries cost a page of the work queue or the API more to compose
    than to run; ``bench/load.py``)."""
    parts, params = [], []
    placeholders = ", ".join(["%s"] * len(case_ids))
    quote = connection.ops.quote_name
    for kind, (model, field_name) in _LATEST.items():
        if wanted[kind]:
            table, key = quote(model._meta.db_table), quote(model._meta.get_field("case").column)
            latest = quote(model._meta.get_field(field_name).column)
            parts.append(
                f"SELECT '{kind}', {key}, max({latest}) FROM {table} WHERE {key} IN ({placeholders}) GROUP BY {key}"  # noqa: S608 -- names from the models, values bound
            )
            params += case_ids
    found = {kind: {} for kind in _LATEST}
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for kind, case_id, latest in cursor.fetchall():
                found[kind][case_id] = DATE.to_python(latest)  # SQLite gives max() of a date as text
    return found["checks"], found["arrangements"]


def _next_step(user, case, last_check, last_arrangement, asked):
    team = str(case.social_team or "")
    corporation = str(case.corporation or "")
    if case.state == State.SIGNAL:
        # The referral deadline is part of the signal (the establishment date plus the covenant's term).
        due_on = case.referral_due_on if may_read(user, "signal", case) else None
        return _step("refer", corporation, due_on)
    if case.state == State.REFERRED:
        return _step("feed_back", team, case.feedback_due_on)
    if case.state == State.FEEDBACK_SENT:
        if case.corporation_id and not case.corporation_decision and may_read(user, "corporation_decision", case):
            return _step("corporation_decision", corporation)
        return _step("trajectory_decision", team)
    if case.pk in asked:
        return _step("answer_request", str(user.organisation))
    due = []
    if may_read(user, "current_rent_checks", case):
        on = deadlines.current_rent_check_due(last_check.get(case.pk), case.trajectory_started_on, case.covenant)
        if on:
            due.append(_step("check_current_rent", corporation or team, on))
    if case.pk in last_arrangement:
        on = deadlines.arrangement_review_due(last_arrangement[case.pk], case.covenant)
        due.append(_step("review_arrangement", team, on))
    if due:
        return min(due, key=lambda step: step.due_on)
    return _step("follow_trajectory", team)


def search_filter(query, user=None):
    """Name, street, postcode (with or without space), contract number, or a full BSN (through its keyed
        hash: the database holds no plain BSN to compare with), for a ``user`` who may search by it
    (``disclosure.may_search_by_bsn``). On PostgreSQL each of these has an index on the
        very expression Django writes for it (``tenancies/migrations/0005_search_indexes``)."""
    text = query.strip()
    compact = text.replace(" ", "").upper()
    found = (
        Q(tenancy__tenant_name__icontains=text)
        | Q(tenancy__street__icontains=text)
        | Q(tenancy__postcode__startswith=compact)
        | Q(tenancy__contract_number__iexact=text)
    )
    if (bsn := typed_bsn(text)) and (user is None or may_search_by_bsn(user)):
        found |= Q(tenancy__bsn_hash=keyed_hash(bsn))
    return found


def queue_counts(cases, today):
    """All, open, overdue and due-soon counts of a filtered queue, in one query."""
    return cases.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(state__in=OPEN_STATES)),
        overdue=Count("pk", filter=deadline_filter(DeadlineState.OVERDUE, today)),
        due_soon=Count("pk", filter=deadline_filter(DeadlineState.DUE_SOON, today)),
    )


#: A case with what its full view shows: tenancy, parties, covenant and analysis (``woonzeker.joined``).
CASE_IN_FULL = Joined(Case, "tenancy", "corporation", "social_team", "municipality", "covenant", "analysis")


def case_in_full(user, pk):
    """Case ``pk`` with its tenancy, parties, covenant and analysis loaded, if ``user`` may see it; else None.

    Whether the user may see it is ``visible_cases``'s to say, as a subquery of the one statement."""
    number, scope = case_number(pk), visible_case_ids_sql(user)
    if number is None or scope is None:
        return None
    sql, params = scope
    return CASE_IN_FULL.first(f"t0.id = %s AND t0.id IN ({sql})", [number, *params])


def case_number(text):
    """``text`` as a case's primary key, or None when no case can have it (not a number, or out of range)."""
    field = Case._meta.pk
    try:
        number = field.to_python(text)
    except ValidationError:
        return None
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    return number if number is not None and low <= number <= high else None
