"""Import HSDS 3.0: our JSON document, another publisher's nested services or flat tables, or a datapackage.

All or nothing. Every row is read and checked first (pydantic models of the tables,
then the links between rows and to what the database already holds); any problem is
reported with its table, place in the file, row and field, and nothing is written.
Then everything is written in one savepoint, audited as ``hsds-import``; a database
error rolls it all back.

Records are upserted by id. A service, location or organization in the file is
described completely by it: its phones, schedules, closures, languages, documents,
places and attributes that the file does not list any more are deleted (translations
are only ever added or updated). Taxonomies and terms we do not know are created; a
taxonomy whose name (or a term whose code in its taxonomy) we already hold under another
id is taken as the one we hold, with a warning. What our columns cannot hold is kept in
the owner's ``extra`` (see :mod:`directory.hsds.mapping`) and written back by the export.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from directory.hsds import mapping as m
from directory.hsds.datapackage import read_datapackage
from directory.hsds.nesting import Flattener, Incoming, table_for_key
from directory.hsds.report import HsdsImportError, ImportReport, RowProblem
from directory.hsds.schema import LINK_FIELDS, MODELS, model_for
from directory.hsds.spec import MODELLED_TABLES, TABLE_ORDER, TRANSLATION_TABLE, field_names
from directory.models import (
    GENDER_TAXONOMY, NEEDS_TAXONOMY, STATUS_TAXONOMY, AdministrativeStatus, Closure, EntityType, Gender, Location,
    Municipality, MunicipalityName, Organization, Phone, RequiredDocument, Schedule, Service, ServiceAtLocation,
    ServiceEligibility, ServiceLanguage, ServiceStatus, ServiceTerm, Taxonomy, TaxonomyTerm, Translation,
)
from directory.services.audit import acting_as
from directory.services.reference import stable_id
from directory.text.normalize import normalize

Progress = Callable[[str, int, int], None]
ACTOR = "hsds-import"
UNNAMED_TAXONOMY = "hsds-import-unnamed"
_PAGE_KEYS = frozenset({"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty"})
_CLOCK = re.compile(r"^(\d{2}:\d{2})(:\d{2})?$")
OWNER_TABLES = ("organization", "service", "location")
_TERM_FIELDS = frozenset(field_names("taxonomy_term"))
_MODELS: dict[str, Any] = {
    "organization": Organization, "service": Service, "location": Location, "service_at_location": ServiceAtLocation,
    "phone": Phone, "taxonomy": Taxonomy, "taxonomy_term": TaxonomyTerm,
}


# --- reading -----------------------------------------------------------------------------

def import_path(session: Session, path: Path, progress: Progress | None = None) -> ImportReport:
    """Import a JSON file, or a CSV datapackage (folder or ``.zip``)."""
    path = Path(path)
    if path.is_dir() or path.suffix.lower() == ".zip":
        rows, errors, warnings = read_datapackage(path)
        return _run(session, rows, errors, warnings, progress)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise HsdsImportError(ImportReport(errors=[RowProblem("json", path.name, None, None, str(error))])) from error
    return import_json(session, data, progress=progress, name=path.name)


def import_json(session: Session, data: Any, progress: Progress | None = None, name: str = "document") -> ImportReport:
    """Import parsed JSON (a list of services, our document, flat tables) or its text."""
    if isinstance(data, (str, bytes, bytearray)):
        try:
            text = data.decode("utf-8-sig") if isinstance(data, (bytes, bytearray)) else data
            data = json.loads(text)
        except UnicodeDecodeError as error:
            problem = RowProblem("json", name, None, None, f"not UTF-8 text ({error.reason} at byte {error.start})")
            raise HsdsImportError(ImportReport(errors=[problem])) from error
        except json.JSONDecodeError as error:
            problem = RowProblem("json", name, f"line {error.lineno}", None,
                                 f"invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})")
            raise HsdsImportError(ImportReport(errors=[problem])) from error
        except RecursionError as error:
            problem = RowProblem("json", name, None, None, "invalid JSON: nested too deeply")
            raise HsdsImportError(ImportReport(errors=[problem])) from error
    rows, errors, warnings = read_document(data, name)
    return _run(session, rows, errors, warnings, progress)


def read_document(data: Any, name: str = "document") -> tuple[list[Incoming], list[RowProblem], list[RowProblem]]:
    """(rows, errors, warnings) of a parsed JSON document of any of the shapes we read."""
    flattener = Flattener()
    translations: list[Incoming] = []
    warnings: list[RowProblem] = []
    if isinstance(data, list):
        for n, item in enumerate(data):
            flattener.add("service", item, f"{name}[{n}]")
    elif isinstance(data, dict) and "contents" not in data and "id" in data and "name" in data:
        flattener.add("service", data, name)
    elif isinstance(data, dict):
        for key, value in data.items():
            table = "service" if key == "contents" else table_for_key(key)
            if table is None:
                if key not in _PAGE_KEYS and not key.startswith("x_"):
                    warnings.append(RowProblem("json", f"{name}.{key}", None, None, "not an HSDS table: ignored"))
                continue
            if value is None:
                continue
            if not isinstance(value, list):
                flattener.problems.append(RowProblem(table, f"{name}.{key}", None, None, "expected a list"))
                continue
            for n, item in enumerate(value):
                where = f"{name}.{key}[{n}]"
                if table == TRANSLATION_TABLE:
                    if isinstance(item, dict):
                        translations.append(Incoming(table, item, where))
                    else:
                        flattener.problems.append(RowProblem(table, where, None, None, "expected an object"))
                else:
                    flattener.add(table, item, where)
    else:
        flattener.problems.append(RowProblem("json", name, None, None,
                                             "expected a list of HSDS services or an object of HSDS tables"))
    return flattener.rows + translations, flattener.problems, warnings


# --- checking ----------------------------------------------------------------------------

@dataclass
class Valid:
    table: str
    id: str
    data: dict[str, Any]
    where: str


def _message(error: dict[str, Any]) -> tuple[str | None, str]:
    field = ".".join(str(part) for part in error["loc"]) or None
    message = str(error["msg"]).removeprefix("Value error, ")
    return field, message


def _merge(rows: list[Incoming], report: ImportReport) -> tuple[dict[str, dict[str, Incoming]], list[Incoming]]:
    """One row per (table, id): repeats of a nested row are merged, a repeated table row is an error."""
    by_table: dict[str, dict[str, Incoming]] = defaultdict(dict)
    translations: list[Incoming] = []
    for item in rows:
        if item.table == TRANSLATION_TABLE:
            translations.append(item)
            continue
        raw = item.data.get("id")
        if raw is None or raw == "" or isinstance(raw, (dict, list, bool)):
            report.errors.append(RowProblem(item.table, item.where, None, "id", "is required"))
            continue
        key = str(raw)
        first = by_table[item.table].get(key)
        if first is None:
            by_table[item.table][key] = Incoming(item.table, dict(item.data), item.where, item.flat)
            continue
        if item.flat and first.flat:
            report.errors.append(RowProblem(item.table, item.where, key, "id", f"repeats the id of {first.where}"))
            continue
        for field, value in item.data.items():
            if value is None:
                continue
            old = first.data.get(field)
            if old is None:
                first.data[field] = value
            elif old != value:
                report.warnings.append(RowProblem(item.table, item.where, key, field,
                                                  f"differs from the same row at {first.where}: kept the first"))
    return by_table, translations


def _validate(rows: list[Incoming], report: ImportReport) -> tuple[dict[str, dict[str, Valid]], list[Valid]]:
    by_table, raw_translations = _merge(rows, report)
    valid: dict[str, dict[str, Valid]] = {table: {} for table in TABLE_ORDER}
    for table, items in by_table.items():
        model = model_for(table)
        for key, item in items.items():
            try:
                parsed = model.model_validate(item.data)
            except ValidationError as error:
                for detail in error.errors():
                    field, message = _message(detail)
                    report.errors.append(RowProblem(table, item.where, key, field, message))
                continue
            data = {field: m.plain(value) for field, value in parsed.model_dump().items()}
            if table in MODELS:
                if table == "phone":
                    data["extension"] = m.extension_number(data["extension"])
            else:
                data.update({f: str(data[f]) for f in LINK_FIELDS if isinstance(data.get(f), (int, float))})
            valid[table][str(parsed.id)] = Valid(table, str(parsed.id), data, item.where)  # type: ignore[attr-defined]
    translations: list[Valid] = []
    model = model_for(TRANSLATION_TABLE)
    for item in raw_translations:
        try:
            parsed = model.model_validate(item.data)
        except ValidationError as error:
            for detail in error.errors():
                field, message = _message(detail)
                report.errors.append(RowProblem(TRANSLATION_TABLE, item.where, None, field, message))
            continue
        translations.append(Valid(TRANSLATION_TABLE, "", parsed.model_dump(), item.where))
    return valid, translations


@lru_cache(maxsize=1)
def _language_codes() -> dict[str, str]:
    """English language names (lower case) -> ISO 639 code, two-letter codes first."""
    from babel import Locale

    names = Locale("en").languages
    codes: dict[str, str] = {}
    for code in sorted(names, key=lambda c: (len(c), c)):
        if "_" not in code:
            codes.setdefault(names[code].casefold(), code)
    return codes


def _clock(value: str | None) -> str | None:
    """An HSDS time as our "HH:MM[:SS]" column; the full value is kept apart when it carries a zone."""
    if value is None:
        return None
    match = _CLOCK.match(value)
    return value if match else value[:5]


class _Owners:
    """What ``extra`` will hold for each organization, service and location we write or touch."""

    def __init__(self) -> None:
        self.own: dict[tuple[str, str], dict[str, Any]] = {}
        self.fields: dict[tuple[str, str], dict[str, dict[str, dict[str, Any]]]] = defaultdict(
            lambda: defaultdict(dict))
        self.rows: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))

    def keep_fields(self, owner: tuple[str, str], table: str, row_id: str, kept: dict[str, Any]) -> None:
        if kept:
            self.fields[owner][table][row_id] = kept

    def keep_row(self, owner: tuple[str, str], table: str, row: dict[str, Any]) -> None:
        self.rows[owner][table].append(row)

    def touched(self) -> set[tuple[str, str]]:
        return set(self.own) | set(self.fields) | set(self.rows)

    def extra(self, owner: tuple[str, str], before: dict[str, Any] | None) -> dict[str, Any]:
        """The owner's new ``extra``: replaced when the file holds the owner, else merged into ``before``."""
        fields = {table: dict(rows) for table, rows in self.fields.get(owner, {}).items()}
        rows = {table: list(items) for table, items in self.rows.get(owner, {}).items()}
        if owner in self.own:
            extra = dict(self.own[owner])
        else:
            extra = {key: value for key, value in (before or {}).items()}
            old_fields = extra.get(m.FIELDS_KEY) or {}
            for table, kept in old_fields.items():
                fields[table] = {**kept, **fields.get(table, {})}
            old_rows = extra.get(m.ROWS_KEY) or {}
            for table, items in old_rows.items():
                new_ids = {str(row.get("id")) for row in rows.get(table, [])}
                rows[table] = [row for row in items if str(row.get("id")) not in new_ids] + rows.get(table, [])
        extra.pop(m.FIELDS_KEY, None)
        extra.pop(m.ROWS_KEY, None)
        if fields:
            extra[m.FIELDS_KEY] = fields
        if rows:
            extra[m.ROWS_KEY] = rows
        return extra


