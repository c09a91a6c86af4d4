"""City names in any form resolve to municipality codes."""

from __future__ import annotations

import pytest

from directory.services.municipalities import resolve_municipality
from directory.services.reference import municipality_entries

LANGUAGES = ("en", "it", "de", "pl", "ro", "es", "el", "fr", "ar", "uk", "ru", "fa")


@pytest.mark.parametrize(("text", "code"), [
    ("Milano", "milan"), ("Mailand", "milan"), ("Mediolan", "milan"), ("ميلانو", "milan"), ("Мілан", "milan"),
    ("we Wrocławiu", "wroclaw"), ("w Łodzi", "lodz"), ("у Варшаві", "warsaw"), ("в Кракове", "krakow"),
    ("milno", "milan"), ("Wroclaw", "wroclaw"), ("LODZ", "lodz"), ("Napoli", "naples"), ("Neapel", "naples"),
    ("Firenze", "florence"), ("București", "bucharest"), ("Bucuresti", "bucharest"), ("Cluj", "cluj-napoca"),
    ("cluj-napoca", "cluj-napoca"), ("Tulln an der Donau", "tulln"), ("Bruck an der Leitha", "bruck-an-der-leitha"),
    ("in Poznaniu", "poznan"), ("Varsavia", "warsaw"), ("στη Βαρσοβία", "warsaw"), ("I live in Naples", "naples"),
    ("Krakow", "krakow"), ("Gdańsku", "gdansk"), ("warsaw", "warsaw"), ("poznan", "poznan"),
])
def test_name_forms_resolve(session, text, code):
    resolution = resolve_municipality(session, text)
    assert resolution is not None, text
    assert resolution.code == code
    assert 0 < resolution.confidence <= 1


def test_exact_forms_are_certain_and_typos_are_less_so(session):
    assert resolve_municipality(session, "Mailand").confidence == 1.0
    typo = resolve_municipality(session, "milno")
    assert typo.method == "fuzzy" and typo.confidence < 0.9


@pytest.mark.parametrize("text", ["Paris", "xyz", "the", "12345", "' OR 1=1 --", "😀" * 50])
def test_unknown_places_do_not_resolve_confidently(session, text):
    resolution = resolve_municipality(session, text)
    assert resolution is None or resolution.confidence < 0.7


def test_every_reference_name_resolves_to_its_municipality(session):
    failures = []
    for entry in municipality_entries():
        for language, names in entry["names"].items():
            for name in names:
                found = resolve_municipality(session, name)
                if found is None or found.code != entry["code"]:
                    failures.append((language, name, found.code if found else None))
    assert failures == []


def test_reference_names_exist_in_all_languages():
    missing = [(e["code"], lang) for e in municipality_entries() for lang in LANGUAGES if not e["names"].get(lang)]
    assert missing == []
