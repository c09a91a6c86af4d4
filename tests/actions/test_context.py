"""action_update_context: language, need and city after every message."""

from __future__ import annotations

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.context import ActionUpdateContext
from tests.actions.conftest import run_action, slots_of


def test_need_from_intent_and_city_from_text(make_tracker, client):
    tracker = make_tracker(intent="need_education_language", text="أريد دورة لغة إيطالية في ميلانو")
    slots = slots_of(run_action(ActionUpdateContext(), tracker, client)[0])
    assert slots["need"] == "education.language"
    assert slots["city"] == "milan"
    assert slots["language"] == "ar"  # detected from the first real message


def test_city_from_entity_in_any_form(make_tracker, client):
    tracker = make_tracker(intent="inform", text="у Варшаві", slots={"language": "uk"},
                           entities=[{"entity": "city", "value": "у Варшаві"}])
    slots = slots_of(run_action(ActionUpdateContext(), tracker, client)[0])
    assert slots["city"] == "warsaw" and "language" not in slots


def test_unknown_city_is_remembered_as_unresolved(make_tracker, client):
    tracker = make_tracker(intent="inform", text="Paris", slots={"language": "en"},
                           entities=[{"entity": "city", "value": "Paris"}])
    slots = slots_of(run_action(ActionUpdateContext(), tracker, client)[0])
    assert slots == {"city_unresolved": "Paris"}


def test_client_metadata_sets_the_language(make_tracker, client):
    tracker = make_tracker(intent="greet", text="hello", metadata={"language": "uk"})
    slots = slots_of(run_action(ActionUpdateContext(), tracker, client)[0])
    assert slots["language"] == "uk" and slots["client_language"] == "uk"


def test_explicit_switch(make_tracker, client):
    tracker = make_tracker(intent="choose_language", text="in Arabic please", slots={"language": "en"},
                           entities=[{"entity": "language", "value": "Arabic"}])
    assert slots_of(run_action(ActionUpdateContext(), tracker, client)[0])["language"] == "ar"


def test_a_new_need_clears_the_results_shown(make_tracker, client):
    tracker = make_tracker(intent="need_housing_emergency", text="shelter", slots={"language": "en", "city": "milan",
                                                                                  "shown_services": ["x"]})
    slots = slots_of(run_action(ActionUpdateContext(), tracker, client)[0])
    assert slots["need"] == "housing.emergency" and slots["shown_services"] is None


def test_directory_outage_does_not_break_the_turn(make_tracker, client, directory):
    directory.fail_with = 503
    tracker = make_tracker(intent="need_housing_emergency", text="shelter in Milan", slots={"language": "en"})
    events, messages = run_action(ActionUpdateContext(), tracker, client)
    assert slots_of(events)["need"] == "housing.emergency" and "city" not in slots_of(events)
    assert messages == []


def test_only_slots_that_change_are_set(make_tracker, client):
    # Rasa validates and stores every event an action returns: a turn that repeats the context adds none.
    tracker = make_tracker(intent="need_housing_emergency", text="a shelter in Naples",
                           slots={"language": "en", "need": "housing.emergency", "city": "naples"})
    assert run_action(ActionUpdateContext(), tracker, client)[0] == []


def test_need_and_city_known_start_the_search_of_the_next_action(make_tracker, client, directory):
    from actions.services import ActionFindServices
    from tests.actions.conftest import make_service

    directory.services[("education.language", "milan")] = [make_service("m1", "education.language", "milan")]
    tracker = make_tracker(intent="need_education_language", text="corso di italiano a Milano", slots={"language": "it"})
    dispatcher, update, find = CollectingDispatcher(), ActionUpdateContext(), ActionFindServices()
    update.client = find.client = client

    async def turn():  # one event loop, as in the action server
        events = await update.run(dispatcher, tracker, {})
        slots = {**tracker.slots, **slots_of(events)}
        after = make_tracker(intent="need_education_language", text="corso di italiano a Milano", slots=slots)
        return await find.run(dispatcher, after, {})

    events = asyncio.run(turn())
    assert slots_of(events)["shown_services"] == ["m1"]
    assert [r.url.path for r in directory.requests].count("/api/v1/services") == 1
