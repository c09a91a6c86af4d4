"""Find services for the need and city of the conversation; page through them; offer the
nearest alternatives honestly when there is nothing."""

from __future__ import annotations

import math
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import DirectoryAction, conversation_language
from actions.directory_client import DirectoryClient
from actions.needs import INFO_DESK, RELATED
from actions.presentation import service_list_payload, summary_text

NEARBY_KM = 150.0


async def need_label(client: DirectoryClient, code: str, language: str) -> str:
    terms = await client.taxonomy(language)
    return next((t["label"] for t in terms if t["code"] == code), code)


def distance_km(a: dict[str, Any], b: dict[str, Any]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a["latitude"], a["longitude"], b["latitude"], b["longitude"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def nearest(municipalities: list[dict[str, Any]], code: str, limit: int = 2) -> list[dict[str, Any]]:
    here = next((m for m in municipalities if m["code"] == code), None)
    if here is None:
        return []
    others = [m for m in municipalities if m["code"] != code and m["country"] == here["country"]]
    others = [m for m in others if distance_km(here, m) <= NEARBY_KM] or others
    return sorted(others, key=lambda m: distance_km(here, m))[:limit]


async def send_services(dispatcher: CollectingDispatcher, client: DirectoryClient, page: dict[str, Any],
                        language: str, offset: int = 0) -> None:
    labels = await client.labels(language)
    items = page["items"]
    dispatcher.utter_message(text=summary_text(items, labels, language, start=offset + 1),
                             json_message=service_list_payload(items, language, page["total"], offset))


class ActionFindServices(DirectoryAction):
    def name(self) -> str:
        return "action_find_services"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        client, language = self.directory(), conversation_language(tracker)
        need, city = tracker.get_slot("need"), tracker.get_slot("city")
        if not need:
            dispatcher.utter_message(response="utter_ask_need")
            return []
        if not city:
            return await self.ask_city(dispatcher, tracker, client, need, language)
        size = self.page_size(client)
        page = await client.search_services(lang=language, categories=[need], municipality=city, limit=size)
        city_name = (page.get("municipality") or {}).get("name", city)
        label = await need_label(client, need, language)
        if page["items"]:
            dispatcher.utter_message(response="utter_services_found", count=page["total"], need=label, city=city_name)
            await send_services(dispatcher, client, page, language)
            return [SlotSet("shown_services", [i["id"] for i in page["items"]]),
                    SlotSet("results_offset", float(len(page["items"])))]
        dispatcher.utter_message(response="utter_no_services", need=label, city=city_name)
        shown = await self.alternatives(dispatcher, client, need, city, city_name, language)
        return [SlotSet("shown_services", shown or None), SlotSet("results_offset", None)]

    @staticmethod
    def page_size(client: DirectoryClient) -> int:
        return client.settings.page_size

    async def ask_city(self, dispatcher: CollectingDispatcher, tracker: Tracker, client: DirectoryClient,
                       need: str, language: str) -> list[dict[str, Any]]:
        municipalities = await client.municipalities(language)
        names = [m["name"] for m in municipalities]
        unresolved = tracker.get_slot("city_unresolved")
        if unresolved:
            dispatcher.utter_message(response="utter_city_unknown", city=unresolved, cities=names)
            return [SlotSet("city_unresolved", None)]
        buttons = [{"title": m["name"], "payload": '/inform{"city": "%s"}' % m["code"]} for m in municipalities]
        dispatcher.utter_message(response="utter_ask_city", need=await need_label(client, need, language),
                                 buttons=buttons)
        return []

    async def alternatives(self, dispatcher: CollectingDispatcher, client: DirectoryClient, need: str, city: str,
                           city_name: str, language: str) -> list[str]:
        """Up to two honest alternatives: the same need nearby, then a related need or the info desk here."""
        offered: list[dict[str, Any]] = []
        shown: list[str] = []
        for other in nearest(await client.municipalities(language), city):
            page = await client.search_services(lang=language, categories=[need], municipality=other["code"], limit=3)
            if page["items"]:
                offered.append({"response": "utter_alternative_nearby", "need": await need_label(client, need, language),
                                "city": other["name"], "page": page})
                break
        for code in (*RELATED.get(need, ()), INFO_DESK):
            if code == need:
                continue
            page = await client.search_services(lang=language, categories=[code], municipality=city, limit=3)
            if page["items"]:
                response = "utter_alternative_infodesk" if code == INFO_DESK else "utter_alternative_related"
                offered.append({"response": response, "need": await need_label(client, code, language),
                                "city": city_name, "page": page})
                break
        if offered:
            dispatcher.utter_message(response="utter_alternatives")
        for offer in offered[:2]:
            page = offer.pop("page")
            dispatcher.utter_message(**offer)
            await send_services(dispatcher, client, page, language)
            shown += [i["id"] for i in page["items"]]
        if not offered:
            dispatcher.utter_message(response="utter_handoff_unknown_city")
        return shown


class ActionMoreServices(DirectoryAction):
    def name(self) -> str:
        return "action_more_services"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        client, language = self.directory(), conversation_language(tracker)
        need, city = tracker.get_slot("need"), tracker.get_slot("city")
        offset = int(tracker.get_slot("results_offset") or 0)
        if not (need and city and offset):
            dispatcher.utter_message(response="utter_ask_need" if not need else "utter_no_more_services")
            return []
        size = client.settings.page_size
        page = await client.search_services(lang=language, categories=[need], municipality=city, limit=size,
                                            offset=offset)
        if not page["items"]:
            dispatcher.utter_message(response="utter_no_more_services")
            return []
        dispatcher.utter_message(response="utter_more_services", count=len(page["items"]))
        await send_services(dispatcher, client, page, language, offset)
        return [SlotSet("shown_services", [i["id"] for i in page["items"]]),
                SlotSet("results_offset", float(offset + len(page["items"])))]
