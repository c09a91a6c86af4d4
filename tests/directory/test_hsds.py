"""HSDS 3.0 import and export: lossless round trips, other publishers' files, refusals that change nothing."""

from __future__ import annotations

import copy
import csv
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from directory.hsds import (
    HsdsExportError, HsdsImportError, ImportReport, export_datapackage, export_json, import_json, import_path,
)
from directory.models import (
    AuditEntry, Base, EntityType, Location, Organization, Phone, Schedule, SearchDocument, Service, ServiceLanguage,
    ServiceTerm, Taxonomy, TaxonomyTerm, Translation,
)
from directory.services.translations import set_translation

DATA = Path(__file__).parent / "data" / "hsds"
OTHER = DATA / "other_publisher.json"
OTHER_CSV = DATA / "other_publisher_csv"
LEGAL = "b1000000-0000-4000-8000-000000000001"
COURSE = "b1000000-0000-4000-8000-000000000002"
ORG = "a1000000-0000-4000-8000-000000000001"


def _counts(session) -> dict[str, int]:
    session.flush()
    return {table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables}


def _other() -> list[dict[str, Any]]:
    return json.loads(OTHER.read_text(encoding="utf-8"))


def _errors(excinfo: pytest.ExceptionInfo[HsdsImportError]) -> list[tuple[str, str | None, str | None]]:
    return [(e.table, e.row, e.field) for e in excinfo.value.errors]


def _contains(exported: Any, original: Any, where: str = "", nested: bool = False) -> None:
    """Everything ``original`` says is in ``exported``, unchanged (lists of rows matched by id).

    ``last_modified`` is a timestamp we hold: it comes back as the same instant, in UTC.
    A nested attribute's link to its parent is said by the nesting, not repeated.
    """
    if isinstance(original, dict):
        assert isinstance(exported, dict), where
        for key, value in original.items():
            if nested and key in ("link_entity", "link_id") and key not in exported:
                continue
            if key == "last_modified":
                assert datetime.fromisoformat(exported[key]) == datetime.fromisoformat(value), where
            elif value is not None:
                assert key in exported, f"{where}.{key} missing"
                _contains(exported[key], value, f"{where}.{key}")
    elif isinstance(original, list) and all(isinstance(item, dict) and "id" in item for item in original):
        by_id = {item["id"]: item for item in exported}
        for item in original:
            assert item["id"] in by_id, f"{where}: row {item['id']} missing"
            _contains(by_id[item["id"]], item, f"{where}[{item['id']}]", nested=True)
    else:
        assert exported == original, where


def _sample_records(document: dict[str, Any]) -> list[dict[str, Any]]:
    records = []
    for service in document["contents"]:
        records += [service, service["organization"]]
        records += [sal["location"] for sal in service.get("service_at_locations", [])]
    return records + document.get("organizations", []) + document.get("locations", [])


# --- our own directory: lossless round trips -------------------------------------------------

def test_json_round_trip_of_the_sample_directory_is_lossless(sample_session, session):
    first = export_json(sample_session)
    services = sample_session.scalar(select(func.count()).select_from(Service))
    assert first["total_items"] == len(first["contents"]) == services
    steps: list[tuple[str, int, int]] = []

    report = import_json(session, json.loads(json.dumps(first)), progress=lambda *step: steps.append(step))

    assert report.ok and report.created["service"] == services and not report.warnings
    assert sorted(report.service_ids) == sorted(s["id"] for s in first["contents"])
    assert steps and all(done <= total for _label, done, total in steps)
    assert export_json(session) == first
    indexed = session.scalar(select(func.count()).select_from(SearchDocument))
    assert indexed == services


def test_datapackage_round_trip_is_lossless(sample_session, session, tmp_path):
    first = export_datapackage(sample_session, tmp_path / "first.zip")

    import_path(session, first)

    second = export_datapackage(session, tmp_path / "second.zip")
    assert second.read_bytes() == first.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = set(archive.namelist())
        descriptor = json.loads(archive.read("datapackage.json"))
    assert {"organizations.csv", "services.csv", "locations.csv", "addresses.csv", "service_at_location.csv",
            "phones.csv", "schedules.csv", "languages.csv", "required_documents.csv", "taxonomies.csv",
            "taxonomy_terms.csv", "attributes.csv", "accessibility.csv", "x_translations.csv",
            "datapackage.json"} <= names
    assert {r["path"] for r in descriptor["resources"]} == names - {"datapackage.json"}


