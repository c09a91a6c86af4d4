"""Per-field translations with provenance and review status (as Soliguide and MICADO do)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from directory.models.base import Base, enum_column, utcnow
from directory.models.enums import EntityType, TranslationOrigin, TranslationStatus


class Translation(Base):
    __tablename__ = "translation"
    __table_args__ = (
        UniqueConstraint("entity", "entity_id", "field", "language"),
        Index("ix_translation_entity_id", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    entity: Mapped[EntityType] = enum_column(EntityType)
    entity_id: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[TranslationOrigin] = enum_column(TranslationOrigin, default=TranslationOrigin.human)
    status: Mapped[TranslationStatus] = enum_column(TranslationStatus, default=TranslationStatus.published)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
