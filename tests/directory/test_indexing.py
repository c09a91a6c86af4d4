"""Search documents: what a service is indexed under, kept current, written in bulk."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from directory.models import (
    NEEDS_TAXONOMY,
    EntityType,
    Organization,
    SearchDocument,
    Service,
    ServiceTerm,
    Taxonomy,
    TaxonomyTerm,
    Translation,
    TranslationStatus,
)
from directory.services import indexing
from directory.services.indexing import municipality_token, reindex_services, term_documents, term_token
from directory.services.search import ServiceQuery, search_services
from directory.services.translations import set_translation


def _term(session: Session, code: str) -> TaxonomyTerm:
    return session.scalars(
        select(TaxonomyTerm).join(Taxonomy).where(Taxonomy.name == NEEDS_TAXONOMY, TaxonomyTerm.code == code)
    ).one()


def _service(session: Session, name: str, *, language: str = "it", municipality: str = "milan",
             description: str | None = None, categories: tuple[str, ...] = (),
             org: str = "Comune di Milano") -> Service:
    organization = Organization(name=org, language=language)
    service = Service(organization=organization, municipality_code=municipality, name=name,
                      description=description, language=language)
    service.terms = [ServiceTerm(term=_term(session, code)) for code in categories]
    session.add(service)
    session.flush()
    return service


def _document(session: Session, service: Service) -> set[str]:
    document = session.scalar(select(SearchDocument.document).where(SearchDocument.service_id == service.id))
    assert document is not None
    return set(document.split())


@contextmanager
def _statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []
    connection = session.connection()

    def record(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", record)


def test_document_holds_own_text_organization_translations_and_tokens(session: Session) -> None:
    service = _service(session, "Corsi di lingua italiana", description="Lezioni gratuite per stranieri",
                       categories=("education.language",), org="CPIA 5 Milano")
    session.add(Translation(entity=EntityType.service, entity_id=service.id, field="name", language="en",
                            text="Italian classes"))
    session.add(Translation(entity=EntityType.service, entity_id=service.id, field="description", language="uk",
                            text="Безкоштовні уроки", status=TranslationStatus.draft))
    assert reindex_services(session, [service.id]) == 1
    terms = _document(session, service)
    assert {"corsi", "corso", "lingua", "italiana", "italiano", "lezioni", "lezione", "stranieri"} <= terms
    assert {"cpia"} <= terms                                   # organization name
    assert {"italian", "classes", "class"} <= terms            # published English translation
    assert "уроки" not in terms                                # a draft is not what people read
    assert "di" not in terms and "per" not in terms            # stop words
    term = _term(session, "education.language")
    assert {term_token(term.id), municipality_token("milan")} <= terms
    assert "sprachkurs" not in terms                           # the category's words stay with the category
    words = set(term_documents(session, [term.id])[term.id])
    assert {"мовні", "курси", "курс", "دورات", "sprachkurs", "deutschkurs", "corsi"} <= words


def test_tokens_are_single_terms_to_both_engines() -> None:
    for token in (term_token("c858b59e-71f8-5e09-b933-049a43a01177"), municipality_token("bruck-an-der-leitha")):
        assert token.isalnum() and token.isascii() and token == token.lower()
    assert term_token("a") != term_token("b") and term_token("a") == term_token("a")


def test_reindex_keeps_documents_current(session: Session) -> None:
    service = _service(session, "Sportello legale")
    other = _service(session, "Dormitorio")
    assert reindex_services(session) >= 2
    first_row = session.scalar(select(SearchDocument.id).where(SearchDocument.service_id == service.id))
    service.name = "Sportello casa"
    session.flush()
    reindex_services(session, [service.id])
    assert "casa" in _document(session, service) and "legale" not in _document(session, service)
    # rows are updated in place, the other service's document is untouched
    assert session.scalar(select(SearchDocument.id).where(SearchDocument.service_id == service.id)) == first_row
    assert "dormitorio" in _document(session, other)
    assert search_services(session, ServiceQuery(text="casa", municipality="milan")).ids == [service.id]


def test_unchanged_documents_are_not_rewritten(session: Session) -> None:
    service = _service(session, "Sportello stranieri")
    reindex_services(session, [service.id])
    with _statements(session) as seen:
        assert reindex_services(session, [service.id]) == 1
    assert not [s for s in seen if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]


def test_deleted_services_lose_their_document(session: Session) -> None:
    service = _service(session, "Ufficio chiuso")
    reindex_services(session, [service.id])
    service_id = service.id
    session.delete(service)
    session.flush()
    assert reindex_services(session, [service_id]) == 0
    assert session.scalar(select(SearchDocument).where(SearchDocument.service_id == service_id)) is None


def test_category_words_changed_later_find_services_without_reindexing(session: Session) -> None:
    service = _service(session, "Sportello", categories=("legal.aid",))
    reindex_services(session, [service.id])
    assert search_services(session, ServiceQuery(text="zzylawyer")).ids == []
    set_translation(session, EntityType.taxonomy_term, _term(session, "legal.aid").id, "keywords", "en",
                    "pro bono; zzylawyer")
    session.flush()
    assert search_services(session, ServiceQuery(text="zzylawyer")).ids == [service.id]


def test_batches_and_a_constant_number_of_queries(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    services = [_service(session, f"Servizio {i}", categories=("health.care", "legal.aid")) for i in range(12)]
    ids = [s.id for s in services]
    with _statements(session) as seen:
        assert reindex_services(session, ids) == 12
    per_call = len(seen)
    assert per_call <= 5  # services, translations, terms, existing documents, insert
    monkeypatch.setattr(indexing, "BATCH", 5)
    for service in services:
        service.description = "Nuova descrizione"
    session.flush()
    assert reindex_services(session, ids) == 12
    assert all("descrizione" in _document(session, s) for s in services)


def test_service_language_falls_back_to_the_host_language(session: Session) -> None:
    service = _service(session, "Lekcje języka polskiego", municipality="warsaw", language="pl")
    service.language = None
    session.flush()
    reindex_services(session, [service.id])
    assert {"lekcja", "jezyk"} <= _document(session, service)
