"""Locations, where services are delivered, and phones."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.models.base import Base, id_column

if TYPE_CHECKING:
    from directory.models.organization import Organization
    from directory.models.service import Service


class Location(Base):
    __tablename__ = "location"

    id: Mapped[str] = id_column()
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"), index=True)
    location_type: Mapped[str] = mapped_column(String(20), default="physical")
    name: Mapped[str | None] = mapped_column(String(500))
    alternate_name: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    transportation: Mapped[str | None] = mapped_column(Text)
    address_1: Mapped[str | None] = mapped_column(String(500))
    address_2: Mapped[str | None] = mapped_column(String(500))
    city: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(200))
    state_province: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    accessibility: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8), doc="language of this record's own text")
    is_sample: Mapped[bool] = mapped_column(default=False)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)

    organization: Mapped[Organization | None] = relationship(back_populates="locations")
    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        back_populates="location", cascade="all, delete-orphan"
    )


class ServiceAtLocation(Base):
    __tablename__ = "service_at_location"

    id: Mapped[str] = id_column()
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    description: Mapped[str | None] = mapped_column(Text)

    service: Mapped[Service] = relationship(back_populates="service_at_locations")
    location: Mapped[Location] = relationship(back_populates="service_at_locations")


class Phone(Base):
    __tablename__ = "phone"

    id: Mapped[str] = id_column()
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[str | None] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(100))
    extension: Mapped[str | None] = mapped_column(String(20))
    type: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)

    service: Mapped[Service | None] = relationship(back_populates="phones")
