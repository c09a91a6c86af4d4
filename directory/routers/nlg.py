"""/nlg: Rasa's NLG endpoint (every response in the conversation's language), and UI labels."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from directory.deps import LangQuery
from directory.nlg import UnknownResponse, default_catalog
from directory.settings import SUPPORTED_LANGUAGES

router = APIRouter(tags=["nlg"])


class NlgRequest(BaseModel):
    """What Rasa's callback NLG sends."""

    response: str = Field(max_length=200)
    arguments: dict[str, Any] = Field(default_factory=dict)
    tracker: dict[str, Any] = Field(default_factory=dict)
    channel: dict[str, Any] = Field(default_factory=dict)


class NlgResponse(BaseModel):
    text: str
    buttons: list[dict[str, str]] = Field(default_factory=list)


def conversation_language(request: NlgRequest) -> str:
    """The language slot, else the client's metadata, else English."""
    slots = request.tracker.get("slots") or {}
    metadata = (request.tracker.get("latest_message") or {}).get("metadata") or {}
    for candidate in (request.arguments.get("language"), slots.get("language"), metadata.get("language")):
        if isinstance(candidate, str) and candidate in SUPPORTED_LANGUAGES:
            return candidate
    return "en"


# Both handlers only read the in-memory catalog: `async def` keeps them on the event loop
# instead of a hop to the thread pool on every response of every turn.
@router.post("/nlg", response_model=NlgResponse, summary="Render a response (Rasa NLG callback)")
async def generate(request: NlgRequest) -> NlgResponse:
    try:
        rendered = default_catalog().render(request.response, conversation_language(request), request.arguments)
    except UnknownResponse:
        raise HTTPException(status_code=404, detail=f"no response {request.response!r} in the catalog") from None
    return NlgResponse(text=rendered.text, buttons=rendered.buttons)


@router.get("/api/v1/labels", response_model=dict[str, str], summary="Interface labels in a language")
async def labels(lang: LangQuery = "en") -> dict[str, str]:
    return default_catalog().labels_in(lang)
