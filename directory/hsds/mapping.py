"""Our records as HSDS 3.0 rows: one function per table, shared by the exporter and the importer.

The importer keeps what these functions cannot reproduce: it compares each incoming row
with the row our columns give back (:func:`leftover`) and stores the difference in the
owning organization's, service's or location's ``extra`` JSON, which the exporter merges
back over the derived row. ``extra`` holds

- the owner's own fields we have no column for, under their own names (``tax_status``, ...),
  and ``x_hsds_replaced`` for its fields we store differently (see :func:`leftover`);
- ``x_hsds_fields``: ``{table: {row id: {field: value}}}`` for its child rows (phones, ...);
- ``x_hsds_rows``: ``{table: [row, ...]}``, rows of tables we do not model (contacts,
  funding, cost options, service areas, metadata, attributes of locations, ...), verbatim.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from enum import Enum
from typing import Any

from directory.hsds.spec import EXTENSION_FIELDS, TABLES
from directory.models import (
    Closure, Location, Organization, Phone, RequiredDocument, Schedule, Service, ServiceAtLocation, ServiceLanguage,
    ServiceTerm, Taxonomy, TaxonomyTerm, Translation,
)

FIELDS_KEY = "x_hsds_fields"
ROWS_KEY = "x_hsds_rows"
REPLACED_KEY = "x_hsds_replaced"
RESERVED_EXTRA = frozenset({FIELDS_KEY, ROWS_KEY})

# A temporary closure travels as a schedule with valid_from/valid_to and this marker in ``notes``.
CLOSURE_MARKER = "admin4all:closure"
CLOSURE_NOTES = f"Temporarily closed on these dates [{CLOSURE_MARKER}]"
CATEGORY_LINK_TYPE = "category"
ELIGIBILITY_LINK_TYPE = "eligibility"

_NAMESPACE = uuid.UUID("0f3c8f0e-6a59-4f7b-9d1c-2b7a1d5e9c44")


def derived_id(*parts: str) -> str:
    """The id of an HSDS row we do not store on its own (an address, an eligibility attribute)."""
    return str(uuid.uuid5(_NAMESPACE, ":".join(parts)))


def address_id(location_id: str) -> str:
    return derived_id("address", location_id)


def accessibility_id(location_id: str) -> str:
    return derived_id("accessibility", location_id)


def status_attribute_id(service_id: str, status: str) -> str:
    return derived_id("attribute", "administrative-status", service_id, status)


def gender_attribute_id(service_id: str) -> str:
    return derived_id("attribute", "gender", service_id)


def utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """A JSON value: dates as ISO strings, datetimes in UTC, enums as their value."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _row(table: str, **values: Any) -> dict[str, Any]:
    """All HSDS fields of ``table`` (None when we have nothing), then our extension fields."""
    row = {name: None for name, _type, _format in TABLES[table]}
    row.update({key: plain(value) for key, value in values.items()})
    return row


def extension_number(value: str | None) -> int | str | None:
    """HSDS types a phone extension as a number; ours is text, kept as text when not a plain number."""
    if value and value.isdigit() and not (len(value) > 1 and value.startswith("0")):
        return int(value)
    return value


def organization_row(org: Organization) -> dict[str, Any]:
    return _row("organization", id=org.id, name=org.name, alternate_name=org.alternate_name,
                description=org.description, email=org.email, website=org.website,
                year_incorporated=org.year_incorporated, legal_status=org.legal_status,
                x_language=org.language, x_is_sample=bool(org.is_sample))


def service_row(service: Service) -> dict[str, Any]:
    return _row(
        "service", id=service.id, organization_id=service.organization_id, name=service.name,
        alternate_name=service.alternate_name, description=service.description, url=service.url,
        email=service.email, status=service.status, interpretation_services=service.interpretation_services,
        application_process=service.application_process, fees_description=service.fees_description,
        wait_time=service.wait_time, accreditations=service.accreditations,
        eligibility_description=service.eligibility_description, minimum_age=service.minimum_age,
        maximum_age=service.maximum_age, assured_date=service.last_verified, assurer_email=service.assurer_email,
        licenses=service.licenses, alert=service.alert, last_modified=service.updated_at,
        x_municipality_code=service.municipality_code, x_is_free=service.is_free, x_language=service.language,
        x_is_sample=bool(service.is_sample),
    )


def location_row(location: Location) -> dict[str, Any]:
    return _row(
        "location", id=location.id, location_type=location.location_type, organization_id=location.organization_id,
        name=location.name, alternate_name=location.alternate_name, description=location.description,
        transportation=location.transportation, latitude=location.latitude, longitude=location.longitude,
        x_municipality_code=location.municipality_code, x_language=location.language,
        x_is_sample=bool(location.is_sample),
    )


ADDRESS_COLUMNS = ("address_1", "address_2", "city", "region", "state_province", "postal_code", "country")


def address_row(location: Location) -> dict[str, Any] | None:
    values = {column: getattr(location, column) for column in ADDRESS_COLUMNS}
    if all(value is None for value in values.values()):
        return None
    return _row("address", id=address_id(location.id), location_id=location.id, address_type="physical", **values)


def accessibility_row(location: Location) -> dict[str, Any] | None:
    if location.accessibility is None:
        return None
    return _row("accessibility", id=accessibility_id(location.id), location_id=location.id,
                description=location.accessibility)


