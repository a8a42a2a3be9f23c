"""Database helpers shared by the apps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import QuerySet


def insert_many(model: Any, varying: list[str], rows: Iterable[tuple], constant: dict[str, Any]) -> None:
    """Insert many rows with one prepared INSERT run many times.

    Django's bulk_create builds a model instance and prepares every field of every row in
    Python, which is most of the time of an assignment or a ranking at scale (30,000 reviews,
    10,000 audit events); here constant columns are prepared once and varying ones per row.
    """
    fields = {f.name: f for f in model._meta.concrete_fields}
    prepared = [fields[name].get_db_prep_save(value, connection) for name, value in constant.items()]
    varying_fields = [fields[name] for name in varying]
    columns = [f.column for f in varying_fields] + [fields[name].column for name in constant]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608 - names from the model
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    # SQLite runs a prepared statement many times fast. On PostgreSQL each column goes as one
    # array parameter through unnest(): one statement, few parameters to convert.
    if connection.vendor == "postgresql":
        data = [list(row) for row in rows]
        if not data:
            return
        arrays = [[f.get_db_prep_save(row[i], connection) for row in data] for i, f in enumerate(varying_fields)]
        const_types = [fields[name].db_type(connection) for name in constant]
        names = [f"c{i}" for i in range(len(varying_fields))]
        select = [f"v.{n}" for n in names] + [f"%s::{t}" for t in const_types]
        unnest = ", ".join(f"%s::{f.db_type(connection)}[]" for f in varying_fields)
        pg_sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608 - names from the model
            f"SELECT {', '.join(select)} FROM unnest({unnest}) AS v({', '.join(names)})"
        )
        with connection.cursor() as cursor:
            cursor.execute(pg_sql, [*prepared, *arrays])
        return
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append((*(f.get_db_prep_save(v, connection) for f, v in zip(varying_fields, row, strict=True)), *prepared))
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def filter_given(qs: QuerySet, **lookups: Any) -> QuerySet:
    """``qs`` filtered by each lookup whose value was given (not empty, None or 0): the
    optional filters of a list page or an API listing in one call."""
    given = {lookup: value for lookup, value in lookups.items() if value}
    return qs.filter(**given) if given else qs


def latest_and_count(queryset: QuerySet, shown: int) -> tuple[list[Any], int]:
    """The first ``shown`` rows of ``queryset`` and how many it holds in all, counted only
    when there may be more than those shown: a page's short list with its "all N" link."""
    rows = list(queryset[:shown])
    return rows, (len(rows) if len(rows) < shown else queryset.count())
