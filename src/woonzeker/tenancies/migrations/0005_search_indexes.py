"""The work queue's search (``cases.selectors.search_filter``) through indexes on PostgreSQL.

Django writes ``icontains`` as ``UPPER(column::text) LIKE UPPER('%…%')`` and ``iexact`` as
``UPPER(column::text) = UPPER(…)``: trigram indexes (``pg_trgm``, a trusted extension a database owner
may create) on exactly those expressions, and on the postcode for ``startswith``, let a search read the
few matching households instead of every household's row. SQLite searches as before."""

from django.db import migrations

from woonzeker.migration_operations import IndexOnPostgreSQL, TrigramExtensionOnPostgreSQL

TABLE = "tenancies_tenancy"


def gather_statistics(apps, schema_editor):
    """The planner knows an indexed expression's values only after ANALYZE; until then it guesses."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ANALYZE {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [("tenancies", "0004_needless_indexes")]

    operations = [
        TrigramExtensionOnPostgreSQL(),
        IndexOnPostgreSQL("tenancy_name_search", TABLE, "USING gin (upper(tenant_name::text) gin_trgm_ops)"),
        IndexOnPostgreSQL("tenancy_street_search", TABLE, "USING gin (upper(street::text) gin_trgm_ops)"),
        IndexOnPostgreSQL("tenancy_postcode_search", TABLE, "USING gin (postcode gin_trgm_ops)"),
        IndexOnPostgreSQL("tenancy_contract_search", TABLE, "(upper(contract_number::text))"),
        migrations.RunPython(gather_statistics, migrations.RunPython.noop),
    ]