class _Plan:
    """Checks the links of the validated rows and works out every value to write."""

    def __init__(self, session: Session, rows: dict[str, dict[str, Valid]], translations: list[Valid],
                 report: ImportReport) -> None:
        self.session, self.rows, self.raw_translations, self.report = session, rows, translations, report
        self.owners = _Owners()
        self.db: dict[str, set[str]] = {}
        self.db_sal_service: dict[str, str] = {}
        self.db_location_municipality: dict[str, str | None] = {}
        self.taxonomies: dict[str, dict[str, Any]] = {}
        self.terms: dict[str, dict[str, Any]] = {}
        self.organizations: dict[str, dict[str, Any]] = {}
        self.locations: dict[str, dict[str, Any]] = {}
        self.services: dict[str, dict[str, Any]] = {}
        self.sals: dict[str, dict[str, Any]] = {}
        self.phones: dict[str, dict[str, Any]] = {}
        self.schedules: dict[str, dict[str, Any]] = {}
        self.closures: dict[str, dict[str, Any]] = {}
        self.languages: dict[str, dict[str, Any]] = {}
        self.documents: dict[str, dict[str, Any]] = {}
        self.service_terms: dict[str, dict[str, Any]] = {}
        self.eligibilities: dict[str, list[AdministrativeStatus]] = defaultdict(list)
        self.genders: dict[str, Gender] = {}
        self.translations: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        self.taxonomy_remap: dict[str, str] = {}
        self.term_remap: dict[str, str] = {}
        self.municipalities: set[str] = set()
        self.taxonomy_names: dict[str, str] = {}
        self.db_term_taxonomy: dict[str, str] = {}
        self._db_codes: dict[str, str] | None = None
        self._cities: dict[str, str | None] = {}

    # -- helpers --
    def error(self, row: Valid, field: str | None, message: str) -> None:
        self.report.errors.append(RowProblem(row.table, row.where, row.id, field, message))

    def warn(self, row: Valid, field: str | None, message: str) -> None:
        self.report.warnings.append(RowProblem(row.table, row.where, row.id, field, message))

    def exists(self, table: str, row_id: str | None) -> bool:
        return bool(row_id) and (row_id in self.rows.get(table, {}) or row_id in self.db.get(table, set()))

    def require(self, row: Valid, field: str, table: str, *, required: bool = True) -> str | None:
        value = row.data.get(field)
        if value is None:
            if required:
                self.error(row, field, "is required")
            return None
        if not self.exists(table, value):
            self.error(row, field, f"{value!r}: no such {table} in the file or the directory")
            return None
        return value

    def _load_db(self) -> None:
        wanted: dict[str, set[str]] = defaultdict(set)
        for table, rows in self.rows.items():
            for row in rows.values():
                for field, value in row.data.items():
                    if isinstance(value, str) and field.endswith("_id"):
                        wanted[field[:-3]].add(value)
                    if field in ("link_id", "resource_id") and isinstance(value, str):
                        for target in OWNER_TABLES:
                            wanted[target].add(value)
        for row in self.raw_translations:
            wanted[row.data["entity"].value].add(row.data["entity_id"])
        for table in ("organization", "service", "location", "service_at_location", "phone", "taxonomy_term"):
            wanted[table] |= set(self.rows.get(table, {}))
        for table, model in _MODELS.items():
            found: set[str] = set()
            for chunk in _chunks(wanted.get(table, set())):
                if table == "service_at_location":
                    for sal_id, service_id in self.session.execute(
                            select(model.id, model.service_id).where(model.id.in_(chunk))):
                        found.add(sal_id)
                        self.db_sal_service[sal_id] = service_id
                elif table == "location":
                    for location_id, code in self.session.execute(
                            select(model.id, model.municipality_code).where(model.id.in_(chunk))):
                        found.add(location_id)
                        self.db_location_municipality[location_id] = code
                else:
                    found.update(self.session.scalars(select(model.id).where(model.id.in_(chunk))))
            self.db[table] = found
        for table, model in (("required_document", RequiredDocument), ("closure", Closure)):
            ids = wanted.get(table, set()) | {r.data["entity_id"] for r in self.raw_translations
                                              if r.data["entity"].value == table}
            self.db[table] = {i for chunk in _chunks(ids) for i in self.session.scalars(
                select(model.id).where(model.id.in_(chunk)))}
        self.municipalities = set(self.session.scalars(select(Municipality.code)))

    def city_municipality(self, city: str | None) -> str | None:
        if not city:
            return None
        key = normalize(city)
        if key not in self._cities:
            codes = set(self.session.scalars(
                select(MunicipalityName.municipality_code).where(MunicipalityName.normalized == key)))
            self._cities[key] = codes.pop() if len(codes) == 1 else None
        return self._cities[key]

    def sal_service(self, sal_id: str) -> str | None:
        if sal_id in self.sals:
            return self.sals[sal_id]["service_id"]
        row = self.rows["service_at_location"].get(sal_id)
        if row is not None:
            return row.data.get("service_id")
        return self.db_sal_service.get(sal_id)

    def owner_of(self, table: str, data: dict[str, Any], depth: int = 0) -> tuple[str, str] | None:
        """The organization, service or location whose ``extra`` keeps a row we do not model."""
        if table in OWNER_TABLES:
            return (table, data["id"]) if self.exists(table, data.get("id")) else None
        if depth > 6:
            return None
        for field, owner in (("service_id", "service"), ("location_id", "location"),
                             ("organization_id", "organization")):
            if self.exists(owner, data.get(field)):
                return owner, data[field]
        if data.get("service_at_location_id"):
            service_id = self.sal_service(data["service_at_location_id"])
            if service_id and self.exists("service", service_id):
                return "service", service_id
        for field, target in (("contact_id", "contact"), ("phone_id", "phone"), ("program_id", "program")):
            row = self.rows.get(target, {}).get(data.get(field) or "")
            if row is not None:
                return self.owner_of(target, row.data, depth + 1)
        for link, kind in (("link_id", "link_entity"), ("resource_id", "resource_type")):
            target, target_id = data.get(kind), data.get(link)
            if target in OWNER_TABLES and self.exists(target, target_id):
                return target, target_id
            row = self.rows.get(target or "", {}).get(target_id or "")
            if row is not None:
                return self.owner_of(str(target), row.data, depth + 1)
        reference = f"{table}_id"  # e.g. a program only a service points to (service.program_id)
        for owner in ("service", "organization", "location"):
            for row in self.rows.get(owner, {}).values():
                if row.data.get(reference) == data.get("id"):
                    return owner, row.id
        return None

    def keep_elsewhere(self, row: Valid) -> None:
        owner = self.owner_of(row.table, row.data)
        if owner is None:
            self.warn(row, None, "is linked to no organization, service or location in the file or the "
                                 "directory: not imported")
        else:
            self.owners.keep_row(owner, row.table, row.data)

    # -- the tables --
    def run(self) -> None:
        self._load_db()
        self._taxonomies()
        self._terms()
        self._organizations()
        self._locations()
        self._service_at_locations()
        self._services()
        self._phones()
        self._schedules()
        self._languages()
        self._documents()
        self._attributes()
        for table in TABLE_ORDER:
            if table not in MODELLED_TABLES:
                for row in self.rows.get(table, {}).values():
                    self.keep_elsewhere(row)
        self._translations()

    def _taxonomies(self) -> None:
        db_by_name = {t.name: t.id for t in self.session.scalars(select(Taxonomy))}
        self.db["taxonomy"] = set(db_by_name.values())
        self.taxonomy_names = {v: k for k, v in db_by_name.items()}
        seen: dict[str, str] = {}
        for row in self.rows["taxonomy"].values():
            name = row.data["name"]
            if name in seen and seen[name] != row.id:
                self.error(row, "name", f"{name!r} is also the name of taxonomy {seen[name]!r} in the file")
                continue
            seen[name] = row.id
            held = db_by_name.get(name)
            taxonomy_id = row.id
            if held is not None and held != row.id:
                if row.id in self.db["taxonomy"]:
                    self.error(row, "name", f"{name!r} is already the name of taxonomy {held!r}")
                    continue
                self.taxonomy_remap[row.id] = held
                taxonomy_id = held
                self.warn(row, "id", f"taxonomy {name!r} is held as {held!r}: imported into it")
            self.taxonomies[taxonomy_id] = {"name": name, "description": row.data["description"],
                                            "uri": row.data["uri"], "version": row.data["version"]}
            self.taxonomy_names[taxonomy_id] = name
            if kept := {k: v for k, v in m.leftover("taxonomy", row.data, m.taxonomy_row(
                    SimpleNamespace(id=taxonomy_id, **self.taxonomies[taxonomy_id]))).items() if k != m.REPLACED_KEY}:
                self.warn(row, ", ".join(sorted(kept)), "no place for these fields of a taxonomy: not imported")

    def _taxonomy_by_name(self, name: str) -> str:
        for taxonomy_id, taxonomy_name in self.taxonomy_names.items():
            if taxonomy_name == name:
                return taxonomy_id
        taxonomy_id = stable_id("taxonomy", name)
        self.taxonomies[taxonomy_id] = {"name": name, "description": None, "uri": None, "version": None}
        self.taxonomy_names[taxonomy_id] = name
        return taxonomy_id

    def _terms(self) -> None:
        held = {(t.taxonomy_id, t.code): t.id for t in self.session.scalars(select(TaxonomyTerm))}
        self.db_term_taxonomy = {term_id: taxonomy_id for (taxonomy_id, _code), term_id in held.items()}
        seen: dict[tuple[str, str], str] = {}
        for row in self.rows["taxonomy_term"].values():
            data = row.data
            if data["taxonomy_id"]:
                taxonomy_id = self.taxonomy_remap.get(data["taxonomy_id"], data["taxonomy_id"])
                if taxonomy_id not in self.taxonomy_names:
                    self.error(row, "taxonomy_id", f"{data['taxonomy_id']!r}: no such taxonomy in the file or "
                                                   "the directory")
                    continue
            elif data["taxonomy"]:
                taxonomy_id = self._taxonomy_by_name(data["taxonomy"])
            else:
                taxonomy_id = self._taxonomy_by_name(UNNAMED_TAXONOMY)
                self.warn(row, "taxonomy_id", f"no taxonomy given: kept in taxonomy {UNNAMED_TAXONOMY!r}")
            code = data["code"] or row.id
            name = data["name"] or data["code"]
            if not name:
                self.error(row, "name", "a term needs a name or a code")
                continue
            key = (taxonomy_id, code)
            if key in seen and seen[key] != row.id:
                self.error(row, "code", f"{code!r} is also the code of term {seen[key]!r} in the same taxonomy")
                continue
            seen[key] = row.id
            term_id = row.id
            if key in held and held[key] != row.id:
                term_id = held[key]
                self.term_remap[row.id] = term_id
                self.warn(row, "id", f"term {code!r} of {self.taxonomy_names[taxonomy_id]!r} is held as "
                                     f"{term_id!r}: imported into it")
            unknown = sorted(k for k, v in data.items() if v is not None and k not in _TERM_FIELDS)
            if unknown:
                self.warn(row, ", ".join(unknown), "no place for these fields of a taxonomy term: not imported")
            self.terms[term_id] = {
                "taxonomy_id": taxonomy_id, "code": code, "name": name, "description": data["description"],
                "parent_id": data["parent_id"], "language": data["language"], "term_uri": data["term_uri"],
            }
        for values in self.terms.values():
            if values["parent_id"]:
                values["parent_id"] = self.term_remap.get(values["parent_id"], values["parent_id"])

    def term_taxonomy(self, term_id: str) -> str | None:
        if term_id in self.terms:
            return self.taxonomy_names.get(self.terms[term_id]["taxonomy_id"])
        taxonomy_id = self.db_term_taxonomy.get(term_id)
        return self.taxonomy_names.get(taxonomy_id or "")

    def _organizations(self) -> None:
        for row in self.rows["organization"].values():
            data = row.data
            values = {
                "name": data["name"], "alternate_name": data["alternate_name"], "description": data["description"],
                "email": data["email"], "website": data["website"], "legal_status": data["legal_status"],
                "year_incorporated": data["year_incorporated"], "language": data["x_language"],
                "is_sample": data["x_is_sample"],
            }
            self.organizations[row.id] = values
            derived = m.organization_row(SimpleNamespace(id=row.id, **values))
            self.owners.own[("organization", row.id)] = m.leftover("organization", data, derived)

    def _locations(self) -> None:
        addresses: dict[str, list[Valid]] = defaultdict(list)
        access: dict[str, list[Valid]] = defaultdict(list)
        for table, groups in (("address", addresses), ("accessibility", access)):
            for row in self.rows[table].values():
                location_id = row.data["location_id"]
                if location_id is None:
                    self.error(row, "location_id", "is required")
                elif location_id not in self.rows["location"]:
                    self.error(row, "location_id", f"{location_id!r}: the location must be in the same file")
                else:
                    groups[location_id].append(row)
        for row in self.rows["location"].values():
            data, owner = row.data, ("location", row.id)
            if data["organization_id"] is not None:
                self.require(row, "organization_id", "organization")
            values: dict[str, Any] = {
                "organization_id": data["organization_id"], "location_type": data["location_type"] or "physical",
                "name": data["name"], "alternate_name": data["alternate_name"], "description": data["description"],
                "transportation": data["transportation"], "latitude": data["latitude"],
                "longitude": data["longitude"], "language": data["x_language"], "is_sample": data["x_is_sample"],
                **{column: None for column in m.ADDRESS_COLUMNS}, "accessibility": None,
            }
            candidates = [a for a in addresses[row.id] if any(a.data[c] is not None for c in m.ADDRESS_COLUMNS)]
            primary = next((a for a in candidates if a.data["address_type"] in (None, "physical")),
                           candidates[0] if candidates else None)
            if primary is not None:
                values.update({column: primary.data[column] for column in m.ADDRESS_COLUMNS})
                if values["country"]:
                    values["country"] = values["country"].upper()
            access_primary = next((a for a in access[row.id] if a.data["description"] is not None), None)
            if access_primary is not None:
                values["accessibility"] = access_primary.data["description"]
            code = data["x_municipality_code"]
            if code is not None and code not in self.municipalities:
                self.error(row, "x_municipality_code", f"{code!r}: no such municipality")
                code = None
            values["municipality_code"] = code or self.city_municipality(values["city"])
            self.locations[row.id] = values
            shape = SimpleNamespace(id=row.id, **values)
            self.owners.own[owner] = m.leftover("location", data, m.location_row(shape))
            for extra_row in addresses[row.id]:
                if extra_row is primary:
                    derived = m.address_row(shape)
                    assert derived is not None
                    self.owners.keep_fields(owner, "address", derived["id"],
                                            m.leftover("address", extra_row.data, derived))
                else:
                    self.owners.keep_row(owner, "address", extra_row.data)
            for extra_row in access[row.id]:
                if extra_row is access_primary:
                    derived = m.accessibility_row(shape)
                    assert derived is not None
                    self.owners.keep_fields(owner, "accessibility", derived["id"],
                                            m.leftover("accessibility", extra_row.data, derived))
                else:
                    self.owners.keep_row(owner, "accessibility", extra_row.data)

    def _service_at_locations(self) -> None:
        for row in self.rows["service_at_location"].values():
            service_id = self.require(row, "service_id", "service")
            location_id = self.require(row, "location_id", "location")
            if service_id is None or location_id is None:
                continue
            values = {"service_id": service_id, "location_id": location_id, "description": row.data["description"]}
            self.sals[row.id] = values
            derived = m.service_at_location_row(SimpleNamespace(id=row.id, **values))
            self.owners.keep_fields(("service", service_id), "service_at_location", row.id,
                                    m.leftover("service_at_location", row.data, derived))

    def _services(self) -> None:
        places: dict[str, list[str]] = defaultdict(list)
        for sal in self.sals.values():
            places[sal["service_id"]].append(sal["location_id"])
        for row in self.rows["service"].values():
            data = row.data
            organization_id = self.require(row, "organization_id", "organization")
            code = data["x_municipality_code"]
            if code is not None and code not in self.municipalities:
                self.error(row, "x_municipality_code", f"{code!r}: no such municipality")
            if code is None:
                for location_id in places[row.id]:
                    if location_id in self.locations:
                        code = self.locations[location_id]["municipality_code"]
                    else:
                        code = self.db_location_municipality.get(location_id)
                    if code:
                        break
            values: dict[str, Any] = {
                "organization_id": organization_id, "municipality_code": code, "name": data["name"],
                "alternate_name": data["alternate_name"], "description": data["description"], "url": data["url"],
                "email": data["email"], "status": ServiceStatus(data["status"] or ServiceStatus.active),
                "interpretation_services": data["interpretation_services"],
                "application_process": data["application_process"], "fees_description": data["fees_description"],
                "is_free": data["x_is_free"], "wait_time": data["wait_time"], "accreditations": data["accreditations"],
                "licenses": data["licenses"], "alert": data["alert"],
                "eligibility_description": data["eligibility_description"], "minimum_age": data["minimum_age"],
                "maximum_age": data["maximum_age"], "last_verified": _date(data["assured_date"]),
                "assurer_email": data["assurer_email"], "language": data["x_language"],
                "is_sample": data["x_is_sample"],
            }
            if data["last_modified"] is not None:
                values["updated_at"] = datetime.fromisoformat(data["last_modified"])
            self.services[row.id] = values
            derived = m.service_row(SimpleNamespace(id=row.id, updated_at=values.get("updated_at"), **{
                k: v for k, v in values.items() if k != "updated_at"}))
            self.owners.own[("service", row.id)] = m.leftover("service", data, derived)

    def _phones(self) -> None:
        for row in self.rows["phone"].values():
            data = dict(row.data)
            for field, table in (("service_id", "service"), ("location_id", "location"),
                                 ("organization_id", "organization"),
                                 ("service_at_location_id", "service_at_location")):
                if data[field] is not None:
                    self.require(row, field, table)
            if data["service_id"] is None and data["service_at_location_id"]:
                data["service_id"] = self.sal_service(data["service_at_location_id"])
            if not (data["service_id"] or data["location_id"] or data["organization_id"]):
                self.keep_elsewhere(row)
                continue
            values = {key: data[key] for key in ("service_id", "location_id", "organization_id", "number", "type",
                                                 "description")}
            values["extension"] = None if data["extension"] is None else str(data["extension"])
            self.phones[row.id] = values
            owner = next((t, data[f]) for f, t in (("service_id", "service"), ("location_id", "location"),
                                                   ("organization_id", "organization")) if data[f])
            self.owners.keep_fields(owner, "phone", row.id,
                                    m.leftover("phone", row.data, m.phone_row(SimpleNamespace(id=row.id, **values))))

    def _schedules(self) -> None:
        for row in self.rows["schedule"].values():
            data = row.data
            for field, table in (("service_id", "service"), ("location_id", "location"),
                                 ("service_at_location_id", "service_at_location")):
                if data[field] is not None:
                    self.require(row, field, table)
            service_id = data["service_id"]
            if service_id is None and data["service_at_location_id"]:
                service_id = self.sal_service(data["service_at_location_id"])
            if m.is_closure(data):
                if service_id is None:
                    self.error(row, "service_id", "a closure needs its service")
                    continue
                if data["valid_from"] is None or data["valid_to"] is None:
                    self.error(row, "valid_from" if data["valid_from"] is None else "valid_to",
                               "a closure needs valid_from and valid_to")
                    continue
                if data["valid_to"] < data["valid_from"]:
                    self.error(row, "valid_to", "is before valid_from")
                    continue
                values = {"service_id": service_id, "starts_on": _date(data["valid_from"]),
                          "ends_on": _date(data["valid_to"]), "reason": data["description"]}
                self.closures[row.id] = values
                derived = m.closure_row(SimpleNamespace(id=row.id, **values))
                self.owners.keep_fields(("service", service_id), "schedule", row.id,
                                        m.leftover("schedule", data, derived))
                continue
            if not (service_id or data["location_id"]):
                self.keep_elsewhere(row)
                continue
            values = {
                "service_id": service_id, "location_id": data["location_id"],
                "service_at_location_id": data["service_at_location_id"], "valid_from": _date(data["valid_from"]),
                "valid_to": _date(data["valid_to"]), "dtstart": _date(data["dtstart"]), "until": _date(data["until"]),
                "timezone": data["x_timezone"], "freq": data["freq"], "interval": data["interval"],
                "byday": data["byday"], "bymonthday": data["bymonthday"], "opens_at": _clock(data["opens_at"]),
                "closes_at": _clock(data["closes_at"]), "description": data["description"], "notes": data["notes"],
                "attending_type": data["attending_type"],
            }
            self.schedules[row.id] = values
            owner = ("service", service_id) if service_id else ("location", data["location_id"])
            derived = m.schedule_row(SimpleNamespace(id=row.id, **values))
            self.owners.keep_fields(owner, "schedule", row.id, m.leftover("schedule", data, derived))

    def _languages(self) -> None:
        for row in self.rows["language"].values():
            data = row.data
            if data["service_id"] is None:
                for field, table in (("location_id", "location"), ("phone_id", "phone")):
                    if data[field] is not None and not self.exists(table, data[field]):
                        self.require(row, field, table)
                self.keep_elsewhere(row)
                continue
            service_id = self.require(row, "service_id", "service")
            if service_id is None:
                continue
            code = data["code"] or _language_codes().get((data["name"] or "").casefold()) or "und"
            values = {"service_id": service_id, "code": code, "name": data["name"], "note": data["note"]}
            self.languages[row.id] = values
            derived = m.language_row(SimpleNamespace(id=row.id, **values))
            self.owners.keep_fields(("service", service_id), "language", row.id,
                                    m.leftover("language", data, derived))

    def _documents(self) -> None:
        positions: dict[str, int] = defaultdict(int)
        for row in self.rows["required_document"].values():
            service_id = self.require(row, "service_id", "service")
            if service_id is None:
                continue
            values = {"service_id": service_id, "document": row.data["document"] or "", "uri": row.data["uri"],
                      "position": positions[service_id]}
            positions[service_id] += 1
            self.documents[row.id] = values
            derived = m.required_document_row(SimpleNamespace(id=row.id, **values))
            self.owners.keep_fields(("service", service_id), "required_document", row.id,
                                    m.leftover("required_document", row.data, derived))

    def _attributes(self) -> None:
        pairs: set[tuple[str, str]] = set()
        for row in self.rows["attribute"].values():
            data = dict(row.data)
            term_given = data["taxonomy_term_id"]
            if term_given is None:
                self.error(row, "taxonomy_term_id", "is required")
                continue
            term_id = self.term_remap.get(term_given, term_given)
            if term_id not in self.terms and term_id not in self.db_term_taxonomy:
                self.error(row, "taxonomy_term_id", f"{term_given!r}: no such taxonomy term in the file or the "
                                                    "directory")
                continue
            data["taxonomy_term_id"] = term_id
            entity = data["link_entity"]
            if data["link_id"] is None:
                self.error(row, "link_id", "is required")
                continue
            if entity is None:
                entity = next((t for t in OWNER_TABLES if self.exists(t, data["link_id"])), None)
                if entity is None:
                    self.error(row, "link_entity", "is required (link_id matches no organization, service or "
                                                   "location)")
                    continue
                data["link_entity"] = entity
            if entity != "service":
                if entity in OWNER_TABLES:
                    self.require(row, "link_id", entity)
                self.keep_elsewhere(Valid(row.table, row.id, data, row.where))
                continue
            service_id = self.require(row, "link_id", "service")
            if service_id is None:
                continue
            taxonomy = self.term_taxonomy(term_id)
            code = self.terms[term_id]["code"] if term_id in self.terms else self._db_term_code(term_id)
            owner = ("service", service_id)
            if taxonomy == STATUS_TAXONOMY:
                try:
                    status = AdministrativeStatus(code)
                except ValueError:
                    self.error(row, "taxonomy_term_id", f"{code!r} is not an administrative status")
                    continue
                if status not in self.eligibilities[service_id]:
                    self.eligibilities[service_id].append(status)
                derived = m.eligibility_attribute_row(m.status_attribute_id(service_id, status.value),
                                                      service_id, term_id)
                self.owners.keep_fields(owner, "attribute", derived["id"], m.leftover("attribute", data, derived))
            elif taxonomy == GENDER_TAXONOMY:
                try:
                    gender = Gender(code)
                except ValueError:
                    self.error(row, "taxonomy_term_id", f"{code!r} is not a gender of {GENDER_TAXONOMY}")
                    continue
                if self.genders.get(service_id, gender) != gender:
                    self.error(row, "taxonomy_term_id", "the service has another gender attribute")
                    continue
                self.genders[service_id] = gender
                if gender != Gender.any:
                    derived = m.eligibility_attribute_row(m.gender_attribute_id(service_id), service_id, term_id)
                    self.owners.keep_fields(owner, "attribute", derived["id"],
                                            m.leftover("attribute", data, derived))
                else:
                    self.owners.keep_row(owner, "attribute", data)
            elif (service_id, term_id) in pairs:
                self.owners.keep_row(owner, "attribute", data)  # the same term twice: kept as it came
            else:
                pairs.add((service_id, term_id))
                values = {"service_id": service_id, "taxonomy_term_id": term_id, "value": data["value"],
                          "label": data["label"]}
                self.service_terms[row.id] = values
                link_type = m.CATEGORY_LINK_TYPE if taxonomy == NEEDS_TAXONOMY else None
                derived = m.term_attribute_row(SimpleNamespace(id=row.id, **values), link_type)
                self.owners.keep_fields(owner, "attribute", row.id, m.leftover("attribute", data, derived))
        for service_id in self.services:
            self.genders.setdefault(service_id, Gender.any)

    def _db_term_code(self, term_id: str) -> str:
        if self._db_codes is None:
            self._db_codes = {t.id: t.code for t in self.session.scalars(select(TaxonomyTerm))}
        return self._db_codes[term_id]

    def _translations(self) -> None:
        known = {
            EntityType.organization: "organization", EntityType.service: "service", EntityType.location: "location",
            EntityType.required_document: "required_document", EntityType.taxonomy_term: "taxonomy_term",
        }
        for row in self.raw_translations:
            data = dict(row.data)
            entity: EntityType = data["entity"]
            if entity == EntityType.taxonomy_term:
                data["entity_id"] = self.term_remap.get(data["entity_id"], data["entity_id"])
            entity_id = data["entity_id"]
            if entity == EntityType.closure:
                found = entity_id in self.closures or entity_id in self.db["closure"]
            elif entity == EntityType.taxonomy_term:
                found = entity_id in self.terms or entity_id in self.db_term_taxonomy
            else:
                table = known[entity]
                found = (entity_id in self.rows.get(table, {}) or entity_id in self.db.get(table, set()))
            if not found:
                self.report.errors.append(RowProblem(TRANSLATION_TABLE, row.where, entity_id, "entity_id",
                                                     f"no {entity.value} {entity_id!r} in the file or the directory"))
                continue
            key = (entity.value, entity_id, data["field"], data["language"])
            if key in self.translations:
                self.report.warnings.append(RowProblem(TRANSLATION_TABLE, row.where, entity_id, "language",
                                                       "repeats a translation of the same field: kept the first"))
                continue
            self.translations[key] = data


