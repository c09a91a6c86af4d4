"""Reference data: exactly the taxonomy of MISSION.md, labelled in all 12 languages."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, select

from directory.models import NEEDS_TAXONOMY, EntityType, Municipality, Taxonomy, TaxonomyTerm, Translation
from directory.services.reference import category_codes, sync_reference, taxonomy_entries
from directory.settings import SUPPORTED_LANGUAGES

MISSION = Path(__file__).resolve().parents[3] / "shared" / "MISSION.md"


def mission_codes() -> list[str]:
    text = MISSION.read_text(encoding="utf-8")
    section = text.split("## Needs", 1)[1].split("##", 1)[0]
    return re.findall(r"^\| `([a-z]+\.[a-z]+)` \|", section, flags=re.M)


def test_taxonomy_is_exactly_the_mission_codes():
    assert MISSION.exists(), "shared/MISSION.md must sit beside the repository"
    assert list(category_codes()) == mission_codes()


def test_every_label_description_and_keyword_list_exists_in_every_language():
    gaps = [
        (entry["code"], part, language)
        for entry in taxonomy_entries()
        for part in ("labels", "descriptions", "keywords")
        for language in SUPPORTED_LANGUAGES
        if not entry.get(part, {}).get(language)
    ]
    assert gaps == [], f"missing taxonomy text: {gaps}"


def test_rtl_labels_are_in_arabic_script():
    for entry in taxonomy_entries():
        for language in ("ar", "fa"):
            assert re.search(r"[\u0600-\u06ff]", entry["labels"][language]), (entry["code"], language)


def test_sync_reference_is_idempotent(session):
    def counts():
        return (session.scalar(select(func.count(TaxonomyTerm.id))),
                session.scalar(select(func.count(Translation.id))),
                session.scalar(select(func.count(Municipality.code))))

    before = counts()
    sync_reference(session)
    session.flush()
    assert counts() == before
    needs = session.scalar(select(Taxonomy).where(Taxonomy.name == NEEDS_TAXONOMY))
    labels = session.scalar(select(func.count(Translation.id)).where(
        Translation.entity == EntityType.taxonomy_term, Translation.field == "name",
        Translation.entity_id.in_(select(TaxonomyTerm.id).where(TaxonomyTerm.taxonomy_id == needs.id))))
    assert labels == len(category_codes()) * len(SUPPORTED_LANGUAGES)
    assert before[2] == 16
