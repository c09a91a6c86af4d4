"""Settings of the action server, read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class ActionSettings:
    directory_url: str = "http://127.0.0.1:8000"
    timeout_seconds: float = 3.0
    retries: int = 2
    page_size: int = 5

    @classmethod
    def from_env(cls) -> ActionSettings:
        return cls(
            directory_url=os.environ.get("DIRECTORY_URL", cls.directory_url).rstrip("/"),
            timeout_seconds=float(os.environ.get("DIRECTORY_TIMEOUT", cls.timeout_seconds)),
            retries=int(os.environ.get("DIRECTORY_RETRIES", cls.retries)),
            page_size=int(os.environ.get("RESULTS_PAGE_SIZE", cls.page_size)),
        )


@lru_cache(maxsize=1)
def get_settings() -> ActionSettings:
    return ActionSettings.from_env()
