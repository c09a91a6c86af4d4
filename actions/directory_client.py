"""The only way from the actions to the directory: its HTTP API, through httpx.

Reads are idempotent, so they are retried on connection errors and 5xx answers; every
call has a timeout. Failures surface as ``DirectoryUnavailable`` for the actions to turn
into a short apology. One keep-alive client per process; reference data (taxonomy,
municipalities, labels) is kept a few minutes. A search the next action will make can be
started early (``prefetch_services``): it then runs while Rasa validates the previous
action's answer and predicts the next one, and ``search_services`` takes its result.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from actions.settings import ActionSettings, get_settings


class DirectoryUnavailable(RuntimeError):
    """The directory did not answer usefully."""


class DirectoryClient:
    REFERENCE_TTL = 300.0
    PREFETCH_TTL = 10.0  # a prefetched search serves the same turn only

    def __init__(self, settings: ActionSettings | None = None, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings or get_settings()
        self._client = httpx.AsyncClient(
            base_url=self.settings.directory_url, timeout=self.settings.timeout_seconds, transport=transport,
            headers={"User-Agent": "admin4all-actions"},
        )
        self._cache: dict[tuple[str, str], tuple[float, Any]] = {}
        self._prefetched: dict[tuple[Any, ...], tuple[float, asyncio.Task[dict[str, Any]]]] = {}

    async def _cached(self, kind: str, lang: str, fetch: Callable[[], Awaitable[Any]]) -> Any:
        """Reference data (taxonomy, municipalities, labels) changes rarely: keep it a few minutes."""
        key = (kind, lang)
        hit = self._cache.get(key)
        if hit and time.monotonic() - hit[0] < self.REFERENCE_TTL:
            return hit[1]
        value = await fetch()
        self._cache[key] = (time.monotonic(), value)
        return value

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        last: Exception | None = None
        for attempt in range(self.settings.retries + 1):
            try:
                response = await self._client.get(path, params=params)
            except httpx.TransportError as error:  # connect, read, timeouts
                last = error
            else:
                if response.status_code < 500:
                    if response.status_code == 422:
                        return None
                    response.raise_for_status()
                    return response.json()
                last = DirectoryUnavailable(f"{path}: HTTP {response.status_code}")
            if attempt < self.settings.retries:
                await asyncio.sleep(0.05 * (attempt + 1))
        raise DirectoryUnavailable(str(last)) from last

    @staticmethod
    def _search_params(lang: str, categories: list[str] | None, municipality: str | None, limit: int, offset: int,
                       filters: dict[str, Any]) -> dict[str, Any]:
        params: dict[str, Any] = {"lang": lang, "limit": limit, "offset": offset}
        if categories:
            params["category"] = list(categories)
        if municipality:
            params["municipality"] = municipality
        params.update({k: v for k, v in filters.items() if v is not None})
        return params

    @staticmethod
    def _search_key(params: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))

    async def _search(self, params: dict[str, Any]) -> dict[str, Any]:
        result = await self._get("/api/v1/services", params)
        return result or {"items": [], "total": 0}

    async def search_services(self, *, lang: str, categories: list[str] | None = None, municipality: str | None = None,
                              limit: int = 5, offset: int = 0, **filters: Any) -> dict[str, Any]:
        params = self._search_params(lang, categories, municipality, limit, offset, filters)
        hit = self._prefetched.pop(self._search_key(params), None)
        if hit and time.monotonic() - hit[0] < self.PREFETCH_TTL and not hit[1].cancelled() \
                and hit[1].get_loop() is asyncio.get_running_loop():
            return await hit[1]
        return await self._search(params)

    def prefetch_services(self, *, lang: str, categories: list[str] | None = None, municipality: str | None = None,
                          limit: int = 5, offset: int = 0, **filters: Any) -> None:
        """Start the search that a later ``search_services`` with the same arguments will want."""
        now = time.monotonic()
        for key, (started, task) in list(self._prefetched.items()):  # never taken: let them go
            if now - started >= self.PREFETCH_TTL:
                del self._prefetched[key]
                task.cancel()
        params = self._search_params(lang, categories, municipality, limit, offset, filters)
        key = self._search_key(params)
        if key not in self._prefetched:
            task = asyncio.ensure_future(self._search(params))
            task.add_done_callback(_consume_error)
            self._prefetched[key] = (now, task)

    async def service(self, service_id: str, lang: str) -> dict[str, Any] | None:
        try:
            return await self._get(f"/api/v1/services/{service_id}", {"lang": lang})
        except httpx.HTTPStatusError:
            return None

    async def resolve_city(self, text: str, lang: str = "en") -> dict[str, Any] | None:
        """The best municipality match for a name or a sentence containing one, or None."""
        result = await self._get("/api/v1/municipalities/resolve", {"name": text[:200], "lang": lang})
        return (result or {}).get("match")

    async def municipalities(self, lang: str) -> list[dict[str, Any]]:
        return await self._cached("municipalities", lang,
                                  lambda: self._get("/api/v1/municipalities", {"lang": lang})) or []

    async def taxonomy(self, lang: str) -> list[dict[str, Any]]:
        return await self._cached("taxonomy", lang, lambda: self._get("/api/v1/taxonomy", {"lang": lang})) or []

    async def labels(self, lang: str) -> dict[str, str]:
        return await self._cached("labels", lang, lambda: self._get("/api/v1/labels", {"lang": lang})) or {}


def _consume_error(task: asyncio.Task[Any]) -> None:
    """A prefetch nobody takes may fail unseen; its taker sees the error when it awaits."""
    if not task.cancelled():
        task.exception()


_shared: DirectoryClient | None = None


def shared_client() -> DirectoryClient:
    """One client per action-server process, made on first use (never at import time)."""
    global _shared
    if _shared is None:
        _shared = DirectoryClient()
    return _shared
