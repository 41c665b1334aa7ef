"""Schema operations for large tables of a running system, and indexes only PostgreSQL has.

On PostgreSQL an index is built and dropped ``CONCURRENTLY``: writers go on while it is built, which on
a table of a million cases takes seconds rather than a blocked application. Elsewhere (SQLite) the plain
operation runs. A migration using them sets ``atomic = False``: ``CONCURRENTLY`` runs outside a transaction.
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently, TrigramExtension
from django.db import migrations
from django.db.migrations.operations.base import Operation


class _ConcurrentlyOnPostgreSQL:
    """The ``CONCURRENTLY`` operation it is mixed into on PostgreSQL; ``plain``, its base operation, elsewhere."""

    plain = None

    def _run(self, direction, app_label, schema_editor, from_state, to_state):
        arguments = (app_label, schema_editor, from_state, to_state)
        if schema_editor.connection.vendor == "postgresql":
            return getattr(super(), direction)(*arguments)
        return getattr(self.plain, direction)(self, *arguments)

    def database_forwards(self, *arguments):
        return self._run("database_forwards", *arguments)

    def database_backwards(self, *arguments):
        return self._run("database_backwards", *arguments)


class AddIndexWithoutBlocking(_ConcurrentlyOnPostgreSQL, AddIndexConcurrently):
    plain = migrations.AddIndex


class RemoveIndexWithoutBlocking(_ConcurrentlyOnPostgreSQL, RemoveIndexConcurrently):
    plain = migrations.RemoveIndex


class AddUniqueConstraintWithoutBlocking(migrations.AddConstraint):
    """``AddConstraint``; on PostgreSQL its index is built ``CONCURRENTLY`` first, then adopted by the constraint."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        table, name = quote(model._meta.db_table), quote(self.constraint.name)
        columns = ", ".join(quote(model._meta.get_field(field).column) for field in self.constraint.fields)
        schema_editor.execute(f"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} ({columns})")
        schema_editor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE USING INDEX {name}")
        return None


class IndexOnPostgreSQL(Operation):
    """An index the models do not describe, for PostgreSQL only: an expression under an operator class, such as
    a trigram index for ``icontains``. Built ``CONCURRENTLY``; elsewhere (SQLite) nothing is done."""

    reversible = True

    def __init__(self, name, table, definition):
        self.name, self.table, self.definition = name, table, definition

    def state_forwards(self, app_label, state):
        pass  # not part of Django's model state: makemigrations neither sees nor repeats it

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            quote = schema_editor.quote_name
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {quote(self.name)} ON {quote(self.table)} {self.definition}"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"Create index {self.name} on {self.table} (PostgreSQL only)"

    def deconstruct(self):
        return self.__class__.__name__, [self.name, self.table, self.definition], {}


class TrigramExtensionOnPostgreSQL(TrigramExtension):
    """``pg_trgm`` on PostgreSQL; nothing elsewhere, backwards too (Django's own asks SQLite for extensions)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
