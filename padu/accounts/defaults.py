"""Seeding the default roles from ``roles.yaml`` (used by a data migration and the demo)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml


def default_roles() -> list[dict[str, Any]]:
    text = resources.files("padu.accounts").joinpath("roles.yaml").read_text("utf-8")
    return list(yaml.safe_load(text))


def seed_roles(role_model: Any) -> int:
    """Create the default roles that are missing; never overwrite an edited role."""
    created = 0
    for spec in default_roles():
        _, was_created = role_model.objects.get_or_create(code=spec["code"], defaults=spec)
        created += int(was_created)
    return created
