"""Pages for cases: thin. Every case is read through ``authorization.visible_cases``; every change
goes through a form's ``perform``, which calls the service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from woonzeker.accounts.authorization import MoveRefused, allowed_moves, refusal, visible_cases
from woonzeker.accounts.disclosure import case_view, readable_deadlines
from woonzeker.audit import services as audit
from woonzeker.audit.models import AuditAction
from woonzeker.cases.constants import State
from woonzeker.cases.deadlines import deadlines_of
from woonzeker.cases.forms import MOVE_FORMS, NewSignalForm, QueueFilterForm, ReferResidentForm
from woonzeker.cases.models import Case
from woonzeker.cases.selectors import SCOPE_ALL, SCOPE_OPEN, next_steps, queue_counts, queue_page, work_queue
from woonzeker.cases.services import CaseChanged, SecondOpenCase
from woonzeker.cases.workflow import MOVES, moves_from
from woonzeker.organisations.models import OrganisationKind
from woonzeker.organisations.routing import UncoveredAddress, responsible_team

PAGE_SIZE = 50


@login_required
def case_list(request):
    """My work: what the user's organisation owes, soonest deadline first."""
    user = request.user
    if user.organisation_kind in (None, OrganisationKind.MUNICIPALITY):
        return render(request, "cases/no_personal_files.html")
    today = timezone.localdate()
    form = QueueFilterForm(request.GET or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = work_queue(
        user,
        visible_cases(user),
        today,
        scope=filters.get("scope") or SCOPE_OPEN,
        state=filters.get("state", ""),
        deadline=filters.get("deadline", ""),
        team=filters.get("team"),
        municipality=filters.get("municipality"),
        case_worker=filters.get("case_worker"),
        query=filters.get("q", ""),
    )
    counts = queue_counts(cases.order_by(), today)
    page = queue_page(cases, request.GET.get("pagina"), PAGE_SIZE, count=counts["total"])
    steps = next_steps(user, page.object_list, today)
    for case in page.object_list:
        case.next_step = steps.get(case.pk)
    querystring = request.GET.copy()
    querystring.pop("pagina", None)
    audit.record(user, AuditAction.READ, "work queue", cases=[case.pk for case in page.object_list], request=request)
    context = {
        "form": form,
        "page": page,
        "counts": counts,
        "shown": _queue_shown(filters),
        "today": today,
        "querystring": querystring.urlencode(),
    }
    template = "cases/_queue_table.html" if request.headers.get("HX-Request") else "cases/case_list.html"
    return render(request, template, context)


def _queue_shown(filters):
    """Which cases the queue holds, for its caption: "open", "all", or the label of the one state chosen."""
    if filters.get("state"):
        return State(filters["state"]).label
    return "all" if filters.get("scope") == SCOPE_ALL else "open"


def _visible_case(request, pk, what):
    """Case ``pk`` if the user may see it; else 404, as for a case that does not exist. A case that does
    exist is a refused ``what`` in the audit trail (the answer stays the same 404)."""
    related = ("tenancy", "covenant", "social_team", "corporation", "referred_by", "case_worker", "case_director")
    try:
        return get_object_or_404(visible_cases(request.user).select_related(*related), pk=pk)
    except Http404:
        if Case.objects.filter(pk=pk).exists():
            action = AuditAction.READ if what == "read" else AuditAction.CHANGE
            label = f"case {pk}" if what == "read" else f"case {pk}: {what}"
            audit.record_refusal(request.user, action, label, cases=[pk], request=request)
        raise


def _refused_move(request, move, reason, case=None):
    """A move the user may not make: in the audit trail, then the 403 it was."""
    what = f"case {case.pk}: {move}" if case is not None else move
    cases = [case.pk] if case is not None else []
    audit.record_refusal(request.user, AuditAction.CHANGE, what, cases=cases, reason=str(reason), request=request)
    raise PermissionDenied(reason)


def _detail_context(user, case, bound_form=None):
    today = timezone.localdate()
    moves = [m for m in allowed_moves(user, case, moves_from(case.state)) if m.name in MOVE_FORMS]
    forms_by_move = {}
    for move in moves:
        if bound_form is not None and bound_form.move == move.name:
            forms_by_move[move.name] = bound_form
        else:
            forms_by_move[move.name] = MOVE_FORMS[move.name](case=case, user=user, prefix=move.name)
    routed_team = None
    if "refer" in forms_by_move:
        try:
            routed_team = responsible_team(case.tenancy.municipality, case.tenancy.postcode)
        except ValidationError as error:
            routed_team = error.messages[0]
    # The template is handed the case as this reader may read it (``disclosure.case_view``), not the model.
    return {
        "case": case_view(user, case),
        "deadlines": readable_deadlines(user, deadlines_of(case, today)),
        "actions": [(move, forms_by_move[move.name]) for move in moves],
        "open_action": bound_form.move if bound_form is not None else "",
        "routed_team": routed_team,
    }


@login_required
def case_detail(request, pk):
    case = _visible_case(request, pk, "read")
    audit.record(request.user, AuditAction.READ, f"case {case.pk}", cases=[case.pk], request=request)
    return render(request, "cases/case_detail.html", _detail_context(request.user, case))


@login_required
@require_POST
def perform_move(request, pk, move):
    """Make one move on a case from its form; on a problem, show the case again with the errors."""
    if move not in MOVE_FORMS:
        raise Http404
    case = _visible_case(request, pk, move)
    reason = refusal(request.user, MOVES[move], case)
    if reason:
        _refused_move(request, move, reason, case)
    form = MOVE_FORMS[move](request.POST, case=case, user=request.user, prefix=move)
    status = 400
    if form.is_valid():
        try:
            with transaction.atomic():  # the change and its audit entry, together or not at all
                form.perform()
                audit.record(
                    request.user, AuditAction.CHANGE, f"case {case.pk}: {move}", cases=[case.pk], request=request
                )
        except MoveRefused as refused:
            _refused_move(request, move, refused.args[0] if refused.args else "", case)
        except CaseChanged as error:
            # Show the case as it is now; the user's input stays in the form, now on the current version,
            # so saving it again is a choice made knowing what changed.
            messages.error(request, error.messages[0])
            status = 409
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Done: %(move)s.") % {"move": MOVES[move].label})
            return redirect("cases:detail", pk=case.pk)
    case.refresh_from_db()
    if status == 409:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = str(case.version)
    return render(request, "cases/case_detail.html", _detail_context(request.user, case, form), status=status)


def _open_case_page(request, move, form_class, template, success_message):
    """A page that opens a case (a signal, a Veilig Thuis referral) through its form's ``perform``."""
    user = request.user
    reason = refusal(user, MOVES[move])
    if reason:
        _refused_move(request, move, reason)
    form = form_class(request.POST or None)
    open_case = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the new case and its audit entry, together or not at all
                case = form.perform(user)
                audit.record(user, AuditAction.CHANGE, f"case {case.pk}: {move}", cases=[case.pk], request=request)
        except UncoveredAddress as error:
            form.add_error("postcode", error.messages)
        except SecondOpenCase as error:
            form.add_error(None, error.messages)
            open_case = error.case_pk  # None for a case the user may not see: no link, no number
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, success_message(case))
            return redirect("cases:detail", pk=case.pk)
    context = {"form": form, "open_case": open_case}
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
def new_signal(request):
    """A corporation establishes arrears by hand."""
    return _open_case_page(
        request,
        "establish_signal",
        NewSignalForm,
        "cases/new_signal.html",
        lambda case: _("The signal was recorded. Record your active approach of the tenant next."),
    )


@login_required
def refer_resident(request):
    """Veilig Thuis refers a resident with rent arrears to the social team of their address."""
    return _open_case_page(
        request,
        "refer_from_safe_home",
        ReferResidentForm,
        "cases/refer_resident.html",
        lambda case: _("The resident was referred to %(team)s.") % {"team": case.social_team},
    )
