"""The HSDS CSV datapackage: one CSV per table and a ``datapackage.json``, in a folder or a zip.

Writing is deterministic (sorted rows, fixed zip timestamps), so two exports of the same
directory are byte for byte equal. Cells: empty for null, ``true``/``false``, numbers as
Python writes them (floats round-trip exactly), lists and objects kept by a publisher as JSON;
``datapackage.json`` gives the type of a publisher's own columns (integer, number, boolean,
array, object), so they read back as they were.
Reading takes the file names from ``datapackage.json`` when there is one, else the HSDS
file names (``organizations.csv``) or the table names (``organization.csv``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from directory.hsds.nesting import Incoming, Tables, table_for_key
from directory.hsds.report import HsdsExportError, RowProblem
from directory.hsds.spec import (
    EXTENSIONS, FILE_STEMS, HSDS_VERSION, TABLE_ORDER, TABLES, TRANSLATION_FIELDS, TRANSLATION_STEM,
    TRANSLATION_TABLE, field_names,
)

DESCRIPTOR = "datapackage.json"
CORE_TABLES = (
    "organization", "service", "location", "address", "accessibility", "service_at_location", "phone", "schedule",
    "language", "required_document", "taxonomy", "taxonomy_term", "attribute",
)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_INTEGER = re.compile(r"^[+-]?\d+$")


# --- writing -----------------------------------------------------------------------------

def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _kind(values: list[Any]) -> str:
    """The Table Schema type of a publisher's column, so its values read back as they were."""
    present = [value for value in values if value is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "integer"
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "number"
    if present and all(isinstance(v, list) for v in present):
        return "array"
    if present and all(isinstance(v, dict) for v in present):
        return "object"
    return "string"


def _columns(table: str, rows: list[dict[str, Any]]) -> list[str]:
    known = field_names(table) if table != TRANSLATION_TABLE else [f for f, _t, _f in TRANSLATION_FIELDS]
    others = sorted({key for row in rows for key in row} - set(known))
    return known + others


def _csv_text(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def _field(name: str, type_: str, format_: str = "", description: str = "") -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": type_}
    if format_:
        field["format"] = format_
    if description:
        field["description"] = description
    return field


def _foreign_keys(table: str, present: set[str]) -> list[dict[str, Any]]:
    keys = []
    for name, _type, _format in TABLES[table]:
        target = name[:-3] if name.endswith("_id") else None
        if name == "parent_organization_id":
            target = "organization"
        if target in present and target != table:
            keys.append({"fields": name, "reference": {"resource": target, "fields": "id"}})
    return keys


def _resource(table: str, rows: list[dict[str, Any]], columns: list[str], present: set[str]) -> dict[str, Any]:
    if table == TRANSLATION_TABLE:
        fields = [_field(*spec) for spec in TRANSLATION_FIELDS]
        schema: dict[str, Any] = {"fields": fields}
        path = f"{TRANSLATION_STEM}.csv"
        description = "Extension: per-field translations (entity, entity_id, field, language) with origin and status"
    else:
        fields = [_field(*spec) for spec in TABLES[table]]
        fields += [_field(name, type_, description=doc) for name, type_, doc in EXTENSIONS.get(table, [])]
        schema = {"fields": fields, "primaryKey": "id"}
        foreign = _foreign_keys(table, present)
        if foreign:
            schema["foreignKeys"] = foreign
        path = f"{FILE_STEMS[table]}.csv"
        description = ""
    known = {field["name"] for field in fields}
    schema["fields"] += [_field(name, _kind([row.get(name) for row in rows]),
                                description="a publisher's field, kept as it came")
                         for name in columns if name not in known]
    resource = {"name": table, "path": path, "profile": "tabular-data-resource", "format": "csv",
                "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}
    if description:
        resource["description"] = description
    return resource


def datapackage_files(tables: Tables, translations: list[dict[str, Any]],
                      meta: dict[str, Any]) -> dict[str, str]:
    """{file name: text} of the whole package."""
    files: dict[str, str] = {}
    resources = []
    wanted = [t for t in TABLE_ORDER if t in CORE_TABLES or tables.get(t)]
    for table in [*wanted, TRANSLATION_TABLE]:
        rows = translations if table == TRANSLATION_TABLE else tables.get(table, [])
        columns = _columns(table, rows)
        resource = _resource(table, rows, columns, set(wanted))
        resources.append(resource)
        files[resource["path"]] = _csv_text(columns, rows)
    descriptor = {
        "profile": "tabular-data-package",
        "name": "admin4all-directory",
        "title": "ADMin4ALL service directory for migrants, as Open Referral HSDS 3.0",
        "x_hsds_version": HSDS_VERSION,
        **meta,
        "resources": resources,
    }
    files[DESCRIPTOR] = json.dumps(descriptor, ensure_ascii=False, indent=1) + "\n"
    return files


def write_datapackage(target: Path, tables: Tables, translations: list[dict[str, Any]],
                      meta: dict[str, Any]) -> Path:
    files = datapackage_files(tables, translations, meta)
    if target.suffix.lower() == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, files[name].encode("utf-8"))
        return target
    if target.suffix:
        raise HsdsExportError(f"{target}: a datapackage is a folder or a .zip file")
    target.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (target / name).write_bytes(text.encode("utf-8"))
    return target


# --- reading -----------------------------------------------------------------------------

class _Source:
    """The files of a package, from a folder or a zip, relative to the folder of ``datapackage.json``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.archive: zipfile.ZipFile | None = None
        if path.is_dir():
            self.names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())
        else:
            self.archive = zipfile.ZipFile(path)
            self.names = sorted(info.filename for info in self.archive.infolist() if not info.is_dir())
        descriptors = sorted((n for n in self.names if PurePosixPath(n).name == DESCRIPTOR),
                             key=lambda n: n.count("/"))
        csvs = sorted((n for n in self.names if n.lower().endswith(".csv")), key=lambda n: n.count("/"))
        first = descriptors[0] if descriptors else (csvs[0] if csvs else "")
        self.base = str(PurePosixPath(first).parent) if "/" in first else ""

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()

    def local(self, name: str) -> str:
        return f"{self.base}/{name}" if self.base else name

    def has(self, name: str) -> bool:
        return self.local(name) in self.names

    def read(self, name: str) -> bytes:
        full = self.local(name)
        if self.archive is not None:
            return self.archive.read(full)
        return (self.path / full).read_bytes()

    def listing(self) -> list[str]:
        prefix = f"{self.base}/" if self.base else ""
        return [n[len(prefix):] for n in self.names if n.startswith(prefix) and "/" not in n[len(prefix):]]


def _safe_path(value: Any) -> str | None:
    if not isinstance(value, str) or not value or "://" in value or "\\" in value:
        return None
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts:
        return None
    return path.as_posix()


def _declared_types(resource: dict[str, Any]) -> dict[str, str]:
    schema = resource.get("schema")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list):
        return {}
    return {str(f["name"]): str(f.get("type") or "string") for f in fields if isinstance(f, dict) and "name" in f}


def _resources(source: _Source, problems: list[RowProblem], warnings: list[RowProblem],
               types: dict[str, dict[str, str]]) -> dict[str, str]:
    """{table: file name}; ``types`` gets the column types the descriptor declares."""
    found: dict[str, str] = {}
    if source.has(DESCRIPTOR):
        try:
            descriptor = json.loads(source.read(DESCRIPTOR).decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            problems.append(RowProblem("datapackage", DESCRIPTOR, None, None, f"not valid JSON: {error}"))
            return found
        resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
        if not isinstance(resources, list):
            problems.append(RowProblem("datapackage", DESCRIPTOR, None, "resources", "expected a list"))
            return found
        for n, resource in enumerate(resources):
            where = f"{DESCRIPTOR} resources[{n}]"
            if not isinstance(resource, dict):
                problems.append(RowProblem("datapackage", where, None, None, "expected an object"))
                continue
            path = _safe_path(resource.get("path"))
            if path is None:
                problems.append(RowProblem("datapackage", where, None, "path",
                                           "must be a relative file inside the package"))
                continue
            table = table_for_key(str(resource.get("name") or "")) or table_for_key(PurePosixPath(path).name)
            if table is None:
                warnings.append(RowProblem("datapackage", where, None, "name",
                                           f"{resource.get('name')!r} is not an HSDS table: ignored"))
            elif not source.has(path):
                problems.append(RowProblem(table, where, None, "path", f"{path} is missing from the package"))
            else:
                found[table] = path
                types[table] = _declared_types(resource)
        return found
    for name in source.listing():
        if not name.lower().endswith(".csv"):
            continue
        table = table_for_key(name[:-4])
        if table is None:
            warnings.append(RowProblem("datapackage", name, None, None, "not an HSDS table: ignored"))
        elif table in found:
            problems.append(RowProblem(table, name, None, None, f"{found[table]} holds the same table"))
        else:
            found[table] = name
    return found


def _column_types(table: str, declared: dict[str, str]) -> dict[str, str]:
    """HSDS's types for its own columns, the descriptor's for the others."""
    types = dict(declared)
    types.update({name: type_ for name, type_, _ in TABLES.get(table, [])})
    types.update({name: type_ for name, type_, _ in EXTENSIONS.get(table, [])})
    return types


def _typed(type_: str | None, text: str) -> Any:
    """A CSV cell as its column's type; anything odd stays text for validation to judge."""
    if type_ in ("number", "integer"):
        if _INTEGER.match(text):
            return int(text)
        try:
            return float(text)
        except ValueError:
            return text
    if type_ == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if type_ in ("array", "object"):
        try:
            value = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            return text
        return value if isinstance(value, list if type_ == "array" else dict) else text
    return text


def _rows(table: str, name: str, data: bytes, problems: list[RowProblem],
          declared: dict[str, str] | None = None) -> Iterator[Incoming]:
    types = _column_types(table, declared or {})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(RowProblem(table, name, None, None, f"not UTF-8 text ({error.reason} at byte {error.start})"))
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            problems.append(RowProblem(table, name, None, None, "empty file: a header row is required"))
            return
        duplicates = sorted({column for column in header if header.count(column) > 1})
        if duplicates:
            problems.append(RowProblem(table, name, "line 1", None, f"repeated columns: {', '.join(duplicates)}"))
            return
        if "" in header:
            problems.append(RowProblem(table, name, "line 1", None, "a column has no name"))
            return
        for record in reader:
            line = f"line {reader.line_num}"
            if not record:
                continue
            if len(record) != len(header):
                problems.append(RowProblem(table, name, line, None,
                                           f"{len(record)} fields where the header has {len(header)}"))
                continue
            row = {column: _typed(types.get(column), value) for column, value in zip(header, record) if value != ""}
            yield Incoming(table, row, f"{name} {line}", flat=True)
    except csv.Error as error:
        problems.append(RowProblem(table, name, f"line {reader.line_num}", None, f"broken CSV: {error}"))


def read_datapackage(path: Path) -> tuple[list[Incoming], list[RowProblem], list[RowProblem]]:
    """(rows, errors, warnings) of a datapackage folder or zip file."""
    problems: list[RowProblem] = []
    warnings: list[RowProblem] = []
    try:
        source = _Source(path)
    except (zipfile.BadZipFile, OSError) as error:
        return [], [RowProblem("datapackage", path.name, None, None, f"cannot open: {error}")], []
    rows: list[Incoming] = []
    try:
        types: dict[str, dict[str, str]] = {}
        found = _resources(source, problems, warnings, types)
        if not found and not problems:
            problems.append(RowProblem("datapackage", path.name, None, None, "no HSDS table found"))
        order = {table: n for n, table in enumerate([*TABLE_ORDER, TRANSLATION_TABLE])}
        for table, name in sorted(found.items(), key=lambda item: order[item[0]]):
            try:
                data = source.read(name)
            except (KeyError, OSError, zipfile.BadZipFile) as error:
                problems.append(RowProblem(table, name, None, None, f"cannot read: {error}"))
                continue
            rows.extend(_rows(table, name, data, problems, types.get(table)))
    finally:
        source.close()
    return rows, problems, warnings
