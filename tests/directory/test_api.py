"""The HTTP API under /api/v1, on the sample directory."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from directory.app import SAMPLE_HEADER, create_app
from directory.services.reference import category_codes
from directory.settings import Settings


@pytest.fixture
def client(sample_engine):
    with TestClient(create_app(Settings(), engine=sample_engine)) as client:
        yield client


def test_language_courses_in_milan_in_arabic(client):
    response = client.get("/api/v1/services", params={"category": "education.language", "municipality": "Mailand",
                                                      "lang": "ar"})
    assert response.status_code == 200
    page = response.json()
    assert page["total"] >= 2 and page["items"]
    assert page["municipality"]["code"] == "milan"
    assert page["sample_data"] is True and page["notice"]
    assert response.headers[SAMPLE_HEADER] == "true"
    for item in page["items"]:
        assert item["municipality"]["code"] == "milan"
        assert "education.language" in [c["code"] for c in item["categories"]]
        assert item["is_sample"] is True and item["language"] == "ar"
        label = next(c["label"] for c in item["categories"] if c["code"] == "education.language")
        assert re.search(r"[\u0600-\u06ff]", label), label  # the category label is in Arabic
        # office names stay in the host language; the English name is given beside it
        assert item["name_localized"] and item["name_localized"] != item["name"]
        # no Arabic text was written for the sample: fields fall back to English and say so
        assert item["field_sources"]["description"] == {"language": "en", "origin": "human"}


def test_host_language_is_served_when_asked(client):
    page = client.get("/api/v1/services", params={"category": "residence.registration", "municipality": "poznan",
                                                  "lang": "pl"}).json()
    assert page["items"]
    assert all(item["field_sources"]["name"]["language"] == "pl" for item in page["items"])


@pytest.mark.parametrize("name", ["we Wrocławiu", "у Варшаві", "Mediolan", "milno", "Cluj"])
def test_municipality_filter_accepts_any_name_form(client, name):
    response = client.get("/api/v1/services", params={"municipality": name, "limit": 5})
    assert response.status_code == 200
    page = response.json()
    assert page["items"] and {i["municipality"]["code"] for i in page["items"]} == {page["municipality"]["code"]}


def test_unknown_category_is_422_naming_valid_values(client):
    response = client.get("/api/v1/services", params={"category": "housing.castle"})
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["query", "category"]
    assert "housing.castle" in detail["msg"]
    assert detail["valid_values"] == list(category_codes())


def test_unknown_municipality_is_422_naming_valid_values(client):
    response = client.get("/api/v1/services", params={"municipality": "Atlantis"})
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["query", "municipality"] and "milan" in detail["valid_values"]


def test_bad_status_and_paging_are_422_naming_the_field(client):
    response = client.get("/api/v1/services", params={"status": "tourist"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "status"]
    response = client.get("/api/v1/services", params={"limit": 0})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "limit"]


def test_filters_language_spoken_and_status(client):
    page = client.get("/api/v1/services", params={"language_spoken": "uk", "limit": 50}).json()
    assert page["items"] and all("uk" in item["languages"] for item in page["items"])
    page = client.get("/api/v1/services", params={"status": "asylum_seeker", "limit": 50}).json()
    assert page["items"]
    for item in page["items"]:
        assert set(item["eligibility"]["statuses"]) & {"asylum_seeker", "any"}


def test_paging_is_stable_and_complete(client):
    first = client.get("/api/v1/services", params={"municipality": "warsaw", "limit": 5}).json()
    second = client.get("/api/v1/services", params={"municipality": "warsaw", "limit": 5, "offset": 5}).json()
    ids = [i["id"] for i in first["items"]] + [i["id"] for i in second["items"]]
    assert len(set(ids)) == len(ids) == min(10, first["total"])
    assert first["total"] == second["total"] >= 8


def test_free_text_search(client):
    page = client.get("/api/v1/services", params={"q": "lekcje polskiego", "municipality": "Poznań"}).json()
    assert page["items"] and {i["municipality"]["code"] for i in page["items"]} == {"poznan"}
    top = [{c["code"] for c in item["categories"]} for item in page["items"][:3]]
    assert any("education.language" in codes for codes in top), top


def test_hostile_query_strings_are_safe(client):
    for text in ['" OR * NEAR(', "'; DROP TABLE service; --", "<script>alert(1)</script>", "ж" * 500]:
        response = client.get("/api/v1/services", params={"q": text})
        assert response.status_code == 200, text
    assert client.get("/api/v1/services", params={"q": "x" * 501}).status_code == 422


def test_service_detail_and_404(client):
    page = client.get("/api/v1/services", params={"municipality": "naples", "category": "housing.emergency"}).json()
    service_id = page["items"][0]["id"]
    detail = client.get(f"/api/v1/services/{service_id}", params={"lang": "uk"}).json()
    assert detail["id"] == service_id and detail["is_sample"] is True
    assert detail["opening_hours"] and detail["locations"] or detail["phones"]
    response = client.get("/api/v1/services/nope")
    assert response.status_code == 404 and "nope" in response.json()["detail"]


def test_municipalities_localized(client):
    rows = client.get("/api/v1/municipalities", params={"lang": "uk"}).json()
    assert len(rows) == 16
    warsaw = next(r for r in rows if r["code"] == "warsaw")
    assert warsaw["name"] == warsaw["names"]["uk"][0] and warsaw["host_language"] == "pl"
    assert client.get("/api/v1/municipalities/tulln").json()["country"] == "AT"
    assert client.get("/api/v1/municipalities/atlantis").status_code == 404


def test_resolve_endpoint(client):
    result = client.get("/api/v1/municipalities/resolve", params={"name": "у Варшаві"}).json()
    assert result["match"]["code"] == "warsaw" and result["match"]["confidence"] > 0.9
    result = client.get("/api/v1/municipalities/resolve", params={"name": "qqqq"}).json()
    assert result["match"] is None
    assert client.get("/api/v1/municipalities/resolve", params={"name": ""}).status_code == 422


def test_taxonomy_localized(client):
    terms = client.get("/api/v1/taxonomy", params={"lang": "fa"}).json()
    assert [t["code"] for t in terms] == list(category_codes())
    assert all(len(t["labels"]) == 12 for t in terms)
    assert all(t["label"] == t["labels"]["fa"] for t in terms)


def test_openapi_documents_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/services", "/api/v1/services/{service_id}", "/api/v1/municipalities",
                 "/api/v1/municipalities/resolve", "/api/v1/taxonomy"):
        assert path in paths and paths[path]["get"]["summary"]


def test_api_docs_load_nothing_from_another_host(client):
    """Swagger UI's page and assets are served locally: /docs works offline."""
    page = client.get("/docs")
    assert page.status_code == 200 and "swagger-ui" in page.text
    references = re.findall(r"""(?:src|href|url)\s*[:=]\s*['"]([^'"]+)['"]""", page.text)
    assert references, page.text
    assert not [r for r in references if re.match(r"(?i)^(?:[a-z]+:)?//", r)], references
    assert not re.search(r"(?i)https?://(?!127\.0\.0\.1|localhost)", page.text)
    for asset in (r for r in references if r.startswith("/static/")):
        assert client.get(asset).status_code == 200, asset
    assert '"validatorUrl": null' in page.text
    assert client.get("/docs/oauth2-redirect").status_code == 200
    assert client.get("/redoc").status_code == 404  # ReDoc is off: its default assets come from a CDN


def test_total_says_whether_it_is_an_estimate(client, monkeypatch):
    from directory.services import search

    params = {"q": "corso di italiano", "municipality": "Milano", "limit": 2}
    exact = client.get("/api/v1/services", params=params).json()
    assert exact["total_is_estimate"] is False and exact["total"] >= 2
    monkeypatch.setattr(search, "EXACT_UP_TO", 1)
    estimated = client.get("/api/v1/services", params=params).json()
    assert estimated["total_is_estimate"] is True and estimated["total"] >= 2 and estimated["items"]
    schema = client.get("/openapi.json").json()["components"]["schemas"]["ServicePage"]["properties"]
    assert "estimate" in schema["total_is_estimate"]["description"]
