"""Seeding default programmes and removal reasons from ``defaults.yaml``."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml


def default_data() -> dict[str, list[dict[str, Any]]]:
    text = resources.files("padu.registry").joinpath("defaults.yaml").read_text("utf-8")
    return dict(yaml.safe_load(text))


def seed_defaults(program_model: Any, reason_model: Any) -> None:
    """Create missing defaults; never overwrite what users have edited."""
    data = default_data()
    for spec in data["programs"]:
        program_model.objects.get_or_create(code=spec["code"], defaults=spec)
    for order, spec in enumerate(data["nonaktif_reasons"], start=1):
        reason_model.objects.get_or_create(code=spec["code"], defaults={**spec, "order": order})
