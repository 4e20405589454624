"""Health checks for load balancers and orchestrators.

``/healthz``: the process answers (no database). ``/readyz``: the database answers
and every migration is applied, so a new release takes traffic only once migrated.
Neither is cached, and gunicorn's access log leaves out their successes
(core.http.logs.GunicornLogger) so probes every few seconds do not drown the log.
"""

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    problem = readiness_problem()
    if problem:
        return JsonResponse({"status": "unavailable", "reason": problem}, status=503)
    return JsonResponse({"status": "ok"})


def readiness_problem(alias=DEFAULT_DB_ALIAS):
    """Why the site cannot serve yet, or "" when it can."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        # The class only: the message may name the database host or user.
        return f"database unavailable ({type(error).__name__})"
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
        return f"{len(plan)} unapplied migration(s): {names}{more}"
    return ""
