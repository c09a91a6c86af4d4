"""Open Referral HSDS 3.0 import and export, at the edges of our own model.

- :func:`export_json` / :func:`export_datapackage`: the directory (or one municipality)
  as one JSON document of nested HSDS services, or as the CSV datapackage.
- :func:`import_path` / :func:`import_json`: our exports, another publisher's services
  (nested or flat), or a datapackage folder or zip; all or nothing, with a row-level
  :class:`ImportReport`, raising :class:`HsdsImportError` when anything is wrong.

Modules: ``spec`` (HSDS 3.0 tables and nesting), ``mapping`` (our records as HSDS rows),
``nesting`` (nested <-> flat), ``datapackage`` (CSV files), ``schema`` (validation),
``export`` and ``importer``.
"""

from directory.hsds.export import export_datapackage, export_json
from directory.hsds.importer import import_json, import_path
from directory.hsds.report import HsdsExportError, HsdsImportError, ImportReport, RowProblem
from directory.hsds.spec import HSDS_VERSION

__all__ = [
    "HSDS_VERSION", "HsdsExportError", "HsdsImportError", "ImportReport", "RowProblem", "export_datapackage",
    "export_json", "import_json", "import_path",
]
