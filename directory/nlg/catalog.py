"""The response catalog: curated text per response key and language, rendered with arguments.

Fallback when a language lacks a response: English, flagged as a fallback (an installed
machine-translation model may fill the gap later; today none ships). Argument values are
formatted for the language: lists joined the local way, left-to-right fragments isolated
in right-to-left text.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from directory.yamlfiles import read_yaml

from directory.services.formatting import is_rtl, isolate, join_list
from directory.settings import SUPPORTED_LANGUAGES

RESPONSES_FILE = Path(__file__).resolve().parent / "responses.yml"
_RTL_CHARS = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


class UnknownResponse(KeyError):
    pass


@dataclass(frozen=True)
class Rendered:
    text: str
    language: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    fallback: bool = False


class _Arguments(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return ""


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class ResponseCatalog:
    def __init__(self, responses: Mapping[str, Mapping[str, Any]], labels: Mapping[str, Mapping[str, str]]) -> None:
        self.responses = responses
        self.labels = labels

    @classmethod
    def from_file(cls, path: Path = RESPONSES_FILE) -> ResponseCatalog:
        data = read_yaml(path)
        return cls(data.get("responses", {}), data.get("labels", {}))

    def gaps(self) -> list[tuple[str, str]]:
        """(key, language) pairs with no curated text: the visible list of what is missing."""
        keys = [*self.responses.items(), *self.labels.items()]
        return [(key, language) for key, by_language in keys for language in SUPPORTED_LANGUAGES
                if language not in by_language]

    def render(self, key: str, language: str, arguments: Mapping[str, Any] | None = None) -> Rendered:
        by_language = self.responses.get(key)
        if by_language is None:
            raise UnknownResponse(key)
        served = language if language in by_language else "en"
        entry = by_language[served]
        values = _Arguments({name: self._format(value, served) for name, value in (arguments or {}).items()})
        text = string.Formatter().vformat(entry["text"], (), values)
        buttons = [{"title": b["title"], "payload": b["payload"]} for b in entry.get("buttons", [])]
        return Rendered(text=text, language=served, buttons=buttons, fallback=served != language)

    def label(self, key: str, language: str) -> str:
        by_language = self.labels.get(key, {})
        return by_language.get(language) or by_language.get("en") or key

    def labels_in(self, language: str) -> dict[str, str]:
        return {key: self.label(key, language) for key in self.labels}

    @staticmethod
    def _format(value: Any, language: str) -> str:
        if isinstance(value, (list, tuple)):
            return join_list([ResponseCatalog._format(v, language) for v in value], language)
        text = "" if value is None else str(value)
        if is_rtl(language) and text and not _RTL_CHARS.search(text):
            return isolate(text, language)
        return text


@lru_cache(maxsize=1)
def default_catalog() -> ResponseCatalog:
    return ResponseCatalog.from_file()
