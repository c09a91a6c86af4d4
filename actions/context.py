"""After every user message: the conversation's language, need and city (custom slot mapping)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import DirectoryAction, conversation_language
from actions.directory_client import DirectoryUnavailable
from actions.languages import choose_language, language_from_name
from actions.needs import category_of

CITY_FROM_ENTITY = 0.6   # a name the model tagged as a city may be a little misspelt
CITY_FROM_TEXT = 0.85    # a city found inside a whole sentence must be clear


def entity_values(message: dict[str, Any], entity: str) -> list[str]:
    return [str(e.get("value")) for e in message.get("entities") or [] if e.get("entity") == entity and e.get("value")]


class ActionUpdateContext(DirectoryAction):
    def name(self) -> str:
        return "action_update_context"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        message = tracker.latest_message or {}
        text = (message.get("text") or "").strip()
        metadata = message.get("metadata") or {}
        intent = (message.get("intent") or {}).get("name")
        events: list[dict[str, Any]] = []

        explicit = None
        if intent == "choose_language":
            explicit = next((language_from_name(v) for v in entity_values(message, "language")
                             if language_from_name(v)), None) or language_from_name(text)
        client_language = metadata.get("language")
        typed = text and not text.startswith("/")
        language = choose_language(tracker.get_slot("language"), client_language, tracker.get_slot("client_language"),
                                   explicit, text if typed else None)
        if language:
            events.append(SlotSet("language", language))
        if client_language and client_language != tracker.get_slot("client_language"):
            events.append(SlotSet("client_language", client_language))

        need = category_of(intent)
        if need:
            events.append(SlotSet("need", need))

        cities = entity_values(message, "city")
        if cities or (typed and (intent == "inform" or need)):
            lang = language or conversation_language(tracker)
            try:
                match = await self.directory().resolve_city(" ".join(cities) if cities else text, lang)
            except DirectoryUnavailable:
                match = None  # the search that follows will apologize
            threshold = CITY_FROM_ENTITY if cities else CITY_FROM_TEXT
            if match and match["confidence"] >= threshold:
                events += [SlotSet("city", match["code"]), SlotSet("city_unresolved", None)]
            elif cities:
                events.append(SlotSet("city_unresolved", cities[0]))
        if need or any(e["name"] == "city" for e in events):
            events += [SlotSet("shown_services", None), SlotSet("results_offset", None)]
        return events
