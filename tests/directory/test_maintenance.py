"""Planner statistics after bulk writes, on both engines."""

from __future__ import annotations

from sqlalchemy import Engine, text

from directory.services.maintenance import refresh_statistics


def test_refresh_statistics_analyzes_the_tables(engine: Engine) -> None:
    refresh_statistics(engine)
    refresh_statistics(engine)  # and again: nothing to trip over
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            analyzed = connection.execute(text(
                "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'municipality'")).scalar()
        else:
            analyzed = connection.execute(text(
                "SELECT count(*) > 0 FROM sqlite_stat1 WHERE tbl = 'municipality'")).scalar()
    assert analyzed
