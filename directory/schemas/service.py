"""Response models of the services API."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from directory.models import AdministrativeStatus, Gender, ServiceStatus
from directory.schemas.common import ApiModel, FieldSource, Page


class CategoryOut(ApiModel):
    code: str
    label: str


class MunicipalityRef(ApiModel):
    code: str
    name: str


class OrganizationRef(ApiModel):
    id: str
    name: str


class LocationOut(ApiModel):
    id: str
    name: str | None
    address: str | None = Field(description="street, postal code and city on one line")
    postal_code: str | None
    city: str | None
    latitude: float | None
    longitude: float | None
    accessibility: str | None
    map_url: str | None


class PhoneOut(ApiModel):
    number: str
    type: str | None


class OpeningInterval(ApiModel):
    day: str = Field(description="MO TU WE TH FR SA SU")
    opens_at: str
    closes_at: str


class ClosureOut(ApiModel):
    starts_on: date
    ends_on: date
    reason: str | None


class EligibilityOut(ApiModel):
    statuses: list[AdministrativeStatus]
    minimum_age: int | None
    maximum_age: int | None
    gender: Gender


class ServiceOut(ApiModel):
    id: str
    name: str = Field(description="the office's own name, in the host language, as on its signs")
    name_localized: str | None = Field(default=None, description="the name in the requested language, when different")
    description: str | None
    categories: list[CategoryOut]
    municipality: MunicipalityRef | None
    organization: OrganizationRef
    status: ServiceStatus
    application_process: str | None
    fees: str | None
    is_free: bool | None
    required_documents: list[str]
    eligibility: EligibilityOut
    languages: list[str] = Field(description="ISO 639-1 codes of the languages spoken at the service")
    language_names: list[str] = Field(description="the languages spoken, named in the requested language")
    address: str | None = Field(description="the first location's address on one line")
    locations: list[LocationOut]
    phones: list[PhoneOut]
    opening_hours: list[OpeningInterval]
    opening_hours_text: str | None = Field(description="the week's hours, localized: 'Mon–Fri 08:30–12:30'")
    today_hours: str | None = Field(description="today's hours, localized; null when closed today")
    closures: list[ClosureOut]
    open_now: bool
    url: str | None
    email: str | None
    last_verified: date | None
    is_sample: bool = Field(description="sample data: not verified information")
    language: str = Field(description="the language requested")
    field_sources: dict[str, FieldSource] = Field(
        description="for each localized field: the language and origin of the text served"
    )


class ServicePage(Page):
    total_is_estimate: bool = Field(
        default=False,
        description="true when `total` is an estimate: a free-text query matching more than 1,000 "
                    "services ranks the best of a bounded sample of its matches (all of them match the query) "
                    "and estimates how many there are; false whenever `total` is exact",
    )
    items: list[ServiceOut]
    language: str
    sample_data: bool = Field(description="true when any item is sample data")
    notice: str | None = None
    municipality: MunicipalityRef | None = Field(default=None, description="the municipality the filter resolved to")
