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