def test_reimporting_an_export_changes_nothing(sample_session):
    document = export_json(sample_session)
    before = _counts(sample_session)

    report = import_json(sample_session, document)

    assert str(report) == "nothing changed"
    assert _counts(sample_session) == before
    assert export_json(sample_session) == document


def test_every_sample_record_carries_its_sample_flag(sample_session, tmp_path):
    document = export_json(sample_session)
    assert document["x_contains_sample_data"] is True and "not verified" in document["x_notice"]
    records = _sample_records(document)
    assert records and all(record["x_is_sample"] is True for record in records)

    folder = export_datapackage(sample_session, tmp_path / "package")
    for name in ("organizations.csv", "services.csv", "locations.csv"):
        rows = list(csv.DictReader(io.StringIO((folder / name).read_text(encoding="utf-8"))))
        assert rows and {row["x_is_sample"] for row in rows} == {"true"}, name
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["x_contains_sample_data"] is True


def test_export_of_one_municipality(sample_session, session):
    document = export_json(sample_session, municipality="milan")
    in_milan = sample_session.scalar(select(func.count()).select_from(Service).where(
        Service.municipality_code == "milan"))
    assert document["x_municipality"] == "milan"
    assert len(document["contents"]) == in_milan > 0
    assert {s["x_municipality_code"] for s in document["contents"]} == {"milan"}

    import_json(session, document)

    assert export_json(session, municipality="milan") == document
    with pytest.raises(HsdsExportError):
        export_json(sample_session, municipality="atlantis")


# --- another publisher's files ------------------------------------------------------------

def test_another_publishers_services_import_and_keep_what_we_do_not_model(session):
    report = import_path(session, OTHER)

    assert report.created["service"] == 2 and report.created["taxonomy"] == 1
    taxonomy = session.scalar(select(Taxonomy).where(Taxonomy.name == "openeligibility"))
    assert taxonomy is not None and taxonomy.uri == "https://openeligibility.org"
    terms = {t.code: t for t in session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == taxonomy.id))}
    assert set(terms) == {"immigration-status", "legal", "education"}
    assert terms["education"].parent_id == terms["legal"].id
    tagged = {(st.service_id, st.taxonomy_term_id) for st in session.scalars(select(ServiceTerm))}
    assert tagged == {(LEGAL, terms["immigration-status"].id), (LEGAL, terms["legal"].id),
                      (COURSE, terms["education"].id)}

    legal, course = session.get(Service, LEGAL), session.get(Service, COURSE)
    assert legal.extra["fees"] == "None" and legal.extra["x_publisher_rating"] == 4
    assert session.get(Organization, ORG).extra["tax_status"] == "non-profit"
    assert legal.municipality_code == "milan"  # from the location's city, "Milano"
    assert course.municipality_code is None and course.status.value == "active"
    location = session.get(Location, "c1000000-0000-4000-8000-000000000001")
    assert (location.city, location.address_1, location.municipality_code) == ("Milano", "Via Esempio 7/A", "milan")
    assert location.accessibility == "Step-free entrance from the courtyard."
    languages = {lang.name: lang.code for lang in session.scalars(select(ServiceLanguage).where(
        ServiceLanguage.service_id == LEGAL))}
    assert languages == {"Spanish": "es", "Italian": "it"}
    actors = set(session.scalars(select(AuditEntry.actor).where(AuditEntry.entity_id == LEGAL)))
    assert actors == {"hsds-import"}
    assert session.scalar(select(SearchDocument).where(SearchDocument.service_id == LEGAL)) is not None

    document = export_json(session)
    exported = {service["id"]: service for service in document["contents"]}
    for original in _other():
        _contains(exported[original["id"]], original, original["id"])
    assert "openeligibility" in {t["name"] for t in document["taxonomies"]}


