"""Uploading a ledger and reading its report: thin pages over ``importing.import_ledger``."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from woonzeker.accounts.authorization import ledger_import_refusal, visible_ledger_imports
from woonzeker.audit import services as audit
from woonzeker.audit.models import AuditAction
from woonzeker.ledgers.forms import LedgerUploadForm
from woonzeker.ledgers.importing import import_ledger
from woonzeker.ledgers.models import ImportChannel
from woonzeker.ledgers.reports import summary


@login_required
def ledger_imports(request):
    user = request.user
    refusal = ledger_import_refusal(user, user.organisation) if user.organisation_id else "-"
    if refusal:
        raise PermissionDenied(refusal)
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with transaction.atomic():  # the import and its audit entry, together or not at all
            record = import_ledger(user, user.organisation, upload, upload.name, ImportChannel.UPLOAD)
            audit.record(
                user, AuditAction.CHANGE, f"ledger import {record.pk} ({record.get_status_display()})", request=request
            )
        return redirect("ledgers:detail", pk=record.pk)
    imports = visible_ledger_imports(user).select_related("imported_by")[:50]
    return render(request, "ledgers/ledger_imports.html", {"form": form, "imports": imports})


@login_required
def ledger_import_detail(request, pk):
    record = get_object_or_404(visible_ledger_imports(request.user).select_related("corporation"), pk=pk)
    result = summary(record)
    listed = [m["case"] for m in result["missing"]] + result["current_rent_breach_cases"]
    audit.record(request.user, AuditAction.READ, f"ledger import {record.pk} report", cases=listed, request=request)
    return render(request, "ledgers/ledger_import_detail.html", {"record": record, "result": result})
