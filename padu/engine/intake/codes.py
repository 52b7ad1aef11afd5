"""Translating what sources write into DTKS-CSV v1 codes (no Django).

Every code column accepts its numeric code, its Bahasa Indonesia label from the schema, the
text variants in ``codes.yaml``, and the source's own per-item mapping, which wins.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import polars as pl
import yaml

from padu.engine import schema

CodeMap = dict[str, int]


def _key(text: str) -> str:
    return " ".join(str(text).upper().replace("_", " ").split())


@cache
def _defaults() -> dict[str, dict[str, CodeMap]]:
    text = resources.files("padu.engine.intake").joinpath("codes.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    return {
        "flag": {"": {_key(k): int(v) for k, v in raw["flag"].items()}},
        "columns": {c: {_key(k): int(v) for k, v in m.items()} for c, m in raw["columns"].items()},
    }


def code_map(table: schema.TableName, column: str, source_map: CodeMap | None = None) -> CodeMap:
    """Accepted text (upper case) -> code for one column."""
    spec = schema.columns(table)[column]
    accepted: CodeMap = {}
    if spec.type == "flag":
        accepted.update(_defaults()["flag"][""])
    else:
        for code, label in spec.codes.items():
            accepted[str(code)] = code
            accepted[_key(label)] = code
        accepted.update(_defaults()["columns"].get(column, {}))
    accepted.update({_key(k): int(v) for k, v in (source_map or {}).items()})
    return accepted


def translate(values: pl.Expr, accepted: CodeMap) -> pl.Expr:
    """Codes for text values (null where not accepted: the caller reports those)."""
    keys = values.str.to_uppercase().str.replace_all(r"[_\s]+", " ").str.strip_chars()
    # "01" is code 1: leading zeros of numeric codes are not damage.
    keys = (
        pl.when(keys.str.contains(r"^0+[0-9]+$"))
        .then(keys.str.strip_chars_start("0"))
        .otherwise(keys)
    )
    return keys.replace_strict(
        list(accepted), list(accepted.values()), default=None, return_dtype=pl.Int64
    )
