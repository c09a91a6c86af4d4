"""Questions about a service already shown: hours, documents, cost, languages, directions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import DirectoryAction, conversation_language


def answer(intent: str, service: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The response key and arguments that answer ``intent`` about ``service`` (pure)."""
    name = service["name"]
    if service.get("status") == "temporarily closed" and intent == "ask_opening_hours":
        return "utter_closed_now", {"name": name}
    if intent == "ask_opening_hours":
        hours = service.get("opening_hours_text")
        return ("utter_opening_hours", {"name": name, "hours": hours}) if hours else \
            ("utter_opening_hours_unknown", {"name": name})
    if intent == "ask_documents":
        documents = service.get("required_documents") or []
        return ("utter_documents", {"name": name, "documents": documents}) if documents else \
            ("utter_no_documents", {"name": name})
    if intent == "ask_cost":
        if service.get("is_free"):
            return "utter_cost_free", {"name": name}
        fees = service.get("fees")
        return ("utter_cost", {"name": name, "fees": fees}) if fees else ("utter_cost_unknown", {"name": name})
    if intent == "ask_languages":
        return "utter_languages_spoken", {"name": name, "languages": service.get("language_names") or []}
    if intent == "ask_directions":
        address = service.get("address")
        locations = service.get("locations") or []
        if address:
            return "utter_directions", {"name": name, "address": address,
                                        "map_url": locations[0].get("map_url") if locations else ""}
        phones = service.get("phones") or []
        return "utter_directions_unknown", {"name": name, "phone": phones[0]["number"] if phones else ""}
    return "utter_default", {}


class ActionAnswerFollowup(DirectoryAction):
    def name(self) -> str:
        return "action_answer_followup"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        shown = tracker.get_slot("shown_services") or []
        if not shown:
            dispatcher.utter_message(response="utter_no_service_selected")
            return []
        intent = (tracker.latest_message.get("intent") or {}).get("name", "")
        language = conversation_language(tracker)
        selected = tracker.get_slot("selected_service")
        service_id = selected if selected in shown else shown[0]
        service = await self.directory().service(service_id, language)
        if service is None:
            dispatcher.utter_message(response="utter_no_service_selected")
            return []
        response, arguments = answer(intent, service)
        dispatcher.utter_message(response=response, **arguments)
        return []
