"""The full-text index over ``service_search.document``, one per engine.

SQLite: an external-content FTS5 table kept in step by triggers.
PostgreSQL: a generated ``tsvector`` column ('simple' config: our own normalization and
lemmas are already in the document) with a GIN index.
"""

from __future__ import annotations

from sqlalchemy import Connection

from directory.migrations import listing, vocabulary_version
from directory.migrations.ddl import run_ddl, run_for_engine

SQLITE_UP = [
    """CREATE VIRTUAL TABLE service_fts USING fts5(
           document, content='service_search', content_rowid='id',
           tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')""",
    """CREATE TRIGGER service_search_ai AFTER INSERT ON service_search BEGIN
           INSERT INTO service_fts(rowid, document) VALUES (new.id, new.document);
       END""",
    """CREATE TRIGGER service_search_ad AFTER DELETE ON service_search BEGIN
           INSERT INTO service_fts(service_fts, rowid, document) VALUES ('delete', old.id, old.document);
       END""",
    """CREATE TRIGGER service_search_au AFTER UPDATE ON service_search BEGIN
           INSERT INTO service_fts(service_fts, rowid, document) VALUES ('delete', old.id, old.document);
           INSERT INTO service_fts(rowid, document) VALUES (new.id, new.document);
       END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS service_search_au",
    "DROP TRIGGER IF EXISTS service_search_ad",
    "DROP TRIGGER IF EXISTS service_search_ai",
    "DROP TABLE IF EXISTS service_fts",
]
POSTGRES_UP = [
    """ALTER TABLE service_search ADD COLUMN tsv tsvector
           GENERATED ALWAYS AS (to_tsvector('simple', document)) STORED""",
    "CREATE INDEX ix_service_search_tsv ON service_search USING gin (tsv)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_service_search_tsv",
    "ALTER TABLE service_search DROP COLUMN IF EXISTS tsv",
]


# Prefix indexes: a prefix query ("polsk"*) of one of these lengths reads one index entry
# instead of merging the lists of every word that starts with it (all 32k documents holding
# a form of "pomoc", at 100k services). Search stems are 4 letters and longer, mostly up to 8
# (directory.text.analyze.prefix_stem). Migration 0001 created 2 3 4; 0004 rebuilt it with these.
SQLITE_PREFIXES = "2 3 4 5 6 7 8"


def rebuild_sqlite_fulltext(connection: Connection, prefixes: str = SQLITE_PREFIXES) -> None:
    """Recreate SQLite's ``service_fts`` with ``prefixes`` and index every document again."""
    if connection.dialect.name != "sqlite":
        return
    create = SQLITE_UP[0].replace("prefix='2 3 4'", f"prefix='{prefixes}'")
    assert f"prefix='{prefixes}'" in create
    run_ddl(connection, [*SQLITE_DOWN, create, *SQLITE_UP[1:],
                      "INSERT INTO service_fts(service_fts) VALUES ('rebuild')"])


# PostgreSQL: the GIN index in three slices of the documents, by the block of 64 ids a document's
# id falls in, modulo 16 (migration 0007): a sixteenth, three sixteenths, twelve sixteenths of the
# blocks, each (from, to) of the remainder. A text search reads the slices in turn and stops once
# its window is full, so a common word's bitmap is built for a slice, not for the whole table, and
# however common a word is the slice it stops in holds at most about three times the window's
# matches (had the slices before held a window, the search would have stopped there). Each slice
# is spread evenly through the table; blocks of 64 ids keep a slice's documents written together
# on the same table pages (a sample of a common word reads 25-30% fewer pages than with single
# ids). ``directory.services.search`` matches each slice by the same predicate, written the same
# way (literal numbers, so that a plan made without the query's values still uses the slice).
POSTGRES_SLICES = ((0, 1), (1, 4), (4, 16))
SLICE_MODULUS = 16
SLICE_BLOCK = 64
SLICE_INDEX = "ix_service_search_tsv_{slice}"
INDEXED = "tsv || search_prefixes(tsv)"  # the words and their prefix tokens (migration 0005)


def slice_predicate(number: int, table: str = "") -> str:
    """The condition of a slice of the index, on ``table``'s ``id`` (the index's own: no table)."""
    start, end = POSTGRES_SLICES[number]
    remainder = f"mod({table + '.' if table else ''}id / {SLICE_BLOCK}, {SLICE_MODULUS})"
    return f"{remainder} = {start}" if end == start + 1 else f"{remainder} BETWEEN {start} AND {end - 1}"


def split_postgres_index(connection: Connection) -> None:
    """One GIN index per slice in place of the whole one (PostgreSQL; 0007)."""
    run_for_engine(connection, sqlite=[], postgres=[
        *(f"CREATE INDEX {SLICE_INDEX.format(slice=number)} ON service_search USING gin (({INDEXED})) "
          f"WHERE {slice_predicate(number)}" for number in range(len(POSTGRES_SLICES))),
        "DROP INDEX IF EXISTS ix_service_search_tsv",
    ])


def join_postgres_index(connection: Connection) -> None:
    """The whole GIN index again (PostgreSQL; 0007's downgrade)."""
    run_for_engine(connection, sqlite=[], postgres=[
        f"CREATE INDEX IF NOT EXISTS ix_service_search_tsv ON service_search USING gin (({INDEXED}))",
        *(f"DROP INDEX IF EXISTS {SLICE_INDEX.format(slice=number)}" for number in range(len(POSTGRES_SLICES))),
    ])


def create_fulltext(connection: Connection) -> None:
    run_for_engine(connection, postgres=POSTGRES_UP, sqlite=SQLITE_UP)


def drop_fulltext(connection: Connection) -> None:
    run_for_engine(connection, postgres=POSTGRES_DOWN, sqlite=SQLITE_DOWN)


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """For autogenerate: the full-text objects (and the category listing, :mod:`.listing`, and the
    vocabulary's stamp, :mod:`.vocabulary_version`) live outside the models, so leave them be."""
    if type_ == "table" and name and (name.startswith("service_fts") or name in (listing.TABLE,
                                                                                   vocabulary_version.TABLE)):
        return False
    if type_ == "index" and name in listing.INDEXES:
        return False
    if type_ == "column" and name == "tsv":
        return False
    return not (type_ == "index" and name and name.startswith("ix_service_search_tsv"))
