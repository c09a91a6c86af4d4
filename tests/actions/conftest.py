"""Action tests: a fresh tracker per test, and a directory API faked with httpx.MockTransport."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.directory_client import DirectoryClient
from actions.settings import ActionSettings

MUNICIPALITIES = [
    {"code": "milan", "name": "Milan", "country": "IT", "latitude": 45.46, "longitude": 9.19},
    {"code": "florence", "name": "Florence", "country": "IT", "latitude": 43.77, "longitude": 11.26},
    {"code": "naples", "name": "Naples", "country": "IT", "latitude": 40.85, "longitude": 14.27},
    {"code": "warsaw", "name": "Warsaw", "country": "PL", "latitude": 52.23, "longitude": 21.01},
]
CITY_FORMS = {"milano": "milan", "milan": "milan", "naples": "naples", "napoli": "naples", "warsaw": "warsaw",
              "у варшаві": "warsaw", "florence": "florence", "ميلانو": "milan"}


def make_service(service_id: str, code: str, city: str, **extra: Any) -> dict[str, Any]:
    service = {
        "id": service_id, "name": f"Service {service_id}", "categories": [{"code": code, "label": f"label {code}"}],
        "municipality": {"code": city, "name": city.title()}, "address": "Via Roma 1, 20100 Milano",
        "locations": [{"map_url": "https://www.openstreetmap.org/?mlat=45&mlon=9"}],
        "phones": [{"number": "+39 02 1234", "type": "voice"}], "opening_hours": [],
        "opening_hours_text": "Mon–Fri 09:00–12:00", "today_hours": "09:00–12:00", "open_now": True,
        "status": "active", "languages": ["it", "en"], "language_names": ["Italian", "English"],
        "required_documents": ["Passport"], "fees": None, "is_free": True, "url": None,
        "last_verified": "2026-10-01", "is_sample": True, "field_sources": {"name": {"language": "it", "origin": "human"}},
    }
    service.update(extra)
    return service


class FakeDirectory:
    """Answers like the directory API; ``services`` maps (category, municipality) to items."""

    def __init__(self) -> None:
        self.services: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.requests: list[httpx.Request] = []
        self.fail_with: int | None = None

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail_with:
            return httpx.Response(self.fail_with, json={"detail": "down"})
        path, params = request.url.path, request.url.params
        if path == "/api/v1/services":
            key = (params.get("category"), params.get("municipality"))
            items = self.services.get(key, [])
            offset, limit = int(params.get("offset", 0)), int(params.get("limit", 5))
            city = next((m for m in MUNICIPALITIES if m["code"] == key[1]), None)
            return httpx.Response(200, json={"items": items[offset:offset + limit], "total": len(items),
                                             "municipality": {"code": city["code"], "name": city["name"]} if city else None})
        if path.startswith("/api/v1/services/"):
            wanted = path.rsplit("/", 1)[1]
            for items in self.services.values():
                for item in items:
                    if item["id"] == wanted:
                        return httpx.Response(200, json=item)
            return httpx.Response(404, json={"detail": "no"})
        if path == "/api/v1/municipalities/resolve":
            name = params.get("name", "").lower()
            code = next((c for form, c in CITY_FORMS.items() if form in name), None)
            match = {"code": code, "name": code.title(), "confidence": 1.0, "matched": name, "method": "exact"} if code else None
            return httpx.Response(200, json={"query": name, "match": match, "alternatives": []})
        if path == "/api/v1/municipalities":
            return httpx.Response(200, json=MUNICIPALITIES)
        if path == "/api/v1/taxonomy":
            return httpx.Response(200, json=[{"code": c, "label": f"label {c}"} for c in
                                             ("housing.emergency", "education.language", "information.onestop",
                                              "protection.gbv", "social.benefits", "housing.support")])
        if path == "/api/v1/labels":
            return httpx.Response(200, json={"label_today": "Today", "label_sample_data": "Sample data"})
        return httpx.Response(404)


@pytest.fixture
def directory() -> FakeDirectory:
    return FakeDirectory()


@pytest.fixture
def client(directory: FakeDirectory) -> DirectoryClient:
    settings = ActionSettings(directory_url="http://directory.test", timeout_seconds=1.0, retries=2, page_size=5)
    return DirectoryClient(settings, transport=httpx.MockTransport(directory.handler))


@pytest.fixture
def make_tracker() -> Callable[..., Tracker]:
    def build(intent: str = "inform", text: str = "", slots: dict[str, Any] | None = None,
              entities: list[dict[str, Any]] | None = None, metadata: dict[str, Any] | None = None,
              events: list[dict[str, Any]] | None = None) -> Tracker:
        latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or [],
                  "metadata": metadata or {}}
        return Tracker("test-user", dict(slots or {}), latest, list(events or [{"event": "user", "text": text}]),
                       False, None, {}, "action_listen")

    return build


def run_action(action: Any, tracker: Tracker, client: DirectoryClient) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run an action against the fake directory: (events, dispatched messages)."""
    action.client = client
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return events, json.loads(json.dumps(dispatcher.messages))


def slots_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
