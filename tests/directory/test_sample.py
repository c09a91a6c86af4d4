"""The sample directory: coverage of every municipality and need, flagged as sample data."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from directory.models import Organization, Service, ServiceTerm, TaxonomyTerm
from directory.sample.loader import SampleDataError, load_sample, read_sample_files
from directory.services.reference import category_codes, municipality_entries

REQUIRED = ("residence.permit", "residence.registration", "housing.emergency", "housing.social",
            "education.language", "education.school", "employment.jobcentre", "employment.training")


def test_every_municipality_has_every_core_need():
    files = {f.municipality: f for f in read_sample_files()}
    assert set(files) == {m["code"] for m in municipality_entries()}
    gaps = [(code, need) for code, f in files.items() for need in REQUIRED
            if not any(need in s.categories for s in f.services)]
    assert gaps == []


def test_at_least_150_services_across_every_code():
    services = [s for f in read_sample_files() for s in f.services]
    assert len(services) >= 150
    used = Counter(code for s in services for code in s.categories)
    assert set(used) == set(category_codes())


def test_loaded_sample_is_flagged(sample_session):
    assert sample_session.scalar(select(func.count(Service.id))) >= 150
    assert sample_session.scalar(select(func.count(Service.id)).where(Service.is_sample.is_(False))) == 0
    assert sample_session.scalar(select(func.count(Organization.id)).where(Organization.is_sample.is_(False))) == 0
    milan_courses = sample_session.scalar(
        select(func.count(Service.id)).join(ServiceTerm).join(TaxonomyTerm)
        .where(Service.municipality_code == "milan", TaxonomyTerm.code == "education.language"))
    assert milan_courses >= 2


def test_reloading_replaces_the_sample(sample_session):
    before = sample_session.scalar(select(func.count(Service.id)))
    load_sample(sample_session)
    sample_session.flush()
    assert sample_session.scalar(select(func.count(Service.id))) == before


def test_a_bad_sample_file_names_the_field_and_changes_nothing(sample_session, tmp_path: Path):
    source = Path(__file__).resolve().parents[2] / "directory" / "sample" / "data" / "milan.yml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["services"][0]["hours"] = {"mo": "9 to 5"}
    (tmp_path / "milan.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = sample_session.scalar(select(func.count(Service.id)))
    with pytest.raises(SampleDataError, match=r"milan\.yml: services\.0\.hours"):
        load_sample(sample_session, data_dir=tmp_path)
    assert sample_session.scalar(select(func.count(Service.id))) == before
