"""Search latency on synthetic directories of 1k, 10k and 100k services, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/search_latency.py [--sizes 1000,10000,100000]
        [--engines sqlite,postgresql] [--queries 50] [--rounds 3] [--seed 7]

For every engine and size: a fresh database (SQLite: a temporary file; PostgreSQL: a throwaway
database on the server of ``--postgres-url``, dropped afterwards; skipped with a note if the
server is unreachable), migrated, with the reference data (16 municipalities, the 19 needs
categories in 12 languages) and a synthetic directory bulk-loaded: organizations, services
named and described in the host language from the taxonomy's own words, English and other
translations, categories, languages spoken, eligibility, schedules (office hours, 24/7,
overnight), closures, statuses. Then every service is indexed for search and typical queries
run on a warm session: category + municipality; the same + a language spoken; free text in
many languages; free text + municipality; open now for a category in a municipality; a deep
page (a category in the whole directory, page 6 to 41). Prints
build and index times, then p50 / p95 / max milliseconds per query type and overall.

``--rounds R`` runs the same queries R times on the same directory; p50 and p95 are the
medians of the rounds' own p50 and p95 (other work on the machine makes single rounds noisy).
At the end: one table of p50 / p95 per query type, size and engine, the load average, and
whether the target of issue 2 is met: p95 <= 20 ms for every query type at 100k services.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from directory.db import make_engine  # noqa: E402
from directory.migrate import upgrade  # noqa: E402
from directory.models import (  # noqa: E402
    NEEDS_TAXONOMY,
    AdministrativeStatus,
    Closure,
    EntityType,
    Municipality,
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
    TranslationOrigin,
    TranslationStatus,
)
from directory.services.audit import audit_disabled  # noqa: E402
from directory.services.indexing import reindex_services  # noqa: E402
from directory.services.maintenance import refresh_statistics  # noqa: E402
from directory.services.search import ServiceQuery, search_services  # noqa: E402
from directory.text.analyze import warm_up  # noqa: E402

POSTGRES_URL = os.environ.get("DIRECTORY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Tuesday late morning in Italy, Austria and Poland; early afternoon in Romania.
NOW = datetime(2026, 11, 24, 10, 30, tzinfo=timezone.utc)
BATCH = 5000

# Relative size of each municipality's directory.
MUNICIPALITY_WEIGHTS = {
    "milan": 12, "naples": 8, "florence": 5, "bari": 4, "bruck-an-der-leitha": 1, "korneuburg": 1, "tulln": 1,
    "warsaw": 12, "krakow": 7, "wroclaw": 6, "lodz": 5, "poznan": 5, "gdansk": 4, "bydgoszcz": 3,
    "bucharest": 12, "cluj-napoca": 5,
}
CATEGORY_WEIGHTS = {
    "information.onestop": 9, "legal.aid": 8, "health.care": 8, "education.language": 9, "residence.permit": 6,
    "residence.asylum": 5, "residence.registration": 4, "housing.emergency": 6, "housing.social": 3,
    "housing.support": 4, "education.school": 4, "education.recognition": 2, "employment.jobcentre": 5,
    "employment.training": 5, "employment.rights": 3, "social.benefits": 5, "social.mediation": 4,
    "family.children": 5, "protection.gbv": 4,
}
STATUS_WEIGHTS = {ServiceStatus.active: 85, ServiceStatus.temporarily_closed: 7, ServiceStatus.inactive: 5,
                  ServiceStatus.defunct: 3}
SPOKEN = ["en", "ar", "uk", "ru", "fr", "es", "fa", "ro", "pl", "de", "it", "el"]
ELIGIBILITY = [s for s in AdministrativeStatus if s is not AdministrativeStatus.any]

# A few words of each host language, for organization names and varied descriptions.
ORGANIZATIONS = {
    "it": ["Comune di {city}", "Associazione {word}", "Cooperativa sociale {word}", "Caritas {city}",
           "Fondazione {word}", "Centro {word}", "Sportello {word}", "ASL {city}"],
    "de": ["Stadtgemeinde {city}", "Verein {word}", "Caritas {city}", "Diakonie {word}", "Beratungszentrum {word}",
           "Volkshilfe {city}", "Bezirkshauptmannschaft {city}"],
    "pl": ["Urząd Miasta {city}", "Fundacja {word}", "Stowarzyszenie {word}", "Caritas {city}",
           "Centrum Pomocy {word}", "Ośrodek Pomocy Społecznej {city}", "Punkt Informacyjny {word}"],
    "ro": ["Primăria {city}", "Asociația {word}", "Fundația {word}", "Centrul {word}",
           "Direcția de Asistență Socială {city}", "Organizația {word}"],
}
WORDS = {
    "it": ["Aurora", "Arcobaleno", "San Marco", "Girasole", "Ponte", "Nuovi Orizzonti", "Solidale", "Insieme"],
    "de": ["Brücke", "Regenbogen", "Neubeginn", "Miteinander", "Zuflucht", "Lichtblick", "Horizont"],
    "pl": ["Ocalenie", "Nadzieja", "Tęcza", "Razem", "Most", "Horyzont", "Przystań", "Otwarte Drzwi"],
    "ro": ["Speranța", "Curcubeul", "Împreună", "Podul", "Orizont", "Sprijin", "Casa Deschisă"],
}
PLACES = {
    "it": ["zona nord", "zona sud", "centro storico", "Municipio {n}", "sede di via Roma {n}", "quartiere {n}"],
    "de": ["Zentrum", "Bezirk {n}", "Außenstelle {n}", "Hauptstraße {n}", "Nord", "Süd"],
    "pl": ["Śródmieście", "dzielnica {n}", "oddział {n}", "ul. Długa {n}", "filia {n}", "Północ"],
    "ro": ["Sector {n}", "centru", "filiala {n}", "str. Libertății {n}", "zona de nord", "punct de lucru {n}"],
}
SENTENCES = {
    "it": ["Accesso libero senza appuntamento.", "Servizio gratuito su appuntamento telefonico.",
           "Con mediatori culturali in arabo, inglese e francese.", "Rivolto a persone senza dimora e famiglie.",
           "Portare un documento di identità, se disponibile.",
           "Orientamento e accompagnamento ai servizi del territorio."],
    "de": ["Ohne Termin, kostenlos und vertraulich.", "Beratung auf Deutsch, Englisch und Arabisch.",
           "Bitte Ausweis mitbringen, falls vorhanden.", "Für Geflüchtete, Familien und Jugendliche.",
           "Termine telefonisch oder per E-Mail.", "Begleitung zu Behörden und Ämtern."],
    "pl": ["Bezpłatnie, bez wcześniejszej rejestracji.", "Porady w języku ukraińskim, rosyjskim i angielskim.",
           "Prosimy zabrać dokument tożsamości.", "Dla cudzoziemców, uchodźców i ich rodzin.",
           "Wizyty po umówieniu telefonicznym.", "Pomoc w kontaktach z urzędami."],
    "ro": ["Gratuit, fără programare.", "Consiliere în limba engleză, arabă și ucraineană.",
           "Vă rugăm să aduceți un act de identitate.", "Pentru refugiați, migranți și familiile lor.",
           "Programări telefonice sau prin e-mail.", "Însoțire la instituțiile publice."],
    "en": ["Free of charge, no appointment needed.", "Advice in Arabic, Ukrainian and French.",
           "Please bring an identity document if you have one.", "For refugees, migrants and their families.",
           "Appointments by phone or e-mail.", "Help with public offices and paperwork."],
}
SCHEDULES = [  # (weight, [(byday, opens, closes), ...])
    (40, [("MO,TU,WE,TH,FR", "09:00", "13:00")]),
    (20, [("MO,TU,WE,TH,FR", "09:00", "13:00"), ("TU,TH", "14:00", "17:00")]),
    (12, [("MO,WE,FR", "08:30", "12:30")]),
    (10, [("TU,TH", "14:00", "18:00")]),
    (6, [("MO,TU,WE,TH,FR", "09:00", "17:00"), ("SA", "09:00", "12:00")]),
    (4, [("MO,TU,WE,TH,FR,SA,SU", "00:00", "24:00")]),
    (3, [("MO,TU,WE,TH,FR,SA,SU", "20:00", "08:00")]),
    (5, []),
]
TEXT_QUERIES = [
    "corso di italiano", "permesso di soggiorno", "assistenza legale gratuita", "lavoro", "scuola",
    "Sprachkurs", "Deutschkurs für Flüchtlinge", "Rechtsberatung", "Schule", "Wohnung",
    "kurs języka polskiego", "lekcje polskiego", "karta pobytu", "pomoc prawna",
    "curs de limba română", "asistență juridică gratuită", "locuință socială",
    "курси польської мови", "дозвіл на проживання", "школа", "вид на жительство", "юридическая помощь",
    "دروس اللغة", "مساعدة قانونية", "مأوى للطوارئ", "کلاس زبان", "اجازه اقامت", "μαθήματα γλώσσας",
    "cours de français", "logement d'urgence", "curso de idiomas", "asilo político",
    "job centre", "legal aid", "emergency shelter tonight", "recognition of my diploma",
]
TARGET_MS = 20.0       # issue 2: p95 at the target size, every query type, each engine
TARGET_SIZE = 100_000
QUERY_TYPES = ("category+municipality", "category+municipality+language", "text", "text+municipality",
               "open_now+category+municipality", "deep page")


def weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# --- building a directory ------------------------------------------------------------------------


@dataclass
class Reference:
    municipalities: dict[str, tuple[str, str]]   # code -> (host language, host-language name)
    terms: dict[str, str]                         # category code -> term id
    labels: dict[str, dict[str, str]]             # code -> language -> label
    descriptions: dict[str, dict[str, str]]
    keywords: dict[str, dict[str, str]]


def load_reference(session: Session) -> Reference:
    """Municipalities and the needs taxonomy, from ``sync_reference`` when there is one."""
    try:
        from directory.services.reference import sync_reference
    except ImportError:  # pragma: no cover - older trees without reference data
        sync_reference = None
    if sync_reference is not None:
        sync_reference(session)
        session.flush()
    municipalities = {
        m.code: (m.host_language, m.name_in(m.host_language)) for m in session.scalars(select(Municipality))
    }
    rows = session.execute(
        select(TaxonomyTerm.code, TaxonomyTerm.id).join(Taxonomy).where(Taxonomy.name == NEEDS_TAXONOMY)
    ).all()
    terms = dict(rows)
    texts: dict[str, dict[str, dict[str, str]]] = {f: {} for f in ("name", "description", "keywords")}
    by_id = {term_id: code for code, term_id in rows}
    for entity_id, fld, language, value in session.execute(
        select(Translation.entity_id, Translation.field, Translation.language, Translation.text)
        .where(Translation.entity == EntityType.taxonomy_term, Translation.entity_id.in_(list(by_id)))
    ):
        texts[fld].setdefault(by_id[entity_id], {})[language] = value
    return Reference(municipalities, terms, texts["name"], texts["description"], texts["keywords"])


@dataclass
class Rows:
    tables: dict[Any, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, model: Any, **values: Any) -> None:
        self.tables.setdefault(model, []).append(values)


def synthetic_rows(reference: Reference, size: int, seed: int) -> Rows:
    rng = random.Random(seed)
    rows = Rows()
    now = datetime.now(timezone.utc)
    codes = [c for c in MUNICIPALITY_WEIGHTS if c in reference.municipalities]
    weights = {c: MUNICIPALITY_WEIGHTS[c] for c in codes}
    categories = {c: w for c, w in CATEGORY_WEIGHTS.items() if c in reference.terms}
    organizations: dict[str, list[str]] = {code: [] for code in codes}
    for index in range(size):
        municipality = weighted(rng, weights)
        host, city = reference.municipalities[municipality]
        host = host if host in ORGANIZATIONS else "it"
        orgs = organizations[municipality]
        if not orgs or rng.random() < 0.2:  # about five services per organization
            org_id = str(uuid.uuid4())
            name = rng.choice(ORGANIZATIONS[host]).format(city=city, word=rng.choice(WORDS[host]))
            rows.add(Organization, id=org_id, name=name, language=host, is_sample=False, extra={},
                     updated_at=now)
            orgs.append(org_id)
        org_id = rng.choice(orgs)
        chosen = list(dict.fromkeys(weighted(rng, categories) for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))))
        main = chosen[0]
        place = rng.choice(PLACES[host]).format(n=rng.randint(1, 30))
        keywords = reference.keywords.get(main, {}).get(host, "")
        description = " ".join([reference.descriptions.get(main, {}).get(host, ""),
                                *rng.sample(SENTENCES[host], 2), keywords.split(";")[0]])
        service_id = str(uuid.uuid4())
        status = weighted(rng, STATUS_WEIGHTS)
        rows.add(Service, id=service_id, organization_id=org_id, municipality_code=municipality,
                 name=f"{reference.labels.get(main, {}).get(host, main)} - {place}", description=description,
                 status=status, language=host, gender="any", is_sample=False, extra={}, updated_at=now,
                 last_verified=date(2026, rng.randint(1, 11), rng.randint(1, 28)), is_free=rng.random() < 0.8)
        for code in chosen:
            rows.add(ServiceTerm, id=str(uuid.uuid4()), service_id=service_id, taxonomy_term_id=reference.terms[code])
        if rng.random() < 0.4:
            english = [("name", f"{reference.labels.get(main, {}).get('en', main)} - {place}"),
                       ("description", " ".join([reference.descriptions.get(main, {}).get("en", ""),
                                                 *rng.sample(SENTENCES["en"], 2)]))]
            for fld, value in english:
                rows.add(Translation, entity=EntityType.service, entity_id=service_id, field=fld, language="en",
                         text=value, origin=TranslationOrigin.human, status=TranslationStatus.published,
                         updated_at=now)
        if rng.random() < 0.1:
            language = rng.choice(["uk", "ar", "ru", "fa", "fr"])
            rows.add(Translation, entity=EntityType.service, entity_id=service_id, field="name", language=language,
                     text=reference.labels.get(main, {}).get(language, main), origin=TranslationOrigin.machine,
                     status=TranslationStatus.published, updated_at=now)
        spoken = {host} | ({"en"} if rng.random() < 0.5 else set()) | set(rng.sample(SPOKEN, rng.randint(0, 2)))
        for code in sorted(spoken):
            rows.add(ServiceLanguage, id=str(uuid.uuid4()), service_id=service_id, code=code)
        roll = rng.random()
        accepted = ([AdministrativeStatus.any] if roll < 0.55 else [] if roll < 0.65
                    else rng.sample(ELIGIBILITY, rng.randint(1, 3)))
        for accepted_status in accepted:
            rows.add(ServiceEligibility, service_id=service_id, status=accepted_status)
        pattern = rng.choices([p for _, p in SCHEDULES], weights=[w for w, _ in SCHEDULES])[0]
        for byday, opens, closes in pattern:
            rows.add(Schedule, id=str(uuid.uuid4()), service_id=service_id, freq="WEEKLY", byday=byday,
                     opens_at=opens, closes_at=closes)
        roll = rng.random()
        if roll < 0.08:
            start = NOW.date() - timedelta(days=rng.randint(0, 5)) if roll < 0.03 else \
                NOW.date() + timedelta(days=rng.randint(10, 60))
            rows.add(Closure, id=str(uuid.uuid4()), service_id=service_id, starts_on=start,
                     ends_on=start + timedelta(days=rng.randint(5, 20)), reason=None)
    return rows


def bulk_load(session: Session, rows: Rows) -> dict[str, int]:
    order = [Organization, Service, ServiceTerm, Translation, ServiceLanguage, ServiceEligibility, Schedule, Closure]
    counts = {}
    for model in order:
        values = rows.tables.get(model, [])
        for start in range(0, len(values), BATCH):
            session.execute(model.__table__.insert(), values[start:start + BATCH])
        counts[model.__tablename__] = len(values)
    return counts


# --- queries -------------------------------------------------------------------------------------


def make_queries(reference: Reference, kind: str, count: int, seed: int) -> list[ServiceQuery]:
    rng = random.Random(f"{seed}:{kind}")
    codes = [c for c in MUNICIPALITY_WEIGHTS if c in reference.municipalities]
    weights = {c: MUNICIPALITY_WEIGHTS[c] for c in codes}
    categories = {c: w for c, w in CATEGORY_WEIGHTS.items() if c in reference.terms}
    queries = []
    for _ in range(count):
        municipality = weighted(rng, weights)
        category = weighted(rng, categories)
        if kind == "category+municipality":
            query = ServiceQuery(categories=(category,), municipality=municipality)
        elif kind == "category+municipality+language":
            query = ServiceQuery(categories=(category,), municipality=municipality,
                                 language=rng.choice(["en", "ar", "uk", "fr", "ru"]))
        elif kind == "text":
            query = ServiceQuery(text=rng.choice(TEXT_QUERIES))
        elif kind == "text+municipality":
            query = ServiceQuery(text=rng.choice(TEXT_QUERIES), municipality=municipality)
        elif kind == "open_now+category+municipality":
            query = ServiceQuery(open_now=True, categories=(category,), municipality=municipality,
                                 now=NOW + timedelta(minutes=rng.randint(0, 7 * 24 * 60)))
        else:
            query = ServiceQuery(categories=(category,), offset=rng.choice([100, 200, 400, 800]))
        queries.append(query)
    return queries


@dataclass
class Result:
    engine: str
    size: int
    load_s: float
    index_s: float
    counts: dict[str, int]
    timings: dict[str, list[float]]
    cpu: dict[str, list[float]]
    server_cpu: dict[str, float]          # PostgreSQL backend, mean ms per query
    totals: dict[str, list[int]]
    rounds: dict[str, list[list[float]]] = field(default_factory=dict)   # wall ms per round

    def p(self, kind: str, fraction: float) -> float:
        """The median over rounds of the rounds' percentile (all rounds pooled if just one)."""
        per_round = self.rounds.get(kind) or [self.timings[kind]]
        return statistics.median(percentile(values, fraction) for values in per_round)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[position]


