"""Pure functions that shape what the assistant sends: the ``service_list`` payload and its
plain-text summary for channels that cannot render cards."""

from __future__ import annotations

from typing import Any

RLI, PDI = "\u2067", "\u2069"
FSI = "\u2068"


def service_card(item: dict[str, Any]) -> dict[str, Any]:
    """One service as the ``service_list`` contract of ARCHITECTURE.md, plus display extras."""
    phones = item.get("phones") or []
    locations = item.get("locations") or []
    first = locations[0] if locations else {}
    return {
        "id": item["id"],
        "name": item["name"],
        "name_localized": item.get("name_localized"),
        "categories": [c["code"] for c in item.get("categories", [])],
        "category_labels": [c["label"] for c in item.get("categories", [])],
        "municipality": (item.get("municipality") or {}).get("code"),
        "address": item.get("address"),
        "map_url": first.get("map_url"),
        "phone": phones[0]["number"] if phones else None,
        "opening_hours": item.get("opening_hours_text"),
        "opening_hours_week": item.get("opening_hours") or [],
        "today_hours": item.get("today_hours"),
        "open_now": item.get("open_now"),
        "status": item.get("status"),
        "languages": item.get("languages") or [],
        "language_names": item.get("language_names") or [],
        "documents": item.get("required_documents") or [],
        "fees": item.get("fees"),
        "is_free": item.get("is_free"),
        "url": item.get("url"),
        "last_verified": item.get("last_verified"),
        "is_sample": bool(item.get("is_sample")),
        "machine_translated": any(s.get("origin") == "machine" for s in (item.get("field_sources") or {}).values()),
    }


def service_list_payload(items: list[dict[str, Any]], language: str, total: int, offset: int) -> dict[str, Any]:
    return {
        "type": "service_list",
        "services": [service_card(item) for item in items],
        "language": language,
        "total": total,
        "offset": offset,
    }


def _ltr(text: str, language: str) -> str:
    return f"{FSI}{text}{PDI}" if language in ("ar", "fa") and text else text


def summary_text(items: list[dict[str, Any]], labels: dict[str, str], language: str, start: int = 1) -> str:
    """'1. Name — Address — Today: 08:30–12:30 — ☎ +39 ...' one line a service."""
    lines = []
    for number, item in enumerate(items, start=start):
        card = service_card(item)
        parts = [f"{number}. {card['name']}"]
        if card["address"]:
            parts.append(card["address"])
        if card["status"] == "temporarily closed":
            parts.append(labels.get("label_temporarily_closed", "temporarily closed"))
        elif card["today_hours"]:
            parts.append(f"{labels.get('label_today', 'Today')}: {card['today_hours']}")
        if card["phone"]:
            parts.append(f"☎ {_ltr(card['phone'], language)}")
        lines.append(" — ".join(parts))
    if any(item.get("is_sample") for item in items):
        lines.append(f"({labels.get('label_sample_data', 'Sample data: not verified')})")
    return "\n".join(lines)
