"""One model and the related ones it always needs, read in one statement composed once per process.

The ORM composes a ``select_related`` query anew on every request; for the API's hottest reads (the
token of every request, one case in full) composing cost more than running it (docs/decisions.md).
``Joined`` writes the same SELECT once, from the models' own metadata, and loads each row as
``select_related`` would: model instances with their related objects cached, values converted by the
same converters (aware datetimes, decimals, JSON). Who may see which row is still the ORM's to say:
callers pass a condition, such as a subquery of ``visible_cases``.
"""

# ruff: noqa: S608 -- only the models' own table and column names are formatted into the SQL;
# values are always parameters.

import functools

from django.db import connection


class Joined:
    """``model`` with ``paths`` (``"tenancy"``, ``"user__organisation"``, a reverse one-to-one such as
    ``"analysis"``) joined in; the base table's alias is ``t0``."""

    def __init__(self, model, *paths):
        self.model = model
        self.paths = paths

    @functools.cached_property
    def _plan(self):
        quote = connection.ops.quote_name
        nodes = [(None, "t0", self.model, None)]  # (parent node index, alias, model, relation)
        found = {"": 0}
        joins = []
        for path in self.paths:
            parent_path, _, name = path.rpartition("__")
            parent = found[parent_path]
            _index, parent_alias, parent_model, _relation = nodes[parent]
            relation = parent_model._meta.get_field(name)
            alias = f"t{len(nodes)}"
            related = relation.related_model
            if relation.concrete:  # a foreign key on the parent
                on = f"{alias}.{quote(relation.target_field.column)} = {parent_alias}.{quote(relation.column)}"
            else:  # a reverse one-to-one: the key is on the related model
                on = f"{alias}.{quote(relation.field.column)} = {parent_alias}.{quote(parent_model._meta.pk.column)}"
            joins.append(f"LEFT JOIN {quote(related._meta.db_table)} {alias} ON {on}")
            found[path] = len(nodes)
            nodes.append((parent, alias, related, relation))
        columns, converters, layout = [], [], []
        for _parent, alias, model, _relation in nodes:
            fields = model._meta.concrete_fields
            names = [field.attname for field in fields]
            layout.append((len(columns), names, names.index(model._meta.pk.attname)))
            for field in fields:
                col = field.get_col(alias)
                functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                if functions:
                    converters.append((len(columns), col, functions))
                columns.append(f"{alias}.{quote(field.column)}")
        select = f"SELECT {', '.join(columns)} FROM {quote(self.model._meta.db_table)} t0 {' '.join(joins)}"
        return select, nodes, layout, converters

    def first(self, condition, params):
        """The first row ``WHERE condition`` (SQL over the aliases ``t0``, ``t1``, …), loaded; None if none."""
        select, nodes, layout, converters = self._plan
        with connection.cursor() as cursor:
            cursor.execute(f"{select} WHERE {condition}", params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for position, col, functions in converters:
            for convert in functions:
                row[position] = convert(row[position], col, connection)
        objects = []
        for (parent, _alias, model, relation), (start, names, pk) in zip(nodes, layout, strict=True):
            values = row[start : start + len(names)]
            instance = None if values[pk] is None else model.from_db(connection.alias, names, values)
            objects.append(instance)
            if parent is None or objects[parent] is None:
                continue
            relation.set_cached_value(objects[parent], instance)  # the parent's case.tenancy, case.analysis
            if instance is not None and not relation.concrete:  # and the way back: analysis.case
                relation.field.set_cached_value(instance, objects[parent])
        return objects[0]
