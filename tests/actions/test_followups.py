"""Questions about a service already shown."""

from __future__ import annotations

import pytest

from actions.followups import ActionAnswerFollowup, answer
from tests.actions.conftest import make_service, run_action


@pytest.mark.parametrize(("intent", "response", "argument"), [
    ("ask_opening_hours", "utter_opening_hours", ("hours", "Mon–Fri 09:00–12:00")),
    ("ask_documents", "utter_documents", ("documents", ["Passport"])),
    ("ask_cost", "utter_cost_free", ("name", "Service a")),
    ("ask_languages", "utter_languages_spoken", ("languages", ["Italian", "English"])),
    ("ask_directions", "utter_directions", ("address", "Via Roma 1, 20100 Milano")),
])
def test_answers(intent, response, argument):
    key, arguments = answer(intent, make_service("a", "health.care", "milan"))
    assert key == response and arguments[argument[0]] == argument[1]


def test_missing_facts_are_said_as_missing():
    bare = make_service("a", "health.care", "milan", opening_hours_text=None, required_documents=[], is_free=None,
                        fees=None, address=None, locations=[])
    assert answer("ask_opening_hours", bare)[0] == "utter_opening_hours_unknown"
    assert answer("ask_documents", bare)[0] == "utter_no_documents"
    assert answer("ask_cost", bare)[0] == "utter_cost_unknown"
    assert answer("ask_directions", bare) == ("utter_directions_unknown", {"name": "Service a", "phone": "+39 02 1234"})
    closed = make_service("a", "health.care", "milan", status="temporarily closed")
    assert answer("ask_opening_hours", closed)[0] == "utter_closed_now"


def test_action_answers_about_the_first_service_shown(make_tracker, client, directory):
    directory.services[("health.care", "milan")] = [make_service("h1", "health.care", "milan", is_free=False,
                                                                 fees="10 EUR")]
    tracker = make_tracker(intent="ask_cost", slots={"shown_services": ["h1"], "language": "it"})
    _, messages = run_action(ActionAnswerFollowup(), tracker, client)
    assert len(messages) == 1
    assert (messages[0]["response"], messages[0]["name"], messages[0]["fees"]) == ("utter_cost", "Service h1", "10 EUR")


def test_followup_before_any_result(make_tracker, client):
    _, messages = run_action(ActionAnswerFollowup(), make_tracker(intent="ask_cost"), client)
    assert [m["response"] for m in messages] == ["utter_no_service_selected"]