def test_another_publishers_data_round_trips_once_imported(session, tmp_path):
    import_path(session, OTHER)
    document = export_json(session)

    assert str(import_json(session, copy.deepcopy(document))) == "nothing changed"
    assert export_json(session) == document
    folder = export_datapackage(session, tmp_path / "package")
    assert str(import_path(session, folder)) == "nothing changed"
    assert export_json(session) == document


def test_an_edit_made_here_wins_over_what_the_publisher_sent(session):
    import_path(session, OTHER)
    schedule = session.get(Schedule, "d3000000-0000-4000-8000-000000000001")
    assert schedule.closes_at == "12:30"  # the publisher's "12:30:00+01:00" is written back while it holds
    location = session.get(Location, "c1000000-0000-4000-8000-000000000001")
    schedule.closes_at = "13:00"
    location.city = "Milan"

    exported = {s["id"]: s for s in export_json(session)["contents"]}[LEGAL]

    assert exported["schedules"][0]["closes_at"] == "13:00"
    assert exported["schedules"][0]["opens_at"] == "09:30:00"
    address = exported["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["id"], address["city"], address["attention"]) == (
        "c3000000-0000-4000-8000-000000000001", "Milan", "Sportello legale")


def test_csv_files_of_another_publisher_without_a_descriptor(session):
    report = import_path(session, OTHER_CSV)

    assert report.created["service"] == 1
    service = session.get(Service, "b2000000-0000-4000-8000-000000000001")
    assert service.description == 'Housing advice; "walk in" on Tuesdays.'
    assert service.minimum_age == 18 and str(service.last_verified) == "2024-05-02"
    assert service.extra["x_source_system"] == "legacy-crm"
    assert service.municipality_code == "naples"
    organization = session.get(Organization, "a2000000-0000-4000-8000-000000000001")
    assert organization.name == "Cooperativa Esempio, Napoli"
    assert organization.extra == {"tax_status": "non-profit", "x_founded": "1999"}
    term = session.get(TaxonomyTerm, "f4000000-0000-4000-8000-000000000001")
    assert session.get(Taxonomy, term.taxonomy_id).name == "openeligibility"
    assert [st.taxonomy_term_id for st in service.terms] == [term.id]
    (exported,) = export_json(session)["contents"]
    assert exported["attributes"][0]["link_type"] == "service_type"
    assert exported["x_source_system"] == "legacy-crm"


def test_flat_tables_in_json(session):
    tables = {
        "organization": [{"id": "a3000000-0000-4000-8000-000000000001", "name": "Flat Org", "description": "x"}],
        "services.csv": [{"id": "b3000000-0000-4000-8000-000000000001", "name": "Flat service",
                          "organization_id": "a3000000-0000-4000-8000-000000000001", "status": "inactive"}],
        "taxonomy": [{"id": "f6000000-0000-4000-8000-000000000001", "name": "flat-tax", "description": "t"}],
        "taxonomy_term": [{"id": "f7000000-0000-4000-8000-000000000001", "name": "Term",
                           "taxonomy_id": "f6000000-0000-4000-8000-000000000001"}],
        "attribute": [{"id": "f8000000-0000-4000-8000-000000000001", "link_entity": "service",
                       "link_id": "b3000000-0000-4000-8000-000000000001",
                       "taxonomy_term_id": "f7000000-0000-4000-8000-000000000001"}],
    }
    import_json(session, tables)

    service = session.get(Service, "b3000000-0000-4000-8000-000000000001")
    assert service.status.value == "inactive"
    assert [st.term.code for st in service.terms] == ["f7000000-0000-4000-8000-000000000001"]


def test_known_taxonomy_names_and_codes_are_taken_as_held(session):
    services = _other()[:1]
    services[0]["attributes"] = [{
        "id": "f1000000-0000-4000-8000-000000000009",
        "taxonomy_term": {"id": "f2000000-0000-4000-8000-000000000009", "code": "legal.aid", "name": "Legal aid",
                          "description": "d", "taxonomy_detail": {
                              "id": "f3000000-0000-4000-8000-000000000009", "name": "admin4all-needs",
                              "description": "ours, under another id"}},
    }]
    report = import_json(session, services)

    ours = session.scalar(select(TaxonomyTerm).join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id).where(
        Taxonomy.name == "admin4all-needs", TaxonomyTerm.code == "legal.aid"))
    assert [st.taxonomy_term_id for st in session.get(Service, LEGAL).terms] == [ours.id]
    assert session.get(TaxonomyTerm, "f2000000-0000-4000-8000-000000000009") is None
    assert {w.table for w in report.warnings} == {"taxonomy", "taxonomy_term"}


