"""Settings of the directory service, read once from the environment (prefix ``DIRECTORY_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "it", "de", "pl", "ro", "es", "el", "fr", "ar", "uk", "ru", "fa")
RTL_LANGUAGES: frozenset[str] = frozenset({"ar", "fa"})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DIRECTORY_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'directory.db'}",
        description="SQLAlchemy URL: sqlite:///path (default) or postgresql+psycopg://user@host/db",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    page_size_max: int = Field(default=100, ge=1, le=1000)
    echo_sql: bool = False
    rasa_public_url: str = Field(
        default="", description="Rasa's address as the browser reaches it; empty: the page's host on port 5005"
    )

    @field_validator("database_url")
    @classmethod
    def _known_engine(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("database_url must be a sqlite:// or postgresql:// URL")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
