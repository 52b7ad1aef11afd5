"""Seeding the default roles from ``roles.yaml`` (used by data migrations and the demo)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml


def default_roles() -> list[dict[str, Any]]:
    text = resources.files("padu.accounts").joinpath("roles.yaml").read_text("utf-8")
    return list(yaml.safe_load(text))


def _known(role_model: Any, spec: dict[str, Any]) -> dict[str, Any]:
    """Only the keys the (possibly historical) model has: migrations see older models."""
    fields = {f.name for f in role_model._meta.get_fields()}
    return {k: v for k, v in spec.items() if k in fields}


def seed_roles(role_model: Any) -> int:
    """Create the default roles that are missing; never overwrite an edited role."""
    created = 0
    for spec in default_roles():
        _, was_created = role_model.objects.get_or_create(
            code=spec["code"], defaults=_known(role_model, spec)
        )
        created += int(was_created)
    return created


def seed_role_fields(role_model: Any, fields: list[str]) -> int:
    """Set newly added ``fields`` of the existing default roles to their default values."""
    updated = 0
    for spec in default_roles():
        values = {f: spec[f] for f in fields if f in spec}
        updated += role_model.objects.filter(code=spec["code"]).update(**values)
    return updated
