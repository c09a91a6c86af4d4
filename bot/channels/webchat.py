"""The web chat's socket.io channel: Rasa's socket.io channel with two repairs.

- Custom payloads are delivered the way the REST channel delivers them (``{"custom": {...}}``),
  so the ``service_list`` payload reaches the browser intact; a list of services and its
  plain-text summary travel as one event (``{"text": ..., "custom": ...}``), so the page knows
  the text only repeats the cards and shows the cards alone.
- Joining the conversation's room on ``session_request`` is awaited: with python-socketio 5.10+
  ``AsyncServer.enter_room`` is a coroutine, and Rasa 3.6 calls it without ``await``, so the
  browser never joined its room and never heard the bot.
"""

from __future__ import annotations

import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint


class WebChatOutput(SocketIOOutput):
    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        custom, text = message.get("custom"), message.get("text")
        alone = not any(message.get(key) for key in ("buttons", "quick_replies", "elements", "image", "attachment"))
        if isinstance(custom, dict) and custom.get("type") == "service_list" and text and alone:
            await self._send_message(recipient_id, {"text": text, "custom": custom})
            return
        await super().send_response(recipient_id, message)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class WebChatInput(SocketIOInput):
    """Configured in credentials.yml as ``bot.channels.webchat.WebChatInput``."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def deliver(message: UserMessage) -> None:
            message.output_channel = WebChatOutput(self.sio, self.bot_message_evt)
            await on_new_message(message)

        blueprint = super().blueprint(deliver)
        sio = self.sio

        async def session_request(sid: Text, data: Optional[Dict[Text, Any]]) -> None:
            session_id = (data or {}).get("session_id") or uuid.uuid4().hex
            if self.session_persistence:
                joined = sio.enter_room(sid, session_id, namespace=self.namespace)
                if joined is not None and hasattr(joined, "__await__"):
                    await joined
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        sio.on("session_request", namespace=self.namespace)(session_request)
        return blueprint