def run(engine: Engine, engine_name: str, size: int, queries_per_type: int, seed: int,
        rounds: int = 1) -> Result:
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session, audit_disabled():
        started = time.perf_counter()
        reference = load_reference(session)
        rows = synthetic_rows(reference, size, seed)
        counts = bulk_load(session, rows)
        session.commit()
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        indexed = reindex_services(session)
        session.commit()
        index_s = time.perf_counter() - started
        counts["indexed"] = indexed
    refresh_statistics(engine)  # as the import commands do after a bulk write
    timings: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    server_cpu: dict[str, float] = {}
    totals: dict[str, list[int]] = {}
    with factory() as session:
        for kind in QUERY_TYPES:  # warm the session, the statement caches and the page cache
            for query in make_queries(reference, kind, 3, seed + 1):
                search_services(session, query)
        backend = server_process(session)
        per_round: dict[str, list[list[float]]] = {kind: [] for kind in QUERY_TYPES}
        for kind in QUERY_TYPES:
            timings[kind], cpu[kind], totals[kind] = [], [], []
        server_seconds = dict.fromkeys(QUERY_TYPES, 0.0)
        for _ in range(max(1, rounds)):
            for kind in QUERY_TYPES:
                queries = make_queries(reference, kind, queries_per_type, seed)
                server_started = process_cpu_seconds(backend)
                this_round = []
                for query in queries:
                    started, cpu_started = time.perf_counter(), time.process_time()
                    page = search_services(session, query)
                    this_round.append((time.perf_counter() - started) * 1000)
                    cpu[kind].append((time.process_time() - cpu_started) * 1000)
                    totals[kind].append(page.total)
                timings[kind] += this_round
                per_round[kind].append(this_round)
                server_seconds[kind] += process_cpu_seconds(backend) - server_started
        if backend is not None:
            server_cpu = {kind: seconds * 1000 / len(timings[kind]) for kind, seconds in server_seconds.items()}
    return Result(engine_name, size, load_s, index_s, counts, timings, cpu, server_cpu, totals, per_round)


