"""The base of every action: the conversation's language, the shared directory client, and a
guard that turns a directory outage (or any fault) into a short apology, never silence."""

from __future__ import annotations

import logging
from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.directory_client import DirectoryClient, DirectoryUnavailable, shared_client
from actions.languages import SUPPORTED

logger = logging.getLogger(__name__)


def conversation_language(tracker: Tracker) -> str:
    language = tracker.get_slot("language")
    if language in SUPPORTED:
        return language
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return metadata.get("language") if metadata.get("language") in SUPPORTED else "en"


class DirectoryAction(Action, metaclass=ABCMeta):
    """Subclasses implement ``act``; ``client`` can be replaced in tests."""

    client: DirectoryClient | None = None

    def directory(self) -> DirectoryClient:
        return self.client or shared_client()

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            return await self.act(dispatcher, tracker, domain)
        except DirectoryUnavailable as error:
            logger.warning("%s: directory unavailable: %s", self.name(), error)
        except Exception:  # noqa: BLE001 - a conversation must never end in silence
            logger.exception("%s failed", self.name())
        dispatcher.utter_message(response="utter_directory_unavailable")
        return []

    @abstractmethod
    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        """The action's work; runs inside the outage guard of ``run``."""
