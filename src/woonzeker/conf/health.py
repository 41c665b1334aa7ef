"""Health endpoints for load balancers and orchestration: is the process up, and can it serve?"""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """The process is up (no database involved)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """The database answers and every migration is applied; 503 with the reason otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return JsonResponse({"status": "unavailable", "reason": f"database: {error.__class__.__name__}"}, status=503)
    if pending:
        return JsonResponse({"status": "unavailable", "reason": f"{len(pending)} migrations not applied"}, status=503)
    return JsonResponse({"status": "ready"})
