"""Taxonomies and their terms: our needs taxonomy and any a publisher brings along."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from directory.models.base import Base, id_column

NEEDS_TAXONOMY = "admin4all-needs"
STATUS_TAXONOMY = "admin4all-administrative-status"
GENDER_TAXONOMY = "admin4all-gender"


class Taxonomy(Base):
    __tablename__ = "taxonomy"

    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    uri: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[str | None] = mapped_column(String(50))


class TaxonomyTerm(Base):
    """A term; ``code`` is unique within its taxonomy. Labels in other languages are translations."""

    __tablename__ = "taxonomy_term"
    __table_args__ = (UniqueConstraint("taxonomy_id", "code"),)

    id: Mapped[str] = id_column()
    taxonomy_id: Mapped[str] = mapped_column(ForeignKey("taxonomy.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))
    term_uri: Mapped[str | None] = mapped_column(String(500))
