"""The category listing (migration 0003) follows every write to services and their categories.

Searches by category read it instead of the services, so it must never lag behind: these
tests change services and categories through the ORM and in plain SQL (as imports and
cascades do) and compare the listing with what ``service`` and ``service_term`` say.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from directory.models import NEEDS_TAXONOMY, Organization, Service, ServiceStatus, ServiceTerm, Taxonomy, TaxonomyTerm
from directory.services.search import ServiceQuery, search_services


def _term(session: Session, code: str) -> TaxonomyTerm:
    return session.scalars(select(TaxonomyTerm).join(Taxonomy)
                           .where(Taxonomy.name == NEEDS_TAXONOMY, TaxonomyTerm.code == code)).one()


def _listing(session: Session) -> set[tuple[str, str, str | None, str, str]]:
    session.flush()
    rows = session.execute(text(
        "SELECT taxonomy_term_id, service_id, municipality_code, status, name FROM category_listing"))
    return {tuple(row) for row in rows}  # type: ignore[misc]


def _expected(session: Session) -> set[tuple[str, str, str | None, str, str]]:
    session.flush()
    rows = session.execute(
        select(ServiceTerm.taxonomy_term_id, Service.id, Service.municipality_code, Service.status, Service.name)
        .join(Service, Service.id == ServiceTerm.service_id))
    return {(term, sid, municipality, getattr(status, "value", status), name)
            for term, sid, municipality, status, name in rows}


@pytest.fixture
def courses(session: Session) -> list[Service]:
    language, school = _term(session, "education.language"), _term(session, "education.school")
    organization = Organization(name="Scuola di lingue", language="it")
    services = []
    for number, municipality in enumerate(["milan", "milan", "naples"]):
        service = Service(organization=organization, name=f"Corso {number}", municipality_code=municipality,
                          language="it", status=ServiceStatus.active)
        service.terms = [ServiceTerm(term=language)] + ([ServiceTerm(term=school)] if number == 0 else [])
        services.append(service)
    session.add_all(services)
    session.flush()
    return services


def _ids(session: Session, **kwargs: object) -> list[str]:
    return search_services(session, ServiceQuery(**kwargs)).ids  # type: ignore[arg-type]


def test_inserted_services_and_categories_are_listed(session: Session, courses: list[Service]) -> None:
    listing = _listing(session)
    assert listing == _expected(session)
    assert len([row for row in listing if row[1] in {s.id for s in courses}]) == 4


def test_service_updates_reach_the_listing(session: Session, courses: list[Service]) -> None:
    first, second, third = courses
    first.status = ServiceStatus.temporarily_closed
    second.name = "A corso"
    third.municipality_code = "milan"
    session.flush()
    session.execute(update(Service).where(Service.id == second.id).values(status=ServiceStatus.inactive))
    assert _listing(session) == _expected(session)
    assert _ids(session, categories=("education.language",), municipality="milan") == [third.id, first.id]
    assert _ids(session, categories=("education.language",), municipality="naples") == []


def test_category_changes_reach_the_listing(session: Session, courses: list[Service]) -> None:
    first, second, _third = courses
    first.terms = [term for term in first.terms if term.term.code == "education.school"]
    second.terms.append(ServiceTerm(term=_term(session, "legal.aid")))
    session.flush()
    session.execute(update(ServiceTerm).where(ServiceTerm.service_id == second.id,
                                              ServiceTerm.taxonomy_term_id == _term(session, "legal.aid").id)
                    .values(taxonomy_term_id=_term(session, "health.care").id))
    assert _listing(session) == _expected(session)
    assert _ids(session, categories=("education.language",), municipality="milan") == [second.id]
    assert _ids(session, categories=("health.care",)) == [second.id]
    assert _ids(session, categories=("education",), municipality="milan") == [first.id, second.id]


def test_deleted_services_leave_the_listing(session: Session, courses: list[Service]) -> None:
    first, second, _third = courses
    session.delete(first)
    session.flush()
    session.execute(delete(ServiceTerm).where(ServiceTerm.service_id == second.id))
    assert _listing(session) == _expected(session)
    assert not any(row[1] in {first.id, second.id} for row in _listing(session))


def test_several_categories_list_a_service_once(session: Session, courses: list[Service]) -> None:
    page = search_services(session, ServiceQuery(categories=("education.language", "education.school"),
                                                 municipality="milan"))
    assert page.ids == [courses[0].id, courses[1].id] and page.total == 2
