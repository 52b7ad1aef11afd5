"""Seeding the shipped BLT-DD rules (``padu/engine/danadesa/aturan.yaml``) into the database:
used by the migration and by the test session (never overwrites a stored year)."""

from __future__ import annotations

from typing import Any

from padu.engine.danadesa import bawaan, dari_dict


def seed_aturan(model: Any) -> None:
    for data in bawaan():
        rule = dari_dict(data)
        model.objects.get_or_create(
            tahun=rule.tahun, defaults={"dasar_hukum": rule.dasar_hukum, "data": data}
        )
