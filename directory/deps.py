"""FastAPI dependencies: the database session and the request's language."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session

from directory.db import session_scope
from directory.settings import Settings


def get_session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.session_factory) as session:
        yield session


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
LangQuery = Annotated[
    str,
    Query(pattern=r"^[a-z]{2,3}$", description="language of the response text (ISO 639-1); "
          "fields fall back to English, then to the host language"),
]
