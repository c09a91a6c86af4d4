"""The search documents' copies of their service's status and municipality (migration 0006).

Free-text search filters on these copies instead of the services, so they must never lag: these
tests write services and documents through the ORM and in plain SQL and compare the copies with
what ``service`` says, then search without reindexing.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from directory.models import Organization, SearchDocument, Service, ServiceStatus
from directory.services.indexing import reindex_services
from directory.services.search import ServiceQuery, search_services


def _copies(session: Session) -> dict[str, tuple[str | None, str | None]]:
    session.flush()
    rows = session.execute(text("SELECT service_id, status, municipality_code FROM service_search"))
    return {service_id: (status, municipality) for service_id, status, municipality in rows}


def _expected(session: Session) -> dict[str, tuple[str | None, str | None]]:
    session.flush()
    rows = session.execute(select(Service.id, Service.status, Service.municipality_code)
                           .join(SearchDocument, SearchDocument.service_id == Service.id))
    return {service_id: (status.value, municipality) for service_id, status, municipality in rows}


@pytest.fixture
def courses(session: Session) -> list[Service]:
    """Three indexed Italian courses: two in Milan, one in Naples."""
    organization = Organization(name="Scuola di lingue", language="it")
    services = [Service(organization=organization, name=f"Corso di italiano {number}", municipality_code=city,
                        language="it", status=ServiceStatus.active, description="Corso gratuito di italiano.")
                for number, city in enumerate(["milan", "milan", "naples"])]
    session.add_all(services)
    session.flush()
    reindex_services(session, [s.id for s in services])
    return services


def _found(session: Session, **kwargs: object) -> list[str]:
    return search_services(session, ServiceQuery(text="corso di italiano", **kwargs)).ids  # type: ignore[arg-type]


def test_new_documents_copy_their_service(session: Session, courses: list[Service]) -> None:
    copies = _copies(session)
    assert copies == _expected(session)
    assert [copies[s.id] for s in courses] == [("active", "milan"), ("active", "milan"), ("active", "naples")]


def test_service_updates_reach_the_documents(session: Session, courses: list[Service]) -> None:
    first, second, third = courses
    first.status = ServiceStatus.temporarily_closed
    third.municipality_code = "milan"
    session.flush()
    session.execute(update(Service).where(Service.id == second.id).values(status=ServiceStatus.inactive))
    assert _copies(session) == _expected(session)
    assert _copies(session)[third.id] == ("active", "milan")


def test_text_search_follows_status_and_municipality_without_reindexing(session: Session,
                                                                         courses: list[Service]) -> None:
    first, second, third = courses
    assert set(_found(session)) == {first.id, second.id, third.id}
    session.execute(update(Service).where(Service.id == first.id).values(status=ServiceStatus.inactive))
    second.status = ServiceStatus.temporarily_closed
    third.municipality_code = "milan"  # its document still names Naples until it is reindexed
    session.flush()
    assert _found(session) == [third.id, second.id]   # active first
    assert _found(session, municipality="naples") == []
    reindex_services(session, [third.id])
    assert _found(session, municipality="milan") == [third.id, second.id]


def test_a_document_moved_to_another_service_copies_it(session: Session, courses: list[Service]) -> None:
    first, _second, third = courses
    third.status = ServiceStatus.temporarily_closed
    session.flush()
    session.execute(text("DELETE FROM service_search WHERE service_id = :id"), {"id": third.id})
    session.execute(text("UPDATE service_search SET service_id = :third WHERE service_id = :first"),
                    {"first": first.id, "third": third.id})
    assert _copies(session)[third.id] == ("temporarily closed", "naples")
    assert _copies(session) == _expected(session)


def test_sqlite_full_text_index_is_not_rewritten_for_a_status_change(session: Session,
                                                                     courses: list[Service]) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL has no full-text triggers")
    session.flush()
    changes = session.execute(text("SELECT total_changes()")).scalar_one()
    session.execute(update(Service).where(Service.id == courses[0].id).values(status=ServiceStatus.inactive))
    # the service and its document; a rewrite of the full-text entry would add two more
    assert session.execute(text("SELECT total_changes()")).scalar_one() - changes == 2
    session.execute(text("INSERT INTO service_fts(service_fts, rank) VALUES ('integrity-check', 1)"))
    assert set(_found(session)) == {courses[1].id, courses[2].id}
