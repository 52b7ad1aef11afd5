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

__all__ = [
    "BLOCKING_RULES",
    "LinkageModel",
    "ModelSettings",
    "block_keys",
    "build_settings",
    "duckdb_api",
    "register_table",
    "splink_table",
    "to_polars",
]

log = logging.getLogger(__name__)

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
    em_max_iterations: int = 25
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


# SQL that differs between Splink's backends (everything else is common SQL)
_SQL: dict[str, dict[str, str]] = {
    "duckdb": {
        "jw": "jaro_winkler_similarity({a}, {b})",
        "overlap": "len(list_intersect({a}, {b}))",
        "size": "len({a})",
        "hamming": "hamming({a}, {b})",
        "dl": "damerau_levenshtein({a}, {b})",
        "starts": "starts_with({a}, {b})",
        "ymd": "strftime({a}, '%Y%m%d')",
    },
    "spark": {
        "jw": "jaro_winkler({a}, {b})",
        "overlap": "size(array_intersect({a}, {b}))",
        "size": "size({a})",
        # NIKs are exactly 16 digits: count the positions that differ
        "hamming": (
            "size(filter(sequence(1, 16), i -> substring({a}, i, 1) != substring({b}, i, 1)))"
        ),
        "dl": "damerau_levenshtein({a}, {b})",
        "starts": "startswith({a}, {b})",
        "ymd": "date_format({a}, 'yyyyMMdd')",
    },
}


def _comparisons(dialect: str = "duckdb") -> list[Any]:
    from splink import comparison_library as cl

    sql = _SQL[dialect]

    def fn(name: str, a: str, b: str = "") -> str:
        return sql[name].format(a=a, b=b)

    def jw(column: str) -> str:
        return fn("jw", f"{column}_l", f"{column}_r")

    overlap = fn("overlap", "nama_kata_l", "nama_kata_r")
    shorter = f"least({fn('size', 'nama_kata_l')}, {fn('size', 'nama_kata_r')})"
    hamming = fn("hamming", "nik_l", "nik_r")
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
                f"{hamming} = 1 AND left(nik_l, 12) = left(nik_r, 12)",
                "NIK beda satu digit di nomor urut (bisa saudara kembar)",
            ),
            _level(
                f"{hamming} = 1 OR ({hamming} = 2 AND {fn('dl', 'nik_l', 'nik_r')} = 1)",
                "NIK beda satu digit atau dua digit tertukar",
            ),
            _level(
                fn("starts", "coalesce(nik_l, nik_awal_l)", "coalesce(nik_awal_r, nik_r)")
                + " OR "
                + fn("starts", "coalesce(nik_r, nik_awal_r)", "coalesce(nik_awal_l, nik_l)"),
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
                f"nama_depan_kunci_l = nama_depan_kunci_r AND {jw('nama_urut')} >= 0.85",
                "nama depan sama, nama mirip",
            ),
            _level(
                f"{jw('nama_depan')} >= 0.88 AND {jw('nama_urut')} >= 0.9",
                "nama sangat mirip",
            ),
            _level(
                f"{overlap} >= 1 AND {overlap} = {shorter}", "nama yang satu di dalam yang lain"
            ),
            _level(f"{jw('nama_urut')} >= 0.8", "nama agak mirip"),
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
                fn("dl", fn("ymd", "tgl_baik_l"), fn("ymd", "tgl_baik_r")) + " <= 1",
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
            _level(f"{jw('ibu_norm')} >= 0.9", "nama ibu mirip"),
            _level("ELSE", "nama ibu beda"),
        ],
    )
    return [nik, nama, tgl, jk, desa, rt_rw, kk, ibu]


def build_settings(settings: ModelSettings, dialect: str = "duckdb") -> Any:
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=_comparisons(dialect),
        blocking_rules_to_generate_predictions=[
            block_on(f"blk_{name}") for name in settings.blocking_rules
        ],
        max_iterations=settings.em_max_iterations,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=["source"],
    )


def splink_table(records: pl.DataFrame, settings: ModelSettings) -> pl.DataFrame:
    """The columns Splink sees: the prepared evidence plus one blocking key per rule."""
    return block_keys(records.select(_SPLINK_COLUMNS), settings)


def duckdb_api() -> Any:
    """A quiet DuckDB connection for Splink."""
    from splink import DuckDBAPI

    db_api = DuckDBAPI()
    db_api.duckdb_con.execute("SET preserve_insertion_order = false")
    db_api.duckdb_con.execute("SET enable_progress_bar = false")
    return db_api


