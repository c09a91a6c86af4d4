"""search indexes: covering indexes for filtered and full-text search at 100k services

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:00:00

Each index lets a search step read an index alone instead of a table row per candidate:

- ix_service_lookup (id, status, municipality_code, name): from a full-text or category
  match (a service id) to what filters and ordering need;
- ix_service_listing (municipality_code, status, name, id): a municipality's services, in
  display order;
- ix_service_term_lookup (taxonomy_term_id, service_id): a category's services;
- ix_service_search_lookup (id, service_id): from a full-text row id to its service (SQLite:
  the document rows themselves are large);
- ix_schedule_lookup (service_id, byday, opens_at, closes_at, valid_from, valid_to): "open
  now" per candidate.
"""
from __future__ import annotations

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_service_lookup", "service", ["id", "status", "municipality_code", "name"]),
    ("ix_service_listing", "service", ["municipality_code", "status", "name", "id"]),
    ("ix_service_term_lookup", "service_term", ["taxonomy_term_id", "service_id"]),
    ("ix_service_search_lookup", "service_search", ["id", "service_id"]),
    ("ix_schedule_lookup", "schedule", ["service_id", "byday", "opens_at", "closes_at", "valid_from", "valid_to"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