def _date(value: Any) -> Any:
    from datetime import date

    return date.fromisoformat(value) if isinstance(value, str) else value


def _chunks(ids: Iterable[str], size: int = 500) -> Iterable[list[str]]:
    items = sorted(set(ids))
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- writing -----------------------------------------------------------------------------

def _same(old: Any, new: Any) -> bool:
    if isinstance(old, datetime) and isinstance(new, datetime):
        return m.utc(old) == m.utc(new)
    return bool(old == new)


class _Writer:
    def __init__(self, session: Session, plan: _Plan, report: ImportReport, progress: Progress | None) -> None:
        self.session, self.plan, self.report, self.progress = session, plan, report, progress
        self.steps = 8
        self.step = 0
        self.changed_terms: set[str] = set()
        self.changed_services: set[str] = set()

    def tick(self, label: str) -> None:
        self.step += 1
        if self.progress:
            self.progress(label, self.step, self.steps)

    def load(self, model: Any, ids: Iterable[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for chunk in _chunks(ids):
            found.update({row.id: row for row in self.session.scalars(select(model).where(model.id.in_(chunk)))})
        return found

    def upsert(self, model: Any, table: str, wanted: dict[str, dict[str, Any]]) -> set[str]:
        """Create or update the rows of ``wanted``; returns the ids created or changed."""
        existing = self.load(model, wanted)
        changed_ids: set[str] = set()
        for row_id, values in wanted.items():
            row = existing.get(row_id)
            if row is None:
                self.session.add(model(id=row_id, **values))
                self.report.count("created", table)
                changed_ids.add(row_id)
                continue
            changed = False
            for key, value in values.items():
                if not _same(getattr(row, key), value):
                    setattr(row, key, value)
                    changed = True
            if changed:
                self.report.count("updated", table)
                changed_ids.add(row_id)
        return changed_ids

    def remove(self, rows: Iterable[Any], table: str) -> list[str]:
        removed = []
        for row in rows:
            self.session.delete(row)
            removed.append(row.id)
            self.report.count("deleted", table)
            if getattr(row, "service_id", None):
                self.changed_services.add(row.service_id)
        return removed

    def run(self) -> list[str]:
        """Write the plan; returns the ids of the services whose search documents may have changed."""
        plan, session = self.plan, self.session
        with session.no_autoflush:
            self.delete_missing()
        session.flush()
        self.tick("Writing taxonomies")
        self.upsert(Taxonomy, "taxonomy", plan.taxonomies)
        session.flush()
        self.changed_terms |= self.upsert(TaxonomyTerm, "taxonomy_term", plan.terms)
        session.flush()
        self.tick("Writing organizations")
        changed_organizations = self.write_owners(Organization, "organization", plan.organizations)
        session.flush()
        self.tick("Writing locations")
        self.write_owners(Location, "location", plan.locations)
        session.flush()
        self.tick("Writing services")
        for service_id, values in plan.services.items():
            values["gender"] = plan.genders.get(service_id, Gender.any)
        self.changed_services |= self.write_owners(Service, "service", plan.services)
        session.flush()
        self.tick("Writing places, phones and hours")
        for model, table, wanted in (
            (ServiceAtLocation, "service_at_location", plan.sals), (Phone, "phone", plan.phones),
            (Schedule, "schedule", plan.schedules), (Closure, "closure", plan.closures),
            (ServiceLanguage, "service_language", plan.languages),
            (RequiredDocument, "required_document", plan.documents),
            (ServiceTerm, "service_term", plan.service_terms),
        ):
            if table == "service_language":
                session.flush()
                self.tick("Writing languages, documents and categories")
            changed = self.upsert(model, table, wanted)
            self.changed_services.update(wanted[i]["service_id"] for i in changed if wanted[i].get("service_id"))
        self.write_eligibilities()
        session.flush()
        self.tick("Writing translations")
        self.write_translations()
        session.flush()
        for chunk in _chunks(self.changed_terms):
            self.changed_services.update(session.scalars(select(ServiceTerm.service_id).where(
                ServiceTerm.taxonomy_term_id.in_(chunk))))
        for chunk in _chunks(changed_organizations):
            self.changed_services.update(session.scalars(select(Service.id).where(
                Service.organization_id.in_(chunk))))
        return sorted(self.changed_services)

    def write_owners(self, model: Any, table: str, wanted: dict[str, dict[str, Any]]) -> set[str]:
        touched = {owner_id for kind, owner_id in self.plan.owners.touched() if kind == table}
        before = self.load(model, set(wanted) | touched)
        changed: set[str] = set()
        for owner_id in set(wanted) | touched:
            extra = self.plan.owners.extra((table, owner_id), before[owner_id].extra if owner_id in before else None)
            if owner_id in wanted:
                wanted[owner_id]["extra"] = extra
            elif owner_id in before and not _same(before[owner_id].extra, extra):
                before[owner_id].extra = extra
                self.report.count("updated", table)
                changed.add(owner_id)
        return changed | self.upsert(model, table, wanted)

    def delete_missing(self) -> None:
        plan, session = self.plan, self.session
        services = sorted(plan.services)
        locations = sorted(plan.locations)
        organizations = sorted(plan.organizations)
        removed_documents: list[str] = []
        removed_closures: list[str] = []
        for chunk in _chunks(services):
            sals = list(session.scalars(select(ServiceAtLocation).where(ServiceAtLocation.service_id.in_(chunk))))
            sal_ids = [sal.id for sal in sals]
            self.remove((r for r in sals if r.id not in plan.sals), "service_at_location")
            self.remove((r for r in session.scalars(select(Phone).where(Phone.service_id.in_(chunk)))
                         if r.id not in plan.phones), "phone")
            self.remove((r for r in session.scalars(select(Schedule).where(
                Schedule.service_id.in_(chunk) | Schedule.service_at_location_id.in_(sal_ids)))
                if r.id not in plan.schedules), "schedule")
            removed_closures += self.remove((r for r in session.scalars(select(Closure).where(
                Closure.service_id.in_(chunk))) if r.id not in plan.closures), "closure")
            self.remove((r for r in session.scalars(select(ServiceLanguage).where(
                ServiceLanguage.service_id.in_(chunk))) if r.id not in plan.languages), "service_language")
            removed_documents += self.remove((r for r in session.scalars(select(RequiredDocument).where(
                RequiredDocument.service_id.in_(chunk))) if r.id not in plan.documents), "required_document")
            self.remove((r for r in session.scalars(select(ServiceTerm).where(ServiceTerm.service_id.in_(chunk)))
                         if r.id not in plan.service_terms), "service_term")
            for row in session.scalars(select(ServiceEligibility).where(ServiceEligibility.service_id.in_(chunk))):
                if row.status not in plan.eligibilities.get(row.service_id, []):
                    session.delete(row)
                    self.report.count("deleted", "service_eligibility")
                    self.changed_services.add(row.service_id)
        for chunk in _chunks(locations):
            self.remove((r for r in session.scalars(select(Phone).where(
                Phone.location_id.in_(chunk), Phone.service_id.is_(None))) if r.id not in plan.phones), "phone")
            self.remove((r for r in session.scalars(select(Schedule).where(
                Schedule.location_id.in_(chunk), Schedule.service_id.is_(None),
                Schedule.service_at_location_id.is_(None))) if r.id not in plan.schedules), "schedule")
        for chunk in _chunks(organizations):
            self.remove((r for r in session.scalars(select(Phone).where(
                Phone.organization_id.in_(chunk), Phone.service_id.is_(None), Phone.location_id.is_(None)))
                if r.id not in plan.phones), "phone")
        for entity, ids in ((EntityType.required_document, removed_documents), (EntityType.closure, removed_closures)):
            for chunk in _chunks(ids):
                session.execute(delete(Translation).where(Translation.entity == entity,
                                                          Translation.entity_id.in_(chunk)))

    def write_eligibilities(self) -> None:
        held = set()
        for chunk in _chunks(self.plan.eligibilities):
            held |= {(row.service_id, row.status) for row in self.session.scalars(
                select(ServiceEligibility).where(ServiceEligibility.service_id.in_(chunk)))}
        for service_id, statuses in self.plan.eligibilities.items():
            for status in statuses:
                if (service_id, status) not in held:
                    self.session.add(ServiceEligibility(service_id=service_id, status=status))
                    self.report.count("created", "service_eligibility")
                    self.changed_services.add(service_id)

    def write_translations(self) -> None:
        wanted = self.plan.translations
        held: dict[tuple[str, str, str, str], Translation] = {}
        for chunk in _chunks({key[1] for key in wanted}):
            for row in self.session.scalars(select(Translation).where(Translation.entity_id.in_(chunk))):
                held[(m.plain(row.entity), row.entity_id, row.field, row.language)] = row
        for key, data in wanted.items():
            values = {"text": data["text"], "origin": data["origin"], "status": data["status"]}
            if data["updated_at"] is not None:
                values["updated_at"] = data["updated_at"]
            row = held.get(key)
            if row is None:
                self.session.add(Translation(entity=data["entity"], entity_id=data["entity_id"], field=data["field"],
                                             language=data["language"], **values))
                self.report.count("created", "translation")
                if data["entity"] == EntityType.taxonomy_term:
                    self.changed_terms.add(data["entity_id"])
                elif data["entity"] == EntityType.service:
                    self.changed_services.add(data["entity_id"])
                continue
            changed = False
            for field, value in values.items():
                if not _same(getattr(row, field), value):
                    setattr(row, field, value)
                    changed = changed or field != "updated_at"
            if changed:
                self.report.count("updated", "translation")
                if data["entity"] == EntityType.taxonomy_term:
                    self.changed_terms.add(data["entity_id"])
                elif data["entity"] == EntityType.service:
                    self.changed_services.add(data["entity_id"])


def _run(session: Session, rows: list[Incoming], errors: list[RowProblem], warnings: list[RowProblem],
         progress: Progress | None) -> ImportReport:
    report = ImportReport(errors=list(errors), warnings=list(warnings))
    if progress:
        progress("Checking rows", 0, 2)
    valid, translations = _validate(rows, report)
    if report.errors:
        raise HsdsImportError(report)
    plan = _Plan(session, valid, translations, report)
    with session.no_autoflush:
        plan.run()
    if report.errors:
        raise HsdsImportError(report)
    if progress:
        progress("Checking rows", 2, 2)
    try:
        with acting_as(ACTOR), session.begin_nested():
            writer = _Writer(session, plan, report, progress)
            changed = writer.run()
            if changed:
                from directory.services.indexing import reindex_services

                reindex_services(session, changed)
            writer.tick("Indexed for search")
    except SQLAlchemyError as error:
        message = str(getattr(error, "orig", None) or error).splitlines()[0]
        report.errors.append(RowProblem("database", "database", None, None, f"refused the import: {message}"))
        raise HsdsImportError(report) from error
    report.service_ids = sorted(plan.services)
    return report
