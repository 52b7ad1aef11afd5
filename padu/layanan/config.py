"""The citizen service settings (``pengaturan.yaml``): limits, lockouts, sanggah reasons,
the programmes answered, the tracking code alphabet."""

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


def sanggah_reasons() -> dict[str, str]:
    return {row["kode"]: row["label"] for row in settings()["sanggah"]["alasan"]}
