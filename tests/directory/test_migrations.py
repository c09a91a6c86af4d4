"""Migrations: up, down and up again on each engine, and the schema matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from directory.db import make_engine
from directory.migrations.fulltext import include_object
from directory.migrate import current_revision, downgrade, upgrade
from directory.models import Base


def test_upgrade_downgrade_upgrade(databases, backend):
    url = databases.new_url(backend)
    upgrade(url)
    assert current_revision(url) is not None
    downgrade(url, "base")
    assert current_revision(url) is None
    engine = make_engine(url)
    assert "service" not in inspect(engine).get_table_names()
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"service", "organization", "location", "translation", "audit_entry", "municipality_name"} <= tables


def test_migrated_schema_matches_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_fulltext_index_exists(engine):
    names = set(inspect(engine).get_table_names())
    if engine.dialect.name == "sqlite":
        assert "service_fts" in names
    else:
        columns = {c["name"] for c in inspect(engine).get_columns("service_search")}
        assert "tsv" in columns
