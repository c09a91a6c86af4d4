"""Load the sample directory (``sample/data/*.yml``) into the database, flagged as sample data.

Loading replaces every earlier sample record (ids are derived from the files' keys, so
they are stable across reloads); records that are not sample data are never touched.
The whole load is one transaction: a bad file changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from directory.yamlfiles import read_yaml
from babel import Locale
from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from directory.models import (
    NEEDS_TAXONOMY, Closure, EntityType, Location, Municipality, Organization, Phone, RequiredDocument,
    Schedule, Service, ServiceAtLocation, ServiceEligibility, ServiceLanguage, ServiceStatus, ServiceTerm,
    Taxonomy, TaxonomyTerm, Translation,
)
from directory.sample.schema import SampleFile, SampleService, Text
from directory.services.reference import stable_id

SAMPLE_DIR = Path(__file__).resolve().parent / "data"


class SampleDataError(ValueError):
    """A sample file is not valid; the message names the file and the field."""


@dataclass(frozen=True)
class LoadReport:
    municipalities: int
    organizations: int
    services: int


def read_sample_files(data_dir: Path = SAMPLE_DIR) -> list[SampleFile]:
    files = sorted(data_dir.glob("*.yml"))
    if not files:
        raise SampleDataError(f"no sample files in {data_dir}")
    parsed = []
    for path in files:
        try:
            parsed.append(SampleFile.model_validate(read_yaml(path)))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise SampleDataError(f"{path.name}: {where}: {first['msg']}") from error
    return parsed


def _language_name(code: str) -> str | None:
    try:
        return Locale("en").languages.get(code)
    except Exception:  # noqa: BLE001 - an unknown code simply has no name
        return None


def clear_sample(session: Session) -> None:
    """Remove every sample record and its translations."""
    ids = {
        EntityType.organization: list(session.scalars(select(Organization.id).where(Organization.is_sample))),
        EntityType.service: list(session.scalars(select(Service.id).where(Service.is_sample))),
        EntityType.location: list(session.scalars(select(Location.id).where(Location.is_sample))),
    }
    ids[EntityType.required_document] = list(session.scalars(
        select(RequiredDocument.id).where(RequiredDocument.service_id.in_(ids[EntityType.service]))))
    ids[EntityType.closure] = list(session.scalars(
        select(Closure.id).where(Closure.service_id.in_(ids[EntityType.service]))))
    for entity, entity_ids in ids.items():
        for start in range(0, len(entity_ids), 500):
            session.execute(delete(Translation).where(
                Translation.entity == entity, Translation.entity_id.in_(entity_ids[start:start + 500])))
    for organization in session.scalars(select(Organization).where(Organization.is_sample)):
        session.delete(organization)
    session.flush()


def load_sample(
    session: Session, data_dir: Path = SAMPLE_DIR, progress: Callable[[str], None] | None = None
) -> LoadReport:
    files = read_sample_files(data_dir)
    needs = session.scalar(select(Taxonomy).where(Taxonomy.name == NEEDS_TAXONOMY))
    if needs is None:
        raise SampleDataError("the needs taxonomy is missing: run `directory migrate` first")
    terms = {t.code: t for t in session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == needs.id))}
    clear_sample(session)
    organizations = services = 0
    with session.no_autoflush:
        for sample in files:
            municipality = session.get(Municipality, sample.municipality)
            if municipality is None:
                raise SampleDataError(f"{sample.municipality}: unknown municipality code")
            loader = _FileLoader(session, municipality, municipality.host_language, terms)
            organizations += loader.load(sample)
            services += len(sample.services)
            if progress:
                progress(sample.municipality)
    session.flush()
    from directory.services.indexing import reindex_services

    reindex_services(session)
    return LoadReport(municipalities=len(files), organizations=organizations, services=services)


class _FileLoader:
    def __init__(self, session: Session, municipality: Municipality, host: str,
                 terms: dict[str, TaxonomyTerm]) -> None:
        self.session, self.municipality, self.host, self.terms = session, municipality, host, terms
        self.organizations: dict[str, Organization] = {}
        self.locations: dict[str, Location] = {}

    def _own(self, text: Text | None, where: str) -> str | None:
        if not text:
            return None
        if self.host in text:
            return text[self.host]
        if "en" in text:
            return text["en"]
        raise SampleDataError(f"{where}: no text in {self.host} or en")

    def _translate(self, entity: EntityType, entity_id: str, field: str, text: Text | None) -> None:
        """Earlier sample translations were cleared, so every row is new."""
        self.session.add_all(
            Translation(entity=entity, entity_id=entity_id, field=field, language=language, text=value)
            for language, value in (text or {}).items() if language != self.host
        )

    def load(self, sample: SampleFile) -> int:
        city = self.municipality.name_in(self.host)
        for org in sample.organizations:
            row = Organization(id=stable_id("sample", "organization", org.key), name=org.name,
                               description=self._own(org.description, f"{org.key}.description"),
                               website=org.url, email=org.email, language=self.host, is_sample=True)
            self.session.add(row)
            self._translate(EntityType.organization, row.id, "description", org.description)
            self.organizations[org.key] = row
        for loc in sample.locations:
            organization = self._organization(loc.organization, loc.key)
            row = Location(id=stable_id("sample", "location", loc.key), organization=organization,
                           municipality_code=self.municipality.code, name=loc.name, address_1=loc.address,
                           postal_code=loc.postal_code, city=city, region=self.municipality.region,
                           country=self.municipality.country, latitude=loc.lat, longitude=loc.lon,
                           accessibility=self._own(loc.accessibility, f"{loc.key}.accessibility"),
                           language=self.host, is_sample=True)
            self.session.add(row)
            self._translate(EntityType.location, row.id, "accessibility", loc.accessibility)
            self.locations[loc.key] = row
        for service in sample.services:
            self._service(service)
        return len(sample.organizations)

    def _organization(self, key: str, where: str) -> Organization:
        try:
            return self.organizations[key]
        except KeyError:
            raise SampleDataError(f"{where}: unknown organization {key!r}") from None

    def _service(self, item: SampleService) -> None:
        key = item.key
        try:
            status = ServiceStatus(item.status.replace("_", " "))
        except ValueError:
            raise SampleDataError(f"{key}.status: {item.status!r} is not one of "
                                  f"{', '.join(s.value for s in ServiceStatus)}") from None
        service = Service(
            id=stable_id("sample", "service", key), organization=self._organization(item.organization, key),
            municipality_code=self.municipality.code, name=self._own(item.name, f"{key}.name") or key,
            description=self._own(item.description, f"{key}.description"), url=item.url, email=item.email,
            status=status, application_process=self._own(item.application_process, f"{key}.application_process"),
            fees_description=self._own(item.fees, f"{key}.fees"), is_free=item.free,
            minimum_age=item.eligibility.min_age, maximum_age=item.eligibility.max_age,
            gender=item.eligibility.gender, last_verified=item.last_verified, language=self.host, is_sample=True,
        )
        self.session.add(service)
        for field, text in (("name", item.name), ("description", item.description),
                            ("application_process", item.application_process), ("fees_description", item.fees)):
            self._translate(EntityType.service, service.id, field, text)
        for code in item.categories:
            if code not in self.terms:
                raise SampleDataError(f"{key}.categories: unknown category {code!r}; valid: {', '.join(self.terms)}")
            service.terms.append(ServiceTerm(id=stable_id("sample", "service_term", key, code),
                                             taxonomy_term_id=self.terms[code].id))
        service.eligible_statuses.extend(ServiceEligibility(status=s) for s in dict.fromkeys(item.eligibility.statuses))
        service.languages.extend(
            ServiceLanguage(id=stable_id("sample", "language", key, code), code=code, name=_language_name(code))
            for code in dict.fromkeys(item.languages)
        )
        for position, document in enumerate(item.documents):
            row = RequiredDocument(id=stable_id("sample", "document", key, str(position)),
                                   document=self._own(document, f"{key}.documents[{position}]") or "",
                                   position=position)
            service.required_documents.append(row)
            self._translate(EntityType.required_document, row.id, "document", document)
        if item.location:
            if item.location not in self.locations:
                raise SampleDataError(f"{key}.location: unknown location {item.location!r}")
            service.service_at_locations.append(ServiceAtLocation(
                id=stable_id("sample", "service_at_location", key), location=self.locations[item.location]))
        service.phones.extend(
            Phone(id=stable_id("sample", "phone", key, str(n)), number=number, type="voice")
            for n, number in enumerate(item.phones)
        )
        for day, intervals in item.hours.items():
            for n, interval in enumerate(part.strip() for part in intervals.split(",")):
                opens, closes = interval.split("-")
                service.schedules.append(Schedule(
                    id=stable_id("sample", "schedule", key, day, str(n)), freq="WEEKLY", byday=day.upper(),
                    opens_at=opens, closes_at=closes, timezone=self.municipality.timezone))
        for n, closure in enumerate(item.closures):
            row = Closure(id=stable_id("sample", "closure", key, str(n)), starts_on=closure.starts_on,
                          ends_on=closure.ends_on, reason=self._own(closure.reason, f"{key}.closures[{n}]"))
            service.closures.append(row)
            self._translate(EntityType.closure, row.id, "reason", closure.reason)
