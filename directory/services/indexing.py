"""The search documents of services: what each service can be found by, in every language.

:func:`reindex_services` (re)writes the ``service_search`` row of some services (or all). A
document is a space-joined list of distinct terms:

- the index terms (:func:`directory.text.analyze.index_terms`: words and lemmas) of the
  service's own name, alternate name and description in the service's language, of its
  organization's name, and of its published translations (name, alternate name, description),
  each in its own language;
- one token per taxonomy term the service is tagged with (:func:`term_token`, e.g. for its
  category ``education.language``), and one for its municipality (:func:`municipality_token`).

A category's own words - its name, description and keywords in all twelve languages - are
what lets an Arabic or a Ukrainian query find an Italian service. They are the same for the
thousands of services of a category, so they are not copied into every document: search
matches the query against :func:`term_documents` and adds the tokens of the categories that
match (see :mod:`directory.services.search`). That keeps documents about ten times smaller
(index size, indexing time, ranking cost at 100k services) and means that editing a
category's translations needs no reindexing. The municipality and category tokens also let
the full-text engine itself narrow a text query to a city or a category.

The full-text index follows the rows by itself (SQLite triggers, PostgreSQL generated column;
see :mod:`directory.migrations.fulltext`). Call :func:`reindex_services` after changing a
service's text, translations, categories or municipality. Work is done in batches of
:data:`BATCH` services, one query per table and bulk writes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import Connection, bindparam, delete, select, update
from sqlalchemy.orm import Session

from directory.models import (
    EntityType,
    Municipality,
    Organization,
    SearchDocument,
    Service,
    ServiceTerm,
    TaxonomyTerm,
    Translation,
    TranslationStatus,
)
from directory.text.analyze import index_terms

BATCH = 1000
SERVICE_FIELDS = ("name", "alternate_name", "description")
TERM_FIELDS = ("name", "description", "keywords")


def term_token(term_id: str) -> str:
    """The token standing for a taxonomy term in documents: letters and digits, never a word."""
    return _token("t", term_id)


def municipality_token(code: str) -> str:
    """The token standing for a municipality in documents."""
    return _token("m", code)


def _token(kind: str, value: str) -> str:
    return f"zx{kind}{hashlib.sha1(value.encode()).hexdigest()[:16]}"


def reindex_services(session: Session, service_ids: Iterable[str] | None = None) -> int:
    """Bring the search documents of ``service_ids`` (every service when None) up to date.

    Returns how many services have a current document now. Ids of services that no longer
    exist lose their document; documents that did not change are left alone.
    """
    written = 0
    for batch in _batches(session, service_ids):
        written += _reindex_batch(session, batch)
    return written


def term_documents(session: Session | Connection,
                   term_ids: Iterable[str] | None = None) -> dict[str, tuple[str, ...]]:
    """The index terms of taxonomy terms (all when None): name and published translations of
    name, description and keywords, each in its language."""
    query = select(TaxonomyTerm.id, TaxonomyTerm.name, TaxonomyTerm.description, TaxonomyTerm.language)
    wanted = None if term_ids is None else sorted(set(term_ids))
    if wanted is not None:
        query = query.where(TaxonomyTerm.id.in_(wanted))
    texts: dict[str, list[tuple[str, str | None]]] = {}
    for term_id, name, description, language in session.execute(query):
        texts[term_id] = [(name, language or "en"), (description or "", language or "en")]
    translations = select(Translation.entity_id, Translation.language, Translation.text).where(
        Translation.entity == EntityType.taxonomy_term, Translation.field.in_(TERM_FIELDS),
        Translation.status == TranslationStatus.published,
    ).order_by(Translation.entity_id, Translation.language, Translation.field)
    if wanted is not None:
        translations = translations.where(Translation.entity_id.in_(wanted))
    for term_id, language, text in session.execute(translations):
        if term_id in texts:
            texts[term_id].append((text, language))
    documents = {}
    for term_id, parts in texts.items():
        found: dict[str, None] = {}
        for text, language in parts:
            if text:
                found.update(dict.fromkeys(index_terms(text, language)))
        documents[term_id] = tuple(found)
    return documents


def _batches(session: Session, service_ids: Iterable[str] | None) -> Iterator[list[str]]:
    if service_ids is None:
        ids: Sequence[str] = session.scalars(select(Service.id).order_by(Service.id)).all()
    else:
        ids = list(dict.fromkeys(service_ids))
    for start in range(0, len(ids), BATCH):
        yield list(ids[start:start + BATCH])


def _reindex_batch(session: Session, ids: list[str]) -> int:
    services = session.execute(
        select(Service.id, Service.name, Service.alternate_name, Service.description, Service.language,
               Service.municipality_code, Organization.name, Organization.language, Municipality.host_language)
        .join(Organization, Organization.id == Service.organization_id)
        .outerjoin(Municipality, Municipality.code == Service.municipality_code)
        .where(Service.id.in_(ids))
    ).all()
    translations: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entity_id, language, text in session.execute(
        select(Translation.entity_id, Translation.language, Translation.text).where(
            Translation.entity == EntityType.service, Translation.entity_id.in_(ids),
            Translation.field.in_(SERVICE_FIELDS), Translation.status == TranslationStatus.published,
        ).order_by(Translation.entity_id, Translation.language, Translation.field)
    ):
        translations[entity_id].append((text, language))
    service_terms: dict[str, list[str]] = defaultdict(list)
    for service_id, term_id in session.execute(
        select(ServiceTerm.service_id, ServiceTerm.taxonomy_term_id).where(ServiceTerm.service_id.in_(ids))
        .order_by(ServiceTerm.service_id, ServiceTerm.taxonomy_term_id)
    ):
        service_terms[service_id].append(term_id)

    documents: dict[str, str] = {}
    for (service_id, name, alternate_name, description, language, municipality, org_name, org_language,
         host_language) in services:
        own_language = language or host_language
        texts = [(name, own_language), (alternate_name, own_language), (description, own_language),
                 (org_name, org_language or own_language), *translations.get(service_id, ())]
        found: dict[str, None] = {}
        for text, text_language in texts:
            if text:
                found.update(dict.fromkeys(index_terms(text, text_language)))
        found.update(dict.fromkeys(term_token(term_id) for term_id in service_terms.get(service_id, ())))
        if municipality:
            found[municipality_token(municipality)] = None
        documents[service_id] = " ".join(found)
    return _write(session, ids, documents)


def _write(session: Session, ids: list[str], documents: dict[str, str]) -> int:
    """Insert, update or delete the rows of ``ids`` so they hold ``documents``; documents held."""
    table = SearchDocument.__table__
    existing: dict[str, str] = {service_id: document for service_id, document in session.execute(
        select(SearchDocument.service_id, SearchDocument.document).where(SearchDocument.service_id.in_(ids))
    )}
    gone = [service_id for service_id in existing if service_id not in documents]
    if gone:
        session.execute(delete(table).where(table.c.service_id.in_(gone)))
    changed = [{"key": service_id, "document": document} for service_id, document in documents.items()
               if service_id in existing and existing[service_id] != document]
    if changed:
        session.execute(
            update(table).where(table.c.service_id == bindparam("key")).values(document=bindparam("document")),
            changed,
        )
    new = [{"service_id": service_id, "document": document} for service_id, document in documents.items()
           if service_id not in existing]
    if new:
        session.execute(table.insert(), new)
    return len(documents)
