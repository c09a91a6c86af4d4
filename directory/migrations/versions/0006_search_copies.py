"""search copies: the service's status and municipality on its search document; a vocabulary stamp

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 21:00:00

Two things free-text search read per query and now reads in one place each, kept exact by
triggers (measured at 100k services: docs/search_latency.md):

- ``service_search.status`` and ``service_search.municipality_code``, copies of the service's
  (:mod:`directory.migrations.document_copies`): the text statement no longer looks up each
  candidate's service;
- ``vocabulary_version``, a stamp renewed by every change to taxonomy terms and their
  translations (:mod:`directory.migrations.vocabulary_version`): the category vocabulary's cache
  checks it instead of aggregating the translations.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from directory.migrations.document_copies import COLUMNS, create_copies, drop_copies
from directory.migrations.vocabulary_version import create_version, drop_version

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("service_search", sa.Column("status", sa.String(length=40), nullable=True))
    op.add_column("service_search", sa.Column("municipality_code", sa.String(length=64), nullable=True))
    create_copies(op.get_bind())
    create_version(op.get_bind())


def downgrade() -> None:
    drop_version(op.get_bind())
    drop_copies(op.get_bind())
    for column in reversed(COLUMNS):
        op.drop_column("service_search", column)
