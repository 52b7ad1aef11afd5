"""The golden record of each cluster by survivorship rules kept as data (YAML).

For every group of columns in ``survivorship.yaml`` (or the file named by the setting
``PADU_LINKAGE_SURVIVORSHIP``), a column's value comes from the first member that fills
it, ordered by the group's source kinds (``urutan_sumber``), then by its time columns
(``lalu``, latest first), then by the smallest person id. Each golden value records the
person and source row it came from, and the source's name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl
import yaml
from django.conf import settings

DEFAULT_RULES = Path(__file__).with_name("survivorship.yaml")
TIME_COLUMNS = ("verified_at", "updated_at")


class SurvivorshipError(ValueError):
    """The survivorship file cannot be used (message in Bahasa Indonesia)."""


@dataclass(frozen=True)
class Group:
    name: str
    columns: tuple[str, ...]
    source_order: tuple[str, ...]
    then: tuple[str, ...]


def rules_path() -> Path:
    return Path(getattr(settings, "PADU_LINKAGE_SURVIVORSHIP", "") or DEFAULT_RULES)


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> tuple[Group, ...]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SurvivorshipError(f"Aturan rekaman emas {path} tidak dapat dibaca: {exc}") from exc
    groups = []
    for i, item in enumerate((data or {}).get("kelompok") or [], start=1):
        then = tuple(item.get("lalu") or ())
        unknown = [c for c in then if c not in TIME_COLUMNS]
        if unknown or not item.get("kolom"):
            raise SurvivorshipError(
                f"Aturan rekaman emas {path}, kelompok ke-{i}: isi 'kolom' dengan daftar kolom "
                f"dan 'lalu' hanya dengan {', '.join(TIME_COLUMNS)} (bukan {', '.join(unknown)})."
            )
        groups.append(
            Group(
                name=str(item.get("nama") or f"kelompok{i}"),
                columns=tuple(item["kolom"]),
                source_order=tuple(item.get("urutan_sumber") or ()),
                then=then,
            )
        )
    if not groups:
        raise SurvivorshipError(f"Aturan rekaman emas {path} tidak berisi 'kelompok'.")
    return tuple(groups)


def load_rules(path: Path | None = None) -> tuple[Group, ...]:
    path = path or rules_path()
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise SurvivorshipError(f"Berkas aturan rekaman emas {path} tidak ada.") from exc
    return _load(str(path), mtime)


def golden_records(members: pl.DataFrame, groups: tuple[Group, ...] | None = None) -> pl.DataFrame:
    """``cluster_id, kode_desa, golden`` (JSON text) for the clusters of ``members``.

    ``members`` has ``cluster_id``, ``id`` (person), ``source_record_id``, ``source``,
    ``source_kind``, the time columns and the data columns (text).
    """
    groups = groups or load_rules()
    clusters = members.select("cluster_id").unique()
    fields: list[pl.DataFrame] = []
    for group in groups:
        rank = {kind: i for i, kind in enumerate(group.source_order)}
        ordered = members.with_columns(
            _rank=pl.col("source_kind").replace_strict(
                rank, default=len(rank), return_dtype=pl.Int32
            )
        )
        keys = ["cluster_id", "_rank", *group.then, "id"]
        descending = [False, False, *([True] * len(group.then)), False]
        for column in group.columns:
            if column not in members.columns:
                continue
            best = (
                ordered.filter(pl.col(column).is_not_null())
                .sort(keys, descending=descending, nulls_last=True)
                .group_by("cluster_id", maintain_order=True)
                .first()
                .select(
                    "cluster_id",
                    pl.struct(
                        nilai=pl.col(column).cast(pl.String),
                        orang=pl.col("id"),
                        baris_sumber=pl.col("source_record_id"),
                        sumber=pl.col("source"),
                    ).alias(column),
                )
            )
            fields.append(best)
    out = clusters
    for part in fields:
        out = out.join(part, on="cluster_id", how="left")
    data = [c for c in out.columns if c != "cluster_id"]
    desa = (
        out["kode_desa"].struct.field("nilai")
        if "kode_desa" in data
        else pl.Series([None] * out.height)
    )
    return out.select(
        "cluster_id",
        kode_desa=desa.fill_null(""),
        golden=_json_without_empty(data),
    )


def _json_without_empty(columns: list[str]) -> pl.Expr:
    """A JSON object of the filled struct columns only: ``{"nama": {...}, ...}`` (empty
    fields are left out, so a 100k run stores a third less)."""
    if not columns:
        return pl.lit("{}")
    parts = [
        pl.when(pl.col(c).is_not_null()).then(
            pl.concat_str(pl.lit(json.dumps(c) + ":"), pl.col(c).struct.json_encode())
        )
        for c in columns
    ]
    body = pl.concat_str(parts, separator=",", ignore_nulls=True).fill_null("")
    return pl.concat_str(pl.lit("{"), body, pl.lit("}"))


def golden_dict(text: str) -> dict[str, dict[str, object]]:
    """The stored JSON with absent fields left out."""
    return {k: v for k, v in json.loads(text).items() if v is not None}
