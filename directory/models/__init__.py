"""The directory's tables. Import models from here."""

from directory.models.audit import AuditEntry
from directory.models.base import Base, new_id
from directory.models.enums import (
    AdministrativeStatus,
    AuditAction,
    EntityType,
    Gender,
    ServiceStatus,
    TranslationOrigin,
    TranslationStatus,
)
from directory.models.geography import Municipality, MunicipalityName
from directory.models.location import Location, Phone, ServiceAtLocation
from directory.models.organization import Organization
from directory.models.schedule import WEEKDAYS, Closure, Schedule
from directory.models.search import SearchDocument
from directory.models.service import RequiredDocument, Service, ServiceEligibility, ServiceLanguage, ServiceTerm
from directory.models.taxonomy import GENDER_TAXONOMY, NEEDS_TAXONOMY, STATUS_TAXONOMY, Taxonomy, TaxonomyTerm
from directory.models.translation import Translation

__all__ = [
    "WEEKDAYS", "AdministrativeStatus", "AuditAction", "AuditEntry", "Base", "Closure", "EntityType",
    "GENDER_TAXONOMY", "Gender", "Location", "Municipality", "MunicipalityName", "NEEDS_TAXONOMY",
    "Organization", "Phone", "RequiredDocument", "STATUS_TAXONOMY", "Schedule", "SearchDocument",
    "Service", "ServiceAtLocation", "ServiceEligibility", "ServiceLanguage", "ServiceStatus",
    "ServiceTerm", "Taxonomy", "TaxonomyTerm", "Translation", "TranslationOrigin", "TranslationStatus",
    "new_id",
]
