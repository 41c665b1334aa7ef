"""python manage.py import_ledger FILE --corporation CODE [--json]"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from woonzeker.audit import services as audit
from woonzeker.audit.models import AuditAction
from woonzeker.ledgers.importing import import_ledger
from woonzeker.ledgers.models import ImportChannel, ImportStatus
from woonzeker.ledgers.reports import summary
from woonzeker.organisations.models import Organisation, OrganisationKind


class Command(BaseCommand):
    help = "Import a corporation's rent ledger (CSV or XLSX) as the system operator."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--corporation", required=True, help="The corporation's code.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, file, corporation, json: bool, **options):
        try:
            organisation = Organisation.objects.get(code=corporation, kind=OrganisationKind.HOUSING_CORPORATION)
        except Organisation.DoesNotExist:
            raise CommandError(f"No housing corporation with code '{corporation}'.") from None
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        with transaction.atomic():  # the import and its audit entry, together or not at all
            record = import_ledger(None, organisation, file, file.name, ImportChannel.COMMAND)
            audit.record(
                None, AuditAction.CHANGE, f"ledger import {record.pk} ({record.get_status_display()}, command line)"
            )
        result = summary(record)
        if json:
            self.stdout.write(_json_dumps(result))
        else:
            self.stdout.write(_human(result))
        if record.status == ImportStatus.REFUSED:
            raise CommandError("The ledger was refused; nothing was changed.")


def _json_dumps(result):
    return json.dumps(result, indent=2, ensure_ascii=False, default=str)


def _human(result):
    lines = [
        f"Import {result['id']} of {result['filename']} for {result['corporation']}: {result['status']}",
        f"  reference date:          {result['reference_date'] or '-'}",
        f"  rows read:               {result['rows_read']}",
        f"  signals opened:          {result['signals_opened']}",
        f"  signals resolved:        {result['signals_resolved']}",
        f"  current-rent breaches:   {result['current_rent_breaches']}",
        f"  open cases not in file:  {result['tenancies_missing']}",
    ]
    if result["unknown_columns"]:
        omitted = f" and {result['unknown_columns_omitted']} more" if result["unknown_columns_omitted"] else ""
        lines.append(f"  unknown columns ignored: {', '.join(result['unknown_columns'])}{omitted}")
    for error in result["errors"]:
        where = ", ".join(
            part
            for part in [
                f"row {error['row']}" if error["row"] else "",
                f"column {error['column']}" if error["column"] else "",
                f"value '{error['value']}'" if error["value"] else "",
            ]
            if part
        )
        lines.append(f"  error: {where + ': ' if where else ''}{error['message']}")
    for missing in result["missing"]:
        lines.append(f"  not in file: contract {missing['contract_number']} (case {missing['case']})")
    return "\n".join(lines)
