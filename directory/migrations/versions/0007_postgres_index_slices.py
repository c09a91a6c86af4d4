"""postgres index slices: the full-text GIN index in three slices by document id

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 10:00:00

A free-text search ranks at most the first 1,001 matches (``EXACT_UP_TO`` in
``directory.services.search``), but a GIN index yields matches only as a bitmap of all of them,
built and sorted before the first row is read: for a category token shared by 14k of 100k
services that was 7 of a query's 13 ms. The index is now three partial indexes, on the documents
whose block of 64 ids, modulo 16 (``mod(id / 64, 16)``), is 0, 1 to 3, and 4 to 15
(:data:`directory.migrations.fulltext.POSTGRES_SLICES`); the search reads the slices in turn (a
UNION ALL under its LIMIT) and stops when the window is full. Each slice is spread evenly through the table, so the pages read of the last slice still
scale the estimated total. Measured at 100k services: docs/search_latency.md. SQLite: nothing
to do (FTS5 yields its matches in rowid order and stops by itself).
"""
from __future__ import annotations

from alembic import op

from directory.migrations.fulltext import join_postgres_index, split_postgres_index

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    split_postgres_index(op.get_bind())


def downgrade() -> None:
    join_postgres_index(op.get_bind())
