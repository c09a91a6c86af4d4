"""Services and what describes who they serve and how to get in."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.models.base import Base, enum_column, id_column, utcnow
from directory.models.enums import AdministrativeStatus, Gender, ServiceStatus

if TYPE_CHECKING:
    from directory.models.geography import Municipality
    from directory.models.location import Phone, ServiceAtLocation
    from directory.models.organization import Organization
    from directory.models.schedule import Closure, Schedule
    from directory.models.taxonomy import TaxonomyTerm


class Service(Base):
    __tablename__ = "service"
    __table_args__ = (
        Index("ix_service_municipality_status", "municipality_code", "status"),
        # covering indexes for search at scale (migration 0002)
        Index("ix_service_lookup", "id", "status", "municipality_code", "name"),
        Index("ix_service_listing", "municipality_code", "status", "name", "id"),
    )

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipality.code"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    alternate_name: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(1000))
    email: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[ServiceStatus] = enum_column(ServiceStatus, default=ServiceStatus.active)
    interpretation_services: Mapped[str | None] = mapped_column(Text)
    application_process: Mapped[str | None] = mapped_column(Text)
    fees_description: Mapped[str | None] = mapped_column(Text)
    is_free: Mapped[bool | None]
    wait_time: Mapped[str | None] = mapped_column(Text)
    accreditations: Mapped[str | None] = mapped_column(Text)
    licenses: Mapped[str | None] = mapped_column(Text)
    alert: Mapped[str | None] = mapped_column(Text)
    eligibility_description: Mapped[str | None] = mapped_column(Text)
    minimum_age: Mapped[int | None]
    maximum_age: Mapped[int | None]
    gender: Mapped[Gender] = enum_column(Gender, default=Gender.any)
    last_verified: Mapped[date | None] = mapped_column(doc="HSDS assured_date")
    assurer_email: Mapped[str | None] = mapped_column(String(320))
    language: Mapped[str | None] = mapped_column(String(8), doc="language of this record's own text")
    is_sample: Mapped[bool] = mapped_column(default=False)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict, doc="fields from other publishers we keep as-is")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="services")
    municipality: Mapped[Municipality | None] = relationship()
    terms: Mapped[list[ServiceTerm]] = relationship(back_populates="service", cascade="all, delete-orphan")
    eligible_statuses: Mapped[list[ServiceEligibility]] = relationship(cascade="all, delete-orphan")
    languages: Mapped[list[ServiceLanguage]] = relationship(cascade="all, delete-orphan", order_by="ServiceLanguage.id")
    required_documents: Mapped[list[RequiredDocument]] = relationship(
        cascade="all, delete-orphan", order_by="RequiredDocument.position"
    )
    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    phones: Mapped[list[Phone]] = relationship(back_populates="service", cascade="all, delete-orphan")
    schedules: Mapped[list[Schedule]] = relationship(
        back_populates="service", cascade="all, delete-orphan", order_by="Schedule.id"
    )
    closures: Mapped[list[Closure]] = relationship(cascade="all, delete-orphan", order_by="Closure.starts_on")


class ServiceTerm(Base):
    """A service tagged with a taxonomy term (HSDS attribute): categories and any publisher's tags."""

    __tablename__ = "service_term"
    __table_args__ = (
        UniqueConstraint("service_id", "taxonomy_term_id"),
        Index("ix_service_term_lookup", "taxonomy_term_id", "service_id"),
    )

    id: Mapped[str] = id_column()
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    taxonomy_term_id: Mapped[str] = mapped_column(ForeignKey("taxonomy_term.id", ondelete="CASCADE"), index=True)
    value: Mapped[str | None] = mapped_column(Text)
    label: Mapped[str | None] = mapped_column(String(500))

    service: Mapped[Service] = relationship(back_populates="terms")
    term: Mapped[TaxonomyTerm] = relationship()


class ServiceEligibility(Base):
    """An administrative status a service accepts (``any`` means everybody)."""

    __tablename__ = "service_eligibility"
    __table_args__ = (UniqueConstraint("service_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    status: Mapped[AdministrativeStatus] = enum_column(AdministrativeStatus)


class ServiceLanguage(Base):
    """A language spoken at the service (HSDS language)."""

    __tablename__ = "service_language"
    __table_args__ = (Index("ix_service_language_code_service", "code", "service_id"),)

    id: Mapped[str] = id_column()
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class RequiredDocument(Base):
    """A document to bring (HSDS required_document)."""

    __tablename__ = "required_document"

    id: Mapped[str] = id_column()
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    document: Mapped[str] = mapped_column(Text)
    uri: Mapped[str | None] = mapped_column(String(1000))
    position: Mapped[int] = mapped_column(default=0)
