"""Pydantic models of the HSDS 3.0 tables we read, checked against what our columns hold.

Unknown fields are allowed and kept (``extra="allow"``). Lengths are those of our columns,
so a value that would not fit is reported as a row error instead of failing in the
database. Numbers are accepted where HSDS text is expected (``postal_code: 70123``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from directory.hsds.spec import TRANSLATION_TABLE
from directory.models import EntityType, ServiceStatus, TranslationOrigin, TranslationStatus

_TIME = re.compile(r"^([01]\d|2[0-4]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$")


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _id(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _time(value: str) -> str:
    if not _TIME.match(value):
        raise ValueError("is not a time of day (HH:MM, HH:MM:SS, optionally with Z or an offset)")
    return value


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not an IANA time zone (e.g. Europe/Rome)") from None
    return value


def Str(max_length: int | None = None) -> Any:  # noqa: N802 - reads as a type
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_no_nul)]


def Name(max_length: int) -> Any:  # noqa: N802 - reads as a type
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_no_nul), AfterValidator(_not_blank)]


Id = Annotated[str, BeforeValidator(_id), AfterValidator(_not_blank), StringConstraints(max_length=64),
               AfterValidator(_no_nul)]
Text = Str()
Time = Annotated[str, StringConstraints(max_length=32), AfterValidator(_time)]
Age = Annotated[int, Field(ge=0, le=150)]


class Row(BaseModel):
    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)

    id: Id


class OrganizationIn(Row):
    name: Name(500)
    alternate_name: Str(500) | None = None
    description: Text | None = None
    email: Str(320) | None = None
    website: Str(1000) | None = None
    legal_status: Str(200) | None = None
    year_incorporated: int | None = None
    x_language: Str(8) | None = None
    x_is_sample: bool = False


class ServiceIn(Row):
    organization_id: Id | None = None
    name: Name(500)
    alternate_name: Str(500) | None = None
    description: Text | None = None
    url: Str(1000) | None = None
    email: Str(320) | None = None
    status: ServiceStatus | None = None
    interpretation_services: Text | None = None
    application_process: Text | None = None
    fees_description: Text | None = None
    wait_time: Text | None = None
    accreditations: Text | None = None
    eligibility_description: Text | None = None
    minimum_age: Age | None = None
    maximum_age: Age | None = None
    assured_date: date | None = None
    assurer_email: Str(320) | None = None
    licenses: Text | None = None
    alert: Text | None = None
    last_modified: datetime | None = None
    x_municipality_code: Str(64) | None = None
    x_is_free: bool | None = None
    x_language: Str(8) | None = None
    x_is_sample: bool = False


class LocationIn(Row):
    location_type: Literal["physical", "postal", "virtual"] | None = None
    organization_id: Id | None = None
    name: Str(500) | None = None
    alternate_name: Str(500) | None = None
    description: Text | None = None
    transportation: Text | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    x_municipality_code: Str(64) | None = None
    x_language: Str(8) | None = None
    x_is_sample: bool = False


class AddressIn(Row):
    location_id: Id | None = None
    attention: Text | None = None
    address_1: Str(500) | None = None
    address_2: Str(500) | None = None
    city: Str(200) | None = None
    region: Str(200) | None = None
    state_province: Str(200) | None = None
    postal_code: Str(20) | None = None
    country: Annotated[str, StringConstraints(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")] | None = None
    address_type: Literal["physical", "postal", "virtual"] | None = None


class AccessibilityIn(Row):
    location_id: Id | None = None
    description: Text | None = None
    details: Text | None = None
    url: Text | None = None


class ServiceAtLocationIn(Row):
    service_id: Id | None = None
    location_id: Id | None = None
    description: Text | None = None


class PhoneIn(Row):
    location_id: Id | None = None
    service_id: Id | None = None
    organization_id: Id | None = None
    contact_id: Id | None = None
    service_at_location_id: Id | None = None
    number: Name(100)
    extension: Str(20) | None = None
    type: Str(20) | None = None
    description: Text | None = None


class ScheduleIn(Row):
    service_id: Id | None = None
    location_id: Id | None = None
    service_at_location_id: Id | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    dtstart: date | None = None
    until: date | None = None
    freq: Str(10) | None = None
    interval: Annotated[int, Field(ge=1)] | None = None
    byday: Str(100) | None = None
    bymonthday: Str(100) | None = None
    description: Text | None = None
    opens_at: Time | None = None
    closes_at: Time | None = None
    attending_type: Str(100) | None = None
    notes: Text | None = None
    x_timezone: Annotated[str, AfterValidator(_zone)] | None = None


class LanguageIn(Row):
    service_id: Id | None = None
    location_id: Id | None = None
    phone_id: Id | None = None
    name: Str(200) | None = None
    code: Str(16) | None = None
    note: Text | None = None


class RequiredDocumentIn(Row):
    service_id: Id | None = None
    document: Text | None = None
    uri: Str(1000) | None = None


class AttributeIn(Row):
    link_id: Id | None = None
    taxonomy_term_id: Id | None = None
    link_type: Text | None = None
    link_entity: Str(64) | None = None
    value: Text | None = None
    label: Str(500) | None = None


class TaxonomyIn(Row):
    name: Name(200)
    description: Text | None = None
    uri: Str(500) | None = None
    version: Str(50) | None = None


class TaxonomyTermIn(Row):
    code: Str(200) | None = None
    name: Str(500) | None = None
    description: Text | None = None
    parent_id: Id | None = None
    taxonomy: Str(200) | None = None
    language: Str(8) | None = None
    taxonomy_id: Id | None = None
    term_uri: Str(500) | None = None


class KeptRowIn(Row):
    """A row of a table we do not model: kept verbatim; its links are read to find its owner."""


class TranslationIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    entity: EntityType
    entity_id: Id
    field: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    language: Annotated[str, StringConstraints(min_length=1, max_length=8)]
    text: Text
    origin: TranslationOrigin = TranslationOrigin.human
    status: TranslationStatus = TranslationStatus.published
    updated_at: datetime | None = None


MODELS: dict[str, type[BaseModel]] = {
    "organization": OrganizationIn, "service": ServiceIn, "location": LocationIn, "address": AddressIn,
    "accessibility": AccessibilityIn, "service_at_location": ServiceAtLocationIn, "phone": PhoneIn,
    "schedule": ScheduleIn, "language": LanguageIn, "required_document": RequiredDocumentIn,
    "attribute": AttributeIn, "taxonomy": TaxonomyIn, "taxonomy_term": TaxonomyTermIn,
    TRANSLATION_TABLE: TranslationIn,
}
# Fields of kept rows that link them to other rows: made text, like ids everywhere.
LINK_FIELDS = ("service_id", "organization_id", "location_id", "contact_id", "service_at_location_id", "phone_id",
               "link_id", "resource_id", "program_id")


def model_for(table: str) -> type[BaseModel]:
    return MODELS.get(table, KeptRowIn)
