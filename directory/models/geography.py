"""Municipalities and every name people use for them."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.models.base import Base


class Municipality(Base):
    __tablename__ = "municipality"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    country: Mapped[str] = mapped_column(String(2))
    host_language: Mapped[str] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64))
    region: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)

    names: Mapped[list[MunicipalityName]] = relationship(
        back_populates="municipality", cascade="all, delete-orphan", order_by="MunicipalityName.id"
    )

    def name_in(self, language: str) -> str:
        """The standard name in ``language``, else English, else the host-language name."""
        primary = {n.language: n.name for n in self.names if n.is_primary}
        return primary.get(language) or primary.get("en") or primary.get(self.host_language) or self.code


class MunicipalityName(Base):
    """One written form of a municipality's name: standard, exonym, inflected or ASCII form."""

    __tablename__ = "municipality_name"
    __table_args__ = (Index("ix_municipality_name_normalized", "normalized"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    normalized: Mapped[str] = mapped_column(String(200))
    is_primary: Mapped[bool] = mapped_column(default=False)

    municipality: Mapped[Municipality] = relationship(back_populates="names")
