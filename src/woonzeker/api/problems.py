"""Errors as RFC 9457 problem details, with field-level messages."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import exception_handler

from woonzeker.cases.services import CaseChanged, SecondOpenCase

TITLES = {
    400: "Invalid request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    415: "Unsupported media type",
    422: "Unprocessable request",
    429: "Too many requests",
}


def _field_errors(detail, prefix=""):
    if isinstance(detail, dict):
        errors = []
        for field, value in detail.items():
            name = f"{prefix}.{field}" if prefix else str(field)
            errors += _field_errors(value, "" if field in ("non_field_errors", "__all__") else name)
        return errors
    if isinstance(detail, list):
        return [error for item in detail for error in _field_errors(item, prefix)]
    return [{"field": prefix or None, "message": str(detail)}]


def problem(status_code, detail, errors=None):
    body = {"type": "about:blank", "title": TITLES.get(status_code, "Error"), "status": status_code, "detail": detail}
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, content_type="application/problem+json")


def problem_details_handler(exc, context):
    if isinstance(exc, CaseChanged):
        return problem(status.HTTP_409_CONFLICT, exc.messages[0])
    if isinstance(exc, SecondOpenCase):
        # The open case, by its address in this API, only when the client may read it (``case_pk`` is None else).
        result = problem(status.HTTP_400_BAD_REQUEST, exc.messages[0], [{"field": None, "message": exc.messages[0]}])
        if exc.case_pk is not None:
            result.data["open_case"] = reverse("case-detail", args=[exc.case_pk], request=context.get("request"))
        return result
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
        result = problem(status.HTTP_400_BAD_REQUEST, detail, errors)
    else:
        result = problem(response.status_code, str(exc.detail) if hasattr(exc, "detail") else str(exc))
    for header in ("WWW-Authenticate", "Retry-After"):
        if header in response:
            result[header] = response[header]
    return result
