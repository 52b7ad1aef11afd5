"""The probabilistic linkage model on Splink 5: comparisons, blocking, training, scoring.

Records come from :func:`padu.engine.linkage.evidence.prepare_records`. The comparisons
work on the normalised fields:

- ``nik``: exact; one digit wrong or two adjacent digits swapped; only a float-damaged
  prefix known and agreeing; different;
- ``nama``: exact canonical words (with term frequencies: a common name is weaker
  evidence); same words in any order or same phonetic key; same first identifying word
  and similar whole name; similar whole name; one name's words inside the other's;
  loosely similar; different. The first identifying word is what tells siblings and twins
  apart (same KK, address, mother and, for twins, birth date);
- ``tgl``: same date (a default 1 January/1 July date is its own, weaker level); day and
  month swapped, or the NIK's date agreeing with the other record's; same year with a
  default date; one character off; different;
- ``jk``, ``desa`` (same desa, same kecamatan), ``rt_rw``, ``kk``, ``ibu`` (mother's name).

Blocking rules (:data:`BLOCKING_RULES`) each pair records on a key; a key value shared by
more than ``max_block`` records is left out of that rule (a huge block such as
"Muhammad" or a default date would explode the pairs; other rules still reach those
records). Parameters: ``u`` from random pairs, ``m`` by expectation maximisation on
several blocking rules, the prior from deterministic rules.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import polars as pl

__all__ = ["BLOCKING_RULES", "LinkageModel", "ModelSettings", "block_keys", "build_settings"]

# name -> columns whose values must all be equal (and present)
BLOCKING_RULES: dict[str, tuple[str, ...]] = {
    "nik": ("nik",),
    "tgl_depan": ("tgl_baik", "nama_depan_kunci"),
    "desa_depan": ("desa", "nama_depan_kunci"),
    "kec_nama": ("kec", "nama_kunci"),
    "nik_awal12": ("nik12",),
    "desa_tahun": ("desa", "tahun", "jk"),
    "tahun_nama": ("tahun", "nama_urut"),
}

_SPLINK_COLUMNS = [
    "record_id", "source", "nik", "nik_awal", "nik_tgl", "kk", "nama_urut", "nama_kunci",
    "nama_depan", "nama_depan_kunci", "nama_kata", "tgl_baik", "tgl_tukar", "tgl_default",
    "jk", "desa", "kec", "rt", "rw", "ibu_norm", "tahun", "nama_akhir",
]  # fmt: skip


@dataclass(frozen=True)
class ModelSettings:
    """Knobs of the model (defaults suit DTKS-like data; all can come from YAML/DB)."""

    max_block: int = 400
    u_max_pairs: float = 5e5
    seed: int = 1
    prior_recall: float = 0.85
    m_floor: float = 1e-3
    em_rules: tuple[tuple[str, ...], ...] = (
        ("nik",),
        ("tgl_baik", "nama_depan_kunci"),
        ("tahun", "nama_akhir"),
    )
    min_training_pairs: int = 50
    blocking_rules: dict[str, tuple[str, ...]] = field(default_factory=lambda: BLOCKING_RULES)


def block_keys(records: pl.DataFrame, settings: ModelSettings) -> pl.DataFrame:
    """One key column ``blk_<rule>`` per blocking rule, blank where the block is too big."""
    frame = records.with_columns(nik12=pl.col("nik").str.slice(0, 12))
    keys = []
    for name, columns in settings.blocking_rules.items():
        key = pl.concat_str([pl.col(c).cast(pl.String) for c in columns], separator="|")
        size = pl.len().over(key)
        keys.append(
            pl.when(key.is_not_null() & (size <= settings.max_block)).then(key).alias(f"blk_{name}")
        )
    return frame.with_columns(keys)


def _level(sql: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, **extra}


def _comparisons() -> list[Any]:
    from splink import comparison_library as cl

    jw = "jaro_winkler_similarity"
    overlap = "len(list_intersect(nama_kata_l, nama_kata_r))"
    shorter = "least(len(nama_kata_l), len(nama_kata_r))"
    nik = cl.CustomComparison(
        output_column_name="nik",
        comparison_levels=[
            _level(
                "(nik_l IS NULL AND nik_awal_l IS NULL) OR (nik_r IS NULL AND nik_awal_r IS NULL)",
                "NIK kosong",
                is_null_level=True,
            ),
            _level("nik_l = nik_r", "NIK sama"),
            _level(
                "hamming(nik_l, nik_r) = 1 AND left(nik_l, 12) = left(nik_r, 12)",
                "NIK beda satu digit di nomor urut (bisa saudara kembar)",
            ),
            _level(
                "hamming(nik_l, nik_r) = 1 OR "
                "(hamming(nik_l, nik_r) = 2 AND damerau_levenshtein(nik_l, nik_r) = 1)",
                "NIK beda satu digit atau dua digit tertukar",
            ),
            _level(
                "starts_with(coalesce(nik_l, nik_awal_l), coalesce(nik_awal_r, nik_r)) OR "
                "starts_with(coalesce(nik_r, nik_awal_r), coalesce(nik_awal_l, nik_l))",
                "NIK rusak (float), awalan sama",
            ),
            _level("ELSE", "NIK beda"),
        ],
    )
    nama = cl.CustomComparison(
        output_column_name="nama",
        comparison_levels=[
            _level("nama_urut_l IS NULL OR nama_urut_r IS NULL", "nama kosong", is_null_level=True),
            _level("nama_urut_l = nama_urut_r", "nama sama", tf_adjustment_column="nama_urut"),
            _level("nama_kunci_l = nama_kunci_r", "nama sama bunyi"),
            _level(
                "nama_depan_kunci_l = nama_depan_kunci_r AND "
                f"{jw}(nama_urut_l, nama_urut_r) >= 0.85",
                "nama depan sama, nama mirip",
            ),
            _level(
                f"{jw}(nama_depan_l, nama_depan_r) >= 0.88 AND "
                f"{jw}(nama_urut_l, nama_urut_r) >= 0.9",
                "nama sangat mirip",
            ),
            _level(
                f"{overlap} >= 1 AND {overlap} = {shorter}", "nama yang satu di dalam yang lain"
            ),
            _level(f"{jw}(nama_urut_l, nama_urut_r) >= 0.8", "nama agak mirip"),
            _level("ELSE", "nama beda"),
        ],
    )
    tgl = cl.CustomComparison(
        output_column_name="tgl",
        comparison_levels=[
            _level(
                "tgl_baik_l IS NULL OR tgl_baik_r IS NULL", "tanggal kosong", is_null_level=True
            ),
            _level("tgl_baik_l = tgl_baik_r AND NOT tgl_default_l", "tanggal lahir sama"),
            _level("tgl_baik_l = tgl_baik_r", "tanggal lahir sama (tanggal bawaan)"),
            _level(
                "tgl_baik_l = tgl_tukar_r OR nik_tgl_l = tgl_baik_r OR tgl_baik_l = nik_tgl_r",
                "tanggal dan bulan tertukar, atau cocok dengan tanggal di NIK",
            ),
            _level(
                "year(tgl_baik_l) = year(tgl_baik_r) AND (tgl_default_l OR tgl_default_r)",
                "tahun sama, satu tanggal bawaan",
            ),
            _level(
                "damerau_levenshtein(strftime(tgl_baik_l, '%Y%m%d'), "
                "strftime(tgl_baik_r, '%Y%m%d')) <= 1",
                "tanggal beda satu angka",
            ),
            _level("ELSE", "tanggal beda"),
        ],
    )
    jk = cl.ExactMatch("jk")
    desa = cl.CustomComparison(
        output_column_name="desa",
        comparison_levels=[
            _level("desa_l IS NULL OR desa_r IS NULL", "desa kosong", is_null_level=True),
            _level("desa_l = desa_r", "desa sama"),
            _level("kec_l = kec_r", "kecamatan sama"),
            _level("ELSE", "wilayah beda"),
        ],
    )
    rt_rw = cl.CustomComparison(
        output_column_name="rt_rw",
        comparison_levels=[
            _level(
                "rt_l IS NULL OR rt_r IS NULL OR rw_l IS NULL OR rw_r IS NULL",
                "RT/RW kosong",
                is_null_level=True,
            ),
            _level("rt_l = rt_r AND rw_l = rw_r AND desa_l = desa_r", "RT/RW sama"),
            _level("ELSE", "RT/RW beda"),
        ],
    )
    kk = cl.ExactMatch("kk")
    ibu = cl.CustomComparison(
        output_column_name="ibu",
        comparison_levels=[
            _level(
                "ibu_norm_l IS NULL OR ibu_norm_r IS NULL", "nama ibu kosong", is_null_level=True
            ),
            _level("ibu_norm_l = ibu_norm_r", "nama ibu sama"),
            _level(f"{jw}(ibu_norm_l, ibu_norm_r) >= 0.9", "nama ibu mirip"),
            _level("ELSE", "nama ibu beda"),
        ],
    )
    return [nik, nama, tgl, jk, desa, rt_rw, kk, ibu]


def build_settings(settings: ModelSettings) -> Any:
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=_comparisons(),
        blocking_rules_to_generate_predictions=[
            block_on(f"blk_{name}") for name in settings.blocking_rules
        ],
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=["source"],
    )


class LinkageModel:
    """Train on and score one prepared frame of records with Splink's DuckDB backend."""

    def __init__(self, records: pl.DataFrame, settings: ModelSettings | None = None) -> None:
        from splink import DuckDBAPI, Linker

        self.settings = settings or ModelSettings()
        table = block_keys(records.select(_SPLINK_COLUMNS), self.settings)
        self.db_api = DuckDBAPI()
        self.db_api.duckdb_con.execute("SET preserve_insertion_order = false")
        self.db_api.duckdb_con.execute("SET enable_progress_bar = false")
        self.db_api.duckdb_con.register("padu_records", table.to_arrow())
        self.db_api.duckdb_con.execute("CREATE TABLE padu_input AS SELECT * FROM padu_records")
        frame = self.db_api.register("padu_input", table_name="orang")
        self.linker = Linker(frame, build_settings(self.settings), log_level=logging.ERROR)

    def train(self) -> None:
        """Estimate the prior, ``u`` and ``m`` from the data itself."""
        from splink import block_on

        training = self.linker.training
        deterministic = [
            rule for rule in (("nik",), ("nama_urut", "tgl_baik", "desa")) if self._pairs(rule)
        ]
        if deterministic:
            training.estimate_probability_two_random_records_match(
                [block_on(*rule) for rule in deterministic], recall=self.settings.prior_recall
            )
        training.estimate_u_using_random_sampling(
            max_pairs=self.settings.u_max_pairs, seed=self.settings.seed
        )
        for columns in self.settings.em_rules:
            if self._pairs(columns) < self.settings.min_training_pairs:
                continue  # e.g. no NIK in this data: the other rules train those levels
            training.estimate_parameters_using_expectation_maximisation(
                block_on(*columns), estimate_without_term_frequencies=True
            )
        self._floor_m()

    def _pairs(self, columns: tuple[str, ...]) -> int:
        """How many record pairs agree on every column (none blank)."""
        keys = ", ".join(columns)
        present = " AND ".join(f"{c} IS NOT NULL" for c in columns)
        sql = (
            f"SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n "
            f"FROM padu_input WHERE {present} GROUP BY {keys})"
        )
        rows = self.db_api.duckdb_con.cursor().execute(sql).fetchall()
        return int(rows[0][0] or 0) if rows else 0

    def _floor_m(self) -> None:
        """A level never seen among matches in training keeps a small ``m`` (a typo can
        always happen): no single disagreement may veto a link outright."""
        floor = self.settings.m_floor
        for comparison in self.linker._settings_obj.comparisons:
            for level in comparison.comparison_levels:
                if level.is_null_level:
                    continue
                m = level.m_probability
                if m is None or m < floor:
                    level.m_probability = floor

    def predict(self, threshold: float = 0.01) -> pl.DataFrame:
        """Scored candidate pairs at or above ``threshold`` (``record_id_l/_r``,
        ``match_probability``, ``match_weight``, the level of each comparison)."""
        pairs = self.linker.inference.predict(threshold_match_probability=threshold)
        relation = pairs.as_duckdbpyrelation()
        return pl.from_arrow(relation.to_arrow_table())  # type: ignore[return-value]
