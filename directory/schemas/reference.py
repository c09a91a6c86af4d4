"""Response models of the municipality and taxonomy endpoints."""

from __future__ import annotations

from pydantic import Field

from directory.schemas.common import ApiModel


class MunicipalityOut(ApiModel):
    code: str
    name: str = Field(description="name in the requested language")
    country: str
    host_language: str
    timezone: str
    region: str | None
    latitude: float
    longitude: float
    names: dict[str, list[str]] = Field(description="every known form of the name, per language")


class ResolutionOut(ApiModel):
    code: str
    name: str
    confidence: float = Field(ge=0, le=1)
    matched: str = Field(description="the known name form that matched")
    method: str = Field(description="code | exact | stripped | contained | fuzzy")


class ResolveResult(ApiModel):
    query: str
    match: ResolutionOut | None
    alternatives: list[ResolutionOut]


class TaxonomyTermOut(ApiModel):
    code: str
    label: str
    description: str | None
    labels: dict[str, str] = Field(description="label in every language")
