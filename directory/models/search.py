"""The search document of a service: normalized words and lemmas of all its text in all languages.

The engines index it: SQLite FTS5 (``service_fts``, external content) or PostgreSQL
(``tsv`` generated column with a GIN index); both are created by the migrations. So is the
other tables search reads without a model: ``category_listing`` (a category's services in
display order, kept by triggers: :mod:`directory.migrations.listing`) and ``vocabulary_version``
(:mod:`directory.migrations.vocabulary_version`).

``status`` and ``municipality_code`` are copies of the service's, written by the database's
triggers whoever writes (:mod:`directory.migrations.document_copies`); leave them to it.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from directory.models.base import Base, enum_column
from directory.models.enums import ServiceStatus


class SearchDocument(Base):
    __tablename__ = "service_search"
    __table_args__ = (Index("ix_service_search_lookup", "id", "service_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    service_id: Mapped[str] = mapped_column(String(64), ForeignKey("service.id", ondelete="CASCADE"), unique=True)
    document: Mapped[str] = mapped_column(Text)
    status: Mapped[ServiceStatus | None] = enum_column(ServiceStatus, nullable=True)
    municipality_code: Mapped[str | None] = mapped_column(String(64))
