"""Per-field translations: write them, and read the best text for a language with its provenance.

Fallback order for a requested language: the requested language -> English -> the record's
own text (host language). Only published translations are served.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from directory.models import EntityType, Translation, TranslationOrigin, TranslationStatus


@dataclass(frozen=True)
class LocalizedText:
    text: str
    language: str | None
    origin: TranslationOrigin


def set_translation(
    session: Session,
    entity: EntityType,
    entity_id: str,
    field: str,
    language: str,
    text: str,
    *,
    origin: TranslationOrigin = TranslationOrigin.human,
    status: TranslationStatus = TranslationStatus.published,
) -> Translation:
    row = session.scalar(
        select(Translation).where(
            Translation.entity == entity, Translation.entity_id == entity_id,
            Translation.field == field, Translation.language == language,
        )
    )
    if row is None:
        row = Translation(entity=entity, entity_id=entity_id, field=field, language=language)
        session.add(row)
    row.text, row.origin, row.status = text, origin, status
    return row


class TranslationWriter:
    """Upserts many translations of one kind of record with one read, without autoflushing."""

    def __init__(self, session: Session, entity: EntityType) -> None:
        self.session, self.entity = session, entity
        self._rows = {
            (row.entity_id, row.field, row.language): row
            for row in session.scalars(select(Translation).where(Translation.entity == entity))
        }

    def set(self, entity_id: str, field: str, language: str, text: str, *,
            origin: TranslationOrigin = TranslationOrigin.human,
            status: TranslationStatus = TranslationStatus.published) -> Translation:
        row = self._rows.get((entity_id, field, language))
        if row is None:
            row = Translation(entity=self.entity, entity_id=entity_id, field=field, language=language)
            self.session.add(row)
            self._rows[(entity_id, field, language)] = row
        if (row.text, row.origin, row.status) != (text, origin, status):
            row.text, row.origin, row.status = text, origin, status
        return row


class TranslationIndex:
    """The published translations of many records, loaded in one query."""

    def __init__(self, rows: Iterable[Translation]) -> None:
        self._rows: dict[tuple[EntityType, str, str, str], Translation] = {
            (row.entity, row.entity_id, row.field, row.language): row for row in rows
        }

    @classmethod
    def load(cls, session: Session, keys: Iterable[tuple[EntityType, str]]) -> TranslationIndex:
        wanted = sorted(set(keys), key=lambda k: (k[0].value, k[1]))
        rows: list[Translation] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows.extend(session.scalars(
                select(Translation).where(
                    tuple_(Translation.entity, Translation.entity_id).in_(chunk),
                    Translation.status == TranslationStatus.published,
                )
            ))
        return cls(rows)

    def get(self, entity: EntityType, entity_id: str, field: str, language: str) -> Translation | None:
        return self._rows.get((entity, entity_id, field, language))

    def localize(
        self,
        entity: EntityType,
        entity_id: str,
        field: str,
        own_text: str | None,
        own_language: str | None,
        requested: str,
    ) -> LocalizedText | None:
        """The text of ``field`` in ``requested``, else English, else the record's own text."""
        for language in dict.fromkeys((requested, "en")):
            if own_text and own_language == language:
                return LocalizedText(own_text, own_language, TranslationOrigin.human)
            row = self.get(entity, entity_id, field, language)
            if row is not None:
                return LocalizedText(row.text, row.language, row.origin)
        if own_text:
            return LocalizedText(own_text, own_language, TranslationOrigin.human)
        return None
