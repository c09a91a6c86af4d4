"""HSDS 3.0 as data: the tables, their fields and file names, and how they nest.

Field names, types and file names follow the Open Referral HSDS 3.0 schema
(``schema/*.json`` and ``datapackage.json`` of openreferral/specification, branch 3.0).
Our own additions are prefixed ``x_`` (HSDS allows extra properties, see "Extending HSDS").
"""

from __future__ import annotations

from dataclasses import dataclass

HSDS_VERSION = "3.0"

# table -> [(field, table-schema type, format or "")], in the order of the HSDS 3.0 datapackage.
TABLES: dict[str, list[tuple[str, str, str]]] = {
    "organization": [
        ("id", "string", "uuid"), ("name", "string", ""), ("alternate_name", "string", ""),
        ("description", "string", ""), ("email", "string", "email"), ("website", "string", "uri"),
        ("tax_status", "string", ""), ("tax_id", "string", ""), ("year_incorporated", "number", ""),
        ("legal_status", "string", ""), ("logo", "string", ""), ("uri", "string", "uri"),
        ("parent_organization_id", "string", "uuid"),
    ],
    "program": [
        ("id", "string", "uuid"), ("organization_id", "string", "uuid"), ("name", "string", ""),
        ("alternate_name", "string", ""), ("description", "string", ""),
    ],
    "service": [
        ("id", "string", "uuid"), ("organization_id", "string", "uuid"), ("program_id", "string", "uuid"),
        ("name", "string", ""), ("alternate_name", "string", ""), ("description", "string", ""),
        ("url", "string", "uri"), ("email", "string", "email"), ("status", "string", ""),
        ("interpretation_services", "string", ""), ("application_process", "string", ""),
        ("fees_description", "string", ""), ("wait_time", "string", ""), ("fees", "string", ""),
        ("accreditations", "string", ""), ("eligibility_description", "string", ""),
        ("minimum_age", "number", ""), ("maximum_age", "number", ""), ("assured_date", "date", ""),
        ("assurer_email", "string", "email"), ("licenses", "string", ""), ("alert", "string", ""),
        ("last_modified", "datetime", ""),
    ],
    "attribute": [
        ("id", "string", "uuid"), ("link_id", "string", "uuid"), ("taxonomy_term_id", "string", "uuid"),
        ("link_type", "string", ""), ("link_entity", "string", ""), ("value", "string", ""),
    ],
    "service_at_location": [
        ("id", "string", "uuid"), ("service_id", "string", "uuid"), ("location_id", "string", "uuid"),
        ("description", "string", ""),
    ],
    "location": [
        ("id", "string", "uuid"), ("location_type", "string", ""), ("url", "string", "uri"),
        ("organization_id", "string", "uuid"), ("name", "string", ""), ("alternate_name", "string", ""),
        ("description", "string", ""), ("transportation", "string", ""), ("latitude", "number", ""),
        ("longitude", "number", ""), ("external_identifier", "string", ""),
        ("external_identifier_type", "string", ""),
    ],
    "phone": [
        ("id", "string", "uuid"), ("location_id", "string", "uuid"), ("service_id", "string", "uuid"),
        ("organization_id", "string", "uuid"), ("contact_id", "string", "uuid"),
        ("service_at_location_id", "string", "uuid"), ("number", "string", ""), ("extension", "number", ""),
        ("type", "string", ""), ("description", "string", ""),
    ],
    "contact": [
        ("id", "string", "uuid"), ("organization_id", "string", "uuid"), ("service_id", "string", "uuid"),
        ("service_at_location_id", "string", "uuid"), ("location_id", "string", "uuid"), ("name", "string", ""),
        ("title", "string", ""), ("department", "string", ""), ("email", "string", "email"),
    ],
    "address": [
        ("id", "string", "uuid"), ("location_id", "string", "uuid"), ("attention", "string", ""),
        ("address_1", "string", ""), ("address_2", "string", ""), ("city", "string", ""),
        ("region", "string", ""), ("state_province", "string", ""), ("postal_code", "string", ""),
        ("country", "string", ""), ("address_type", "string", ""),
    ],
    "schedule": [
        ("id", "string", "uuid"), ("service_id", "string", "uuid"), ("location_id", "string", "uuid"),
        ("service_at_location_id", "string", "uuid"), ("valid_from", "date", ""), ("valid_to", "date", ""),
        ("dtstart", "date", ""), ("timezone", "number", ""), ("until", "date", ""), ("count", "number", ""),
        ("wkst", "string", ""), ("freq", "string", ""), ("interval", "number", ""), ("byday", "string", ""),
        ("byweekno", "string", ""), ("bymonthday", "string", ""), ("byyearday", "string", ""),
        ("description", "string", ""), ("opens_at", "time", ""), ("closes_at", "time", ""),
        ("schedule_link", "string", "uri"), ("attending_type", "string", ""), ("notes", "string", ""),
    ],
    "funding": [
        ("id", "string", "uuid"), ("organization_id", "string", "uuid"), ("service_id", "string", "uuid"),
        ("source", "string", ""),
    ],
    "service_area": [
        ("id", "string", "uuid"), ("service_id", "string", "uuid"), ("name", "string", ""),
        ("description", "string", ""), ("extent", "string", ""), ("extent_type", "string", ""),
        ("uri", "string", ""),
    ],
    "required_document": [
        ("id", "string", "uuid"), ("service_id", "string", "uuid"), ("document", "string", ""),
        ("uri", "string", "uri"),
    ],
    "language": [
        ("id", "string", "uuid"), ("service_id", "string", "uuid"), ("location_id", "string", "uuid"),
        ("phone_id", "string", "uuid"), ("name", "string", ""), ("code", "string", ""), ("note", "string", ""),
    ],
    "accessibility": [
        ("id", "string", "uuid"), ("location_id", "string", "uuid"), ("description", "string", ""),
        ("details", "string", ""), ("url", "string", "uri"),
    ],
    "taxonomy_term": [
        ("id", "string", "uuid"), ("code", "string", ""), ("name", "string", ""), ("description", "string", ""),
        ("parent_id", "string", "uuid"), ("taxonomy", "string", ""), ("language", "string", ""),
        ("taxonomy_id", "string", "uuid"), ("term_uri", "string", "uri"),
    ],
    "metadata": [
        ("id", "string", "uuid"), ("resource_id", "string", "uuid"), ("resource_type", "string", ""),
        ("last_action_date", "date", ""), ("last_action_type", "string", ""), ("field_name", "string", ""),
        ("previous_value", "string", ""), ("replacement_value", "string", ""), ("updated_by", "string", ""),
    ],
    "meta_table_description": [
        ("id", "string", "uuid"), ("name", "string", ""), ("language", "string", ""),
        ("character_set", "string", ""),
    ],
    "cost_option": [
        ("id", "string", "uuid"), ("service_id", "string", "uuid"), ("valid_from", "date", ""),
        ("valid_to", "date", ""), ("option", "string", ""), ("currency", "string", ""), ("amount", "number", ""),
        ("amount_description", "string", ""),
    ],
    "organization_identifier": [
        ("id", "string", "uuid"), ("organization_id", "string", "uuid"), ("identifier_scheme", "string", ""),
        ("identifier_type", "string", ""), ("identifier", "string", ""),
    ],
    "taxonomy": [
        ("id", "string", "uuid"), ("name", "string", ""), ("description", "string", ""),
        ("uri", "string", "uri"), ("version", "string", ""),
    ],
}

