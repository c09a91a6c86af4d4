"""Opening hours (HSDS schedule, one weekly interval per row) and temporary closures."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.models.base import Base, id_column

if TYPE_CHECKING:
    from directory.models.service import Service

WEEKDAYS: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Schedule(Base):
    """HSDS-shaped recurring opening: ``freq=WEEKLY``, ``byday="MO,TU"``, ``opens_at``/``closes_at`` "HH:MM"."""

    __tablename__ = "schedule"
    __table_args__ = (
        Index("ix_schedule_lookup", "service_id", "byday", "opens_at", "closes_at", "valid_from", "valid_to"),
    )

    id: Mapped[str] = id_column()
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[str | None] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    service_at_location_id: Mapped[str | None] = mapped_column(
        ForeignKey("service_at_location.id", ondelete="CASCADE"), index=True
    )
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    dtstart: Mapped[date | None]
    until: Mapped[date | None]
    timezone: Mapped[str | None] = mapped_column(String(64))
    freq: Mapped[str | None] = mapped_column(String(10))
    interval: Mapped[int | None]
    byday: Mapped[str | None] = mapped_column(String(100))
    bymonthday: Mapped[str | None] = mapped_column(String(100))
    opens_at: Mapped[str | None] = mapped_column(String(8))
    closes_at: Mapped[str | None] = mapped_column(String(8))
    description: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    attending_type: Mapped[str | None] = mapped_column(String(100))

    service: Mapped[Service | None] = relationship(back_populates="schedules")


class Closure(Base):
    """A temporary closure of a service, both dates included."""

    __tablename__ = "closure"

    id: Mapped[str] = id_column()
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[str | None] = mapped_column(Text)
