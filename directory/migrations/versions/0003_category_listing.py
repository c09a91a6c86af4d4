"""category listing: a category's services in display order, counted from one index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:00:00

Creates ``category_listing`` (one row per service category, with the service's municipality,
status and name), its indexes and the triggers that keep it exact, and fills it; see
:mod:`directory.migrations.listing`.
"""
from __future__ import annotations

from alembic import op

from directory.migrations.listing import create_listing, drop_listing

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_listing(op.get_bind())


def downgrade() -> None:
    drop_listing(op.get_bind())