# The datapackage file of each table, as HSDS 3.0 names them; also the keys of the flat
# lists in our JSON document ("organizations", "taxonomy_terms", ...).
FILE_STEMS: dict[str, str] = {
    "organization": "organizations", "program": "programs", "service": "services", "attribute": "attributes",
    "service_at_location": "service_at_location", "location": "locations", "phone": "phones",
    "contact": "contacts", "address": "addresses", "schedule": "schedules", "funding": "funding",
    "service_area": "service_areas", "required_document": "required_documents", "language": "languages",
    "accessibility": "accessibility", "taxonomy_term": "taxonomy_terms", "metadata": "metadata",
    "meta_table_description": "meta_table_descriptions", "cost_option": "cost_options",
    "organization_identifier": "organization_identifiers", "taxonomy": "taxonomies",
}

# Our extension: per-field translations (not part of HSDS).
TRANSLATION_TABLE = "x_translation"
TRANSLATION_STEM = "x_translations"
TRANSLATION_FIELDS: list[tuple[str, str, str]] = [
    ("entity", "string", ""), ("entity_id", "string", ""), ("field", "string", ""), ("language", "string", ""),
    ("text", "string", ""), ("origin", "string", ""), ("status", "string", ""), ("updated_at", "datetime", ""),
]

# Our extension fields on HSDS tables: (field, type, description). Always taken from our columns.
EXTENSIONS: dict[str, list[tuple[str, str, str]]] = {
    "organization": [
        ("x_language", "string", "language of this record's own text (ISO 639-1)"),
        ("x_is_sample", "boolean", "true: SAMPLE data for demonstration, not verified information"),
    ],
    "service": [
        ("x_municipality_code", "string", "ADMin4ALL municipality code of the service"),
        ("x_is_free", "boolean", "true when the service costs nothing"),
        ("x_language", "string", "language of this record's own text (ISO 639-1)"),
        ("x_is_sample", "boolean", "true: SAMPLE data for demonstration, not verified information"),
    ],
    "location": [
        ("x_municipality_code", "string", "ADMin4ALL municipality code of the location"),
        ("x_language", "string", "language of this record's own text (ISO 639-1)"),
        ("x_is_sample", "boolean", "true: SAMPLE data for demonstration, not verified information"),
    ],
    "attribute": [
        ("label", "string", "display label of the attribute (the HSDS 3.1 field)"),
    ],
    "schedule": [
        ("x_timezone", "string", "IANA time zone of opens_at/closes_at, e.g. Europe/Rome"),
    ],
}
EXTENSION_FIELDS: dict[str, frozenset[str]] = {
    table: frozenset(name for name, _type, _doc in fields) for table, fields in EXTENSIONS.items()
}

