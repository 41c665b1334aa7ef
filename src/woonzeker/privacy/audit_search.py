"""Searching the audit trail (NEN 7513): by person, by user and by period.

A person is found by name, BSN or contract number; the trail is then searched
for the entries that name one of their cases. ``case_ids`` is a JSON list. On
PostgreSQL it is ``jsonb`` with a GIN index (``audit/migrations/0004``), and an
entry names a case when its list contains it (``@>``): a few index lookups however
long the trail. SQLite cannot look into JSON that way: there the list is compared
as text with a pattern that matches a whole number only (12 does not find 112).
"""

import operator
import re
from datetime import datetime, time, timedelta
from functools import reduce

from django.db import connection
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from woonzeker.audit.models import AuditEntry
from woonzeker.cases.models import Case
from woonzeker.crypto import keyed_hash
from woonzeker.tenancies.models import typed_bsn

#: Case ids per pattern: keeps each regular expression short.
PATTERN_CHUNK = 200


def find_people(tenancies, query):
    """Households of ``tenancies`` matching ``query``: part of the name, or the whole BSN or contract number."""
    query = (query or "").strip()
    if not query:
        return tenancies.none()
    condition = Q(tenant_name__icontains=query) | Q(contract_number__iexact=query)
    if bsn := typed_bsn(re.sub(r"\D", "", query)):
        condition |= Q(bsn_hash=keyed_hash(bsn))  # the BSN is encrypted; its keyed hash finds it
    return tenancies.filter(condition, anonymised_on__isnull=True).order_by("tenant_name", "pk")


def case_ids_of(tenancies):
    return sorted(Case.objects.filter(tenancy__in=tenancies).values_list("pk", flat=True))


def about_cases(entries, case_ids):
    """The entries of ``entries`` that name at least one of ``case_ids``."""
    case_ids = sorted({int(pk) for pk in case_ids})
    if not case_ids:
        return entries.none()
    if connection.vendor == "postgresql":
        return containing_cases(entries, case_ids)
    return naming_cases_as_text(entries, case_ids)


def containing_cases(entries, case_ids):
    """PostgreSQL: entries whose case list contains one of ``case_ids`` (``@>``, through the GIN index)."""
    return entries.filter(reduce(operator.or_, (Q(case_ids__contains=[pk]) for pk in case_ids)))


def naming_cases_as_text(entries, case_ids):
    """Any database: entries whose case list, as text, holds one of ``case_ids`` as a whole number."""
    entries = entries.annotate(case_ids_text=Cast("case_ids", output_field=TextField()))
    condition = Q()
    for start in range(0, len(case_ids), PATTERN_CHUNK):
        numbers = "|".join(str(pk) for pk in case_ids[start : start + PATTERN_CHUNK])
        condition |= Q(case_ids_text__regex=rf"(^|[^0-9])({numbers})([^0-9]|$)")
    return entries.filter(condition)


def search(*, case_ids=None, username="", start=None, end=None, result=""):
    """The audit entries matching every criterion given, newest first.

    ``case_ids`` (None: any), ``username`` (exact, or part of it), ``start``/``end`` (dates, inclusive),
    ``result`` (granted, refused or failed; empty: any).
    """
    entries = AuditEntry.objects.all()
    if case_ids is not None:
        entries = about_cases(entries, case_ids)
    if username:
        entries = entries.filter(username__icontains=username.strip())
    if result:
        entries = entries.filter(result=result)
    if start:
        entries = entries.filter(at__gte=timezone.make_aware(datetime.combine(start, time.min)))
    if end:
        entries = entries.filter(at__lt=timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)))
    return entries.order_by("-at", "-pk")
