"""Pages for cases: thin, every case read through ``authorization.visible_cases``."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from woonzeker.accounts.authorization import may_make, visible_cases
from woonzeker.cases.constants import OPEN_STATES
from woonzeker.cases.deadlines import deadlines_of
from woonzeker.cases.models import Analysis
from woonzeker.cases.selectors import with_open_deadline
from woonzeker.cases.workflow import moves_from
from woonzeker.organisations.models import OrganisationKind


@login_required
def case_list(request):
    user = request.user
    if user.organisation_kind == OrganisationKind.MUNICIPALITY or user.organisation_id is None:
        return render(request, "cases/no_personal_files.html")
    cases = (
        with_open_deadline(visible_cases(user).filter(state__in=OPEN_STATES))
        .select_related("tenancy", "social_team", "corporation")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    page = Paginator(cases, 50).get_page(request.GET.get("pagina"))
    return render(request, "cases/case_list.html", {"page": page, "today": timezone.localdate()})


@login_required
def case_detail(request, pk):
    user = request.user
    case = get_object_or_404(
        visible_cases(user).select_related("tenancy", "covenant", "social_team", "corporation", "referred_by"), pk=pk
    )
    analysis = Analysis.objects.filter(case=case).prefetch_related("problems").first()
    is_team = user.organisation_id == case.social_team_id
    context = {
        "case": case,
        "deadlines": deadlines_of(case, timezone.localdate()),
        "analysis": analysis,
        # Internal notes never leave the social team.
        "show_internal_notes": is_team,
        "events": case.events.select_related("actor", "organisation"),
        "approaches": case.approaches.all(),
        "involvements": case.involvements.select_related("organisation"),
        "milestones": case.milestones.all(),
        "moves": [m for m in moves_from(case.state) if may_make(user, m, case)],
    }
    return render(request, "cases/case_detail.html", context)
