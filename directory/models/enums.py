"""The states and closed vocabularies of the directory."""

from __future__ import annotations

from enum import Enum


class ServiceStatus(str, Enum):
    active = "active"
    temporarily_closed = "temporarily closed"
    inactive = "inactive"
    defunct = "defunct"


class AdministrativeStatus(str, Enum):
    any = "any"
    asylum_seeker = "asylum_seeker"
    refugee = "refugee"
    beneficiary_of_protection = "beneficiary_of_protection"
    third_country_national = "third_country_national"
    eu_citizen = "eu_citizen"
    undocumented = "undocumented"


class Gender(str, Enum):
    any = "any"
    female = "female"
    male = "male"


class TranslationOrigin(str, Enum):
    human = "human"
    machine = "machine"


class TranslationStatus(str, Enum):
    draft = "draft"
    published = "published"
    needs_review = "needs_review"


class EntityType(str, Enum):
    organization = "organization"
    service = "service"
    location = "location"
    required_document = "required_document"
    closure = "closure"
    taxonomy_term = "taxonomy_term"


class AuditAction(str, Enum):
    create = "create"
    update = "update"
    delete = "delete"
