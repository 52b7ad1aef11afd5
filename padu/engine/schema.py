"""DTKS-CSV v1 column schema, read from ``dtks_csv_v1.yaml`` (no Django).

The YAML is the single description of the native file columns, their types and
code lists with their Bahasa Indonesia labels. Models, the synthetic generator,
readers and validators all take their column lists from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Literal

import yaml

ColumnType = Literal["id", "text", "code", "flag", "int", "float", "date", "nik", "region"]
TableName = Literal["keluarga", "art"]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    label: str
    required: bool = False
    codes: dict[int, str] = field(default_factory=dict)


@cache
def _load() -> dict[str, dict[str, Column]]:
    text = resources.files("padu.engine").joinpath("dtks_csv_v1.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    tables: dict[str, dict[str, Column]] = {}
    for table, columns in raw.items():
        tables[table] = {
            name: Column(
                name=name,
                type=spec["type"],
                label=spec.get("label", name),
                required=bool(spec.get("required", False)),
                codes={int(k): str(v) for k, v in (spec.get("codes") or {}).items()},
            )
            for name, spec in columns.items()
        }
    return tables


def columns(table: TableName) -> dict[str, Column]:
    """Columns of ``keluarga`` or ``art`` in file order."""
    return _load()[table]


def column_names(table: TableName) -> list[str]:
    return list(columns(table))


def code_label(table: TableName, column: str, code: int | None) -> str:
    """Bahasa Indonesia label of a code, or an empty string when unknown."""
    if code is None:
        return ""
    return columns(table)[column].codes.get(int(code), "")
