"""The directory client: retries on reads, timeouts become DirectoryUnavailable."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from actions.directory_client import DirectoryClient, DirectoryUnavailable
from actions.settings import ActionSettings

SETTINGS = ActionSettings(directory_url="http://directory.test", timeout_seconds=0.5, retries=2)


def test_retries_a_failing_read_then_succeeds():
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(503) if len(calls) < 3 else httpx.Response(200, json={"items": [], "total": 0})

    client = DirectoryClient(SETTINGS, transport=httpx.MockTransport(handler))
    assert asyncio.run(client.search_services(lang="en", categories=["health.care"]))["total"] == 0
    assert len(calls) == 3


def test_gives_up_after_the_retries():
    def handler(request):
        raise httpx.ConnectError("refused", request=request)

    client = DirectoryClient(SETTINGS, transport=httpx.MockTransport(handler))
    with pytest.raises(DirectoryUnavailable):
        asyncio.run(client.search_services(lang="en"))


def test_validation_errors_read_as_no_result():
    client = DirectoryClient(SETTINGS, transport=httpx.MockTransport(lambda r: httpx.Response(422, json={})))
    assert asyncio.run(client.search_services(lang="en", municipality="Atlantis")) == {"items": [], "total": 0}


def test_reference_data_is_cached(directory, client):
    asyncio.run(client.taxonomy("en"))
    asyncio.run(client.taxonomy("en"))
    asyncio.run(client.taxonomy("ar"))
    assert [r.url.params["lang"] for r in directory.requests] == ["en", "ar"]


def test_search_sends_the_filters(directory, client):
    asyncio.run(client.search_services(lang="uk", categories=["education.language"], municipality="warsaw", limit=3))
    params = directory.requests[-1].url.params
    assert (params["lang"], params["category"], params["municipality"], params["limit"]) == \
        ("uk", "education.language", "warsaw", "3")


def _counting_client(status: int = 200) -> tuple[DirectoryClient, list[httpx.Request]]:
    calls: list[httpx.Request] = []

    def handler(request):
        calls.append(request)
        return httpx.Response(status, json={"items": [{"id": "s1"}], "total": 1})

    return DirectoryClient(SETTINGS, transport=httpx.MockTransport(handler)), calls


def test_a_prefetched_search_is_taken_by_the_same_search():
    client, calls = _counting_client()

    async def turn():
        client.prefetch_services(lang="ar", categories=["education.language"], municipality="milan", limit=5)
        await asyncio.sleep(0)  # Rasa validates and predicts meanwhile
        return await client.search_services(lang="ar", categories=["education.language"], municipality="milan", limit=5)

    assert asyncio.run(turn())["total"] == 1
    assert len(calls) == 1


def test_a_different_search_does_not_take_the_prefetch():
    client, calls = _counting_client()

    async def turn():
        client.prefetch_services(lang="ar", categories=["education.language"], municipality="milan", limit=5)
        await client.search_services(lang="en", categories=["education.language"], municipality="milan", limit=5)
        await client.search_services(lang="ar", categories=["education.language"], municipality="milan", limit=5,
                                     offset=5)

    asyncio.run(turn())
    assert len(calls) == 3


def test_a_failed_prefetch_fails_its_taker_like_a_search():
    client, calls = _counting_client(status=503)

    async def turn():
        client.prefetch_services(lang="en", categories=["health.care"], municipality="milan")
        await asyncio.sleep(0.3)  # it fails (after its retries) before anyone asks
        return await client.search_services(lang="en", categories=["health.care"], municipality="milan")

    with pytest.raises(DirectoryUnavailable):
        asyncio.run(turn())
    assert len(calls) == 3  # the prefetch's own tries, no second round


def test_a_prefetch_from_another_event_loop_is_not_used():
    client, calls = _counting_client()

    async def prefetch_only():
        client.prefetch_services(lang="en", categories=["health.care"], municipality="milan")

    asyncio.run(prefetch_only())  # the loop ends: its task is cancelled
    assert asyncio.run(client.search_services(lang="en", categories=["health.care"], municipality="milan"))["total"] == 1
