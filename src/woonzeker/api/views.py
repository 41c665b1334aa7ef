"""The API: thin views over the same services, forms and authorization as the pages."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from woonzeker.accounts.authorization import (
    MoveRefused,
    check_ledger_import,
    check_move,
    visible_cases,
    visible_ledger_imports,
)
from woonzeker.accounts.disclosure import NO, rule
from woonzeker.api.idempotency import answered_with, idempotent
from woonzeker.api.models import Scope
from woonzeker.api.permissions import HasScope
from woonzeker.api.problems import problem
from woonzeker.api.serializers import (
    CaseDetailSerializer,
    CaseSerializer,
    LedgerImportSerializer,
    LedgerUploadSerializer,
    case_detail,
    case_list_row,
    case_list_values,
    list_next_steps,
)
from woonzeker.audit import services as audit
from woonzeker.audit.models import AuditAction
from woonzeker.cases.constants import State
from woonzeker.cases.deadlines import DeadlineState
from woonzeker.cases.forms import MOVE_FORMS, NewSignalForm
from woonzeker.cases.models import Case
from woonzeker.cases.selectors import case_in_full, case_number, deadline_filter, with_open_deadline
from woonzeker.cases.workflow import MOVES
from woonzeker.ledgers.importing import queue_ledger
from woonzeker.ledgers.models import ImportChannel
from woonzeker.ledgers.reports import summary

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Optional. A retry with the same key is answered again (header Idempotent-Replayed: true) instead "
    "of doing the work twice: with the case (or import) as the caller may read it now, or 404 when it may no "
    "longer see it; the same key with another request is refused (422). Kept for a day.",
)

CASE_NUMBER = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The case number. A case the token's party may not see is a 404."
)

LIST_PARAMETERS = {"state", "deadline_state", "established_from", "established_to", "page"}


def _case_answer(request, pk, status_code=status.HTTP_200_OK):
    """Case ``pk`` in full as the caller may read it now (404 if they may not see it): the answer of a move and
    of a new signal, and of their replays."""
    case = _case(request, pk)
    data = case_detail(case, request.user, timezone.localdate())
    return answered_with(Response(data, status=status_code), case.pk)


def _replayed_case(request, pk, status_code):
    """A retried move or signal answered again: a new read of the case, checked and audited as one."""
    response = _case_answer(request, pk, status_code)
    audit.record(request.user, AuditAction.READ, f"API case {pk} (replayed answer)", cases=[pk], request=request)
    return response


def _case(request, pk, move=None):
    """Case ``pk`` in full if the token's party may see it; else 404, as for a case that does not exist.
    A case that does exist is a refused read (or ``move``) in the audit trail; the answer stays the 404."""
    case = case_in_full(request.user, pk)
    if case is None:
        number = case_number(pk)
        if number is not None and Case.objects.filter(pk=number).exists():
            action, what = (
                (AuditAction.CHANGE, f"API case {number}: {move}") if move else (AuditAction.READ, f"API case {number}")
            )
            audit.record_refusal(request.user, action, what, cases=[number], request=request)
        raise NotFound
    return case


def _ledger_answer(request, record):
    """A queued import: 202 Accepted, its status URL in ``Location``, and its status and progress so far
    (``GET`` that URL until ``status`` is ``imported`` or ``refused``; then it carries the report)."""
    record.refresh_from_db()  # as far as it got (a worker may have started it already)
    location = request.build_absolute_uri(reverse("ledger-detail", args=[record.pk]))
    response = Response(summary(record), status=status.HTTP_202_ACCEPTED, headers={"Location": location})
    return answered_with(response, record.pk)


def _replayed_ledger_import(request, pk, _status_code):
    """A retried upload answered again with its import's report, if the user may still see the import: a read
    of the report, audited as the report page audits it."""
    record = visible_ledger_imports(request.user).select_related("corporation").filter(pk=pk).first()
    if record is None:
        raise NotFound
    _audit_report_read(request, record, f"API ledger import {record.pk} report (replayed answer)")
    return _ledger_answer(request, record)


def _audit_report_read(request, record, what):
    """A report names the cases it opened, found missing or saw breach the current rent: their read is audited."""
    result = summary(record)
    listed = [missing["case"] for missing in result["missing"]] + result["current_rent_breach_cases"]
    audit.record(request.user, AuditAction.READ, what, cases=listed, request=request)


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The cases the token's organisation may see, as on its pages."""

    permission_classes = [HasScope]
    required_scopes = {"GET": Scope.CASES_READ, "POST": Scope.CASES_WRITE}
    serializer_class = CaseSerializer
    lookup_value_regex = "[0-9]+"  # a case number, in ASCII digits; anything else is not a case

    def get_queryset(self):
        """The list's cases, filtered by its parameters, as plain rows of the listed columns (``case_list_row``).
        One case is read by ``case_in_full`` instead (``_case``)."""
        cases = visible_cases(self.request.user)
        params = self.request.query_params
        unknown = sorted(set(params) - LIST_PARAMETERS)
        if unknown:
            raise ValidationError({name or "(empty)": "Unknown query parameter." for name in unknown})
        page = params.get("page")
        if page is not None and not (page.isascii() and page.isdigit() and int(page) >= 1):
            raise ValidationError({"page": "Give a page number from 1 on."})
        if "state" in params:
            state = params["state"]
            if state not in State.values:
                raise ValidationError({"state": f"Choose one of: {', '.join(State.values)}."})
            cases = cases.filter(state=state)
        if "deadline_state" in params:
            deadline = params["deadline_state"]
            allowed = [DeadlineState.OVERDUE, DeadlineState.DUE_SOON, DeadlineState.ON_TIME]
            if deadline not in allowed:
                raise ValidationError({"deadline_state": f"Choose one of: {', '.join(allowed)}."})
            cases = with_open_deadline(cases).filter(deadline_filter(deadline, timezone.localdate()))
        for name in ("established_from", "established_to"):
            if name in params and rule(self.request.user, "signal") == NO:
                # A filter on a date the reader may not read would tell it, one query at a time.
                raise ValidationError({name: "Your organisation does not read when arrears were established."})
            if name in params:
                value = params[name]
                try:
                    day = timezone.datetime.strptime(value, "%Y-%m-%d").date()
                except ValueError:
                    raise ValidationError({name: "Use a date like 2026-03-31."}) from None
                lookup = "established_on__gte" if name.endswith("from") else "established_on__lte"
                cases = cases.filter(**{lookup: day})
        return case_list_values(cases.order_by("pk"))

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action in ("retrieve", "move") else CaseSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=State.values),
            OpenApiParameter("deadline_state", str, enum=["overdue", "due_soon", "on_time"]),
            OpenApiParameter("established_from", OpenApiTypes.DATE),
            OpenApiParameter("established_to", OpenApiTypes.DATE),
        ]
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        steps = list_next_steps(request.user, page, timezone.localdate())
        rows = [case_list_row(row, request.user, steps.get(row["id"])) for row in page]
        audit.record(
            request.user, AuditAction.READ, "API case list", cases=[row["id"] for row in rows], request=request
        )
        return self.get_paginated_response(rows)

    @extend_schema(parameters=[CASE_NUMBER])
    def retrieve(self, request, *args, **kwargs):
        data = case_detail(_case(request, kwargs["pk"]), request.user, timezone.localdate())
        audit.record(request.user, AuditAction.READ, f"API case {kwargs['pk']}", cases=[kwargs["pk"]], request=request)
        return Response(data)

    @extend_schema(
        request=inline_serializer("MoveFields", fields={"field": serializers.CharField(required=False)}),
        description="Make one move of the workflow (see docs/architecture.md): the body holds the move's fields, "
        "as on its form, e.g. record_approach: channel, approached_on, reached ('yes'/'no'), result. "
        "Send `version` (the case's version you read) to have the move refused with 409 Conflict when someone "
        "else changed the case in the meantime.",
        responses={200: CaseDetailSerializer},
        parameters=[CASE_NUMBER, IDEMPOTENCY_KEY],
    )
    @action(detail=True, methods=["post"], url_path=r"moves/(?P<move>[a-z_]+)")
    @idempotent(replay=_replayed_case)
    def move(self, request, pk=None, move=None):
        if move not in MOVE_FORMS:
            raise NotFound(f"Unknown move: {move}.")
        case = _case(request, pk, move)
        _check_move(request, move, case)
        form = MOVE_FORMS[move](data=_form_data(request.data), case=case, user=request.user)
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        with transaction.atomic():  # the change and its audit entry, together or not at all
            form.perform()
            audit.record(
                request.user, AuditAction.CHANGE, f"API case {case.pk}: {move}", cases=[case.pk], request=request
            )
        return _case_answer(request, case.pk)  # afresh, with its codes as they are now

    @extend_schema(
        request=inline_serializer(
            "NewSignal",
            fields={
                "contract_number": serializers.CharField(),
                "tenant_name": serializers.CharField(),
                "street": serializers.CharField(),
                "house_number": serializers.CharField(),
                "house_number_suffix": serializers.CharField(required=False),
                "postcode": serializers.CharField(),
                "town": serializers.CharField(),
                "municipality": serializers.IntegerField(),
                "monthly_rent": serializers.DecimalField(max_digits=8, decimal_places=2),
                "arrears": serializers.DecimalField(max_digits=10, decimal_places=2),
                "established_on": serializers.DateField(),
            },
        ),
        responses={201: CaseDetailSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    @action(detail=False, methods=["post"], url_path="signals")
    @idempotent(replay=_replayed_case)
    def signals(self, request):
        """Establish arrears for a tenancy (a signal), as the New signal page does."""
        _check_move(request, "establish_signal")
        form = NewSignalForm(data=_form_data(request.data))
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        with transaction.atomic():
            case = form.perform(request.user)
            audit.record(
                request.user,
                AuditAction.CHANGE,
                f"API case {case.pk}: establish_signal",
                cases=[case.pk],
                request=request,
            )
        return _case_answer(request, case.pk, status.HTTP_201_CREATED)


def _check_move(request, move, case=None):
    """``check_move``, with a refusal written to the audit trail before the 403."""
    try:
        check_move(request.user, MOVES[move], case)
    except MoveRefused as refused:
        what = f"API case {case.pk}: {move}" if case is not None else f"API {move}"
        cases = [case.pk] if case is not None else []
        reason = str(refused.args[0]) if refused.args else ""
        audit.record_refusal(request.user, AuditAction.CHANGE, what, cases=cases, reason=reason, request=request)
        raise


def _form_data(data):
    """A JSON body as a form reads it: one text value per field; a list or object is a field error."""
    if not hasattr(data, "items"):
        raise ValidationError({"body": "Send a JSON object."})
    result = {}
    for key, value in data.items():
        if isinstance(value, list | dict):
            raise ValidationError({key: "A single value is expected."})
        result[key] = "" if value is None else str(value)
    return result


def _form_errors(form):
    return {field: [str(message) for message in messages] for field, messages in form.errors.items()}


class LedgerViewSet(viewsets.GenericViewSet):
    """Rent ledgers: the same import as the upload page and the command."""

    permission_classes = [HasScope]
    required_scopes = {"*": Scope.LEDGER_WRITE}
    serializer_class = LedgerImportSerializer

    def get_queryset(self):
        return visible_ledger_imports(self.request.user).select_related("corporation")

    @extend_schema(
        request={"multipart/form-data": LedgerUploadSerializer},
        responses={202: LedgerImportSerializer},
        parameters=[
            IDEMPOTENCY_KEY,
            OpenApiParameter(
                "Location",
                OpenApiTypes.URI,
                OpenApiParameter.HEADER,
                response=[202],
                description="The import's status URL: GET it until status is imported or refused.",
            ),
        ],
    )
    @idempotent(replay=_replayed_ledger_import)
    def create(self, request):
        check_ledger_import(request.user, request.user.organisation)
        upload = LedgerUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        with transaction.atomic():  # the queued import and its audit entry, together or not at all
            record = queue_ledger(request.user, request.user.organisation, file, file.name, ImportChannel.API)
            audit.record(request.user, AuditAction.CHANGE, f"API ledger import {record.pk} (queued)", request=request)
        return _ledger_answer(request, record)

    @extend_schema(responses=LedgerImportSerializer)
    def retrieve(self, request, pk=None):
        record = self.get_object()
        _audit_report_read(request, record, f"API ledger import {record.pk} report")
        return Response(summary(record))


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
@authentication_classes([])
def not_found(request, path=""):
    """Anything under /api/v1/ that is not an endpoint: a problem, not an HTML page."""
    return problem(status.HTTP_404_NOT_FOUND, "There is no such endpoint or object.")
