"""The service_list payload (the contract of ARCHITECTURE.md) and its text summary."""

from __future__ import annotations

from actions.presentation import PDI, service_list_payload, summary_text
from tests.actions.conftest import make_service

CONTRACT = {"id", "name", "categories", "municipality", "address", "phone", "opening_hours", "languages", "url",
            "last_verified"}


def test_payload_follows_the_contract():
    payload = service_list_payload([make_service("s1", "education.language", "milan")], "ar", total=3, offset=0)
    assert payload["type"] == "service_list" and payload["language"] == "ar" and payload["total"] == 3
    card = payload["services"][0]
    assert CONTRACT <= set(card)
    assert card["categories"] == ["education.language"] and card["municipality"] == "milan"
    assert card["is_sample"] is True and card["machine_translated"] is False


def test_machine_translation_is_flagged():
    item = make_service("s1", "health.care", "milan",
                        field_sources={"description": {"language": "ar", "origin": "machine"}})
    assert service_list_payload([item], "ar", 1, 0)["services"][0]["machine_translated"] is True


def test_summary_lists_each_service_and_the_sample_notice():
    items = [make_service("a", "health.care", "milan"), make_service("b", "health.care", "milan", status="temporarily closed")]
    text = summary_text(items, {"label_today": "Oggi", "label_sample_data": "Dati di esempio",
                                "label_temporarily_closed": "chiuso"}, "it", start=6)
    lines = text.splitlines()
    assert lines[0].startswith("6. Service a") and "Oggi: 09:00–12:00" in lines[0]
    assert lines[1].startswith("7. Service b") and "chiuso" in lines[1]
    assert lines[-1] == "(Dati di esempio)"


def test_phone_numbers_are_isolated_in_right_to_left_text():
    text = summary_text([make_service("a", "health.care", "milan")], {}, "ar")
    assert f"+39 02 1234{PDI}" in text
