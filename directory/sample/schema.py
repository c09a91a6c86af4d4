"""The shape of a sample directory file (see FORMAT.md), validated with pydantic."""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from directory.models import AdministrativeStatus, Gender

Text = dict[str, str]
_INTERVALS = re.compile(r"^\d{2}:\d{2}-\d{2}:\d{2}(, ?\d{2}:\d{2}-\d{2}:\d{2})*$")
DAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SampleOrganization(_Strict):
    key: str
    name: str
    description: Text | None = None
    url: str | None = None
    email: str | None = None


class SampleLocation(_Strict):
    key: str
    organization: str
    name: str | None = None
    address: str
    postal_code: str | None = None
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    accessibility: Text | None = None


class SampleEligibility(_Strict):
    statuses: list[AdministrativeStatus] = Field(default_factory=lambda: [AdministrativeStatus.any])
    min_age: int | None = Field(default=None, ge=0, le=130)
    max_age: int | None = Field(default=None, ge=0, le=130)
    gender: Gender = Gender.any


class SampleClosure(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    starts_on: date = Field(alias="from")
    ends_on: date = Field(alias="to")
    reason: Text | None = None


class SampleService(_Strict):
    key: str
    organization: str
    location: str | None = None
    name: Text
    categories: list[str] = Field(min_length=1)
    status: str = "active"
    description: Text
    application_process: Text | None = None
    fees: Text | None = None
    free: bool | None = None
    documents: list[Text] = Field(default_factory=list)
    eligibility: SampleEligibility = Field(default_factory=SampleEligibility)
    languages: list[str] = Field(default_factory=list)
    url: str | None = None
    email: str | None = None
    phones: list[str] = Field(default_factory=list)
    hours: dict[str, str] = Field(default_factory=dict)
    closures: list[SampleClosure] = Field(default_factory=list)
    last_verified: date | None = None

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: dict[str, str]) -> dict[str, str]:
        for day, intervals in value.items():
            if day not in DAYS:
                raise ValueError(f"unknown day {day!r}; use one of {', '.join(DAYS)}")
            if not _INTERVALS.match(str(intervals).strip()):
                raise ValueError(f"{day}: {intervals!r} is not 'HH:MM-HH:MM[, HH:MM-HH:MM]'")
        return value


class SampleFile(_Strict):
    municipality: str
    organizations: list[SampleOrganization] = Field(default_factory=list)
    locations: list[SampleLocation] = Field(default_factory=list)
    services: list[SampleService]
