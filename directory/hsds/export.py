"""Export the directory as HSDS 3.0: one JSON document, or the CSV datapackage.

The JSON document is an HSDS API page of fully nested ``service`` objects, plus the flat
lists a lossless round trip needs::

    {
      "x_hsds_version": "3.0", "x_generator": "admin4all-directory", "x_municipality": null,
      "x_contains_sample_data": true, "x_notice": "...",
      "total_items": 180, "total_pages": 1, "page_number": 1, "size": 180,
      "first_page": true, "last_page": true, "empty": false,
      "contents": [ {service, with organization, service_at_locations -> location
                     (addresses, accessibility, phones, schedules), phones, schedules,
                     languages, required_documents, attributes -> taxonomy_term
                     -> taxonomy_detail, ...}, ... ],
      "organizations": [ organizations no exported service belongs to ],
      "locations": [ locations no exported service is delivered at ],
      "<other HSDS file stem>": [ any other row no service reaches ],
      "taxonomies": [ every taxonomy ], "taxonomy_terms": [ every term ],
      "x_translations": [ {entity, entity_id, field, language, text, origin, status, updated_at} ]
    }

Top-level lists are named like the datapackage files (``taxonomy_terms`` for
``taxonomy_terms.csv``). Nested rows omit the field pointing to their parent; empty
nested lists are left out. Every field HSDS defines for a table is written (null when
we have nothing); our extensions are prefixed ``x_`` (``x_is_sample`` on every
organization, service and location: sample records are never mistaken for verified
ones). The datapackage holds the same rows, one CSV per table (HSDS 3.0 file names,
plus ``x_translations.csv``), described by ``datapackage.json``.

Mapping (see :mod:`directory.hsds.mapping`): categories and publisher taxonomies ->
``attribute`` rows (link_entity "service"); administrative statuses and gender ->
attributes of the ``admin4all-administrative-status`` / ``admin4all-gender`` terms;
``last_verified`` -> ``assured_date``; ``updated_at`` -> ``last_modified``; the address
columns -> one ``address`` (physical); accessibility -> one ``accessibility``; a closure ->
a ``schedule`` with valid_from/valid_to and the closure marker in ``notes``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from directory.hsds import mapping as m
from directory.hsds.datapackage import write_datapackage
from directory.hsds.nesting import Tables, nest
from directory.hsds.report import HsdsExportError
from directory.hsds.spec import FILE_STEMS, HSDS_VERSION, TABLE_ORDER, TRANSLATION_STEM
from directory.models import (
    GENDER_TAXONOMY, NEEDS_TAXONOMY, STATUS_TAXONOMY, Closure, EntityType, Gender, Location, Municipality,
    Organization, Phone, RequiredDocument, Schedule, Service, ServiceAtLocation, ServiceEligibility,
    ServiceLanguage, ServiceTerm, Taxonomy, TaxonomyTerm, Translation,
)

Progress = Callable[[str, int, int], None]
GENERATOR = "admin4all-directory"
SAMPLE_NOTICE = ("Records with x_is_sample true are SAMPLE data for demonstration: "
                 "not verified information. Do not rely on them.")


def _chunks(ids: Iterable[str], size: int = 500) -> Iterable[list[str]]:
    items = sorted(set(ids))
    for start in range(0, len(items), size):
        yield items[start:start + size]


class _Collector:
    """Flat HSDS tables from our records, with what ``extra`` kept merged back in."""

    def __init__(self) -> None:
        self.tables: Tables = {table: [] for table in TABLE_ORDER}
        self.kept_rows: Tables = defaultdict(list)
        self.seen: set[tuple[str, str]] = set()

    def owner(self, table: str, row: dict[str, Any], extra: dict[str, Any] | None) -> None:
        extra = extra or {}
        own = {key: value for key, value in extra.items() if key not in m.RESERVED_EXTRA}
        self.add(table, m.with_leftover(row, own))
        for kept_table, rows in (extra.get(m.ROWS_KEY) or {}).items():
            self.kept_rows[kept_table].extend(rows)

    def child(self, table: str, row: dict[str, Any] | None, extra: dict[str, Any] | None) -> None:
        if row is None:
            return
        kept = ((extra or {}).get(m.FIELDS_KEY) or {}).get(table, {}).get(row["id"])
        self.add(table, m.with_leftover(row, kept))

    def add(self, table: str, row: dict[str, Any]) -> None:
        key = (table, str(row["id"]))
        if key not in self.seen:
            self.seen.add(key)
            self.tables[table].append(row)

    def finish(self) -> Tables:
        for table in self.tables:
            if table == "required_document":
                continue  # already in position order, service by service
            self.tables[table].sort(key=lambda row: str(row["id"]))
        for table, rows in self.kept_rows.items():
            if table in self.tables:
                for row in rows:
                    self.add(table, row)
        return self.tables


def collect(session: Session, municipality: str | None = None,
            progress: Progress | None = None) -> tuple[Tables, list[dict[str, Any]]]:
    """The flat HSDS tables and the translations of the whole directory, or of one municipality."""
    if municipality is not None and session.get(Municipality, municipality) is None:
        raise HsdsExportError(f"unknown municipality code {municipality!r}")
    whole = municipality is None
    services = _rows(session, select(Service.__table__) if whole
                     else select(Service.__table__).where(Service.municipality_code == municipality))
    service_ids = {s.id for s in services}
    sals = _by_service(session, ServiceAtLocation, service_ids, whole)
    if whole:
        locations = list(_rows(session, select(Location.__table__)))
        organizations = list(_rows(session, select(Organization.__table__)))
    else:
        at_services = {sal.location_id for sal in sals}
        locations = list(_rows(session, select(Location.__table__).where(
            or_(Location.municipality_code == municipality, Location.id.in_(at_services)))))
        owners = {s.organization_id for s in services} | {loc.organization_id for loc in locations}
        organizations = list(_rows(session, select(Organization.__table__).where(Organization.id.in_(owners - {None}))))
    location_ids = {loc.id for loc in locations}
    org_ids = {org.id for org in organizations}
    if progress:
        progress("Reading the directory", 1, 3)

    taxonomies = {t.id: t for t in _rows(session, select(Taxonomy.__table__))}
    terms = list(_rows(session, select(TaxonomyTerm.__table__)))
    by_code = {(taxonomies[t.taxonomy_id].name, t.code): t.id for t in terms}

    def reference_term(taxonomy: str, code: str) -> str:
        try:
            return by_code[(taxonomy, code)]
        except KeyError:
            raise HsdsExportError(f"taxonomy term {taxonomy}/{code} is missing: run `directory migrate`") from None

    needs_id = next((t.id for t in taxonomies.values() if t.name == NEEDS_TAXONOMY), None)
    term_taxonomy = {t.id: t.taxonomy_id for t in terms}

    if whole:
        phones = list(_rows(session, select(Phone.__table__)))
        schedules = list(_rows(session, select(Schedule.__table__)))
    else:
        phones = list(_rows(session, select(Phone.__table__).where(or_(
            Phone.service_id.in_(service_ids), Phone.location_id.in_(location_ids),
            Phone.organization_id.in_(org_ids)))))
        schedules = list(_rows(session, select(Schedule.__table__).where(or_(
            Schedule.service_id.in_(service_ids), Schedule.location_id.in_(location_ids),
            Schedule.service_at_location_id.in_({sal.id for sal in sals})))))
        # a location's phone or hours that belong to a service of another municipality stay out
        phones = [p for p in phones if p.service_id is None or p.service_id in service_ids]
        schedules = [s for s in schedules if s.service_id is None or s.service_id in service_ids]
    closures = _by_service(session, Closure, service_ids, whole)
    languages = _by_service(session, ServiceLanguage, service_ids, whole)
    documents = sorted(_by_service(session, RequiredDocument, service_ids, whole),
                       key=lambda d: (d.service_id, d.position, d.id))
    service_terms = _by_service(session, ServiceTerm, service_ids, whole)
    eligibilities = _by_service(session, ServiceEligibility, service_ids, whole)
    if progress:
        progress("Reading the directory", 2, 3)

    out = _Collector()
    extras: dict[tuple[str, str], dict[str, Any]] = {}
    for org in organizations:
        extras[("organization", org.id)] = org.extra or {}
        out.owner("organization", m.organization_row(org), org.extra)
    for loc in locations:
        extras[("location", loc.id)] = loc.extra or {}
        out.owner("location", m.location_row(loc), loc.extra)
        out.child("address", m.address_row(loc), loc.extra)
        out.child("accessibility", m.accessibility_row(loc), loc.extra)
    for service in services:
        extras[("service", service.id)] = service.extra or {}
        out.owner("service", m.service_row(service), service.extra)
        if service.gender != Gender.any:
            attribute_id = m.gender_attribute_id(service.id)
            row = m.eligibility_attribute_row(attribute_id, service.id,
                                              reference_term(GENDER_TAXONOMY, Gender(service.gender).value))
            out.child("attribute", row, service.extra)

    def service_extra(service_id: str | None) -> dict[str, Any]:
        return extras.get(("service", service_id or ""), {})

    sal_service = {sal.id: sal.service_id for sal in sals}
    for sal in sals:
        out.child("service_at_location", m.service_at_location_row(sal), service_extra(sal.service_id))
    for phone in phones:
        out.child("phone", m.phone_row(phone), _phone_owner(phone, extras))
    for schedule in schedules:
        owner = service_extra(schedule.service_id or sal_service.get(schedule.service_at_location_id or ""))
        if not owner and schedule.location_id:
            owner = extras.get(("location", schedule.location_id), {})
        out.child("schedule", m.schedule_row(schedule), owner)
    for closure in closures:
        out.child("schedule", m.closure_row(closure), service_extra(closure.service_id))
    for language in languages:
        out.child("language", m.language_row(language), service_extra(language.service_id))
    for document in documents:
        out.child("required_document", m.required_document_row(document), service_extra(document.service_id))
    for service_term in service_terms:
        link_type = m.CATEGORY_LINK_TYPE if term_taxonomy.get(service_term.taxonomy_term_id) == needs_id else None
        out.child("attribute", m.term_attribute_row(service_term, link_type), service_extra(service_term.service_id))
    for eligibility in eligibilities:
        status = eligibility.status.value
        row = m.eligibility_attribute_row(m.status_attribute_id(eligibility.service_id, status),
                                          eligibility.service_id, reference_term(STATUS_TAXONOMY, status))
        out.child("attribute", row, service_extra(eligibility.service_id))
    for taxonomy in taxonomies.values():
        out.add("taxonomy", m.taxonomy_row(taxonomy))
    for term in terms:
        out.add("taxonomy_term", m.taxonomy_term_row(term, taxonomies[term.taxonomy_id].name))
    tables = out.finish()

    entity_ids: dict[EntityType, set[str]] = {
        EntityType.organization: org_ids, EntityType.service: service_ids, EntityType.location: location_ids,
        EntityType.required_document: {d.id for d in documents}, EntityType.closure: {c.id for c in closures},
        EntityType.taxonomy_term: {t.id for t in terms},
    }
    translations = sorted(
        (m.translation_row(t) for t in _rows(session, select(Translation.__table__))
         if t.entity_id in entity_ids.get(t.entity, ())),
        key=lambda r: (r["entity"], r["entity_id"], r["field"], r["language"]),
    )
    if progress:
        progress("Reading the directory", 3, 3)
    return tables, translations


def _rows(session: Session, query: Any) -> list[Any]:
    """Plain result rows (read-only, attribute access like the models, much cheaper to build)."""
    return list(session.execute(query))


def _by_service(session: Session, model: Any, service_ids: set[str], everything: bool = False) -> list[Any]:
    table = model.__table__
    if everything:
        return _rows(session, select(table))
    rows: list[Any] = []
    for chunk in _chunks(service_ids):
        rows.extend(_rows(session, select(table).where(table.c.service_id.in_(chunk))))
    return rows


def _phone_owner(phone: Phone, extras: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    for table, owner_id in (("service", phone.service_id), ("location", phone.location_id),
                            ("organization", phone.organization_id)):
        if owner_id and (table, owner_id) in extras:
            return extras[(table, owner_id)]
    return {}


def _has_sample(tables: Tables) -> bool:
    return any(row.get("x_is_sample") for table in ("organization", "service", "location") for row in tables[table])


def export_json(session: Session, municipality: str | None = None,
                progress: Progress | None = None) -> dict[str, Any]:
    """The directory (or one municipality) as one HSDS 3.0 JSON document (see the module docstring)."""
    tables, translations = collect(session, municipality, progress)
    services, rest = nest(tables)
    sample = _has_sample(tables)
    document: dict[str, Any] = {
        "x_hsds_version": HSDS_VERSION,
        "x_generator": GENERATOR,
        "x_municipality": municipality,
        "x_contains_sample_data": sample,
    }
    if sample:
        document["x_notice"] = SAMPLE_NOTICE
    document.update({
        "total_items": len(services), "total_pages": 1, "page_number": 1, "size": len(services),
        "first_page": True, "last_page": True, "empty": not services, "contents": services,
    })
    for table, rows in rest.items():
        document[FILE_STEMS[table]] = rows
    document[TRANSLATION_STEM] = translations
    return document


def export_datapackage(session: Session, target: Path, municipality: str | None = None,
                       progress: Progress | None = None) -> Path:
    """Write the HSDS CSV datapackage to ``target``: a folder, or a zip file when it ends in ``.zip``."""
    tables, translations = collect(session, municipality, progress)
    sample = _has_sample(tables)
    meta: dict[str, Any] = {"x_municipality": municipality, "x_contains_sample_data": sample}
    if sample:
        meta["x_notice"] = SAMPLE_NOTICE
    return write_datapackage(Path(target), tables, translations, meta)
