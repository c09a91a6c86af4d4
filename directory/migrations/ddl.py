"""Running the hand-written DDL of the search tables (triggers, functions, tables outside the models)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection


def run_ddl(connection: Connection, statements: Sequence[str]) -> None:
    """Each statement as written (no bound parameters: ``%`` and ``:`` are left alone)."""
    for statement in statements:
        connection.exec_driver_sql(statement)


def run_for_engine(connection: Connection, *, postgres: Sequence[str], sqlite: Sequence[str]) -> None:
    """The statements for this connection's engine."""
    run_ddl(connection, postgres if connection.dialect.name == "postgresql" else sqlite)
