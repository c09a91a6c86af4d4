"""The web chat's socket.io output: what one bot message becomes on the wire."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.channels.webchat import WebChatOutput


class FakeServer:
    def __init__(self) -> None:
        self.emitted: list[tuple[str, Any, Any]] = []

    async def emit(self, event: str, data: Any = None, room: Any = None, **kwargs: Any) -> None:
        self.emitted.append((event, data, room))


def sent(message: dict[str, Any]) -> list[Any]:
    server = FakeServer()
    asyncio.run(WebChatOutput(server, "bot_uttered").send_response("room-1", dict(message)))
    assert all(event == "bot_uttered" and room == "room-1" for event, _, room in server.emitted)
    return [data for _, data, _ in server.emitted]


SERVICES = {"type": "service_list", "services": [{"id": "s1", "name": "CPIA 5"}], "language": "uk", "offset": 0}


def test_a_service_list_and_its_summary_are_one_event():
    # as BotUttered.message() hands it to the channel: every key present, most of them empty
    message = {"text": "1. CPIA 5 — Via Rossi 1", "custom": SERVICES, "elements": None, "quick_replies": None,
               "buttons": None, "attachment": None, "image": None, "timestamp": 1.0}
    assert sent(message) == [{"text": "1. CPIA 5 — Via Rossi 1", "custom": SERVICES}]


def test_other_custom_payloads_are_wrapped_as_the_rest_channel_does():
    assert sent({"custom": {"type": "other"}}) == [{"custom": {"type": "other"}}]


def test_text_and_buttons_as_rasa_sends_them():
    messages = sent({"text": "Which city?", "buttons": [{"title": "Milan", "payload": "/inform"}]})
    assert messages[0]["text"] == "Which city?"
    assert messages[0]["quick_replies"][0]["title"] == "Milan"