# The tables our own model holds (others are kept verbatim in the owner's ``extra``).
MODELLED_TABLES = (
    "taxonomy", "taxonomy_term", "organization", "location", "address", "accessibility", "service",
    "service_at_location", "phone", "schedule", "language", "required_document", "attribute",
)
TABLE_ORDER = tuple(TABLES)


def field_names(table: str) -> list[str]:
    return [name for name, _type, _format in TABLES[table]] + [name for name, _t, _d in EXTENSIONS.get(table, [])]


@dataclass(frozen=True)
class Child:
    """A nested array ``key`` of ``table`` rows whose ``fk`` holds the parent's id.

    Attributes and metadata link any parent with two fields (``link_id``/``link_entity``,
    ``resource_id``/``resource_type``): ``kind`` names the second one.
    """

    key: str
    table: str
    fk: str
    kind: str | None = None


@dataclass(frozen=True)
class One:
    """A nested object ``key``: the parent's ``fk`` field holds the id of a ``table`` row."""

    key: str
    table: str
    fk: str


def _children() -> dict[str, list[Child]]:
    own: dict[str, list[tuple[str, str, str]]] = {
        "service": [
            ("phones", "phone", "service_id"), ("schedules", "schedule", "service_id"),
            ("service_areas", "service_area", "service_id"),
            ("service_at_locations", "service_at_location", "service_id"),
            ("languages", "language", "service_id"), ("funding", "funding", "service_id"),
            ("cost_options", "cost_option", "service_id"),
            ("required_documents", "required_document", "service_id"), ("contacts", "contact", "service_id"),
        ],
        "service_at_location": [
            ("contacts", "contact", "service_at_location_id"), ("phones", "phone", "service_at_location_id"),
            ("schedules", "schedule", "service_at_location_id"),
        ],
        "location": [
            ("languages", "language", "location_id"), ("addresses", "address", "location_id"),
            ("contacts", "contact", "location_id"), ("accessibility", "accessibility", "location_id"),
            ("phones", "phone", "location_id"), ("schedules", "schedule", "location_id"),
        ],
        "organization": [
            ("funding", "funding", "organization_id"), ("contacts", "contact", "organization_id"),
            ("phones", "phone", "organization_id"), ("locations", "location", "organization_id"),
            ("programs", "program", "organization_id"),
            ("organization_identifiers", "organization_identifier", "organization_id"),
        ],
        "phone": [("languages", "language", "phone_id")],
        "contact": [("phones", "phone", "contact_id")],
    }
    result: dict[str, list[Child]] = {}
    for table in TABLES:
        children = [Child(key, child, fk) for key, child, fk in own.get(table, [])]
        if table not in ("attribute", "metadata", "taxonomy", "taxonomy_term"):
            children.append(Child("attributes", "attribute", "link_id", "link_entity"))
        if table != "metadata":
            children.append(Child("metadata", "metadata", "resource_id", "resource_type"))
        result[table] = children
    return result


CHILDREN: dict[str, list[Child]] = _children()
ONE: dict[str, list[One]] = {
    "service": [One("organization", "organization", "organization_id"), One("program", "program", "program_id")],
    "service_at_location": [One("location", "location", "location_id")],
    "attribute": [One("taxonomy_term", "taxonomy_term", "taxonomy_term_id")],
    "taxonomy_term": [One("taxonomy_detail", "taxonomy", "taxonomy_id")],
}
# Nested arrays we never write when exporting (every location is nested under its services
# or listed at the top; repeating them under every service's organization would bloat the file).
EXPORT_SKIP: frozenset[tuple[str, str]] = frozenset({("organization", "locations")})
