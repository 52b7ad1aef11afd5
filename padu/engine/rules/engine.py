"""Running the rule catalogue over keluarga and art frames or files (no Django).

:func:`check` prepares the frames once (lenient typing, identity numbers decoded with
:mod:`padu.engine.nik`, facts per family), runs every active rule and returns the findings:
``record_id, table, id_keluarga, rule, severity, field, message``. The issues file
(``shared/formats/dtks-csv.md``) is the first five columns of :data:`ISSUE_COLUMNS`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from padu.engine import io
from padu.engine.nik import check_nik_column, check_no_kk_column
from padu.engine.rules import eligibility, family, housing, identity  # noqa: F401 (register)
from padu.engine.rules.base import RULES, Data, NotApplicable
from padu.engine.rules.catalogue import SEVERITIES, Rule, default_catalogue
from padu.engine.rules.frames import Reference, prepare

ISSUE_COLUMNS = ["record_id", "rule", "severity", "field", "message"]
RESULT_SCHEMA = pl.Schema(
    {
        "record_id": pl.String,
        "table": pl.String,
        "id_keluarga": pl.String,
        "rule": pl.String,
        "severity": pl.String,
        "field": pl.String,
        "message": pl.String,
    }
)
PEER_COLUMNS = ["record_id", "id_keluarga", "nik", "nama", "tgl_lahir", "nama_ibu"]


@dataclass
class CheckResult:
    """Findings, the rules that could not run (code -> reason) and seconds per rule."""

    issues: pl.DataFrame
    skipped: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    n_keluarga: int = 0
    n_art: int = 0

    def counts(self) -> pl.DataFrame:
        """Findings per rule and severity, most frequent first."""
        return self.issues.group_by("rule", "severity").len().sort("len", descending=True)


def _identity_columns(frame: pl.DataFrame, *, with_nik: bool, ref: Reference) -> pl.DataFrame:
    kk = check_no_kk_column(frame["no_kk"].cast(pl.String))
    sixteen = kk["no_kk"].str.contains("^[0-9]{16}$").fill_null(False)
    columns = {
        "_kk": kk["no_kk"],
        "_kk_problem": kk["problem"],
        "_kk_kec": kk.select(pl.when(sixteen).then(pl.col("kecamatan"))).to_series(),
    }
    if with_nik:
        nik = check_nik_column(frame["nik"].cast(pl.String), today=ref.today)
        valid = nik["nik"].str.contains("^[0-9]{16}$").fill_null(False)
        columns.update(
            _nik=nik["nik"],
            _nik_problem=nik["problem"],
            _nik_birth=nik["birth_date"],
            _nik_sex=nik["sex"],
            _nik_kec=nik.select(pl.when(valid).then(pl.col("kecamatan"))).to_series(),
        )
    return frame.with_columns(pl.Series(name, values) for name, values in columns.items())


def _peers(peers: pl.DataFrame | None, ref: Reference) -> pl.DataFrame:
    if peers is None or peers.height == 0:
        return pl.DataFrame(
            schema={
                "record_id": pl.String,
                "id_keluarga": pl.String,
                "_nik": pl.String,
                "nama": pl.String,
                "tgl_lahir": pl.Date,
                "nama_ibu": pl.String,
            }
        )
    nik = check_nik_column(peers["nik"].cast(pl.String), today=ref.today)["nik"]
    return peers.select(
        record_id=pl.col("record_id").cast(pl.String),
        id_keluarga=pl.col("id_keluarga").cast(pl.String),
        _nik=nik,
        nama=pl.col("nama").cast(pl.String),
        tgl_lahir=pl.col("tgl_lahir").cast(pl.Date),
        nama_ibu=pl.col("nama_ibu").cast(pl.String),
    )


def prepare_data(
    keluarga: pl.DataFrame, art: pl.DataFrame, ref: Reference, peers: pl.DataFrame | None = None
) -> Data:
    kel, kel_bad = prepare(keluarga, "keluarga")
    persons, art_bad = prepare(art, "art")
    kel = _identity_columns(kel, with_nik=False, ref=ref)
    persons = _identity_columns(persons, with_nik=True, ref=ref)
    return Data(
        keluarga=kel,
        art=persons,
        families=family.family_facts(persons),
        bad=pl.concat([kel_bad, art_bad]),
        peers=_peers(peers, ref),
        ref=ref,
    )


def check(
    keluarga: pl.DataFrame,
    art: pl.DataFrame,
    *,
    reference: Reference,
    catalogue: Mapping[str, Rule] | None = None,
    peers: pl.DataFrame | None = None,
    progress: Callable[[str], None] | None = None,
) -> CheckResult:
    """Run every active rule of ``catalogue`` (default: the packaged one) over the frames.

    ``keluarga`` and ``art`` may be raw text (from :func:`io.read_raw`) or typed. ``peers``
    are other persons (columns :data:`PEER_COLUMNS`) the duplicate rules compare with;
    findings are reported only for records of ``keluarga`` and ``art``. ``progress`` is
    called with each rule's code once the rule has run (or been skipped).
    """
    rules = dict(catalogue) if catalogue is not None else default_catalogue()
    data = prepare_data(keluarga, art, reference, peers)
    result = CheckResult(
        issues=pl.DataFrame(schema=RESULT_SCHEMA), n_keluarga=keluarga.height, n_art=art.height
    )
    found: list[pl.DataFrame] = []
    for code, rule in rules.items():
        if progress is not None:
            progress(code)
        if not rule.active:
            continue
        function = RULES.get(code)
        if function is None:
            result.skipped[code] = "aturan ini belum punya pemeriksaan di mesin aturan"
            continue
        started = time.perf_counter()
        try:
            hits = function(data, rule.params)
        except NotApplicable as reason:
            result.skipped[code] = str(reason)
            continue
        result.seconds[code] = time.perf_counter() - started
        if hits.height:
            default_field = rule.fields[0] if rule.fields else None
            found.append(
                hits.with_columns(
                    rule=pl.lit(code),
                    severity=pl.lit(rule.severity),
                    field=pl.col("field").fill_null(pl.lit(default_field, dtype=pl.String)),
                    message=pl.concat_str(
                        [pl.lit(rule.message_text()), pl.col("detail"), pl.lit(rule.hint_text())],
                        separator=" ",
                        ignore_nulls=True,
                    ),
                )
            )
    if found:
        result.issues = _finish(pl.concat(found), data)
    return result


def _finish(found: pl.DataFrame, data: Data) -> pl.DataFrame:
    """Attach each record's family and sort: errors first, then by record and rule."""
    art_family = data.art.select("record_id", _fam=pl.col("id_keluarga").cast(pl.String))
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    joined = found.join(
        art_family.with_columns(table=pl.lit("art")), on=["table", "record_id"], how="left"
    )
    return (
        joined.with_columns(
            id_keluarga=pl.when(pl.col("table") == "keluarga")
            .then(pl.col("record_id"))
            .otherwise(pl.col("_fam")),
            _rank=pl.col("severity").replace_strict(rank, return_dtype=pl.Int8),
        )
        .sort("_rank", "table", "record_id", "rule", "field", maintain_order=True)
        .select(RESULT_SCHEMA.names())
        .cast(RESULT_SCHEMA)
    )


def check_files(
    keluarga_path: Path,
    art_path: Path,
    *,
    reference: Reference,
    catalogue: Mapping[str, Rule] | None = None,
    progress: Callable[[str], None] | None = None,
) -> CheckResult:
    """:func:`check` over DTKS-CSV files read leniently (every cell as text).

    ``progress`` is called after each file is read and after each rule.
    """
    keluarga = io.read_raw(keluarga_path)
    if progress is not None:
        progress(Path(keluarga_path).name)
    art = io.read_raw(art_path)
    if progress is not None:
        progress(Path(art_path).name)
    return check(keluarga, art, reference=reference, catalogue=catalogue, progress=progress)


def write_issues(issues: pl.DataFrame, path: Path) -> None:
    """The issues file: ``record_id,rule,severity,field,message``."""
    issues.select(ISSUE_COLUMNS).write_csv(path)
