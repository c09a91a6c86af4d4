"""Needs: the service intents and the taxonomy codes they stand for, and related needs."""

from __future__ import annotations

CATEGORY_CODES: tuple[str, ...] = (
    "residence.permit", "residence.asylum", "residence.registration", "housing.emergency", "housing.social",
    "housing.support", "education.language", "education.school", "education.recognition",
    "employment.jobcentre", "employment.training", "employment.rights", "health.care", "legal.aid",
    "social.benefits", "social.mediation", "family.children", "protection.gbv", "information.onestop",
)
INTENT_PREFIX = "need_"
NEED_INTENTS: dict[str, str] = {INTENT_PREFIX + code.replace(".", "_"): code for code in CATEGORY_CODES}

# When a city has nothing for a need, these are the closest other needs to offer.
RELATED: dict[str, tuple[str, ...]] = {
    "residence.permit": ("information.onestop", "legal.aid"),
    "residence.asylum": ("legal.aid", "information.onestop"),
    "residence.registration": ("information.onestop",),
    "housing.emergency": ("social.benefits", "housing.support"),
    "housing.social": ("housing.support", "social.benefits"),
    "housing.support": ("housing.social", "legal.aid"),
    "education.language": ("employment.training", "information.onestop"),
    "education.school": ("family.children", "information.onestop"),
    "education.recognition": ("employment.jobcentre", "information.onestop"),
    "employment.jobcentre": ("employment.training", "information.onestop"),
    "employment.training": ("employment.jobcentre", "education.language"),
    "employment.rights": ("legal.aid", "employment.jobcentre"),
    "health.care": ("information.onestop", "social.mediation"),
    "legal.aid": ("information.onestop", "employment.rights"),
    "social.benefits": ("information.onestop", "housing.support"),
    "social.mediation": ("information.onestop",),
    "family.children": ("social.benefits", "education.school"),
    "protection.gbv": ("housing.emergency", "legal.aid"),
    "information.onestop": ("social.mediation", "legal.aid"),
}
PROTECTION = ("protection.gbv",)
INFO_DESK = "information.onestop"


def category_of(intent: str | None) -> str | None:
    return NEED_INTENTS.get(intent or "")
