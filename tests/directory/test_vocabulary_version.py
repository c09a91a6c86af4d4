"""The vocabulary stamp (migration 0006): renewed by every change to the categories' words, and
free-text search follows such a change at once, without reindexing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from directory.models import (
    NEEDS_TAXONOMY, EntityType, Organization, Service, ServiceStatus, ServiceTerm, Taxonomy, TaxonomyTerm, Translation,
)
from directory.services.indexing import reindex_services
from directory.services.search import ServiceQuery, search_services


def _stamp(session: Session) -> str:
    session.flush()
    return session.execute(text("SELECT stamp FROM vocabulary_version")).scalar_one()


def _term(session: Session, code: str) -> TaxonomyTerm:
    return session.scalars(select(TaxonomyTerm).join(Taxonomy)
                           .where(Taxonomy.name == NEEDS_TAXONOMY, TaxonomyTerm.code == code)).one()


def _keyword(session: Session, term: TaxonomyTerm, word: str) -> Translation:
    translation = Translation(entity=EntityType.taxonomy_term, entity_id=term.id, field="keywords",
                              language="sw", text=word)
    session.add(translation)
    return translation


CHANGES: dict[str, Callable[[Session], object]] = {
    "insert term": lambda s: s.add(TaxonomyTerm(taxonomy_id=_term(s, "legal.aid").taxonomy_id, code="x.new",
                                                name="New need")),
    "update term": lambda s: setattr(_term(s, "legal.aid"), "description", "Another description"),
    "delete term": lambda s: s.execute(delete(TaxonomyTerm).where(TaxonomyTerm.id == _term(s, "legal.aid").id)),
    "insert translation": lambda s: _keyword(s, _term(s, "legal.aid"), "wakili"),
    "update translation": lambda s: s.execute(
        update(Translation).where(Translation.entity == EntityType.taxonomy_term,
                                  Translation.entity_id == _term(s, "legal.aid").id, Translation.language == "it",
                                  Translation.field == "name").values(text="Avvocato gratuito")),
    "delete translation": lambda s: s.execute(
        delete(Translation).where(Translation.entity == EntityType.taxonomy_term,
                                  Translation.entity_id == _term(s, "legal.aid").id, Translation.language == "de")),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_to_the_categories_words_renews_the_stamp(session: Session, change: str) -> None:
    before = _stamp(session)
    CHANGES[change](session)
    assert _stamp(session) != before


def test_services_and_their_translations_leave_the_stamp_alone(session: Session) -> None:
    before = _stamp(session)
    service = Service(organization=Organization(name="Ente", language="it"), name="Sportello",
                      municipality_code="milan", language="it", status=ServiceStatus.active)
    session.add(service)
    session.flush()
    session.add(Translation(entity=EntityType.service, entity_id=service.id, field="name", language="en", text="Desk"))
    service.status = ServiceStatus.inactive
    reindex_services(session, [service.id])
    assert _stamp(session) == before


def test_search_follows_a_category_change_without_reindexing(session: Session) -> None:
    term = _term(session, "legal.aid")
    service = Service(organization=Organization(name="Studio", language="it"), name="Sportello avvocati",
                      municipality_code="milan", language="it", status=ServiceStatus.active)
    service.terms = [ServiceTerm(term=term)]
    session.add(service)
    session.flush()
    reindex_services(session, [service.id])

    def found(words: str) -> list[str]:
        return search_services(session, ServiceQuery(text=words)).ids

    assert found("wakili") == [] and found("quokkaberatung") == []   # the cache now holds the vocabulary
    _keyword(session, term, "wakili")
    assert found("wakili") == [service.id]
    term.description = f"{term.description} Quokkaberatung"   # a term's own description counts too
    assert found("quokkaberatung") == [service.id]
