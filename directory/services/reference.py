"""Reference data shipped with the code: the needs taxonomy and the municipalities.

``sync_reference`` makes the database hold exactly what ``directory/reference/*.yml``
says (idempotent; run by ``directory migrate``).
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

from directory.yamlfiles import read_yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.models import (
    GENDER_TAXONOMY, NEEDS_TAXONOMY, STATUS_TAXONOMY, AdministrativeStatus, EntityType, Gender,
    Municipality, MunicipalityName, Taxonomy, TaxonomyTerm,
)
from directory.services.translations import TranslationWriter
from directory.text.normalize import normalize

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
_NAMESPACE = uuid.UUID("5b7d9c1e-3f0a-4c58-9a51-7d1e0c2b4a60")


def stable_id(*parts: str) -> str:
    """A deterministic id for reference and sample records, stable across reloads."""
    return str(uuid.uuid5(_NAMESPACE, ":".join(parts)))


@lru_cache(maxsize=1)
def taxonomy_entries() -> tuple[dict[str, Any], ...]:
    return tuple(read_yaml(REFERENCE_DIR / "taxonomy.yml"))


@lru_cache(maxsize=1)
def municipality_entries() -> tuple[dict[str, Any], ...]:
    return tuple(read_yaml(REFERENCE_DIR / "municipalities.yml"))


def category_codes() -> tuple[str, ...]:
    return tuple(entry["code"] for entry in taxonomy_entries())


def _taxonomy(session: Session, name: str, description: str) -> Taxonomy:
    taxonomy = session.scalar(select(Taxonomy).where(Taxonomy.name == name))
    if taxonomy is None:
        taxonomy = Taxonomy(id=stable_id("taxonomy", name), name=name, description=description, version="1")
        session.add(taxonomy)
    return taxonomy


def _term(session: Session, taxonomy: Taxonomy, code: str, name: str, description: str | None) -> TaxonomyTerm:
    term_id = stable_id("term", taxonomy.name, code)
    term = session.get(TaxonomyTerm, term_id)
    if term is None:
        term = TaxonomyTerm(id=term_id, taxonomy_id=taxonomy.id, code=code)
        session.add(term)
    term.name, term.description, term.language = name, description, "en"
    return term


def sync_reference(session: Session) -> None:
    with session.no_autoflush:
        _sync(session)
    session.flush()


def _sync(session: Session) -> None:
    labels = TranslationWriter(session, EntityType.taxonomy_term)
    needs = _taxonomy(session, NEEDS_TAXONOMY, "Needs of migrants and refugees (ADMin4ALL service directory)")
    for entry in taxonomy_entries():
        term = _term(session, needs, entry["code"], entry["labels"]["en"], entry["descriptions"]["en"])
        for language, label in entry["labels"].items():
            labels.set(term.id, "name", language, label)
        for language, text in entry["descriptions"].items():
            labels.set(term.id, "description", language, text)
        for language, keywords in entry.get("keywords", {}).items():
            labels.set(term.id, "keywords", language, "; ".join(keywords))

    statuses = _taxonomy(session, STATUS_TAXONOMY, "Administrative statuses a service accepts")
    for status in AdministrativeStatus:
        _term(session, statuses, status.value, status.value.replace("_", " "), None)
    genders = _taxonomy(session, GENDER_TAXONOMY, "Genders a service is for")
    for gender in Gender:
        _term(session, genders, gender.value, gender.value, None)

    for entry in municipality_entries():
        municipality = session.get(Municipality, entry["code"])
        if municipality is None:
            municipality = Municipality(code=entry["code"])
            session.add(municipality)
        municipality.country = entry["country"]
        municipality.host_language = entry["host_language"]
        municipality.timezone = entry["timezone"]
        municipality.region = entry.get("region")
        municipality.latitude, municipality.longitude = entry["lat"], entry["lon"]
        wanted = [
            (language, name, index == 0)
            for language, names in entry["names"].items()
            for index, name in enumerate(names)
        ]
        have = [(n.language, n.name, n.is_primary) for n in municipality.names]
        if have != wanted:
            municipality.names = [
                MunicipalityName(language=language, name=name, normalized=normalize(name), is_primary=primary)
                for language, name, primary in wanted
            ]
