"""Pieces shared by the API's response models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from directory.models import TranslationOrigin

SAMPLE_NOTICE = "Sample data for demonstration: not verified information. Do not rely on it."


class ApiModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class FieldSource(ApiModel):
    """Where a localized field's text came from."""

    language: str | None = Field(description="language of the text served")
    origin: TranslationOrigin = Field(description="human, or machine-translated")


class Page(ApiModel):
    total: int
    limit: int
    offset: int