def server_process(session: Session) -> int | None:
    """The PostgreSQL backend serving ``session``, if it runs on this machine (for its CPU time)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    pid = int(session.execute(text("SELECT pg_backend_pid()")).scalar_one())
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def process_cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds of a process on this machine (Linux /proc), 0 if unknown."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


@contextmanager
def migrated_engine(url: str) -> Iterator[Engine]:
    """An engine on ``url`` with the schema migrated; disposed afterwards."""
    upgrade(url)
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def sqlite_engine() -> Iterator[Engine]:
    directory = tempfile.mkdtemp(prefix="search-bench-")
    try:
        with migrated_engine(f"sqlite:///{directory}/directory.db") as engine:
            yield engine
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def postgres_engine(admin_url: str) -> Iterator[Engine]:
    name = f"search_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        with migrated_engine(url) as engine:
            yield engine
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_problem(admin_url: str) -> str | None:
    try:
        engine = create_engine(admin_url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as error:  # noqa: BLE001 - any failure means unreachable
        return f"{type(error).__name__}: {str(error).splitlines()[0]}"


def report(result: Result) -> None:
    print(f"\n== {result.engine}, {result.size:,} services ==")
    print(f"build {result.load_s:.1f} s (reference + bulk load: "
          + ", ".join(f"{count:,} {table}" for table, count in result.counts.items() if table != "indexed")
          + f"); index {result.index_s:.1f} s ({result.counts.get('indexed', 0):,} documents)")
    print("milliseconds: wall latency; cpu = this process's CPU time (SQLite: all of the work; PostgreSQL: "
          "the client's part, and 'server' the backend's mean CPU per query)")
    server = bool(result.server_cpu)
    rounds = len(next(iter(result.rounds.values()), [[]]))
    if rounds > 1:
        print(f"p50 / p95: medians of {rounds} rounds' own p50 / p95; max and cpu over all rounds")
    print(f"{'query':32} {'n':>4} {'p50':>7} {'p95':>7} {'max':>7} {'cpu p50':>8} {'cpu p95':>8}"
          + (f" {'server':>7}" if server else "") + f" {'matches':>8}")
    everything: list[float] = []
    everything_cpu: list[float] = []
    for kind, values in result.timings.items():
        everything += values
        everything_cpu += result.cpu[kind]
        matches = statistics.median(result.totals[kind]) if result.totals[kind] else 0
        cpu = result.cpu[kind]
        print(f"{kind:32} {len(values):>4} {result.p(kind, 0.5):>7.2f} {result.p(kind, 0.95):>7.2f} "
              f"{max(values):>7.2f} {percentile(cpu, 0.5):>8.2f} {percentile(cpu, 0.95):>8.2f}"
              + (f" {result.server_cpu.get(kind, float('nan')):>7.2f}" if server else "") + f" {matches:>8,.0f}")
    print(f"{'all':32} {len(everything):>4} {percentile(everything, 0.5):>7.2f} {percentile(everything, 0.95):>7.2f} "
          f"{max(everything):>7.2f} {percentile(everything_cpu, 0.5):>8.2f} {percentile(everything_cpu, 0.95):>8.2f}")
    print(f"load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


def summary(results: list[Result]) -> None:
    """p50 / p95 per query type, size and engine in one table, then whether the target is met."""
    if not results:
        return
    columns = [(r.engine, r.size) for r in results]
    print("\n== summary: p50 / p95 milliseconds ==")
    print(f"{'query':32} " + " ".join(f"{f'{engine[:6]} {size:,}':>15}" for engine, size in columns))
    for kind in QUERY_TYPES:
        print(f"{kind:32} " + " ".join(f"{f'{r.p(kind, 0.5):.1f} / {r.p(kind, 0.95):.1f}':>15}" for r in results))
    print(f"load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    for result in results:
        if result.size != TARGET_SIZE:
            continue
        missed = [f"{kind} {result.p(kind, 0.95):.1f}" for kind in QUERY_TYPES if result.p(kind, 0.95) > TARGET_MS]
        verdict = "MET" if not missed else "NOT MET (p95 ms: " + ", ".join(missed) + ")"
        print(f"target p95 <= {TARGET_MS:.0f} ms at {TARGET_SIZE:,} services, {result.engine}: {verdict}")
    if not any(r.size == TARGET_SIZE for r in results):
        print(f"target p95 <= {TARGET_MS:.0f} ms at {TARGET_SIZE:,} services: not measured (size not run)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated numbers of services")
    parser.add_argument("--engines", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--queries", type=int, default=50, help="queries per query type")
    parser.add_argument("--rounds", type=int, default=3, help="times to run the queries on each directory")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="server to create the throwaway database on")
    args = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()]
    engines = [name.strip() for name in args.engines.split(",") if name.strip()]

    started = time.perf_counter()
    timings = warm_up()
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"text analysis warm-up: {time.perf_counter() - started:.1f} s ("
          + ", ".join(f"{language} {seconds:.2f}" for language, seconds in timings.items()) + ")")
    builders: dict[str, Callable[[], Any]] = {"sqlite": sqlite_engine,
                                              "postgresql": lambda: postgres_engine(args.postgres_url)}
    results: list[Result] = []
    for engine_name in engines:
        if engine_name not in builders:
            print(f"\nunknown engine {engine_name!r}; use sqlite or postgresql")
            return 2
        if engine_name == "postgresql":
            problem = postgres_problem(args.postgres_url)
            if problem:
                print(f"\n== postgresql skipped: not reachable at {args.postgres_url} ({problem}) ==")
                continue
        for size in sizes:
            with builders[engine_name]() as engine:
                results.append(run(engine, engine_name, size, args.queries, args.seed, args.rounds))
                report(results[-1])
    summary(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
