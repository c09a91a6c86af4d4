"""/api/v1/services: search and detail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from directory.deps import LangQuery, SessionDep, SettingsDep
from directory.models import AdministrativeStatus
from directory.schemas.common import SAMPLE_NOTICE
from directory.schemas.service import MunicipalityRef, ServiceOut, ServicePage
from directory.services.municipalities import list_municipalities, resolve_municipality
from directory.services.reference import category_codes
from directory.services.search import ServiceQuery, search_services
from directory.services.service_views import build_views, load_services

router = APIRouter(prefix="/services", tags=["services"])
MUNICIPALITY_CONFIDENCE = 0.7


def unprocessable(field: str, message: str, valid: list[str]) -> HTTPException:
    return HTTPException(status_code=422, detail=[{
        "loc": ["query", field], "msg": message, "type": "value_error", "valid_values": valid,
    }])


def parse_categories(values: list[str]) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(c.strip() for v in values for c in v.split(",") if c.strip()))
    valid = category_codes()
    unknown = [c for c in codes if c not in valid]
    if unknown:
        raise unprocessable("category", f"unknown category {', '.join(unknown)}; valid: {', '.join(valid)}",
                            list(valid))
    return codes


@router.get("", response_model=ServicePage, summary="Search services")
def search(
    session: SessionDep,
    settings: SettingsDep,
    lang: LangQuery = "en",
    category: Annotated[list[str], Query(description="need-taxonomy code(s), repeated or comma-separated")] = [],  # noqa: B006
    municipality: Annotated[str | None, Query(max_length=200, description="code or any name form: Milano, Mailand, we Wrocławiu")] = None,
    language_spoken: Annotated[str | None, Query(pattern=r"^[a-z]{2,3}$", description="a language spoken at the service")] = None,
    status: Annotated[AdministrativeStatus | None, Query(description="the person's administrative status")] = None,
    open_now: Annotated[bool, Query(description="only services open at this moment")] = False,
    q: Annotated[str | None, Query(max_length=500, description="free text in any language")] = None,
    limit: Annotated[int, Query(ge=1)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ServicePage:
    limit = min(limit, settings.page_size_max)
    codes = parse_categories(category)
    code = None
    if municipality:
        resolution = resolve_municipality(session, municipality)
        if resolution is None or resolution.confidence < MUNICIPALITY_CONFIDENCE:
            valid = [m.code for m in list_municipalities(session)]
            raise unprocessable("municipality", f"unknown municipality {municipality!r}; valid: {', '.join(valid)}", valid)
        code = resolution.code
    page = search_services(session, ServiceQuery(
        categories=codes, municipality=code, language=language_spoken, status=status, open_now=open_now,
        text=q, limit=limit, offset=offset,
    ))
    items = build_views(session, load_services(session, page.ids), lang)
    resolved = None
    if code:
        from directory.models import Municipality

        row = session.get(Municipality, code)
        resolved = MunicipalityRef(code=code, name=row.name_in(lang)) if row else None
    sample = any(item.is_sample for item in items)
    return ServicePage(items=items, total=page.total, total_is_estimate=page.total_is_estimate, limit=limit,
                       offset=offset, language=lang, sample_data=sample, notice=SAMPLE_NOTICE if sample else None,
                       municipality=resolved)


@router.get("/{service_id}", response_model=ServiceOut, summary="One service")
def detail(service_id: str, session: SessionDep, lang: LangQuery = "en") -> ServiceOut:
    services = load_services(session, [service_id])
    if not services:
        raise HTTPException(status_code=404, detail=f"no service with id {service_id!r}")
    return build_views(session, services, lang)[0]