def test_reimport_updates_and_removes_what_the_file_no_longer_lists(session):
    import_path(session, OTHER)
    set_translation(session, EntityType.service, LEGAL, "name", "en", "Legal help desk for migrants")
    services = _other()
    services[0]["name"] = "Sportello legale"
    services[0]["phones"] = []

    report = import_json(session, services)

    assert report.updated["service"] == 1 and report.deleted["phone"] == 1
    assert session.get(Service, LEGAL).name == "Sportello legale"
    assert session.get(Phone, "d1000000-0000-4000-8000-000000000001") is None
    kept = session.scalar(select(Translation).where(Translation.entity_id == LEGAL))
    assert kept.text == "Legal help desk for migrants"


# --- refusals: every problem reported, nothing written ----------------------------------

def _broken(case: str) -> list[dict[str, Any]]:
    services = _other()
    legal, course = services
    if case == "no name":
        del course["name"]
    elif case == "bad date":
        legal["assured_date"] = "2024-02-30"
    elif case == "missing term":
        course["attributes"] = [{"id": "f1000000-0000-4000-8000-000000000003", "link_entity": "service",
                                 "taxonomy_term_id": "f2000000-0000-4000-8000-000000000099"}]
    elif case == "unknown municipality":
        legal["x_municipality_code"] = "atlantis"
    elif case == "too long":
        legal["organization"]["name"] = "x" * 501
    elif case == "nul":
        legal["description"] = "before\x00after"
    elif case == "no organization":
        del course["organization_id"]
    elif case == "bad status":
        course["status"] = "open"
    elif case == "closure without dates":
        legal["schedules"].append({"id": "d3000000-0000-4000-8000-000000000002",
                                   "notes": "Temporarily closed [admin4all:closure]"})
    return services


@pytest.mark.parametrize(("case", "expected"), [
    ("no name", ("service", COURSE, "name")),
    ("bad date", ("service", LEGAL, "assured_date")),
    ("missing term", ("attribute", "f1000000-0000-4000-8000-000000000003", "taxonomy_term_id")),
    ("unknown municipality", ("service", LEGAL, "x_municipality_code")),
    ("too long", ("organization", ORG, "name")),
    ("nul", ("service", LEGAL, "description")),
    ("no organization", ("service", COURSE, "organization_id")),
    ("bad status", ("service", COURSE, "status")),
    ("closure without dates", ("schedule", "d3000000-0000-4000-8000-000000000002", "valid_from")),
])
def test_a_malformed_row_is_reported_and_nothing_is_written(session, case, expected):
    before = _counts(session)
    with pytest.raises(HsdsImportError) as excinfo:
        import_json(session, _broken(case))
    assert expected in _errors(excinfo)
    assert all(str(e).startswith("document[") for e in excinfo.value.errors)
    assert _counts(session) == before


def test_every_problem_is_reported_at_once(session):
    services = _other()
    del services[1]["name"]
    services[0]["assured_date"] = "yesterday"
    services[0]["phones"][0]["number"] = ""
    with pytest.raises(HsdsImportError) as excinfo:
        import_json(session, services)
    assert {field for _table, _row, field in _errors(excinfo)} == {"name", "assured_date", "number"}
    assert isinstance(excinfo.value.report, ImportReport) and not excinfo.value.report.ok


def test_invalid_json_is_reported_with_its_line(session, tmp_path):
    before = _counts(session)
    bad = tmp_path / "bad.json"
    bad.write_text('{"contents": [\n  {"id": "x",\n', encoding="utf-8")
    with pytest.raises(HsdsImportError) as excinfo:
        import_path(session, bad)
    (problem,) = excinfo.value.errors
    assert problem.where == "bad.json" and "invalid JSON" in problem.message and "line 3" in problem.message
    with pytest.raises(HsdsImportError):
        import_json(session, '"just a string"')
    assert _counts(session) == before


