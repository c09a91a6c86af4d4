"""fulltext prefixes: SQLite's full-text index also indexes prefixes of 5 to 8 letters

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 14:20:00

Search matches words by their stems as prefixes ("polskiego" -> "polsk"*); FTS5 answers a
prefix from its own index only for the prefix lengths it was created with (2 3 4), and
otherwise merges the lists of every indexed word that starts with it. Recreates
``service_fts`` with ``prefix='2 3 4 5 6 7 8'`` and rebuilds it from ``service_search``
(an index about 1.75 times as large; a free-text search in a municipality at 100k services does
about 40% less full-text work). PostgreSQL: nothing to do (GIN handles prefixes itself).
"""
from __future__ import annotations

from alembic import op

from directory.migrations.fulltext import SQLITE_PREFIXES, rebuild_sqlite_fulltext

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    rebuild_sqlite_fulltext(op.get_bind(), SQLITE_PREFIXES)


def downgrade() -> None:
    rebuild_sqlite_fulltext(op.get_bind(), "2 3 4")
