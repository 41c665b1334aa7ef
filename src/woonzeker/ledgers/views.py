"""Uploading a ledger and reading its report: thin pages over ``importing.queue_ledger``.

The upload queues the import (the task worker runs it) and shows its page, which polls its progress
(htmx, every two seconds) until the report is there."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from woonzeker.accounts.authorization import ledger_import_refusal, visible_ledger_imports
from woonzeker.audit import services as audit
from woonzeker.audit.models import AuditAction
from woonzeker.ledgers.forms import LedgerUploadForm
from woonzeker.ledgers.importing import queue_ledger
from woonzeker.ledgers.models import UNFINISHED, ImportChannel, ImportStage
from woonzeker.ledgers.reports import summary


@login_required
def ledger_imports(request):
    user = request.user
    refusal = ledger_import_refusal(user, user.organisation)  # (an account without one is refused first)
    if refusal:
        raise PermissionDenied(refusal)
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with transaction.atomic():  # the queued import and its audit entry, together or not at all
            record = queue_ledger(user, user.organisation, upload, upload.name, ImportChannel.UPLOAD)
            audit.record(user, AuditAction.CHANGE, f"ledger import {record.pk} (queued)", request=request)
        return redirect("ledgers:detail", pk=record.pk)
    imports = visible_ledger_imports(user).select_related("imported_by")[:50]
    return render(request, "ledgers/ledger_imports.html", {"form": form, "imports": imports})


@login_required
def ledger_import_detail(request, pk):
    record = get_object_or_404(visible_ledger_imports(request.user).select_related("corporation"), pk=pk)
    result = summary(record)
    unfinished = record.status in UNFINISHED
    if not unfinished:  # a running import has no report yet: its progress names no case
        listed = [m["case"] for m in result["missing"]] + result["current_rent_breach_cases"]
        audit.record(request.user, AuditAction.READ, f"ledger import {record.pk} report", cases=listed, request=request)
    context = {"record": record, "result": result, "unfinished": unfinished, "stages": STAGES}
    context["stage_number"] = STAGES.index(record.stage) + 1 if record.stage in STAGES else len(STAGES)
    return render(request, "ledgers/ledger_import_detail.html", context)


#: The stages of an import in order, for its progress bar.
STAGES = [ImportStage.WAITING, ImportStage.READING, ImportStage.APPLYING, ImportStage.DONE]
