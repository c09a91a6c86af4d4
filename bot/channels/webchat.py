"""The web chat's socket.io channel: Rasa's socket.io channel, with custom payloads delivered
the way the REST channel delivers them (``{"custom": {...}}``), so the ``service_list``
payload reaches the browser intact."""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint


class WebChatOutput(SocketIOOutput):
    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class WebChatInput(SocketIOInput):
    """Configured in credentials.yml as ``bot.channels.webchat.WebChatInput``."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def deliver(message: UserMessage) -> None:
            message.output_channel = WebChatOutput(self.sio, self.bot_message_evt)
            await on_new_message(message)

        return super().blueprint(deliver)
