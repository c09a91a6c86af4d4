"""Every word the assistant says, in every language; the NLG endpoint Rasa calls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from directory.app import create_app
from directory.nlg import ResponseCatalog, default_catalog
from directory.nlg.catalog import placeholders
from directory.services.formatting import FSI, PDI
from directory.settings import SUPPORTED_LANGUAGES, Settings

ROOT = Path(__file__).resolve().parents[2]
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")


def bot_response_names() -> set[str]:
    """Every utter_* the bot can send: the domain's, the rules' and stories', and the actions'."""
    names: set[str] = set()
    for path in [*ROOT.glob("bot/**/*.yml"), *ROOT.glob("actions/*.py")]:
        names |= set(re.findall(r"\butter_[a-z_]+\b", path.read_text(encoding="utf-8"))) - {"utter_message"}
    return names


def test_no_response_or_label_is_missing_in_any_language():
    assert default_catalog().gaps() == []


def test_every_response_the_bot_uses_is_in_the_catalog():
    assert bot_response_names() - set(default_catalog().responses) == set()


def test_placeholders_are_the_same_in_every_language():
    mismatches = []
    for key, by_language in default_catalog().responses.items():
        expected = placeholders(by_language["en"]["text"])
        mismatches += [(key, lang) for lang, entry in by_language.items() if placeholders(entry["text"]) != expected]
    assert mismatches == []


def test_button_payloads_are_the_same_in_every_language():
    for key, by_language in default_catalog().responses.items():
        payloads = {lang: [b["payload"] for b in entry.get("buttons", [])] for lang, entry in by_language.items()}
        assert len({tuple(p) for p in payloads.values()}) == 1, key


def test_right_to_left_languages_are_written_in_arabic_script():
    for key, by_language in default_catalog().responses.items():
        for language in ("ar", "fa"):
            assert ARABIC_SCRIPT.search(by_language[language]["text"]), (key, language)


def test_emergency_says_112_everywhere():
    for language in SUPPORTED_LANGUAGES:
        assert "112" in default_catalog().render("utter_emergency", language).text


def test_render_fills_placeholders_and_isolates_ltr_fragments_in_rtl():
    rendered = default_catalog().render("utter_directions", "ar",
                                        {"name": "Questura", "address": "Via Montebello 26", "map_url": "https://x"})
    assert f"{FSI}Via Montebello 26{PDI}" in rendered.text and rendered.language == "ar"
    english = default_catalog().render("utter_directions", "en", {"name": "Questura", "address": "Via Montebello 26",
                                                                   "map_url": "https://x"})
    assert "Via Montebello 26" in english.text and FSI not in english.text


def test_missing_language_falls_back_to_english_visibly(tmp_path):
    path = tmp_path / "responses.yml"
    path.write_text(yaml.safe_dump({"responses": {"utter_x": {"en": {"text": "Hi {name}"}}},
                                    "labels": {"label_x": {"en": "X", "it": "X"}}}), encoding="utf-8")
    catalog = ResponseCatalog.from_file(path)
    rendered = catalog.render("utter_x", "uk", {"name": "Olena"})
    assert (rendered.text, rendered.language, rendered.fallback) == ("Hi Olena", "en", True)
    assert ("utter_x", "uk") in catalog.gaps() and ("label_x", "fa") in catalog.gaps()


@pytest.fixture
def client(engine):
    with TestClient(create_app(Settings(), engine=engine)) as client:
        yield client


def test_nlg_endpoint_speaks_the_conversation_language(client):
    body = {"response": "utter_greet", "arguments": {}, "channel": {"name": "rest"},
            "tracker": {"sender_id": "x", "slots": {"language": "uk"}, "latest_message": {"metadata": {}}}}
    reply = client.post("/nlg", json=body).json()
    assert reply["text"] == default_catalog().render("utter_greet", "uk").text
    assert reply["buttons"] and all(b["payload"].startswith("/need_") for b in reply["buttons"])


def test_nlg_endpoint_uses_client_metadata_before_a_slot_exists(client):
    body = {"response": "utter_goodbye", "tracker": {"slots": {"language": None},
                                                      "latest_message": {"metadata": {"language": "fa"}}}}
    assert client.post("/nlg", json=body).json()["text"] == default_catalog().render("utter_goodbye", "fa").text


def test_nlg_endpoint_fills_arguments(client):
    body = {"response": "utter_services_found", "arguments": {"count": 3, "need": "Corsi", "city": "Milano"},
            "tracker": {"slots": {"language": "it"}}}
    text = client.post("/nlg", json=body).json()["text"]
    assert "3" in text and "Milano" in text


def test_nlg_endpoint_unknown_response_is_404(client):
    response = client.post("/nlg", json={"response": "utter_nope", "tracker": {}})
    assert response.status_code == 404 and "utter_nope" in response.json()["detail"]


def test_labels_endpoint(client):
    labels = client.get("/api/v1/labels", params={"lang": "ar"}).json()
    assert set(labels) == set(default_catalog().labels) and ARABIC_SCRIPT.search(labels["label_address"])
