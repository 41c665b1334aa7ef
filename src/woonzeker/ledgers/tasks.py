"""Ledger imports as tasks (django-tasks, database backend; the worker is ``manage.py db_worker``).

The upload page and the API queue an import (``importing.queue_ledger``) and answer at once; the worker
runs ``import_ledger_task``, which imports the stored file. A task run twice imports once."""

from django_tasks import task

from woonzeker.ledgers import importing


@task()
def import_ledger_task(ledger_import_id):
    record = importing.import_stored(ledger_import_id)
    return {"ledger_import": record.pk, "status": record.status}


def requeue_unfinished():
    """Queue again every import left queued or running (a worker stopped mid-import); returns their ids."""
    from woonzeker.ledgers.models import UNFINISHED, LedgerImport

    ids = list(LedgerImport.objects.filter(status__in=UNFINISHED).values_list("pk", flat=True))
    for pk in ids:
        import_ledger_task.enqueue(pk)
    return ids
