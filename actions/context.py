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


def changes(tracker: Tracker, values: dict[str, Any]) -> list[dict[str, Any]]:
    """SlotSet events for the values that differ from the tracker's: Rasa validates every event
    an action returns against its JSON schema, and the tracker keeps them all."""
    return [SlotSet(name, value) for name, value in values.items() if tracker.get_slot(name) != value]


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
        values: dict[str, Any] = {}

        explicit = None
        if intent == "choose_language":
            explicit = next((language_from_name(v) for v in entity_values(message, "language")
                             if language_from_name(v)), None) or language_from_name(text)
        client_language = metadata.get("language")
        typed = text and not text.startswith("/")
        language = choose_language(tracker.get_slot("language"), client_language, tracker.get_slot("client_language"),
                                   explicit, text if typed else None)
        if language:
            values["language"] = language
        if client_language:
            values["client_language"] = client_language

        need = category_of(intent)
        if need:
            values["need"] = need

        cities = entity_values(message, "city")
        city_found = False
        if cities or (typed and (intent == "inform" or need)):
            lang = language or conversation_language(tracker)
            try:
                match = await self.directory().resolve_city(" ".join(cities) if cities else text, lang)
            except DirectoryUnavailable:
                match = None  # the search that follows will apologize
            threshold = CITY_FROM_ENTITY if cities else CITY_FROM_TEXT
            if match and match["confidence"] >= threshold:
                values.update(city=match["code"], city_unresolved=None)
                city_found = True
            elif cities:
                values["city_unresolved"] = cities[0]
        if need or city_found:  # a new search: what was shown belongs to the old one
            values.update(shown_services=None, results_offset=None)
            self.prefetch(tracker, values, language)
        return changes(tracker, values)

    def prefetch(self, tracker: Tracker, values: dict[str, Any], language: str | None) -> None:
        """Need and city known: action_find_services comes next (rules), so its search starts now."""
        need = values.get("need") or tracker.get_slot("need")
        city = values.get("city") or tracker.get_slot("city")
        if need and city:
            client = self.directory()
            client.prefetch_services(lang=language or conversation_language(tracker), categories=[need],
                                     municipality=city, limit=client.settings.page_size)
