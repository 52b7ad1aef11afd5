"""Programme eligibility from desil, as data, and who enters or leaves (no Django).

A rule: ``program`` (code), ``desil_min``/``desil_maks`` (inclusive), ``kecuali`` (a list of
``{"kolom": name, "nilai": value}``: families where the column equals the value are excluded,
e.g. an ASN/TNI/Polri member), ``wilayah`` (a region code prefix, "" for everywhere) and
``kuota`` (at most this many families in that region, or None). Within a quota families are
taken poorest first: by desil, then score, then ``id_keluarga`` (deterministic tie-breaks).
"""

from __future__ import annotations

from typing import Any

import polars as pl

ORDER = ["desil", "score", "id_keluarga"]


def eligible(frame: pl.DataFrame, rules: list[dict[str, Any]]) -> pl.DataFrame:
    """``id_keluarga, kode_desa, program`` for every family each rule selects."""
    out = []
    for rule in rules:
        prefix = str(rule.get("wilayah") or "")
        chosen = frame.filter(
            pl.col("desil").is_between(int(rule.get("desil_min") or 1), int(rule["desil_maks"]))
            & pl.col("kode_desa").fill_null("").str.starts_with(prefix)
        )
        for condition in rule.get("kecuali") or []:
            column = condition["kolom"]
            if column not in chosen.columns:
                raise ValueError(
                    f"Aturan program {rule['program']}: kolom pengecualian '{column}' tidak ada "
                    "di data keluarga. Perbaiki aturan atau lengkapi datanya."
                )
            chosen = chosen.filter(pl.col(column).ne_missing(condition["nilai"]))
        chosen = chosen.sort(ORDER)
        if rule.get("kuota") is not None:
            chosen = chosen.head(int(rule["kuota"]))
        out.append(
            chosen.select("id_keluarga", "kode_desa", pl.lit(str(rule["program"])).alias("program"))
        )
    if not out:
        return pl.DataFrame(
            schema={"id_keluarga": pl.String, "kode_desa": pl.String, "program": pl.String}
        )
    return pl.concat(out).unique(["id_keluarga", "program"], keep="first", maintain_order=True)


def changes(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """Who enters (``masuk``) and who leaves (``keluar``) each programme: one row per family
    and programme whose eligibility differs, with its desa."""
    keys = ["id_keluarga", "program"]
    entering = after.join(before, on=keys, how="anti").with_columns(perubahan=pl.lit("masuk"))
    leaving = before.join(after, on=keys, how="anti").with_columns(perubahan=pl.lit("keluar"))
    return pl.concat([entering, leaving]).sort(["kode_desa", "program", "perubahan", "id_keluarga"])


def changes_by_desa(diff: pl.DataFrame) -> pl.DataFrame:
    """Counts per desa and programme: ``masuk``, ``keluar``."""
    if diff.height == 0:
        return pl.DataFrame(
            schema={
                "kode_desa": pl.String,
                "program": pl.String,
                "masuk": pl.UInt32,
                "keluar": pl.UInt32,
            }
        )
    return (
        diff.group_by("kode_desa", "program")
        .agg(
            masuk=(pl.col("perubahan") == "masuk").sum(),
            keluar=(pl.col("perubahan") == "keluar").sum(),
        )
        .sort("kode_desa", "program")
    )
