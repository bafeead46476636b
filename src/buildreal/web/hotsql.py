"""Queries on the busiest paths, with their SQL text built once instead of per request.

Why: profiling the lesson page, the autosave and the quiz answer (issue 11) showed the
ORM spending 0.2 to 0.4 ms of Python building each statement (filters, joins, compiler)
while SQLite or PostgreSQL answered it in about 0.02 ms; with four to eight queries per
request that was most of the request. A ``Select`` here writes its statement from the
model's own table and column names the first time it runs on a connection, then only
binds new values: the values go through each field's ``get_db_prep_value`` and come back
through the same converters the ORM applies, so callers get exactly what the equivalent
``QuerySet`` would give (``tests/web/test_hotsql.py`` compares them on both databases).

Use it only where a profile shows the ORM's cost matters; everything else stays ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save

Converter = Callable[[Any, Any, Any], Any]


def _field(model: type[Model], name: str) -> Field:
    return model._meta.get_field(name)  # type: ignore[return-value]


def names(model: type[Model], alias: str = "default") -> tuple[str, dict[str, str]]:
    """The model's quoted table name, and its columns (table-qualified, quoted) by field
    name and attribute name, for statements a ``Select`` cannot express."""
    quote = connections[alias].ops.quote_name
    table = quote(model._meta.db_table)
    columns = {}
    for field in model._meta.concrete_fields:
        columns[field.name] = columns[field.attname] = f"{table}.{quote(field.column)}"
    return table, columns


class Select:
    """``SELECT <fields> FROM <model's table> WHERE <where> <suffix>``, built once.

    ``where`` (and ``suffix``) name columns by field name in braces, values as ``%s``:
    ``"{user} = %s AND {course_id} = %s"``; ``params`` names, in the same order, the
    field whose database form each value takes. ``fields`` are the selected fields
    (``None``: every concrete field, and ``instances`` builds model objects from them).
    ``for_update`` appends ``FOR UPDATE`` where the database has it (not SQLite, whose
    write transactions lock the whole database anyway).
    """

    def __init__(self, model: type[Model], fields: Sequence[str] | None, where: str,
                 params: Sequence[str], *, suffix: str = "", for_update: bool = False) -> None:
        self.model = model
        self.fields = [_field(model, name) for name in fields] if fields is not None else [
            field for field in model._meta.concrete_fields]
        self.attnames = [field.attname for field in self.fields]
        self.where = where
        self.params = [_field(model, name) for name in params]
        self.suffix = suffix
        self.for_update = for_update
        self.expressions: list[str] | None = None
        self._built: dict[str, tuple[str, list[tuple[int, list[Converter], Any]]]] = {}

    def _build(self, alias: str) -> tuple[str, list[tuple[int, list[Converter], Any]]]:
        built = self._built.get(alias)
        if built is None:
            connection = connections[alias]
            quote = connection.ops.quote_name
            table = self.model._meta.db_table
            columns = {field.name: f"{quote(table)}.{quote(field.column)}"
                       for field in self.model._meta.concrete_fields}
            columns.update({field.attname: columns[field.name]
                            for field in self.model._meta.concrete_fields})
            select = ", ".join(columns[field.name] for field in self.fields)
            if self.expressions is not None:
                select = ", ".join(self.expressions).format(**columns)
            sql = f"SELECT {select} FROM {quote(table)} WHERE {self.where.format(**columns)}"
            if self.suffix:
                sql += f" {self.suffix.format(**columns)}"
            if self.for_update and connection.features.has_select_for_update:
                sql += " FOR UPDATE"
            converters = []
            for index, field in enumerate(self.fields if self.expressions is None else ()):
                column = field.get_col(table)
                found = (connection.ops.get_db_converters(column)
                         + column.get_db_converters(connection))
                if found:
                    converters.append((index, found, column))
            built = self._built[alias] = (sql, converters)
        return built

    def rows(self, *values: Any, using: str = "default") -> list[tuple[Any, ...]]:
        """The matching rows as tuples of the selected fields' Python values."""
        sql, converters = self._build(using)
        connection = connections[using]
        prepared = [field.get_db_prep_value(value, connection, prepared=False)
                    for field, value in zip(self.params, values, strict=True)]
        with connection.cursor() as cursor:
            cursor.execute(sql, prepared)
            found = cursor.fetchall()
        if not converters:
            return [tuple(row) for row in found]
        out = []
        for row in found:
            row = list(row)
            for index, functions, column in converters:
                value = row[index]
                for function in functions:
                    value = function(value, column, connection)
                row[index] = value
            out.append(tuple(row))
        return out

    def instances(self, *values: Any, using: str = "default") -> list[Model]:
        """The matching rows as model instances (every concrete field selected)."""
        return [self.model.from_db(using, self.attnames, row)
                for row in self.rows(*values, using=using)]


