"""The data model: relations, enums, cascades, and the audit log of every change."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import sessionmaker

from directory.models import (
    AdministrativeStatus, AuditAction, AuditEntry, Closure, EntityType, Gender, Location, Organization, Phone,
    RequiredDocument, Schedule, Service, ServiceAtLocation, ServiceEligibility, ServiceLanguage, ServiceStatus,
    Translation, TranslationOrigin, TranslationStatus,
)
from directory.services.audit import acting_as, install_audit_listener
from directory.services.translations import TranslationIndex, set_translation


def make_service(session, **overrides) -> Service:
    organization = Organization(name="Comune di Prova", language="it")
    fields = dict(name="Anagrafe", description="Iscrizione anagrafica", language="it", municipality_code="milan",
                  status=ServiceStatus.active, organization=organization)
    fields.update(overrides)
    service = Service(**fields)
    session.add(service)
    session.flush()
    return service


def test_service_with_everything(session):
    service = make_service(session, minimum_age=18, gender=Gender.female, is_free=True,
                           last_verified=date(2026, 10, 1))
    location = Location(name="Sede", address_1="Via Larga 12", city="Milano", municipality_code="milan",
                        latitude=45.46, longitude=9.19, organization=service.organization)
    session.add(location)
    service.service_at_locations.append(ServiceAtLocation(location=location))
    service.eligible_statuses += [ServiceEligibility(status=AdministrativeStatus.refugee),
                                  ServiceEligibility(status=AdministrativeStatus.asylum_seeker)]
    service.languages.append(ServiceLanguage(code="ar", name="Arabic"))
    service.required_documents.append(RequiredDocument(document="Passaporto", position=0))
    service.phones.append(Phone(number="+39 02 0000"))
    service.schedules.append(Schedule(freq="WEEKLY", byday="MO", opens_at="09:00", closes_at="12:00"))
    service.closures.append(Closure(starts_on=date(2026, 12, 24), ends_on=date(2027, 1, 6), reason="Ferie"))
    session.flush()
    session.expire_all()

    loaded = session.get(Service, service.id)
    assert loaded.gender is Gender.female
    assert {e.status for e in loaded.eligible_statuses} == {AdministrativeStatus.refugee, AdministrativeStatus.asylum_seeker}
    assert loaded.service_at_locations[0].location.city == "Milano"
    assert loaded.closures[0].ends_on == date(2027, 1, 6)
    assert loaded.municipality.code == "milan"


def test_status_enum_round_trips_including_temporarily_closed(session):
    service = make_service(session, status=ServiceStatus.temporarily_closed)
    session.expire_all()
    assert session.get(Service, service.id).status is ServiceStatus.temporarily_closed


def test_invalid_enum_value_is_refused(session):
    with pytest.raises((StatementError, LookupError, ValueError)):
        make_service(session, status="half-open")


def test_deleting_an_organization_removes_its_services(session):
    service = make_service(session)
    service.languages.append(ServiceLanguage(code="en"))
    session.flush()
    session.delete(service.organization)
    session.flush()
    assert session.get(Service, service.id) is None
    assert session.scalars(select(ServiceLanguage).where(ServiceLanguage.service_id == service.id)).all() == []


def test_audit_log_records_who_when_old_and_new(session):
    with acting_as("coordinator:anna"):
        service = make_service(session)
        service.description = "Nuovo testo"
        session.flush()
        session.delete(service)
        session.flush()
    entries = session.scalars(select(AuditEntry).where(AuditEntry.entity == "service")
                              .order_by(AuditEntry.id)).all()
    actions = [e.action for e in entries]
    assert actions == [AuditAction.create, AuditAction.update, AuditAction.delete]
    assert all(e.actor == "coordinator:anna" and e.at is not None for e in entries)
    assert entries[0].changes["name"] == {"old": None, "new": "Anagrafe"}
    assert entries[1].changes["description"] == {"old": "Iscrizione anagrafica", "new": "Nuovo testo"}
    assert "name" not in entries[1].changes
    assert entries[2].changes["name"]["old"] == "Anagrafe"


def test_every_new_session_factory_is_audited(engine):
    """Factories come and go (one per app, per test); a new one may take a freed one's address."""
    with engine.connect() as connection, connection.begin() as transaction:
        for number in range(20):
            factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
            install_audit_listener(factory)
            install_audit_listener(factory)  # twice: still one entry per change
            with factory() as session:
                session.add(Organization(name=f"Ente {number}", language="it"))
                session.flush()
                entries = session.scalar(select(func.count()).select_from(AuditEntry)
                                         .where(AuditEntry.entity == "organization",
                                                AuditEntry.changes["name"]["new"].as_string() == f"Ente {number}"))
            assert entries == 1, number
            del factory
        transaction.rollback()


def test_translation_fallback_requested_then_english_then_own(session):
    service = make_service(session)
    set_translation(session, EntityType.service, service.id, "description", "en", "Civil registry")
    set_translation(session, EntityType.service, service.id, "description", "ar", "مسودة",
                    status=TranslationStatus.draft)
    set_translation(session, EntityType.service, service.id, "description", "uk", "Реєстрація",
                    origin=TranslationOrigin.machine)
    session.flush()
    index = TranslationIndex.load(session, [(EntityType.service, service.id)])

    def get(lang):
        return index.localize(EntityType.service, service.id, "description", service.description, "it", lang)

    assert (get("uk").text, get("uk").origin) == ("Реєстрація", TranslationOrigin.machine)
    assert (get("ar").text, get("ar").language) == ("Civil registry", "en")  # drafts are never served
    assert (get("it").text, get("it").language) == ("Iscrizione anagrafica", "it")
    stored = session.scalar(select(Translation).where(Translation.entity_id == service.id, Translation.language == "ar"))
    assert stored.status is TranslationStatus.draft


def test_hostile_and_oversized_text_is_stored_unchanged(session):
    hostile = "<img src=x onerror=alert(1)> '; DROP TABLE service; -- " + "ж" * 20_000
    service = make_service(session, name=hostile[:500], description=hostile)
    session.expire_all()
    loaded = session.get(Service, service.id)
    assert loaded.description == hostile and loaded.name == hostile[:500]
