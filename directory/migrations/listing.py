"""The category listing: each service's categories with what listing and counting them needs.

``category_listing`` holds one row per (taxonomy term, service) of ``service_term`` with a copy
of the service's municipality, status and name, so that "the services of a category" (in a
municipality, active first, by name) is one range of one index: counted without touching a
service row, paged without sorting (see :mod:`directory.services.search`). Without it, every
search by category looked up each of the category's services by id: some 10,000 random
lookups per query at 100k services.

The database keeps it exact, in the same transaction, whoever writes: triggers on
``service_term`` (insert, update, delete; cascades included) and on ``service`` (update of
municipality, status or name), and a cascading foreign key. Like the full-text index it lives
outside the models (autogenerate leaves it be: :func:`include_object`).

SQLite: a migration that recreates ``service`` or ``service_term`` (Alembic's batch mode
copies the table) drops their triggers; such a migration must call :func:`create_triggers`
again.
"""

from __future__ import annotations

from sqlalchemy import Connection

from directory.migrations.ddl import run_ddl, run_for_engine

TABLE = "category_listing"
INDEXES = ("ix_category_listing_municipality", "ix_category_listing_order", "ix_category_listing_service_id")

_COLUMNS = "taxonomy_term_id, service_id, municipality_code, status, name"
_FILL = f"""INSERT INTO {TABLE} ({_COLUMNS})
    SELECT service_term.taxonomy_term_id, service.id, service.municipality_code, service.status, service.name
    FROM service_term JOIN service ON service.id = service_term.service_id"""


def _table() -> list[str]:
    """The table and its indexes (the columns take the database's collation, like those of
    ``service``: searches sort names and ids in code point order with an explicit COLLATE)."""
    return [
        f"""CREATE TABLE {TABLE} (
               taxonomy_term_id VARCHAR(64) NOT NULL,
               service_id VARCHAR(64) NOT NULL,
               municipality_code VARCHAR(64),
               status VARCHAR(40) NOT NULL,
               name VARCHAR(500) NOT NULL,
               CONSTRAINT pk_{TABLE} PRIMARY KEY (taxonomy_term_id, service_id),
               CONSTRAINT fk_{TABLE}_service_id_service FOREIGN KEY (service_id)
                   REFERENCES service (id) ON DELETE CASCADE
           )""",
        # a category in a municipality, and a category everywhere
        f"CREATE INDEX {INDEXES[0]} ON {TABLE} (taxonomy_term_id, municipality_code, status, name, service_id)",
        f"CREATE INDEX {INDEXES[1]} ON {TABLE} (taxonomy_term_id, status, name, service_id)",
        f"CREATE INDEX {INDEXES[2]} ON {TABLE} (service_id)",
    ]


SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER category_listing_term_ai AFTER INSERT ON service_term BEGIN
           INSERT OR REPLACE INTO {TABLE} ({_COLUMNS})
           SELECT new.taxonomy_term_id, service.id, service.municipality_code, service.status, service.name
           FROM service WHERE service.id = new.service_id;
       END""",
    f"""CREATE TRIGGER category_listing_term_ad AFTER DELETE ON service_term BEGIN
           DELETE FROM {TABLE} WHERE taxonomy_term_id = old.taxonomy_term_id AND service_id = old.service_id;
       END""",
    f"""CREATE TRIGGER category_listing_term_au AFTER UPDATE OF service_id, taxonomy_term_id ON service_term BEGIN
           DELETE FROM {TABLE} WHERE taxonomy_term_id = old.taxonomy_term_id AND service_id = old.service_id;
           INSERT OR REPLACE INTO {TABLE} ({_COLUMNS})
           SELECT new.taxonomy_term_id, service.id, service.municipality_code, service.status, service.name
           FROM service WHERE service.id = new.service_id;
       END""",
    f"""CREATE TRIGGER category_listing_service_au AFTER UPDATE OF municipality_code, status, name ON service BEGIN
           UPDATE {TABLE} SET municipality_code = new.municipality_code, status = new.status, name = new.name
           WHERE service_id = new.id;
       END""",
]
SQLITE_DROP_TRIGGERS = [f"DROP TRIGGER IF EXISTS {name}" for name in (
    "category_listing_service_au", "category_listing_term_au", "category_listing_term_ad", "category_listing_term_ai")]

POSTGRES_TRIGGERS = [
    f"""CREATE FUNCTION category_listing_term() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                DELETE FROM {TABLE} WHERE taxonomy_term_id = OLD.taxonomy_term_id AND service_id = OLD.service_id;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO {TABLE} ({_COLUMNS})
                SELECT NEW.taxonomy_term_id, service.id, service.municipality_code, service.status, service.name
                FROM service WHERE service.id = NEW.service_id
                ON CONFLICT (taxonomy_term_id, service_id) DO UPDATE SET municipality_code = EXCLUDED.municipality_code,
                    status = EXCLUDED.status, name = EXCLUDED.name;
            END IF;
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER category_listing_term AFTER INSERT OR DELETE OR UPDATE OF service_id, taxonomy_term_id
           ON service_term FOR EACH ROW EXECUTE FUNCTION category_listing_term()""",
    f"""CREATE FUNCTION category_listing_service() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {TABLE} SET municipality_code = NEW.municipality_code, status = NEW.status, name = NEW.name
            WHERE service_id = NEW.id;
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER category_listing_service AFTER UPDATE OF municipality_code, status, name
           ON service FOR EACH ROW EXECUTE FUNCTION category_listing_service()""",
]
POSTGRES_DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS category_listing_service ON service",
    "DROP FUNCTION IF EXISTS category_listing_service()",
    "DROP TRIGGER IF EXISTS category_listing_term ON service_term",
    "DROP FUNCTION IF EXISTS category_listing_term()",
]


def create_triggers(connection: Connection) -> None:
    run_for_engine(connection, postgres=POSTGRES_TRIGGERS, sqlite=SQLITE_TRIGGERS)


def create_listing(connection: Connection) -> None:
    """Create the listing, its triggers, and fill it from the services' categories."""
    run_ddl(connection, _table())
    create_triggers(connection)
    run_ddl(connection, [_FILL])


def drop_listing(connection: Connection) -> None:
    run_for_engine(connection, postgres=POSTGRES_DROP_TRIGGERS, sqlite=SQLITE_DROP_TRIGGERS)
    run_ddl(connection, [f"DROP TABLE IF EXISTS {TABLE}"])
