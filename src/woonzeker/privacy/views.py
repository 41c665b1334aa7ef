"""The privacy officer's pages: the audit trail searched and exported, and access requests answered.

Only a privacy officer (``authorization.is_privacy_officer``) reaches them; every search, export and
access request is itself written to the audit trail.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from woonzeker.accounts.authorization import is_privacy_officer, privacy_tenancies
from woonzeker.audit import services as audit
from woonzeker.audit.models import AuditAction
from woonzeker.exports import csv_response
from woonzeker.privacy.access_request import as_json, subject_access
from woonzeker.privacy.audit_search import case_ids_of, find_people, search
from woonzeker.privacy.forms import AccessRequestForm, AuditSearchForm

PAGE_SIZE = 100
SEARCH_FIELDS = ("persoon", "gebruiker", "van", "tot", "resultaat")


def _officer(request, what, action=AuditAction.READ):
    """The privacy officer making this request; anyone else is refused, and the refusal is an audit entry."""
    if not is_privacy_officer(request.user):
        audit.record_refusal(request.user, action, what, request=request)
        raise PermissionDenied(_("Only a privacy officer may do this."))
    return request.user


def _criteria(data, people):
    """The search described for the audit trail, without the name searched for."""
    parts = []
    if data.get("persoon"):
        parts.append(f"person: households {[p.pk for p in people]}")
    if data.get("gebruiker"):
        parts.append(f"user: {data['gebruiker']}")
    if data.get("van") or data.get("tot"):
        parts.append(f"period: {data.get('van') or '…'} - {data.get('tot') or '…'}")
    if data.get("resultaat"):
        parts.append(f"result: {data['resultaat']}")
    return "; ".join(parts)


@login_required
def audit_search(request):
    exporting = request.GET.get("formaat") == "csv"
    if exporting:
        user = _officer(request, "audit trail export", AuditAction.EXPORT)
    else:
        user = _officer(request, "audit trail search")
    searching = any(request.GET.get(name) for name in SEARCH_FIELDS)
    form = AuditSearchForm(request.GET if searching else None)
    context = {"form": form, "people": [], "page": None, "querystring": ""}
    if form.is_valid():
        data = form.cleaned_data
        people = list(find_people(privacy_tenancies(user), data["persoon"])) if data["persoon"] else []
        case_ids = case_ids_of(people) if data["persoon"] else None
        entries = search(
            case_ids=case_ids, username=data["gebruiker"], start=data["van"], end=data["tot"], result=data["resultaat"]
        )
        criteria = _criteria(data, people)
        if exporting:
            audit.record(
                user, AuditAction.EXPORT, "audit trail export", cases=case_ids or [], reason=criteria, request=request
            )
            return csv_response(
                f"audittrail-{timezone.localdate():%Y%m%d}",
                [
                    _("At"),
                    _("User"),
                    _("Organisation"),
                    _("Role"),
                    _("Action"),
                    _("Result"),
                    _("What"),
                    _("Cases"),
                    _("Reason"),
                    _("From address"),
                ],
                (
                    [
                        timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                        e.username,
                        e.organisation,
                        e.role_shown,
                        e.get_action_display(),
                        e.get_result_display(),
                        e.what_shown,
                        " ".join(str(pk) for pk in e.case_ids),
                        e.reason,
                        e.address or "",
                    ]
                    for e in entries.iterator(chunk_size=2000)
                ),
            )
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("pagina"))
        page.object_list = list(page.object_list)  # read before this search is itself logged
        audit.record(
            user, AuditAction.READ, "audit trail search", cases=case_ids or [], reason=criteria, request=request
        )
        querystring = request.GET.copy()
        querystring.pop("pagina", None)
        querystring.pop("formaat", None)
        context.update(people=people, page=page, querystring=querystring.urlencode())
    return render(request, "privacy/audit_search.html", context, status=400 if form.errors else 200)


@login_required
def access_request(request, pk):
    """Everything stored about one household: a printable page or a JSON download, with a reason, logged."""
    user = _officer(request, f"access request for household {pk}", AuditAction.EXPORT)
    tenancy = get_object_or_404(privacy_tenancies(user).select_related("corporation", "municipality"), pk=pk)
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        data = subject_access(tenancy)
        download = "json" in request.POST
        audit.record(
            user,
            AuditAction.EXPORT,
            f"access request for household {tenancy.pk} ({'JSON' if download else 'page'})",
            cases=data["case_ids"],
            reason=reason,
            request=request,
        )
        if download:
            response = HttpResponse(
                as_json(data, tenancy=tenancy, reason=reason, requested_by=user),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = f'attachment; filename="inzage-{tenancy.pk}.json"'
            return response
        context = {"tenancy": tenancy, "data": data, "reason": reason, "generated_at": timezone.now()}
        return render(request, "privacy/access_report.html", context)
    return render(
        request,
        "privacy/access_request.html",
        {"tenancy": tenancy, "form": form},
        status=400 if form.errors else 200,
    )
