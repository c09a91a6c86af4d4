"""What an import did, or why it was refused: row-level problems with their place in the file."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowProblem:
    """One problem: ``where`` is a file or a JSON path, ``row`` a line number or an id."""

    table: str
    where: str
    row: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        place = self.where + (f" ({self.table} {self.row})" if self.row else f" ({self.table})")
        return f"{place}: {self.field + ': ' if self.field else ''}{self.message}"


@dataclass
class ImportReport:
    """Counts per table of rows created and updated; warnings never stop an import, errors do."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    service_ids: list[str] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, kind: str, table: str, n: int = 1) -> None:
        counts = getattr(self, kind)
        counts[table] = counts.get(table, 0) + n

    def __str__(self) -> str:
        def part(label: str, counts: dict[str, int]) -> str:
            return f"{label} " + ", ".join(f"{n} {table}" for table, n in sorted(counts.items()) if n)

        kinds = (("created", self.created), ("updated", self.updated), ("deleted", self.deleted))
        parts = [part(label, counts) for label, counts in kinds if any(counts.values())]
        text = "; ".join(parts) or "nothing changed"
        if self.warnings:
            text += f"; {len(self.warnings)} warning(s)"
        return text


class HsdsImportError(ValueError):
    """The file was refused and nothing was written; ``errors`` lists every problem found."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.errors = report.errors
        shown = "; ".join(str(e) for e in report.errors[:5])
        more = f" (and {len(report.errors) - 5} more)" if len(report.errors) > 5 else ""
        super().__init__(f"{len(report.errors)} error(s): {shown}{more}")


class HsdsExportError(ValueError):
    """The export cannot be made (unknown municipality, unsupported target)."""