def register_table(db_api: Any, table: pl.DataFrame, name: str) -> Any:
    """``table`` as a table of ``db_api``'s database (a SplinkDataFrame)."""
    if db_api.sql_dialect.sql_dialect_str == "duckdb":
        db_api.duckdb_con.register(f"{name}_arrow", table.to_arrow())
        db_api.duckdb_con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_arrow")
        db_api.duckdb_con.unregister(f"{name}_arrow")
        return db_api.register(name, table_name=name)
    return db_api.register(table.to_arrow(), table_name=name)


def to_polars(frame: Any) -> pl.DataFrame:
    """A SplinkDataFrame of either backend as a Polars frame."""
    if hasattr(frame, "as_duckdbpyrelation"):
        result = pl.from_arrow(frame.as_duckdbpyrelation().to_arrow_table())
    else:
        result = pl.from_arrow(frame.as_spark_dataframe().toArrow())
    assert isinstance(result, pl.DataFrame)
    return result


class LinkageModel:
    """Train on and score one prepared frame of records with a Splink backend.

    ``db_api`` is Splink's database API: DuckDB (the default, one machine) or Spark
    (:mod:`padu.engine.linkage.spark`); comparisons, blocking and training are the same.
    """

    def __init__(
        self, records: pl.DataFrame, settings: ModelSettings | None = None, db_api: Any = None
    ) -> None:
        from splink import Linker

        self.settings = settings or ModelSettings()
        self.table = splink_table(records, self.settings)
        self.db_api = db_api if db_api is not None else duckdb_api()
        dialect = self.db_api.sql_dialect.sql_dialect_str
        frame = register_table(self.db_api, self.table, "padu_input")
        self.linker = Linker(frame, build_settings(self.settings, dialect), log_level=logging.ERROR)
        self.skipped_em: list[str] = []  # EM sessions Splink refused (see train)

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
        self._estimate_u()
        for columns in self.settings.em_rules:
            if self._pairs(columns) < self.settings.min_training_pairs:
                continue  # e.g. no NIK in this data: the other rules train those levels
            try:
                training.estimate_parameters_using_expectation_maximisation(
                    block_on(*columns), estimate_without_term_frequencies=True
                )
            except ValueError as exc:
                # Splink refuses an m of exactly 0: a level never seen among the likely
                # matches of this block (small data, one kecamatan). That session is left
                # out; the other rules train those levels and _floor_m bounds the rest.
                if "m_probability" not in str(exc):
                    raise
                log.info("EM pada blok %s dilewati: %s", "+".join(columns), exc)
                self.skipped_em.append("+".join(columns))
        self._floor_m()

    def _estimate_u(self) -> None:
        """``u`` from all pairs of a seeded random sample of records (at most
        ``u_max_pairs`` pairs). Padu draws the sample, not the database, and the sample,
        small by construction, is compared on DuckDB whatever the engine: every engine
        gets the same ``u``, and Spark is spared dozens of small jobs."""
        from splink import Linker

        n = self.table.height
        rows = min(n, int(0.5 * ((8 * self.settings.u_max_pairs + 1) ** 0.5 + 1)))
        sample = self.table if rows == n else self.table.sample(n=rows, seed=self.settings.seed)
        on_duckdb = self.db_api.sql_dialect.sql_dialect_str == "duckdb"
        db_api = self.db_api if on_duckdb else duckdb_api()
        frame = register_table(db_api, sample, "padu_u_sampel")
        sampled = Linker(frame, build_settings(self.settings), log_level=logging.ERROR)
        sampled.training.estimate_u_using_random_sampling(
            max_pairs=rows * (rows - 1) / 2 + 1, min_count_per_level=None, num_chunks=1
        )
        pairs = zip(
            self.linker._settings_obj.comparisons, sampled._settings_obj.comparisons, strict=True
        )
        for mine, theirs in pairs:
            levels = zip(mine.comparison_levels, theirs.comparison_levels, strict=True)
            for level, estimated in levels:
                if not level.is_null_level:
                    level.u_probability = estimated._u_probability
                    level._add_trained_u_probability(
                        estimated.u_probability, f"u dari sampel acak {rows} rekaman"
                    )

    def _pairs(self, columns: tuple[str, ...]) -> int:
        """How many record pairs agree on every column (none blank)."""
        sizes = self.table.drop_nulls(list(columns)).group_by(columns).len()["len"]
        return int((sizes * (sizes - 1) // 2).sum())

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

    def parameters(self) -> dict[str, Any]:
        """The trained model as Splink's settings dict (JSON-serialisable)."""
        return self.linker.misc.save_model_to_json()

    def predict(self, threshold: float = 0.01) -> pl.DataFrame:
        """Scored candidate pairs at or above ``threshold`` (``record_id_l/_r``,
        ``match_probability``, ``match_weight``, the level of each comparison)."""
        pairs = self.linker.inference.predict(threshold_match_probability=threshold)
        return to_polars(pairs)
