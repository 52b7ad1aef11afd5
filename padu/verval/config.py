"""The verval settings (``pengaturan.yaml``): schedule, worklist thresholds, upload limits
and which roles act at which stage. Configuration as data (DESIGN.md rule 8)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

PATH = Path(__file__).with_name("pengaturan.yaml")


@cache
def settings() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(PATH.read_text("utf-8"))
    return data


def stage_roles(tahap: str) -> list[str]:
    """Role codes that act at ``tahap`` (desa, musdes, kecamatan, dinsos, pengesahan)."""
    roles: list[str] = settings()["peran"][tahap]
    return roles
