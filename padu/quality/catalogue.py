"""The rule catalogue between the packaged YAML (defaults) and the database (changes)."""

from __future__ import annotations

from typing import Any

from padu.engine.rules import Rule as EngineRule
from padu.engine.rules import default_catalogue, with_overrides


def default_rows() -> list[dict[str, Any]]:
    """Field values of quality.Rule for every packaged rule, in catalogue order."""
    return [
        {
            "code": rule.code,
            "group": rule.group,
            "tables": list(rule.tables),
            "severity": rule.severity,
            "fields": list(rule.fields),
            "message": rule.message,
            "hint": rule.hint,
            "params": rule.params,
            "active": rule.active,
            "order": order,
        }
        for order, rule in enumerate(default_catalogue().values(), start=1)
    ]


def stored_catalogue() -> dict[str, EngineRule]:
    """The packaged catalogue with the values stored in the database applied over it."""
    from padu.quality.models import Rule

    defaults = default_catalogue()
    overrides = {
        row["code"]: row
        for row in Rule.objects.filter(code__in=list(defaults)).values(
            "code", "active", "severity", "params", "message", "hint"
        )
    }
    return with_overrides(defaults, overrides)
