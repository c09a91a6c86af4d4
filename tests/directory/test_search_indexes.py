"""The search indexes the migrations create: SQLite's full-text prefixes (migration 0004), PostgreSQL's
prefix tokens (0005) in slices (0007)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from directory.migrations.fulltext import (
    POSTGRES_SLICES, SLICE_BLOCK, SLICE_INDEX, SLICE_MODULUS, SQLITE_PREFIXES, slice_predicate,
)
from directory.models import Organization, Service, ServiceStatus
from directory.services import search
from directory.services.indexing import reindex_services
from directory.services.search import ServiceQuery, search_services, tsquery_expression


def test_sqlite_fulltext_indexes_prefixes_up_to_eight_letters(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        sql = connection.execute(text("SELECT sql FROM sqlite_master WHERE name = 'service_fts'")).scalar_one()
        triggers = set(connection.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'service_search'")).scalars())
    assert f"prefix='{SQLITE_PREFIXES}'" in sql and SQLITE_PREFIXES == "2 3 4 5 6 7 8"
    # the full-text index's own, and those of the status and municipality copies (0006)
    assert triggers == {"service_search_ai", "service_search_ad", "service_search_au",
                        "service_search_copies_ai", "service_search_copies_au"}


def test_postgres_fulltext_index_holds_prefix_tokens_in_slices(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as connection:
        definitions = dict(connection.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'ix_service_search_tsv%'")).all())
        tokens = connection.execute(text(
            "SELECT search_prefixes(to_tsvector('simple', 'polskiego kurs zxt1234 ab'))::text")).scalar_one()
    # one partial index per slice (0007), none over the whole table
    assert set(definitions) == {SLICE_INDEX.format(slice=n) for n in range(len(POSTGRES_SLICES))}
    for number, (start, end) in enumerate(POSTGRES_SLICES):
        definition = definitions[SLICE_INDEX.format(slice=number)]
        assert "search_prefixes(tsv)" in definition
        assert f"mod((id / {SLICE_BLOCK}), {SLICE_MODULUS})" in definition and f"{start}" in definition
    assert tokens == "'zxpkurs' 'zxppols' 'zxppolsk' 'zxppolski' 'zxppolskie' 'zxppolskieg'"


def test_slices_hold_every_block_once_each_larger_than_all_before() -> None:
    remainders = [r for start, end in POSTGRES_SLICES for r in range(start, end)]
    assert remainders == list(range(SLICE_MODULUS))
    widths = [end - start for start, end in POSTGRES_SLICES]
    assert all(width >= 3 * sum(widths[:n]) for n, width in enumerate(widths) if n)  # see fulltext.py
    assert slice_predicate(0) == f"mod(id / {SLICE_BLOCK}, {SLICE_MODULUS}) = 0"
    assert slice_predicate(1, "t") == f"mod(t.id / {SLICE_BLOCK}, {SLICE_MODULUS}) BETWEEN 1 AND 3"


def test_documents_of_every_slice_are_found_and_the_sample_takes_the_slices_in_turn(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: a document in each of the 16 blocks of ids; every one is found, and a window of
    four is the document of the first slice and the three of the second (no later slice read)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    organization = Organization(name="Sportello", language="it")
    by_block: dict[int, str] = {}
    for block in (7, 0, 15, 2, 4, 1, 3, 12, 5, 6, 8, 9, 10, 11, 13, 14):  # written out of order
        service = Service(organization=organization, name=f"Sportello lavoro {block}", municipality_code="bari",
                          language="it", status=ServiceStatus.active)
        session.add(service)
        session.flush()
        # far above the ids of other tests' documents (the sequence is not rolled back), same remainder
        first_id = (SLICE_MODULUS * 4096 + block) * SLICE_BLOCK + 1
        session.execute(text("SELECT setval('service_search_id_seq', :id, false)"), {"id": first_id})
        reindex_services(session, [service.id])
        by_block[block] = service.id
    query = ServiceQuery(text="sportello lavoro", municipality="bari", limit=100)
    page = search_services(session, query)
    assert set(page.ids) == set(by_block.values()) and page.total == 16 and not page.total_is_estimate
    monkeypatch.setattr(search, "EXACT_UP_TO", 3)
    sample = search_services(session, query)
    assert set(sample.ids) == {by_block[block] for block in (0, 1, 2, 3)}
    assert sample.total_is_estimate and sample.total >= 4


def test_tsquery_matches_short_stems_by_their_tokens() -> None:
    clause = [("kurs", True), ("polsk", True), ("polskieg", True), ("rechtsberat", True), ("abc", True),
              ("zxabc", True), ("polski", False)]
    assert tsquery_expression([clause], prefix_tokens=True) == \
        "('zxpkurs' | 'zxppolsk' | 'zxppolskieg' | 'rechtsberat':* | 'abc':* | 'zxabc':* | 'polski')"
    assert tsquery_expression([clause]) == \
        "('kurs':* | 'polsk':* | 'polskieg':* | 'rechtsberat':* | 'abc':* | 'zxabc':* | 'polski')"


# (word in a service's name, another form of it in the query): the query's prefix stems are
# 4 to 10 letters long, so they are read from the prefix indexes or from the word lists.
FORMS = [("Polski", "polskiego"), ("Kursen", "kurses"), ("Arbeit", "arbeiten"), ("Zentrum", "zentren"),
         ("Wohnung", "wohnungen"), ("Beratung", "beratungen"), ("Asylantrag", "asylantrags"),
         ("Deutschkurs", "deutschkurse")]


def test_stems_of_every_length_find_their_words(session: Session) -> None:
    organization = Organization(name="Verein", language="de")
    services = {word: Service(organization=organization, name=word, municipality_code="tulln", language="de",
                              status=ServiceStatus.active) for word, _form in FORMS}
    session.add_all(services.values())
    session.flush()
    reindex_services(session, [s.id for s in services.values()])
    for word, form in FORMS:
        for query in (word, form):
            page = search_services(session, ServiceQuery(text=query, municipality="tulln"))
            assert services[word].id in page.ids, (word, query)
