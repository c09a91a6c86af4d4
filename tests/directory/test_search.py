"""Search: free text across languages and inflection, every filter, open now, paging, odd input."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from directory.models import (
    NEEDS_TAXONOMY,
    AdministrativeStatus,
    Closure,
    EntityType,
    Organization,
    Schedule,
    Service,
    ServiceEligibility,
    ServiceLanguage,
    ServiceStatus,
    ServiceTerm,
    Taxonomy,
    TaxonomyTerm,
    Translation,
)
from directory.services import search
from directory.services.indexing import reindex_services
from directory.services.search import (
    ServiceQuery, factor_common, fts5_expression, group_clause, search_services, tsquery_expression,
)
from tests.directory.test_text import HOSTILE

WEEKDAYS = "MO,TU,WE,TH,FR"
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"
# Tuesday 24 November 2026, 08:30 UTC: 09:30 in Milan, Tulln and Warsaw, 10:30 in Bucharest.
TUESDAY_MORNING = datetime(2026, 11, 24, 8, 30, tzinfo=timezone.utc)

SERVICES = {
    # key: (municipality, language, name, description, categories, spoken, eligibility, status, hours)
    "warsaw-polish": ("warsaw", "pl", "Bezpłatne lekcje języka polskiego",
                      "Lekcji języka polskiego dla cudzoziemców, poziom A1-B1.", ("education.language",),
                      ("pl", "uk", "en"), ("any",), ServiceStatus.active, [(WEEKDAYS, "09:00", "17:00")]),
    "milan-italian": ("milan", "it", "Corso di italiano per stranieri", "Corsi gratuiti di lingua italiana.",
                      ("education.language",), ("it", "ar"), ("refugee", "asylum_seeker"), ServiceStatus.active,
                      [("MO,WE", "09:00", "13:00")]),
    "milan-school": ("milan", "it", "Iscrizione alla scuola", "Iscrizione dei bambini alla scuola primaria.",
                     ("education.school",), ("it",), (), ServiceStatus.temporarily_closed,
                     [("TU,TH", "09:00", "18:00")]),
    "tulln-legal": ("tulln", "de", "Rechtsberatung für Geflüchtete", "Kostenlose Rechtsberatung im Asylverfahren.",
                    ("legal.aid",), ("de", "en", "fa"), ("any",), ServiceStatus.active,
                    [(EVERY_DAY, "00:00", "24:00")]),
    "bucharest-shelter": ("bucharest", "ro", "Adăpost de urgență", "Cazare de urgență pe timp de noapte.",
                          ("housing.emergency",), ("ro", "uk"), ("any",), ServiceStatus.active,
                          [(EVERY_DAY, "20:00", "08:00")]),
    "warsaw-jobs": ("warsaw", "pl", "Urząd Pracy - rejestracja bezrobotnych", "Rejestracja osób bezrobotnych.",
                    ("employment.jobcentre",), ("pl",), ("third_country_national",), ServiceStatus.active,
                    [(WEEKDAYS, "08:00", "15:00")]),
    "milan-inactive": ("milan", "it", "Corso di italiano serale", "Corso chiuso.", ("education.language",),
                       ("it",), ("any",), ServiceStatus.inactive, [(EVERY_DAY, "00:00", "24:00")]),
    "milan-defunct": ("milan", "it", "Corso di italiano estivo", "Non esiste più.", ("education.language",),
                      ("it",), ("any",), ServiceStatus.defunct, [(EVERY_DAY, "00:00", "24:00")]),
}


def _terms(session: Session) -> dict[str, TaxonomyTerm]:
    return {t.code: t for t in session.scalars(
        select(TaxonomyTerm).join(Taxonomy).where(Taxonomy.name == NEEDS_TAXONOMY))}


@pytest.fixture
def directory(session: Session) -> dict[str, str]:
    """A small directory in four countries, indexed; key -> service id."""
    terms = _terms(session)
    ids = {}
    for key, (municipality, language, name, description, categories, spoken, eligible, status, hours) \
            in SERVICES.items():
        service = Service(organization=Organization(name=f"Ente {key}", language=language), name=name,
                          description=description, municipality_code=municipality, language=language, status=status)
        service.terms = [ServiceTerm(term=terms[code]) for code in categories]
        service.languages = [ServiceLanguage(code=code) for code in spoken]
        service.eligible_statuses = [ServiceEligibility(status=AdministrativeStatus(s)) for s in eligible]
        service.schedules = [Schedule(freq="WEEKLY", byday=d, opens_at=o, closes_at=c) for d, o, c in hours]
        session.add(service)
        session.flush()
        ids[key] = service.id
    session.add(Closure(service_id=ids["warsaw-jobs"], starts_on=date(2026, 11, 20), ends_on=date(2026, 11, 24)))
    session.add(Translation(entity=EntityType.service, entity_id=ids["milan-italian"], field="name", language="en",
                            text="Italian course for foreigners"))
    session.flush()
    reindex_services(session)
    return ids


def _find(session: Session, **kwargs: object) -> list[str]:
    return search_services(session, ServiceQuery(**kwargs)).ids  # type: ignore[arg-type]


def _keys(directory: dict[str, str], ids: list[str]) -> list[str]:
    names = {v: k for k, v in directory.items()}
    return [names.get(i, i) for i in ids]


# --- free text ------------------------------------------------------------------------------------


def test_polish_inflection(session: Session, directory: dict[str, str]) -> None:
    found = _keys(directory, _find(session, text="lekcje polskiego"))
    assert found[0] == "warsaw-polish"
    assert "tulln-legal" not in found


def test_ukrainian_query_finds_the_polish_course_through_its_category(session: Session,
                                                                       directory: dict[str, str]) -> None:
    found = _keys(directory, _find(session, text="курси польської мови"))
    assert "warsaw-polish" in found
    assert not {"tulln-legal", "bucharest-shelter", "milan-school"} & set(found)
    assert _keys(directory, _find(session, text="курси польської мови", municipality="warsaw")) == ["warsaw-polish"]


@pytest.mark.parametrize("text", ["corso di italiano", "Italian course", "دورات اللغة", "Sprachkurs"])
def test_language_courses_in_many_languages(session: Session, directory: dict[str, str], text: str) -> None:
    found = _keys(directory, _find(session, text=text))
    assert "milan-italian" in found
    assert not {"tulln-legal", "bucharest-shelter", "milan-inactive", "milan-defunct"} & set(found)


def test_italian_course_ranks_first_for_its_own_words(session: Session, directory: dict[str, str]) -> None:
    assert _keys(directory, _find(session, text="corso italiano stranieri"))[0] == "milan-italian"


@pytest.mark.parametrize("text", ["scuola", "Schule", "школа", "مدرسة"])
def test_school_in_four_languages(session: Session, directory: dict[str, str], text: str) -> None:
    found = _keys(directory, _find(session, text=text))
    assert "milan-school" in found
    assert "tulln-legal" not in found


@pytest.mark.parametrize("text", ["Rechtsberatungen", "مساعدة قانونية", "правова допомога", "legal aid"])
def test_legal_aid_in_german_arabic_ukrainian_english(session: Session, directory: dict[str, str],
                                                      text: str) -> None:
    assert _keys(directory, _find(session, text=text))[0] == "tulln-legal"


@pytest.mark.parametrize("text", ["LEKCJI JEZYKA POLSKIEGO", "lekcji języka polskiego", "Lekcji Języka"])
def test_accents_and_case_do_not_matter(session: Session, directory: dict[str, str], text: str) -> None:
    assert _keys(directory, _find(session, text=text))[0] == "warsaw-polish"


def test_romanian_without_diacritics(session: Session, directory: dict[str, str]) -> None:
    assert _keys(directory, _find(session, text="adapost de urgenta")) == ["bucharest-shelter"]


def test_all_words_preferred_any_word_as_fallback(session: Session, directory: dict[str, str]) -> None:
    assert _keys(directory, _find(session, text="rejestracja bezrobotnych")) == ["warsaw-jobs"]
    # no service has both words: any of them will do, rather than nothing
    found = _keys(directory, _find(session, text="bezrobotnych zzqxunknown"))
    assert found == ["warsaw-jobs"]


def test_no_match_is_an_empty_page(session: Session, directory: dict[str, str]) -> None:
    assert search_services(session, ServiceQuery(text="zzqxunknown qqzzword")).total == 0
    page = search_services(session, ServiceQuery(text="rejestracja bezrobotnych", municipality="milan"))
    assert page.ids == [] and page.total == 0


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_raises(session: Session, directory: dict[str, str], text: str) -> None:
    page = search_services(session, ServiceQuery(text=text, municipality="milan"))
    assert page.total >= len(page.ids)
    assert session.scalar(select(func.count()).select_from(Service)) == len(SERVICES)  # nothing dropped


def test_match_expressions_quote_every_term() -> None:
    clauses = [group_clause(frozenset({"lekcje", "lekcja"})), group_clause(frozenset({"polski"}))]
    assert clauses == [[("lekcj", True)], [("polsk", True)]]
    assert fts5_expression(clauses) == '("lekcj"*) AND ("polsk"*)'
    assert fts5_expression(clauses, "or", [[("zxm1", False)]]) == '(("lekcj"*) OR ("polsk"*)) AND ("zxm1")'
    assert tsquery_expression([group_clause(frozenset({"aid", "legal"}))]) == "('legal':* | 'aid')"
    assert tsquery_expression(clauses, "or", [[("zxm1", False)]]) == "(('lekcj':*) | ('polsk':*)) & ('zxm1')"


def test_factor_common_takes_out_what_every_clause_shares() -> None:
    legal, aid, cat, other = ("legal", True), ("aid", True), ("zxt1", False), ("zxt2", False)
    assert factor_common([[legal, cat], [aid, cat, other]]) == ([cat], [[legal], [aid, other]])
    assert factor_common([[legal, other], [aid, cat]]) == ([], [[legal, other], [aid, cat]])
    assert factor_common([[legal, cat], [cat]]) == ([cat], [])  # (legal | c) & c is c
    assert factor_common([[legal, cat]]) == ([], [[legal, cat]])
    assert factor_common([]) == ([], [])


@pytest.mark.parametrize("text", ["corso di italiano", "مساعدة قانونية", "курси польської мови", "legal aid",
                                  "Rechtsberatung Asylverfahren", "lekcje polskiego"])
def test_splitting_shared_categories_finds_the_same_services(session: Session, directory: dict[str, str],
                                                             monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """PostgreSQL matches ``(a | c) & (b | c)`` as ``c | (a & b)``: same services, same order, same total."""
    terms = _terms(session)
    outside = Service(organization=Organization(name="Sportello lavoro", language="it"), municipality_code="milan",
                      name="Corso di italiano per il lavoro", description="Rechtsberatung Asylverfahren, aid legal.",
                      language="it", status=ServiceStatus.active)
    outside.terms = [ServiceTerm(term=terms["employment.jobcentre"])]  # has the words, not the category
    session.add(outside)
    session.flush()
    reindex_services(session)
    splits = []

    def spy(clauses: list[search.Clause]) -> tuple[search.Clause, list[search.Clause]]:
        splits.append(factor_common(clauses))
        return splits[-1]

    monkeypatch.setattr(search, "factor_common", spy)
    split = search_services(session, ServiceQuery(text=text, limit=50))
    if session.get_bind().dialect.name == "postgresql":
        assert any(common and rest for common, rest in splits)  # the query was split
    monkeypatch.setattr(search, "factor_common", lambda clauses: ([], list(clauses)))
    assert search_services(session, ServiceQuery(text=text, limit=50)) == split
    assert split.total == len(split.ids) > 0
    if text == "corso di italiano":
        assert {directory["milan-italian"], outside.id} <= set(split.ids)


_PLANNER = sql("SELECT current_setting('enable_seqscan'), current_setting('enable_hashjoin'), "
               "current_setting('enable_mergejoin'), current_setting('max_parallel_workers_per_gather'), "
               "current_setting('plan_cache_mode')")


def test_text_statements_read_the_index_in_table_order_and_restore_the_settings(
        session: Session, directory: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: no sequential, parallel, hash or merge plan for the text window; the caller's settings return."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(sql("SELECT set_config('enable_mergejoin', 'off', true)"))  # the caller's own choice
    before = tuple(session.execute(_PLANNER).one())
    during = []
    page = search._page

    def spy(connection, statements, params):  # type: ignore[no-untyped-def]
        during.append(tuple(connection.execute(_PLANNER).one()))
        return page(connection, statements, params)

    monkeypatch.setattr(search, "_page", spy)
    assert search_services(session, ServiceQuery(text="corso di italiano", municipality="milan")).ids
    assert during and set(during) == {("off", "off", "off", "0", "force_generic_plan")}
    assert tuple(session.execute(_PLANNER).one()) == before
    assert before[2] == "off" and before[1] == "on"


# --- filters ------------------------------------------------------------------------------------


def test_only_active_and_temporarily_closed_are_found_active_first(session: Session,
                                                                    directory: dict[str, str]) -> None:
    found = _keys(directory, _find(session, municipality="milan"))
    assert found == ["milan-italian", "milan-school"]  # inactive and defunct never; closed-for-now last


def test_categories_any_of_them_and_top_level_codes(session: Session, directory: dict[str, str]) -> None:
    assert set(_keys(directory, _find(session, categories=("legal.aid", "housing.emergency")))) == {
        "tulln-legal", "bucharest-shelter"}
    assert set(_keys(directory, _find(session, categories=("education",)))) == {
        "warsaw-polish", "milan-italian", "milan-school"}
    assert _find(session, categories=("no.such.code",)) == []


def test_municipality(session: Session, directory: dict[str, str]) -> None:
    assert set(_keys(directory, _find(session, municipality="warsaw"))) == {"warsaw-polish", "warsaw-jobs"}
    assert _find(session, municipality="atlantis") == []


def test_language_spoken(session: Session, directory: dict[str, str]) -> None:
    assert set(_keys(directory, _find(session, language="uk"))) == {"warsaw-polish", "bucharest-shelter"}
    assert _keys(directory, _find(session, language="FA")) == ["tulln-legal"]


def test_administrative_status(session: Session, directory: dict[str, str]) -> None:
    refugee = set(_keys(directory, _find(session, status=AdministrativeStatus.refugee)))
    # accepts refugees, accepts anybody, or states no restriction at all
    assert refugee == {"warsaw-polish", "milan-italian", "milan-school", "tulln-legal", "bucharest-shelter"}
    worker = set(_keys(directory, _find(session, status=AdministrativeStatus.third_country_national)))
    assert "warsaw-jobs" in worker and "milan-italian" not in worker


def test_filters_combine_with_text(session: Session, directory: dict[str, str]) -> None:
    assert _keys(directory, _find(session, text="corso", language="ar", status=AdministrativeStatus.refugee,
                                  categories=("education.language",), municipality="milan")) == ["milan-italian"]
    assert _find(session, text="corso", language="uk", municipality="milan") == []


# --- open now -----------------------------------------------------------------------------------


def _open(session: Session, directory: dict[str, str], now: datetime, **kwargs: object) -> set[str]:
    return set(_keys(directory, _find(session, open_now=True, now=now, **kwargs)))


def test_open_now_in_local_time(session: Session, directory: dict[str, str]) -> None:
    # 09:30 in Warsaw and Milan (Tuesday), 10:30 in Bucharest
    assert _open(session, directory, TUESDAY_MORNING) == {"warsaw-polish", "tulln-legal"}
    # 07:30 UTC: 08:30 in Warsaw - the Polish course opens at 09:00 local time, not UTC
    assert "warsaw-polish" not in _open(session, directory, datetime(2026, 11, 24, 7, 30, tzinfo=timezone.utc))


def test_open_now_overnight_in_two_time_zones(session: Session, directory: dict[str, str]) -> None:
    # 05:30 UTC is 07:30 in Bucharest: the night shelter (20:00-08:00) is still open
    assert "bucharest-shelter" in _open(session, directory, datetime(2026, 11, 24, 5, 30, tzinfo=timezone.utc))
    # 06:30 UTC is 08:30 in Bucharest (closed) although it is only 07:30 in Central Europe
    assert "bucharest-shelter" not in _open(session, directory, datetime(2026, 11, 24, 6, 30, tzinfo=timezone.utc))
    # 19:30 UTC is 21:30 in Bucharest: open again
    assert "bucharest-shelter" in _open(session, directory, datetime(2026, 11, 24, 19, 30, tzinfo=timezone.utc))


def test_open_now_respects_closures_and_temporary_closure(session: Session, directory: dict[str, str]) -> None:
    at_ten = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)  # 10:00 in Warsaw and Milan
    assert "warsaw-jobs" not in _open(session, directory, at_ten)                      # closure 20-24 Nov
    assert "warsaw-jobs" in _open(session, directory, datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc))
    assert "milan-school" not in _open(session, directory, at_ten)                     # temporarily closed
    assert "milan-school" in set(_keys(directory, _find(session, municipality="milan")))


def test_closure_dates_are_local_dates(session: Session, directory: dict[str, str]) -> None:
    # 23:30 UTC on the 24th is already the 25th in Warsaw; the closure ended on the 24th ... but
    # the job centre only opens at 08:00, so check the 24-hour legal service with a closure instead.
    session.add(Closure(service_id=directory["tulln-legal"], starts_on=date(2026, 11, 25),
                        ends_on=date(2026, 11, 25)))
    session.flush()
    late = datetime(2026, 11, 24, 23, 30, tzinfo=timezone.utc)  # 00:30 on the 25th in Tulln
    assert "tulln-legal" not in _open(session, directory, late)
    assert "tulln-legal" in _open(session, directory, datetime(2026, 11, 24, 22, 30, tzinfo=timezone.utc))


def test_open_now_with_other_filters(session: Session, directory: dict[str, str]) -> None:
    assert _open(session, directory, TUESDAY_MORNING, municipality="warsaw") == {"warsaw-polish"}
    assert _open(session, directory, TUESDAY_MORNING, text="Rechtsberatung") == {"tulln-legal"}
    assert _open(session, directory, TUESDAY_MORNING, municipality="bucharest") == set()


# --- paging -------------------------------------------------------------------------------------


@pytest.fixture
def desks(session: Session) -> list[str]:
    """25 one-stop desks in Naples, four of them temporarily closed; ids in the expected order."""
    term = _terms(session)["information.onestop"]
    organization = Organization(name="Comune di Napoli", language="it")
    services = []
    for number in range(1, 26):
        status = ServiceStatus.temporarily_closed if number % 6 == 0 else ServiceStatus.active
        service = Service(organization=organization, name=f"Sportello {number:02d}", municipality_code="naples",
                          language="it", status=status, description="Sportello informativo per stranieri")
        service.terms = [ServiceTerm(term=term)]
        services.append(service)
    session.add_all(services)
    session.flush()
    reindex_services(session, [s.id for s in services])
    ordered = sorted(services, key=lambda s: (s.status != ServiceStatus.active, s.name))
    return [s.id for s in ordered]


def test_pages_cover_all_matches_once_in_order(session: Session, desks: list[str]) -> None:
    pages = [search_services(session, ServiceQuery(municipality="naples", limit=10, offset=offset))
             for offset in (0, 10, 20)]
    assert [p.total for p in pages] == [25, 25, 25]
    assert [len(p.ids) for p in pages] == [10, 10, 5]
    assert [i for p in pages for i in p.ids] == desks


def test_text_pages_and_totals(session: Session, desks: list[str]) -> None:
    first = search_services(session, ServiceQuery(text="sportello", municipality="naples", limit=7))
    rest = search_services(session, ServiceQuery(text="sportello", municipality="naples", limit=100, offset=7))
    assert first.total == rest.total == 25
    assert set(first.ids) | set(rest.ids) == set(desks) and not set(first.ids) & set(rest.ids)
    assert set(first.ids + rest.ids[:14]) == set(desks[:21])  # the 21 active desks first
    assert set(rest.ids[14:]) == set(desks[21:])


def test_beyond_the_last_page_and_empty_limit(session: Session, desks: list[str]) -> None:
    assert search_services(session, ServiceQuery(municipality="naples", offset=100)) == \
        search_services(session, ServiceQuery(municipality="naples", limit=0))
    page = search_services(session, ServiceQuery(municipality="naples", offset=100))
    assert page.ids == [] and page.total == 25
    page = search_services(session, ServiceQuery(text="sportello", municipality="naples", offset=100))
    assert page.ids == [] and page.total == 25


def test_open_now_in_an_unknown_municipality_finds_nothing(session: Session, directory: dict[str, str]) -> None:
    assert _open(session, directory, TUESDAY_MORNING, municipality="atlantis") == set()


def test_small_text_match_sets_are_counted_and_ranked_exactly(session: Session, desks: list[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    query = ServiceQuery(text="sportello", municipality="naples", limit=100)
    exact = search_services(session, query)
    assert exact.total == 25 and not exact.total_is_estimate
    monkeypatch.setattr(search, "EXACT_UP_TO", 25)  # at the cap: still every match
    assert search_services(session, query) == exact


def test_broad_text_ranks_a_bounded_sample_and_estimates_the_total(session: Session, desks: list[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "EXACT_UP_TO", 9)  # 25 desks match: a window of 10 is a sample
    pages = [search_services(session, ServiceQuery(text="sportello", municipality="naples", limit=5, offset=offset))
             for offset in (0, 5, 10)]
    assert all(page.total_is_estimate and page.total >= 10 for page in pages)
    first, second, past = (page.ids for page in pages)
    assert len(first) == len(second) == 5 and not set(first) & set(second) and past == []
    assert set(first + second) <= set(desks)  # every one matches the query
    active = set(desks[:21])
    assert set(first) <= active  # active first: the window holds at least 8 active desks
    sample = search_services(session, ServiceQuery(text="sportello", municipality="naples", limit=100))
    assert sample.ids == first + second and sample.total_is_estimate
    assert search_services(session, ServiceQuery(text="sportello", municipality="naples", limit=100,
                                                 offset=100)).total_is_estimate


def test_totals_without_text_are_never_estimates(session: Session, desks: list[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "EXACT_UP_TO", 9)
    page = search_services(session, ServiceQuery(municipality="naples", limit=5))
    assert page.total == 25 and not page.total_is_estimate


def test_a_full_window_is_scaled_by_the_share_of_the_documents_it_covers() -> None:
    # (found, covered, all): ids on SQLite, table pages of sixteenths on PostgreSQL
    assert search._estimate((10, 40, 100), window=10) == (25, True)
    assert search._estimate((10, 100, 100), window=10) == (10, True)     # reached the end: still a sample
    assert search._estimate((10, 400, 100), window=10) == (10, True)     # never less than found
    assert search._estimate((9, 40, 100), window=10) == (9, False)       # fewer than the window: every match
    assert search._estimate((0, None, None), window=10) == (0, False)
