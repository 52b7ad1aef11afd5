"""The rule catalogue: ``catalogue.yaml`` as data, with overrides (no Django).

Each rule has a code, severity (``error`` / ``warning`` / ``info``), the tables and fields it
looks at, a message and a fix hint in Bahasa Indonesia, parameters and an on/off switch.
The app keeps a copy in its database; :func:`with_overrides` applies the values stored
there (active, severity, parameters, texts) over the defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

import yaml

SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "Galat", "warning": "Peringatan", "info": "Info"}
TABLES = ("keluarga", "art")


@dataclass(frozen=True)
class Rule:
    code: str
    group: str
    tables: tuple[str, ...]
    severity: str
    fields: tuple[str, ...]
    message: str
    hint: str
    params: dict[str, Any] = field(default_factory=dict)
    active: bool = True

    def message_text(self) -> str:
        """The message with the parameters filled in (``{umur_maksimal}``)."""
        return self.message.format(**self.params)

    def hint_text(self) -> str:
        return self.hint.format(**self.params)

    def text(self) -> str:
        """Message and hint with the parameters filled in."""
        return f"{self.message_text()} {self.hint_text()}"


class CatalogueError(ValueError):
    """A catalogue entry that cannot be used; the message names the rule and the key."""


def _rule(code: str, spec: Mapping[str, Any]) -> Rule:
    where = f"aturan {code}"
    severity = spec.get("tingkat")
    if severity not in SEVERITIES:
        raise CatalogueError(f"{where}: tingkat harus salah satu dari {', '.join(SEVERITIES)}.")
    tables = tuple(spec.get("tabel") or ())
    if not tables or any(t not in TABLES for t in tables):
        raise CatalogueError(f"{where}: tabel harus berisi keluarga dan/atau art.")
    for key in ("pesan", "saran", "kelompok"):
        if not str(spec.get(key) or "").strip():
            raise CatalogueError(f"{where}: '{key}' wajib diisi.")
    rule = Rule(
        code=code,
        group=str(spec["kelompok"]),
        tables=tables,
        severity=severity,
        fields=tuple(spec.get("kolom") or ()),
        message=str(spec["pesan"]).strip(),
        hint=str(spec["saran"]).strip(),
        params=dict(spec.get("parameter") or {}),
        active=bool(spec.get("aktif", True)),
    )
    try:
        rule.text()
    except (KeyError, IndexError) as exc:
        raise CatalogueError(f"{where}: pesan memakai parameter yang tidak ada: {exc}.") from exc
    return rule


def parse_catalogue(text: str) -> dict[str, Rule]:
    """Rules from catalogue YAML text, in file order."""
    data = yaml.safe_load(text) or {}
    entries = data.get("aturan")
    if not isinstance(entries, dict) or not entries:
        raise CatalogueError("Katalog aturan harus punya bagian 'aturan' yang berisi aturan.")
    return {code: _rule(code, spec) for code, spec in entries.items()}


@cache
def _default() -> dict[str, Rule]:
    path = resources.files("padu.engine.rules").joinpath("catalogue.yaml")
    return parse_catalogue(path.read_text("utf-8"))


def default_catalogue() -> dict[str, Rule]:
    """The packaged catalogue (a fresh dict; the rules themselves are immutable)."""
    return dict(_default())


def with_overrides(
    catalogue: Mapping[str, Rule], overrides: Mapping[str, Mapping[str, Any]]
) -> dict[str, Rule]:
    """``catalogue`` with stored values applied: keys ``active``, ``severity``, ``params``
    (merged over the defaults), ``message`` and ``hint``. Unknown codes are an error."""
    result = dict(catalogue)
    for code, values in overrides.items():
        if code not in result:
            raise CatalogueError(f"aturan {code}: tidak ada di katalog.")
        rule = result[code]
        severity = values.get("severity", rule.severity)
        if severity not in SEVERITIES:
            raise CatalogueError(f"aturan {code}: tingkat '{severity}' tidak dikenal.")
        result[code] = replace(
            rule,
            active=bool(values.get("active", rule.active)),
            severity=severity,
            params={**rule.params, **dict(values.get("params") or {})},
            message=str(values.get("message") or rule.message),
            hint=str(values.get("hint") or rule.hint),
        )
    return result
