"""The search indexes the migrations create: SQLite's full-text prefixes (migration 0004)."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from directory.migrations.fulltext import SQLITE_PREFIXES
from directory.models import Organization, Service, ServiceStatus
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


def test_postgres_fulltext_index_holds_prefix_tokens(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as connection:
        definition = connection.execute(text(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_service_search_tsv'")).scalar_one()
        tokens = connection.execute(text(
            "SELECT search_prefixes(to_tsvector('simple', 'polskiego kurs zxt1234 ab'))::text")).scalar_one()
    assert "search_prefixes(tsv)" in definition
    assert tokens == "'zxpkurs' 'zxppols' 'zxppolsk' 'zxppolski' 'zxppolskie' 'zxppolskieg'"


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
