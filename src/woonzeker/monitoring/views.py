"""The monitoring pages and downloads: aggregates only, for municipalities and coordinators."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from woonzeker.accounts.authorization import may_export_ddas, may_view_monitoring
from woonzeker.audit import services as audit
from woonzeker.audit.models import AuditAction
from woonzeker.covenants.models import Covenant
from woonzeker.exports import csv_response, xlsx_response
from woonzeker.monitoring import ddas
from woonzeker.monitoring.council_report import council_report_pdf
from woonzeker.monitoring.figures import Selection
from woonzeker.monitoring.forms import DdasExportForm, SelectionForm
from woonzeker.monitoring.models import Refresh
from woonzeker.monitoring.periods import parse_period
from woonzeker.monitoring.tables import dashboard_tables


def _selection(request):
    if not may_view_monitoring(request.user):
        raise PermissionDenied
    covenant = Covenant.objects.order_by("-starts_on").first()
    if covenant is None:
        raise Http404
    today = timezone.localdate()
    form = SelectionForm(request.GET or None, covenant=covenant, today=today)
    chosen = form.cleaned_data if form.is_valid() else {}
    period = parse_period(chosen.get("periode"), covenant, today)
    selection = Selection(
        covenant,
        period,
        municipality=chosen.get("gemeente"),
        corporation=chosen.get("corporatie"),
        social_team=chosen.get("team"),
    )
    return today, form, selection


def _narrowed(query, parameter, value):
    query = query.copy()
    query[parameter] = value
    return query.urlencode()


@login_required
def dashboard(request):
    today, form, selection = _selection(request)
    covenant, period = selection.covenant, selection.period
    tables = dashboard_tables(selection, today)
    for table in tables:
        # A drill-down keeps the period and the selection so far, and narrows it further.
        table.links = [_narrowed(request.GET, parameter, value) for parameter, value in table.links]
    context = {
        "covenant": covenant,
        "form": form,
        "period": period,
        "scope": ", ".join(str(v) for v in selection.scope().values()) or covenant.region,
        "refreshed": Refresh.objects.order_by("-refreshed_at").first(),
        "tables": tables,
        "querystring": request.GET.urlencode(),
        "year": period.start.year,
        "ddas_form": DdasExportForm(covenant=covenant, today=today) if may_export_ddas(request.user) else None,
    }
    return render(request, "monitoring/dashboard.html", context)


@login_required
def export(request, key, extension):
    today, _form, selection = _selection(request)
    period = selection.period
    tables = {table.key: table for table in dashboard_tables(selection, today)}
    if key not in tables:
        raise Http404
    table = tables[key]
    filename = f"woonzeker-{key}-{period.key}"
    if extension == "csv":
        return csv_response(filename, table.headers, table.rows)
    return xlsx_response(filename, table.title, table.headers, table.rows)


@login_required
def council_report(request, year):
    today, _form, selection = _selection(request)
    pdf = council_report_pdf(selection.covenant, year, selection.scope(), today)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="raadsrapportage-{year}.pdf"'
    return response


@login_required
@require_POST
def ddas_export(request):
    """The DDAS Vroegsignalering file of the user's municipality; every download is in the audit trail."""
    if not may_export_ddas(request.user):
        audit.record_refusal(request.user, AuditAction.EXPORT, "DDAS export", request=request)
        raise PermissionDenied
    organisation = request.user.organisation
    covenant = Covenant.objects.order_by("-starts_on").first()
    today = timezone.localdate()
    form = DdasExportForm(request.POST, covenant=covenant, today=today)
    if not form.is_valid():
        return render(request, "monitoring/ddas_refused.html", {"form": form}, status=400)
    period = parse_period(form.cleaned_data["periode"], covenant, today)
    cases = list(ddas.cases_for(organisation.municipality, period))
    document = ddas.exchange_file(organisation.municipality, organisation, request.user, period, cases)
    audit.record(
        request.user,
        AuditAction.EXPORT,
        f"DDAS Vroegsignalering {organisation.municipality} {period.label}",
        cases=[case.pk for case in cases],
        reason=form.cleaned_data["reden"],
        request=request,
    )
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    filename = f"ddas-{organisation.municipality.cbs_code}-{period.key}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
