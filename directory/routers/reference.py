"""/api/v1/municipalities and /api/v1/taxonomy: reference data, localized."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy import select

from directory.deps import LangQuery, SessionDep
from directory.models import NEEDS_TAXONOMY, EntityType, Municipality, Taxonomy, TaxonomyTerm
from directory.schemas.reference import MunicipalityOut, ResolutionOut, ResolveResult, TaxonomyTermOut
from directory.services.municipalities import list_municipalities, name_index, resolve_municipality
from directory.services.reference import category_codes
from directory.services.translations import TranslationIndex

router = APIRouter(tags=["reference"])


def _municipality_out(municipality: Municipality, lang: str) -> MunicipalityOut:
    names: dict[str, list[str]] = {}
    for name in municipality.names:
        names.setdefault(name.language, []).append(name.name)
    return MunicipalityOut(
        code=municipality.code, name=municipality.name_in(lang), country=municipality.country,
        host_language=municipality.host_language, timezone=municipality.timezone, region=municipality.region,
        latitude=municipality.latitude, longitude=municipality.longitude, names=names,
    )


@router.get("/municipalities", response_model=list[MunicipalityOut], summary="All municipalities")
def municipalities(session: SessionDep, lang: LangQuery = "en") -> list[MunicipalityOut]:
    return [_municipality_out(m, lang) for m in list_municipalities(session)]


@router.get("/municipalities/resolve", response_model=ResolveResult,
            summary="Resolve any form of a city name to a municipality code, with a confidence")
def resolve(
    session: SessionDep,
    name: Annotated[str, Query(min_length=1, max_length=200, description="Mailand, ميلانو, we Wrocławiu, у Варшаві, milno")],
    lang: LangQuery = "en",
) -> ResolveResult:
    def out(code: str, confidence: float, matched: str, method: str) -> ResolutionOut:
        municipality = session.get(Municipality, code)
        return ResolutionOut(code=code, name=municipality.name_in(lang) if municipality else code,
                             confidence=confidence, matched=matched, method=method)

    best = resolve_municipality(session, name)
    alternatives = [c for c in name_index(session).candidates(name, limit=4) if not best or c.code != best.code]
    return ResolveResult(
        query=name,
        match=out(best.code, best.confidence, best.matched, best.method) if best else None,
        alternatives=[out(c.code, c.confidence, c.matched, c.method) for c in alternatives[:3]],
    )


@router.get("/municipalities/{code}", response_model=MunicipalityOut, summary="One municipality")
def municipality(code: str, session: SessionDep, lang: LangQuery = "en") -> MunicipalityOut:
    row = session.get(Municipality, code)
    if row is None:
        valid = [m.code for m in list_municipalities(session)]
        raise HTTPException(status_code=404, detail=f"unknown municipality {code!r}; valid: {', '.join(valid)}")
    return _municipality_out(row, lang)


@router.get("/taxonomy", response_model=list[TaxonomyTermOut], summary="The needs taxonomy, localized")
def taxonomy(session: SessionDep, lang: LangQuery = "en") -> list[TaxonomyTermOut]:
    terms = list(session.scalars(
        select(TaxonomyTerm).join(Taxonomy).where(Taxonomy.name == NEEDS_TAXONOMY)
    ))
    order = {code: n for n, code in enumerate(category_codes())}
    terms.sort(key=lambda t: (order.get(t.code, len(order)), t.code))
    index = TranslationIndex.load(session, [(EntityType.taxonomy_term, t.id) for t in terms])
    from directory.settings import SUPPORTED_LANGUAGES

    result = []
    for term in terms:
        label = index.localize(EntityType.taxonomy_term, term.id, "name", term.name, term.language, lang)
        description = index.localize(EntityType.taxonomy_term, term.id, "description", term.description,
                                     term.language, lang)
        labels = {}
        for language in SUPPORTED_LANGUAGES:
            row = index.get(EntityType.taxonomy_term, term.id, "name", language)
            if row is not None:
                labels[language] = row.text
        result.append(TaxonomyTermOut(code=term.code, label=label.text if label else term.name,
                                      description=description.text if description else None, labels=labels))
    return result
