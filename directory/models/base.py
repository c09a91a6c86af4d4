"""Declarative base with a naming convention, and small column helpers."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from enum import Enum as PyEnum
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def enum_column(enum: type[PyEnum], **kwargs: Any) -> Any:
    """A portable enum column: stored as its string values, checked in Python."""
    return mapped_column(
        Enum(enum, native_enum=False, length=40, values_callable=lambda e: [m.value for m in e], validate_strings=True),
        **kwargs,
    )


def id_column() -> Mapped[str]:
    return mapped_column(String(64), primary_key=True, default=new_id)
