"""Nested HSDS objects <-> flat HSDS tables, by the relations of :mod:`directory.hsds.spec`.

``nest`` builds the HSDS "service" objects of the API (service -> organization,
service_at_locations -> location -> addresses, ...), omitting in each nested row the
field that points to its parent (the nesting says it). Rows no service reaches are
returned apart, to be listed at the top level. ``flatten`` does the reverse and puts the
parent's id back; a row met several times (an organization under each of its services)
is one row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from directory.hsds.report import RowProblem
from directory.hsds.spec import CHILDREN, EXPORT_SKIP, ONE, TABLE_ORDER, Child

Tables = dict[str, list[dict[str, Any]]]
# Parents before children, so a row nested under a top-level parent is not listed again.
TOP_LEVEL_ORDER = (
    "organization", "program", "location", "service_at_location", "contact", "phone", "address", "accessibility",
    "schedule", "funding", "service_area", "required_document", "language", "cost_option",
    "organization_identifier", "meta_table_description", "attribute", "metadata",
)
ALWAYS_FLAT = ("taxonomy", "taxonomy_term")


def _key(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


class _Index:
    def __init__(self, tables: Tables) -> None:
        self.by_id: dict[str, dict[str, dict[str, Any]]] = {
            table: {str(row["id"]): row for row in rows} for table, rows in tables.items()
        }
        self.children: dict[tuple[str, str, str | None], dict[str, list[dict[str, Any]]]] = defaultdict(
            lambda: defaultdict(list))
        for table, rows in tables.items():
            for child in {(c.table, c.fk, c.kind) for cs in CHILDREN.values() for c in cs if c.table == table}:
                _, fk, kind = child
                for row in rows:
                    parent = _key(row.get(fk))
                    if parent is not None:
                        self.children[(table, fk, row.get(kind) if kind else None)][parent].append(row)

    def of(self, child: Child, parent_table: str, parent_id: str) -> list[dict[str, Any]]:
        kind_value = parent_table if child.kind else None
        return self.children.get((child.table, child.fk, kind_value), {}).get(parent_id, [])


def nest(tables: Tables) -> tuple[list[dict[str, Any]], Tables]:
    """(nested services, {table: rows no service reaches, nested with their own children})."""
    index = _Index(tables)
    placed: set[tuple[str, str]] = set()

    def build(table: str, row: dict[str, Any], via: Child | None) -> dict[str, Any]:
        row_id = str(row["id"])
        placed.add((table, row_id))
        implied = {via.fk, via.kind} if via else set()
        obj = {key: value for key, value in row.items() if key not in implied}
        for one in ONE.get(table, []):
            target = index.by_id.get(one.table, {}).get(_key(row.get(one.fk)) or "")
            if target is not None:
                obj[one.key] = build(one.table, target, None)
        for child in CHILDREN[table]:
            if (table, child.key) in EXPORT_SKIP:
                continue
            items = index.of(child, table, row_id)
            if items:
                obj[child.key] = [build(child.table, item, child) for item in items]
        return obj

    services = [build("service", row, None) for row in tables.get("service", [])]
    rest: Tables = {}
    for table in TOP_LEVEL_ORDER:
        rows = [row for row in tables.get(table, []) if (table, str(row["id"])) not in placed]
        if rows:
            rest[table] = [build(table, row, None) for row in rows]
    for table in ALWAYS_FLAT:
        rest[table] = list(tables.get(table, []))
    return services, rest


@dataclass
class Incoming:
    """A row read from a file, with where it was found (a JSON path or ``file.csv line N``)."""

    table: str
    data: dict[str, Any]
    where: str
    flat: bool = False  # a table row (CSV): the same id twice is an error, not a repeat


class Flattener:
    """Collects the rows of nested HSDS objects; structural problems go to ``problems``."""

    def __init__(self) -> None:
        self.rows: list[Incoming] = []
        self.problems: list[RowProblem] = []

    def _problem(self, table: str, where: str, row: Any, field: str | None, message: str) -> None:
        self.problems.append(RowProblem(table, where, _key(row), field, message))

    def add(self, table: str, obj: Any, where: str, parent: tuple[Child, str, str] | None = None) -> str | None:
        """Flatten ``obj`` (a ``table`` object) and its nested rows; returns its id."""
        if not isinstance(obj, dict):
            self._problem(table, where, None, None, f"expected an object, found {type(obj).__name__}")
            return None
        children = {child.key: child for child in CHILDREN[table]}
        ones = {one.key: one for one in ONE.get(table, [])}
        row: dict[str, Any] = {}
        nested: list[tuple[Child, list[Any]]] = []
        single: list[tuple[Any, Any]] = []
        for key, value in obj.items():
            if key in children and value is not None:
                if not isinstance(value, list):
                    self._problem(table, where, obj.get("id"), key, "expected a list of objects")
                    continue
                nested.append((children[key], value))
            elif key in ones and value is not None:
                single.append((ones[key], value))
            else:
                row[key] = value
        row_id = _key(row.get("id"))
        if parent is not None:
            child, parent_table, parent_id = parent
            self._link(table, where, row, child.fk, parent_id)
            if child.kind:
                self._link(table, where, row, child.kind, parent_table)
        self.rows.append(Incoming(table, row, where))
        for child, items in nested:
            if row_id is None:
                self._problem(table, where, None, "id", f"is required (the row has nested {child.key})")
                break
            for n, item in enumerate(items):
                self.add(child.table, item, f"{where}.{child.key}[{n}]", (child, table, row_id))
        for one, value in single:
            target_id = self.add(one.table, value, f"{where}.{one.key}")
            if target_id is not None:
                self._link(table, where, row, one.fk, target_id)
        return row_id

    def _link(self, table: str, where: str, row: dict[str, Any], field: str, value: str) -> None:
        given = _key(row.get(field))
        if given is None:
            row[field] = value
        elif given != value:
            self._problem(table, where, row.get("id"), field,
                          f"is {given!r} but the row is nested under {value!r}")


def table_for_key(key: str) -> str | None:
    """The table a top-level list belongs to: ``organizations``, ``organization`` or ``organizations.csv``."""
    from directory.hsds.spec import FILE_STEMS, TRANSLATION_STEM, TRANSLATION_TABLE

    name = key[:-4] if key.endswith(".csv") else key
    if name in TABLE_ORDER or name == TRANSLATION_TABLE:
        return name
    if name == TRANSLATION_STEM:
        return TRANSLATION_TABLE
    for table, stem in FILE_STEMS.items():
        if name == stem:
            return table
    return None
