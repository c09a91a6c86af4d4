"""Emergencies, reaching a person, and switching language."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import DirectoryAction, conversation_language
from actions.languages import OWN_NAMES, SUPPORTED
from actions.needs import INFO_DESK, PROTECTION
from actions.services import send_services


class ActionEmergency(DirectoryAction):
    """112 first, before anything else; then the protection services of the city if known."""

    def name(self) -> str:
        return "action_emergency"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_emergency")  # never depends on the directory
        return await super().run(dispatcher, tracker, domain)

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        city = tracker.get_slot("city")
        if not city:
            return []
        client, language = self.directory(), conversation_language(tracker)
        page = await client.search_services(lang=language, categories=list(PROTECTION), municipality=city, limit=3)
        if page["items"]:
            await send_services(dispatcher, client, page, language)
            return [SlotSet("shown_services", [i["id"] for i in page["items"]])]
        return []


class ActionHandoff(DirectoryAction):
    """How to reach a person: the municipality's info desk and its hours.

    Live handoff hook: the ``handoff_requested`` slot is set; a live-agent channel can
    watch for it in the tracker store and take the conversation over.
    """

    def name(self) -> str:
        return "action_handoff"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = [SlotSet("handoff_requested", True)]
        city = tracker.get_slot("city")
        if not city:
            dispatcher.utter_message(response="utter_handoff_unknown_city")
            return events
        client, language = self.directory(), conversation_language(tracker)
        page = await client.search_services(lang=language, categories=[INFO_DESK], municipality=city, limit=1)
        if not page["items"]:
            dispatcher.utter_message(response="utter_handoff_unknown_city")
            return events
        desk = page["items"][0]
        phones = desk.get("phones") or []
        dispatcher.utter_message(response="utter_handoff", desk=desk["name"], hours=desk.get("opening_hours_text") or "",
                                 phone=phones[0]["number"] if phones else "", address=desk.get("address") or "")
        await send_services(dispatcher, client, page, language)
        return events + [SlotSet("shown_services", [desk["id"]])]


class ActionChangeLanguage(Action):
    """The language slot was already switched after the message; confirm it, or ask which."""

    def name(self) -> str:
        return "action_change_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        language = tracker.get_slot("language")
        switched = False
        for event in reversed(tracker.events):
            if event.get("event") == "user":
                break
            switched = switched or (event.get("event") == "slot" and event.get("name") == "language")
        if switched and language in SUPPORTED:
            dispatcher.utter_message(response="utter_language_changed", language=OWN_NAMES[language])
            return []
        buttons = [{"title": OWN_NAMES[code], "payload": '/choose_language{"language": "%s"}' % code}
                   for code in SUPPORTED]
        dispatcher.utter_message(response="utter_ask_language", buttons=buttons)
        return []
