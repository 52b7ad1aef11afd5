"""The asuh settings (``pengaturan.yaml``)."""

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


def choices(key: str) -> dict[str, str]:
    return dict(settings()[key])
