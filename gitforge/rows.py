"""Model instances from hand-written SQL, for the reads every API request makes (its token, its
repository), where building the ORM query costs several times running it.

A `Selected` names a model's columns under a table alias for the SELECT list, and builds the
instance from its slice of a row, converting values as the ORM does (JSON, SQLite's dates).
`hot_cursor` runs such statements, and the status writes, so that PostgreSQL plans each once
per connection.
"""

import time
from contextlib import contextmanager
from functools import cached_property

from django.db import NotSupportedError, connections, router


class Selected:
    def __init__(self, model, alias: str) -> None:
        self.model = model
        self.alias = alias
        self._converters: dict[str, list] = {}

    @cached_property
    def fields(self) -> list:
        return list(self.model._meta.concrete_fields)

    @cached_property
    def columns(self) -> str:
        """The SELECT list of the model's columns."""
        return ", ".join(f'{self.alias}."{field.column}"' for field in self.fields)

    @cached_property
    def names(self) -> list[str]:
        return [field.attname for field in self.fields]

    @property
    def width(self) -> int:
        return len(self.fields)

    def instance(self, row, start: int, using: str):
        """The model instance from row[start:start + width]."""
        values = list(row[start : start + self.width])
        for index, functions, expression in self.converters(using):
            for convert in functions:
                values[index] = convert(values[index], expression, connections[using])
        return self.model.from_db(using, self.names, values)

    def converters(self, using: str) -> list:
        if using not in self._converters:
            connection = connections[using]
            found = []
            for index, field in enumerate(self.fields):
                column = field.get_col(self.model._meta.db_table)
                functions = connection.ops.get_db_converters(column) + column.get_db_converters(
                    connection
                )
                if functions:
                    found.append((index, functions, column))
            self._converters[using] = found
        return self._converters[using]


def fetch_row(model, sql: str, params) -> tuple[tuple | None, str]:
    """The first row of `sql`, run on the database `model` is read from, and that database."""
    using = router.db_for_read(model)
    with hot_cursor(connections[using]) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone(), using


@contextmanager
def hot_cursor(connection):
    """A cursor for the few statements nearly every request runs. On PostgreSQL it binds
    parameters on the server, so psycopg prepares a statement once it has run `prepare_threshold`
    times on a connection (see settings) and PostgreSQL stops planning it anew; planning these
    joins costs more than running them. Django's own cursors bind on the client, so no other
    statement is prepared. While queries are logged (DEBUG, or a test capturing them) it is
    Django's own cursor, whose log shows each statement with its values.

    A migration that changes the type of a column a prepared statement returns makes PostgreSQL
    refuse that statement on every connection that prepared it ("cached plan must not change
    result type"), so such a connection is closed when its request ends and the next one
    prepares the statement anew."""
    if connection.vendor != "postgresql" or connection.queries_logged:
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = connection.make_cursor(psycopg.Cursor(connection.connection))
    with cursor:
        try:
            yield cursor
        except NotSupportedError:
            connection.close_at = time.monotonic()
            raise
