"""Emergency first; how to reach a person; language switch."""

from __future__ import annotations

from actions.safety import ActionChangeLanguage, ActionEmergency, ActionHandoff
from tests.actions.conftest import make_service, run_action, slots_of


def test_emergency_comes_first_then_protection_services(make_tracker, client, directory):
    directory.services[("protection.gbv", "milan")] = [make_service("g1", "protection.gbv", "milan")]
    _, messages = run_action(ActionEmergency(), make_tracker(intent="emergency", slots={"city": "milan"}), client)
    assert messages[0]["response"] == "utter_emergency"
    assert messages[1]["custom"]["services"][0]["id"] == "g1"


def test_emergency_survives_a_directory_outage(make_tracker, client, directory):
    directory.fail_with = 503
    _, messages = run_action(ActionEmergency(), make_tracker(intent="emergency", slots={"city": "milan"}), client)
    assert [m["response"] for m in messages] == ["utter_emergency", "utter_directory_unavailable"]


def test_handoff_gives_the_info_desk_and_sets_the_hook(make_tracker, client, directory):
    directory.services[("information.onestop", "naples")] = [make_service("d1", "information.onestop", "naples")]
    events, messages = run_action(ActionHandoff(), make_tracker(intent="human_handoff", slots={"city": "naples"}), client)
    assert messages[0]["response"] == "utter_handoff" and messages[0]["desk"] == "Service d1"
    assert messages[0]["hours"] == "Mon–Fri 09:00–12:00" and messages[0]["phone"] == "+39 02 1234"
    assert slots_of(events)["handoff_requested"] is True


def test_handoff_without_city(make_tracker, client):
    events, messages = run_action(ActionHandoff(), make_tracker(intent="human_handoff"), client)
    assert [m["response"] for m in messages] == ["utter_handoff_unknown_city"]
    assert slots_of(events)["handoff_requested"] is True


def test_language_change_confirms_or_asks(make_tracker, client):
    switched = make_tracker(intent="choose_language", slots={"language": "ar"},
                            events=[{"event": "user", "text": "arabic"},
                                    {"event": "slot", "name": "language", "value": "ar"}])
    _, messages = run_action(ActionChangeLanguage(), switched, client)
    assert messages[0]["response"] == "utter_language_changed" and messages[0]["language"] == "العربية"
    unclear = make_tracker(intent="choose_language", slots={"language": "en"})
    _, messages = run_action(ActionChangeLanguage(), unclear, client)
    assert messages[0]["response"] == "utter_ask_language" and len(messages[0]["buttons"]) == 12
