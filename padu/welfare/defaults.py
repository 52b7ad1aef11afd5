"""Seeding the default eligibility rules from ``eligibility_defaults.yaml``."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml


def seed_eligibility(rule_model: Any, program_model: Any) -> None:
    """Province-wide default rules for the programmes that have none (never overwrites)."""
    text = resources.files("padu.welfare").joinpath("eligibility_defaults.yaml").read_text("utf-8")
    for spec in yaml.safe_load(text):
        program = program_model.objects.filter(code=spec["program"]).first()
        if program is None or rule_model.objects.filter(program=program, wilayah="").exists():
            continue
        rule_model.objects.create(
            program=program, wilayah="", desil_min=spec["desil_min"], desil_maks=spec["desil_maks"]
        )
