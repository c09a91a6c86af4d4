"""Build the API's view of services: localized text with its provenance, hours, places.

Everything a list page needs is loaded in a fixed number of queries, whatever its length.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from directory.models import EntityType, Location, Municipality, Service, ServiceAtLocation, ServiceTerm
from directory.schemas.common import FieldSource
from directory.schemas.service import (
    CategoryOut, ClosureOut, EligibilityOut, LocationOut, MunicipalityRef, OpeningInterval, OrganizationRef,
    PhoneOut, ServiceOut,
)
from directory.models import WEEKDAYS
from directory.services.formatting import format_day, format_week, language_names
from directory.services.hours import closed_on, is_open, local_now, weekly_intervals
from directory.services.translations import TranslationIndex

_LOAD = (
    selectinload(Service.organization),
    selectinload(Service.municipality).selectinload(Municipality.names),
    selectinload(Service.terms).selectinload(ServiceTerm.term),
    selectinload(Service.eligible_statuses),
    selectinload(Service.languages),
    selectinload(Service.required_documents),
    selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location),
    selectinload(Service.phones),
    selectinload(Service.schedules),
    selectinload(Service.closures),
)
LOCALIZED_FIELDS = ("name", "description", "application_process", "fees_description")


def map_url(latitude: float | None, longitude: float | None) -> str | None:
    if latitude is None or longitude is None:
        return None
    query = urlencode({"mlat": f"{latitude:.5f}", "mlon": f"{longitude:.5f}"})
    return f"https://www.openstreetmap.org/?{query}#map=18/{latitude:.5f}/{longitude:.5f}"


def _one_line(location: Location) -> str | None:
    place = " ".join(part for part in (location.postal_code, location.city) if part)
    parts = [part for part in (location.address_1, location.address_2, place) if part]
    return ", ".join(parts) or None


def _other(localized: str | None, own: str) -> str | None:
    return localized if localized and localized != own else None


def load_services(session: Session, ids: Sequence[str]) -> list[Service]:
    """Services in the order of ``ids``, with everything the views need."""
    if not ids:
        return []
    rows = {s.id: s for s in session.scalars(select(Service).where(Service.id.in_(list(ids))).options(*_LOAD))}
    return [rows[i] for i in ids if i in rows]


def build_views(
    session: Session, services: Sequence[Service], language: str, now: datetime | None = None
) -> list[ServiceOut]:
    keys: list[tuple[EntityType, str]] = []
    for service in services:
        keys.append((EntityType.service, service.id))
        keys.extend((EntityType.required_document, d.id) for d in service.required_documents)
        keys.extend((EntityType.location, sal.location_id) for sal in service.service_at_locations)
        keys.extend((EntityType.closure, c.id) for c in service.closures)
        keys.extend((EntityType.taxonomy_term, t.taxonomy_term_id) for t in service.terms)
    translations = TranslationIndex.load(session, keys)
    return [_view(service, translations, language, now) for service in services]


def _view(service: Service, tr: TranslationIndex, language: str, now: datetime | None) -> ServiceOut:
    own = service.language
    sources: dict[str, FieldSource] = {}

    def text(field: str, value: str | None) -> str | None:
        localized = tr.localize(EntityType.service, service.id, field, value, own, language)
        if localized is None:
            return None
        sources[field] = FieldSource(language=localized.language, origin=localized.origin)
        return localized.text

    def plain(entity: EntityType, entity_id: str, field: str, value: str | None, lang: str | None) -> str | None:
        localized = tr.localize(entity, entity_id, field, value, lang, language)
        return localized.text if localized else None

    municipality = service.municipality
    locations = [
        LocationOut(
            id=loc.id, name=loc.name, address=_one_line(loc), postal_code=loc.postal_code, city=loc.city,
            latitude=loc.latitude, longitude=loc.longitude,
            accessibility=plain(EntityType.location, loc.id, "accessibility", loc.accessibility, loc.language),
            map_url=map_url(loc.latitude, loc.longitude),
        )
        for loc in (sal.location for sal in service.service_at_locations)
    ]
    categories = [
        CategoryOut(code=t.term.code,
                    label=plain(EntityType.taxonomy_term, t.term.id, "name", t.term.name, t.term.language) or t.term.code)
        for t in service.terms
    ]
    moment = local_now(municipality.timezone if municipality else None, now)
    week = weekly_intervals(service.schedules)
    closed_today = closed_on(service.closures, moment) is not None
    return ServiceOut(
        id=service.id,
        name=service.name,
        name_localized=_other(text("name", service.name), service.name),
        description=text("description", service.description),
        categories=categories,
        municipality=MunicipalityRef(code=municipality.code, name=municipality.name_in(language)) if municipality else None,
        organization=OrganizationRef(id=service.organization.id, name=service.organization.name),
        status=service.status,
        application_process=text("application_process", service.application_process),
        fees=text("fees_description", service.fees_description),
        is_free=service.is_free,
        required_documents=[
            plain(EntityType.required_document, d.id, "document", d.document, own) or d.document
            for d in service.required_documents
        ],
        eligibility=EligibilityOut(
            statuses=[e.status for e in service.eligible_statuses], minimum_age=service.minimum_age,
            maximum_age=service.maximum_age, gender=service.gender,
        ),
        languages=[lang.code for lang in service.languages],
        language_names=language_names((lang.code for lang in service.languages), language),
        address=locations[0].address if locations else None,
        locations=locations,
        phones=[PhoneOut(number=p.number, type=p.type) for p in service.phones],
        opening_hours=[OpeningInterval(day=d, opens_at=o, closes_at=c) for d, o, c in week],
        opening_hours_text=format_week(week, language) or None,
        today_hours=None if closed_today else format_day(week, WEEKDAYS[moment.weekday()], language),
        closures=[
            ClosureOut(starts_on=c.starts_on, ends_on=c.ends_on,
                       reason=plain(EntityType.closure, c.id, "reason", c.reason, own))
            for c in service.closures
        ],
        open_now=is_open(service.status, service.schedules, service.closures, moment),
        url=service.url,
        email=service.email,
        last_verified=service.last_verified,
        is_sample=service.is_sample,
        language=language,
        field_sources=sources,
    )