class Aggregate(Select):
    """``SELECT <expressions>`` (SQL with ``{field}`` names: counts, groups, DISTINCT)
    over the model's table; rows come back as the database gives them, unconverted."""

    def __init__(self, model: type[Model], expressions: Sequence[str], where: str,
                 params: Sequence[str], *, suffix: str = "") -> None:
        super().__init__(model, [], where, params, suffix=suffix)
        self.expressions = list(expressions)

    def value(self, *values: Any, using: str = "default") -> Any:
        """The first column of the first row (a count, say)."""
        rows = self.rows(*values, using=using)
        return rows[0][0] if rows else None


class Insert:
    """``INSERT`` of one row into the model's table, built once.

    ``conflict`` and ``update`` make it an upsert (``ON CONFLICT (conflict) DO UPDATE SET
    field = EXCLUDED.field``, as ``bulk_create(update_conflicts=True)`` writes it, on
    SQLite and PostgreSQL alike). Values take each field's ``get_db_prep_save``.
    """

    def __init__(self, model: type[Model], fields: Sequence[str] | None = None, *,
                 conflict: Sequence[str] = (), update: Sequence[str] = ()) -> None:
        self.model = model
        self.fields = [_field(model, name) for name in fields] if fields is not None else [
            field for field in model._meta.concrete_fields if not field.primary_key]
        self.conflict = [_field(model, name) for name in conflict]
        self.update = [_field(model, name) for name in update]
        self._built: dict[tuple[str, int], str] = {}

    def _build(self, alias: str, count: int = 1) -> str:
        sql = self._built.get((alias, count))
        if sql is None:
            connection = connections[alias]
            quote = connection.ops.quote_name
            names = ", ".join(quote(field.column) for field in self.fields)
            marks = ", ".join([f"({', '.join(['%s'] * len(self.fields))})"] * count)
            sql = f"INSERT INTO {quote(self.model._meta.db_table)} ({names}) VALUES {marks}"
            if self.conflict:
                keys = ", ".join(quote(field.column) for field in self.conflict)
                sets = ", ".join(f"{quote(field.column)} = EXCLUDED.{quote(field.column)}"
                                 for field in self.update)
                sql += f" ON CONFLICT({keys}) DO UPDATE SET {sets}"
            self._built[alias, count] = sql
        return sql

    def create(self, instance: Model, using: str = "default") -> Model:
        """``instance.save()`` for a new row, as ``Model.save_base`` does it: ``pre_save``,
        the fields' own ``pre_save`` (``auto_now_add``), the insert, ``post_save`` with
        ``created=True``: receivers (wrong quiz answers becoming review cards) still run."""
        sender = type(instance)._meta.concrete_model
        pre_save.send(sender=sender, instance=instance, raw=False, using=using,
                      update_fields=None)
        values = [field.pre_save(instance, True) for field in self.fields]
        instance.pk = self.run(*values, using=using)
        instance._state.adding = False
        instance._state.db = using
        post_save.send(sender=sender, instance=instance, created=True, update_fields=None,
                       raw=False, using=using)
        return instance

    def run_many(self, rows: Sequence[Sequence[Any]], using: str = "default") -> None:
        """Write several rows with one statement (nothing for no rows)."""
        if not rows:
            return
        connection = connections[using]
        prepared = [field.get_db_prep_save(value, connection)
                    for row in rows for field, value in zip(self.fields, row, strict=True)]
        with connection.cursor() as cursor:
            cursor.execute(self._build(using, len(rows)), prepared)

    def run(self, *values: Any, using: str = "default") -> int:
        """Write the row; returns its primary key (on SQLite and PostgreSQL)."""
        connection = connections[using]
        sql = self._build(using)
        prepared = [field.get_db_prep_save(value, connection)
                    for field, value in zip(self.fields, values, strict=True)]
        pk = self.model._meta.pk
        with connection.cursor() as cursor:
            if connection.features.can_return_columns_from_insert:
                cursor.execute(f"{sql} RETURNING {connection.ops.quote_name(pk.column)}",
                               prepared)
                return cursor.fetchone()[0]
            cursor.execute(sql, prepared)
            return connection.ops.last_insert_id(cursor, self.model._meta.db_table,
                                                 pk.column)
