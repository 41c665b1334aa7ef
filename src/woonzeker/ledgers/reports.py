"""What an import did, in one shape for the page, the command and the API."""


def summary(record):
    report = record.report or {}
    return {
        "id": record.pk,
        "corporation": record.corporation.code,
        "filename": record.filename,
        "status": record.status,
        "stage": record.stage,
        "rows_applied": record.rows_applied,
        "progress_at": record.progress_at.isoformat() if record.progress_at else None,
        "reference_date": record.reference_date.isoformat() if record.reference_date else None,
        "sha256": record.sha256,
        "original_removed_on": record.original_removed_on.isoformat() if record.original_removed_on else None,
        "rows_read": record.rows_read,
        "signals_opened": record.signals_opened,
        "signals_resolved": record.signals_resolved,
        "current_rent_breaches": record.current_rent_breaches,
        "tenancies_missing": record.tenancies_missing,
        "unknown_columns": report.get("unknown_columns", []),
        "unknown_columns_omitted": report.get("unknown_columns_omitted", 0),
        "errors": report.get("errors", []),
        "current_rent_breach_cases": report.get("current_rent_breaches", []),
        "missing": report.get("missing", []),
        "seconds": report.get("seconds", {}),
    }
