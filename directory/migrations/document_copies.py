"""The service's status and municipality on its search document, kept exact by the database.

A free-text search gathers up to about a thousand matching search documents and keeps those
whose service is active or temporarily closed (and in the municipality asked for). Reading
that from ``service`` is one index lookup per candidate: about a quarter of a broad text
query's time on PostgreSQL at 100k services (see docs/search_latency.md). So
``service_search`` holds a copy of both columns, written by the database itself in the same
transaction, whoever writes:

- a new search document (or one moved to another service) takes them from its service;
- an update of a service's status or municipality reaches its document.

PostgreSQL: the document's trigger locks the service row it copies from (``FOR SHARE``), so a
concurrent change of that service either comes first and is copied, or waits for this
transaction and then updates the document itself. SQLite has one writer at a time.

SQLite: the full-text index's update trigger (``service_search_au``, migration 0001) fired on
any update of a document and rewrote its full-text entry; it now fires on an update of the
document's text or id only, so these copies cost the full-text index nothing. A migration that
recreates ``service`` or ``service_search`` (Alembic's batch mode) drops their triggers and
must call :func:`create_triggers` again.
"""

from __future__ import annotations

from sqlalchemy import Connection

from directory.migrations.ddl import run_ddl, run_for_engine

COLUMNS = ("status", "municipality_code")

_FILL = """UPDATE service_search SET status = (SELECT status FROM service WHERE service.id = service_search.service_id),
    municipality_code = (SELECT municipality_code FROM service WHERE service.id = service_search.service_id)"""

SQLITE_TRIGGERS = [
    """CREATE TRIGGER service_search_copies_ai AFTER INSERT ON service_search BEGIN
           UPDATE service_search SET (status, municipality_code) =
               (SELECT status, municipality_code FROM service WHERE service.id = new.service_id)
           WHERE id = new.id;
       END""",
    """CREATE TRIGGER service_search_copies_au AFTER UPDATE OF service_id ON service_search BEGIN
           UPDATE service_search SET (status, municipality_code) =
               (SELECT status, municipality_code FROM service WHERE service.id = new.service_id)
           WHERE id = new.id;
       END""",
    """CREATE TRIGGER service_copies_au AFTER UPDATE OF status, municipality_code ON service BEGIN
           UPDATE service_search SET status = new.status, municipality_code = new.municipality_code
           WHERE service_id = new.id;
       END""",
]
SQLITE_DROP_TRIGGERS = [f"DROP TRIGGER IF EXISTS {name}" for name in (
    "service_copies_au", "service_search_copies_au", "service_search_copies_ai")]

# The full-text index's update trigger (migration 0001), before and after.
SQLITE_FULLTEXT_UPDATE = """CREATE TRIGGER service_search_au AFTER UPDATE{columns} ON service_search BEGIN
           INSERT INTO service_fts(service_fts, rowid, document) VALUES ('delete', old.id, old.document);
           INSERT INTO service_fts(rowid, document) VALUES (new.id, new.document);
       END"""

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION service_search_copies() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            SELECT status, municipality_code INTO NEW.status, NEW.municipality_code
            FROM service WHERE service.id = NEW.service_id FOR SHARE;
            RETURN NEW;
        END $$""",
    """CREATE TRIGGER service_search_copies BEFORE INSERT OR UPDATE OF service_id
           ON service_search FOR EACH ROW EXECUTE FUNCTION service_search_copies()""",
    """CREATE FUNCTION service_copies() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE service_search SET status = NEW.status, municipality_code = NEW.municipality_code
            WHERE service_id = NEW.id;
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER service_copies AFTER UPDATE OF status, municipality_code
           ON service FOR EACH ROW EXECUTE FUNCTION service_copies()""",
]
POSTGRES_DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS service_copies ON service",
    "DROP FUNCTION IF EXISTS service_copies()",
    "DROP TRIGGER IF EXISTS service_search_copies ON service_search",
    "DROP FUNCTION IF EXISTS service_search_copies()",
]


def create_triggers(connection: Connection) -> None:
    run_for_engine(connection, postgres=POSTGRES_TRIGGERS, sqlite=SQLITE_TRIGGERS)


def create_copies(connection: Connection) -> None:
    """Fill the copies (the columns exist) and create the triggers that keep them."""
    run_for_engine(connection, postgres=[], sqlite=["DROP TRIGGER service_search_au",
                                                    SQLITE_FULLTEXT_UPDATE.format(columns=" OF id, document")])
    run_ddl(connection, [_FILL])
    create_triggers(connection)


def drop_copies(connection: Connection) -> None:
    """Drop the triggers (the columns are the migration's to drop)."""
    run_for_engine(connection, postgres=POSTGRES_DROP_TRIGGERS,
                   sqlite=[*SQLITE_DROP_TRIGGERS, "DROP TRIGGER service_search_au",
                           SQLITE_FULLTEXT_UPDATE.format(columns="")])
