"""Audit every change: a flush listener records who changed what, with old and new values.

The actor is set per unit of work with :func:`acting_as` ("cli:load-sample", "api", ...).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from directory.models.audit import AuditEntry
from directory.models.base import Base
from directory.models.enums import AuditAction

_actor: contextvars.ContextVar[str] = contextvars.ContextVar("audit_actor", default="system")
_enabled: contextvars.ContextVar[bool] = contextvars.ContextVar("audit_enabled", default=True)
_SKIPPED_TABLES = frozenset({"audit_entry", "service_search"})


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


@contextmanager
def audit_disabled() -> Iterator[None]:
    """For bulk synthetic loads (benchmarks) only: the real directory is always audited."""
    token = _enabled.set(False)
    try:
        yield
    finally:
        _enabled.reset(token)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _entity_id(obj: Base) -> str:
    identity = inspect(obj).identity
    if identity:
        return ":".join(str(part) for part in identity)
    return str(getattr(obj, "id", None) or getattr(obj, "code", ""))


def _column_values(obj: Base) -> dict[str, Any]:
    return {attr.key: _plain(getattr(obj, attr.key)) for attr in inspect(obj).mapper.column_attrs}


def _changes(obj: Base) -> dict[str, dict[str, Any]]:
    state = inspect(obj)
    changes: dict[str, dict[str, Any]] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[attr.key] = {"old": _plain(old), "new": _plain(new)}
    return changes


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if not _enabled.get():
        return
    actor = _actor.get()
    pending: list[tuple[AuditAction, Base, dict[str, Any]]] = []
    for obj in session.new:
        if isinstance(obj, Base) and obj.__tablename__ not in _SKIPPED_TABLES:
            pending.append((AuditAction.create, obj, {}))
    for obj in session.dirty:
        if isinstance(obj, Base) and obj.__tablename__ not in _SKIPPED_TABLES and session.is_modified(obj):
            changes = _changes(obj)
            if changes:
                session.add(AuditEntry(actor=actor, action=AuditAction.update, entity=obj.__tablename__,
                                       entity_id=_entity_id(obj), changes=changes))
    for obj in session.deleted:
        if isinstance(obj, Base) and obj.__tablename__ not in _SKIPPED_TABLES:
            old = _column_values(obj)
            session.add(AuditEntry(actor=actor, action=AuditAction.delete, entity=obj.__tablename__,
                                   entity_id=_entity_id(obj),
                                   changes={k: {"old": v, "new": None} for k, v in old.items()}))
    session.info.setdefault("audit_new", []).extend(pending)


def _after_flush(session: Session, _context: Any) -> None:
    """New rows get their entry after the flush, when their keys exist."""
    pending = session.info.pop("audit_new", [])
    if not pending:
        return
    actor = _actor.get()
    rows = []
    for _action, obj, _ in pending:
        values = _column_values(obj)
        rows.append({"actor": actor, "action": AuditAction.create, "entity": obj.__tablename__,
                     "entity_id": _entity_id(obj),
                     "changes": {k: {"old": None, "new": v} for k, v in values.items() if v is not None}})
    session.execute(AuditEntry.__table__.insert(), rows)


def install_audit_listener(factory: sessionmaker[Session]) -> None:
    """Audit every flush of ``factory``'s sessions (once per factory).

    The mark is kept on the factory's own session class: ``event.contains`` keys its registry on
    ``id(factory)``, which a new factory can reuse after an old one is freed and before the cycle
    collector frees the old one's listeners, and then it answered "already installed" for a factory
    that had no listener (a test saw no audit entries, once in three runs).
    """
    if factory.class_.__dict__.get("_audited"):
        return
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    factory.class_._audited = True  # type: ignore[attr-defined]
