"""action_find_services and action_more_services."""

from __future__ import annotations

from actions.services import ActionFindServices, ActionMoreServices, nearest
from tests.actions.conftest import MUNICIPALITIES, make_service, run_action, slots_of


def test_lists_services_as_payload_and_text(make_tracker, client, directory):
    directory.services[("education.language", "milan")] = [make_service(f"s{i}", "education.language", "milan")
                                                           for i in range(7)]
    tracker = make_tracker(slots={"language": "ar", "need": "education.language", "city": "milan"})
    events, messages = run_action(ActionFindServices(), tracker, client)
    assert messages[0]["response"] == "utter_services_found"
    assert (messages[0]["count"], messages[0]["city"]) == (7, "Milan")
    payload = messages[1]["custom"]
    assert payload["type"] == "service_list" and payload["language"] == "ar" and len(payload["services"]) == 5
    assert {s["municipality"] for s in payload["services"]} == {"milan"}
    assert messages[1]["text"].startswith("1. Service s0")
    assert slots_of(events)["results_offset"] == 5.0


def test_asks_for_the_city_with_buttons(make_tracker, client):
    tracker = make_tracker(slots={"language": "en", "need": "housing.emergency"})
    _, messages = run_action(ActionFindServices(), tracker, client)
    assert messages[0]["response"] == "utter_ask_city" and messages[0]["need"] == "label housing.emergency"
    assert [b["title"] for b in messages[0]["buttons"]] == [m["name"] for m in MUNICIPALITIES]
    assert messages[0]["buttons"][2]["payload"] == '/inform{"city": "naples"}'


def test_asks_for_the_need(make_tracker, client):
    _, messages = run_action(ActionFindServices(), make_tracker(slots={"city": "milan"}), client)
    assert [m["response"] for m in messages] == ["utter_ask_need"]


def test_unknown_city_is_said_honestly(make_tracker, client):
    tracker = make_tracker(slots={"need": "housing.emergency", "city_unresolved": "Paris"})
    events, messages = run_action(ActionFindServices(), tracker, client)
    assert messages[0]["response"] == "utter_city_unknown" and messages[0]["city"] == "Paris"
    assert "Milan" in messages[0]["cities"]


def test_no_match_offers_nearby_and_related(make_tracker, client, directory):
    directory.services[("housing.emergency", "florence")] = [make_service("f1", "housing.emergency", "florence")]
    directory.services[("social.benefits", "milan")] = [make_service("m1", "social.benefits", "milan")]
    tracker = make_tracker(slots={"language": "en", "need": "housing.emergency", "city": "milan"})
    events, messages = run_action(ActionFindServices(), tracker, client)
    responses = [m.get("response") for m in messages]
    assert responses[:3] == ["utter_no_services", "utter_alternatives", "utter_alternative_nearby"]
    assert messages[2]["city"] == "Florence"
    assert "utter_alternative_related" in responses
    assert slots_of(events)["shown_services"] == ["f1", "m1"]


def test_no_match_and_no_alternative_points_to_a_person(make_tracker, client):
    tracker = make_tracker(slots={"language": "en", "need": "family.children", "city": "warsaw"})
    _, messages = run_action(ActionFindServices(), tracker, client)
    assert [m["response"] for m in messages] == ["utter_no_services", "utter_handoff_unknown_city"]


def test_outage_gives_a_short_apology(make_tracker, client, directory):
    directory.fail_with = 500
    tracker = make_tracker(slots={"language": "pl", "need": "housing.emergency", "city": "warsaw"})
    events, messages = run_action(ActionFindServices(), tracker, client)
    assert events == [] and [m["response"] for m in messages] == ["utter_directory_unavailable"]


def test_more_results_pages_on(make_tracker, client, directory):
    directory.services[("education.language", "milan")] = [make_service(f"s{i}", "education.language", "milan")
                                                           for i in range(7)]
    tracker = make_tracker(intent="more_results", slots={"need": "education.language", "city": "milan",
                                                         "results_offset": 5.0})
    events, messages = run_action(ActionMoreServices(), tracker, client)
    assert messages[0]["response"] == "utter_more_services" and messages[0]["count"] == 2
    assert [s["id"] for s in messages[1]["custom"]["services"]] == ["s5", "s6"]
    assert messages[1]["text"].startswith("6. ")
    tracker = make_tracker(intent="more_results", slots={"need": "education.language", "city": "milan",
                                                         "results_offset": 7.0})
    assert [m["response"] for m in run_action(ActionMoreServices(), tracker, client)[1]] == ["utter_no_more_services"]


def test_nearest_stays_in_the_country():
    assert [m["code"] for m in nearest(MUNICIPALITIES, "milan")] == ["florence", "naples"]
    assert nearest(MUNICIPALITIES, "warsaw") == []
