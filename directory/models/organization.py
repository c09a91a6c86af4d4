"""Organizations: the institutions that provide services."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.models.base import Base, id_column, utcnow

if TYPE_CHECKING:
    from directory.models.location import Location
    from directory.models.service import Service


class Organization(Base):
    __tablename__ = "organization"

    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(String(500))
    alternate_name: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(320))
    website: Mapped[str | None] = mapped_column(String(1000))
    legal_status: Mapped[str | None] = mapped_column(String(200))
    year_incorporated: Mapped[int | None]
    language: Mapped[str | None] = mapped_column(String(8), doc="language of this record's own text")
    is_sample: Mapped[bool] = mapped_column(default=False)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict, doc="fields from other publishers we keep as-is")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    services: Mapped[list[Service]] = relationship(back_populates="organization", cascade="all, delete-orphan")
    locations: Mapped[list[Location]] = relationship(back_populates="organization", cascade="all, delete-orphan")
