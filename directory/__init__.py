"""The municipal service directory: the system of record the assistant answers from.

Map of the package:
    settings     one validated Settings object per runtime
    db           engine and session factory (SQLite by default, PostgreSQL to scale out)
    models/      SQLAlchemy 2 tables (HSDS-aligned, our own clean model)
    schemas/     pydantic models of the HTTP API
    services/    the logic: search, localization, municipalities, taxonomy, audit, ...
    text/        normalization and lemmatization for multilingual search
    hsds/        HSDS 3.0 import and export (JSON and CSV datapackage)
    sample/      the sample directory (flagged as sample data everywhere)
    routers/     thin FastAPI routers under /api/v1
    cli          thin Typer shell: migrate, load-sample, import-hsds, export-hsds, serve
"""