def service_at_location_row(sal: ServiceAtLocation) -> dict[str, Any]:
    return _row("service_at_location", id=sal.id, service_id=sal.service_id, location_id=sal.location_id,
                description=sal.description)


def phone_row(phone: Phone) -> dict[str, Any]:
    return _row("phone", id=phone.id, location_id=phone.location_id, service_id=phone.service_id,
                organization_id=phone.organization_id, number=phone.number,
                extension=extension_number(phone.extension), type=phone.type, description=phone.description)


def schedule_row(schedule: Schedule) -> dict[str, Any]:
    row = _row(
        "schedule", id=schedule.id, service_id=schedule.service_id, location_id=schedule.location_id,
        service_at_location_id=schedule.service_at_location_id, valid_from=schedule.valid_from,
        valid_to=schedule.valid_to, dtstart=schedule.dtstart, until=schedule.until, freq=schedule.freq,
        interval=schedule.interval, byday=schedule.byday, bymonthday=schedule.bymonthday,
        description=schedule.description, opens_at=schedule.opens_at, closes_at=schedule.closes_at,
        attending_type=schedule.attending_type, notes=schedule.notes,
    )
    row["x_timezone"] = schedule.timezone
    return row


def closure_row(closure: Closure) -> dict[str, Any]:
    row = _row("schedule", id=closure.id, service_id=closure.service_id, valid_from=closure.starts_on,
               valid_to=closure.ends_on, description=closure.reason, notes=CLOSURE_NOTES)
    row["x_timezone"] = None
    return row


def is_closure(row: dict[str, Any]) -> bool:
    return CLOSURE_MARKER in (row.get("notes") or "")


def language_row(language: ServiceLanguage) -> dict[str, Any]:
    return _row("language", id=language.id, service_id=language.service_id, name=language.name,
                code=language.code, note=language.note)


def required_document_row(document: RequiredDocument) -> dict[str, Any]:
    return _row("required_document", id=document.id, service_id=document.service_id, document=document.document,
                uri=document.uri)


def term_attribute_row(service_term: ServiceTerm, link_type: str | None) -> dict[str, Any]:
    row = _row("attribute", id=service_term.id, link_id=service_term.service_id,
               taxonomy_term_id=service_term.taxonomy_term_id, link_type=link_type, link_entity="service",
               value=service_term.value)
    row["label"] = service_term.label
    return row


def eligibility_attribute_row(attribute_id: str, service_id: str, term_id: str) -> dict[str, Any]:
    row = _row("attribute", id=attribute_id, link_id=service_id, taxonomy_term_id=term_id,
               link_type=ELIGIBILITY_LINK_TYPE, link_entity="service")
    row["label"] = None
    return row


def taxonomy_row(taxonomy: Taxonomy) -> dict[str, Any]:
    return _row("taxonomy", id=taxonomy.id, name=taxonomy.name, description=taxonomy.description,
                uri=taxonomy.uri, version=taxonomy.version)


def taxonomy_term_row(term: TaxonomyTerm, taxonomy_name: str | None) -> dict[str, Any]:
    return _row("taxonomy_term", id=term.id, code=term.code, name=term.name, description=term.description,
                parent_id=term.parent_id, taxonomy=taxonomy_name, language=term.language,
                taxonomy_id=term.taxonomy_id, term_uri=term.term_uri)


def translation_row(translation: Translation) -> dict[str, Any]:
    return {
        "entity": plain(translation.entity), "entity_id": translation.entity_id, "field": translation.field,
        "language": translation.language, "text": translation.text, "origin": plain(translation.origin),
        "status": plain(translation.status), "updated_at": plain(translation.updated_at),
    }


def leftover(table: str, original: dict[str, Any], derived: dict[str, Any]) -> dict[str, Any]:
    """What of ``original`` (values that are not null) ``derived`` does not give back.

    Fields we have no column for are kept as they came, and written back where our row
    has nothing. A field we map but store differently (a time with a zone offset, a
    publisher's own id for an address) is kept under ``x_hsds_replaced`` as
    ``[their value, our value then]``: written back only while our column still gives
    the same value, so an edit made here is never hidden by it. Our extension fields
    always come from our columns.
    """
    ours = EXTENSION_FIELDS.get(table, frozenset())
    kept: dict[str, Any] = {}
    replaced: dict[str, list[Any]] = {}
    for key, value in original.items():
        if value is None or key in ours:
            continue
        if derived.get(key) is None:
            kept[key] = value
        elif derived[key] != value:
            replaced[key] = [value, derived[key]]
    if replaced:
        kept[REPLACED_KEY] = replaced
    return kept


def with_leftover(derived: dict[str, Any], kept: dict[str, Any] | None) -> dict[str, Any]:
    """``derived`` with what :func:`leftover` kept merged back in."""
    if not kept:
        return derived
    row = dict(derived)
    row.update((key, value) for key, value in kept.items() if key != REPLACED_KEY and derived.get(key) is None)
    for key, pair in (kept.get(REPLACED_KEY) or {}).items():
        if isinstance(pair, list) and len(pair) == 2 and derived.get(key) == pair[1]:
            row[key] = pair[0]
    return row