@pytest.mark.parametrize(("content", "message"), [
    ('id,name,organization_id\n"b9,unclosed,a1\n', "broken CSV"),
    ("id,name,organization_id\nb9,Name,a1,extra\n", "4 fields where the header has 3"),
    ("id,name,name\nb9,a,b\n", "repeated columns"),
])
def test_a_broken_csv_is_reported_with_file_and_line(session, tmp_path, content, message):
    import shutil

    before = _counts(session)
    folder = tmp_path / "package"
    shutil.copytree(OTHER_CSV, folder)
    (folder / "services.csv").write_text(content, encoding="utf-8")
    with pytest.raises(HsdsImportError) as excinfo:
        import_path(session, folder)
    assert any(e.where == "services.csv" and message in e.message and (e.row or "").startswith("line")
               for e in excinfo.value.errors), excinfo.value.errors
    assert _counts(session) == before


def test_a_file_that_is_not_a_zip_is_refused(session, tmp_path):
    fake = tmp_path / "package.zip"
    fake.write_bytes(b"not a zip")
    with pytest.raises(HsdsImportError) as excinfo:
        import_path(session, fake)
    assert "cannot open" in excinfo.value.errors[0].message


def test_a_datapackage_path_outside_the_package_is_refused(session, tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("datapackage.json", json.dumps({"resources": [{"name": "service", "path": "../etc/passwd"}]}))
    with pytest.raises(HsdsImportError) as excinfo:
        import_path(session, archive)
    assert excinfo.value.errors[0].field == "path"


def test_a_database_error_while_writing_rolls_everything_back(session, monkeypatch):
    import directory.services.indexing as indexing

    def fail(_session, _ids=None):
        raise OperationalError("reindex", {}, Exception("disk full"))

    monkeypatch.setattr(indexing, "reindex_services", fail)
    before = _counts(session)
    with pytest.raises(HsdsImportError) as excinfo:
        import_path(session, OTHER)
    assert "disk full" in excinfo.value.errors[-1].message
    assert _counts(session) == before


# --- hostile text ---------------------------------------------------------------------------

HOSTILE = {
    "name": "<script>alert(\"x\")</script> 'single' \"double\" `back` =1+1, ;DROP TABLE service;--",
    "alternate_name": "مرحبا Привіт 你好 🇺🇦 👩🏽‍⚕️ e\u0301 \u202eRTL\u202c \u2028sep\u2029 \ufeffbom",
    "description": ("Ω≈ç√∫ " * 1667)[:10_000],
    "application_process": "line 1\r\nline 2\rline 3\n\ttabbed, \"quoted\"\n",
    "fees_description": "   leading and trailing spaces   ",
}


def test_oversized_and_hostile_strings_are_stored_and_exported_unchanged(session, tmp_path):
    services = _other()
    services[0].update(HOSTILE)
    services[0]["organization"]["description"] = "<img src=x onerror=alert(1)>" + "é" * 10_000
    services[0]["phones"][0]["description"] = '="=HYPERLINK(""http://evil"")"'
    services[1]["description"] = ""

    import_json(session, json.dumps(services, ensure_ascii=False).encode("utf-8"))

    service = session.get(Service, LEGAL)
    for field, value in HOSTILE.items():
        assert getattr(service, field) == value, field
    exported = {s["id"]: s for s in export_json(session)["contents"]}
    _contains(exported[LEGAL], services[0])
    assert exported[COURSE]["description"] == ""  # JSON keeps an empty text apart from null
    folder = export_datapackage(session, tmp_path / "package")
    report = import_path(session, folder)
    assert report.updated == {"service": 1}  # CSV cannot: an empty cell is null (Table Schema)
    assert session.get(Service, COURSE).description is None
    rows = {row["id"]: row for row in csv.DictReader(
        io.StringIO((folder / "services.csv").read_bytes().decode("utf-8"), newline=""))}
    for field, value in HOSTILE.items():
        assert rows[LEGAL][field] == value, field
