"""The BLT-DD candidate list of every desa, ranked by the year's cascade (no Django).

:func:`susun` takes the family columns of :mod:`padu.engine.danadesa.ciri`, one year's
:class:`~padu.engine.danadesa.aturan.Aturan` and the budget of each desa (``kode_desa``,
``pagu`` in rupiah, optional ``persen``: the share planned for BLT-DD, the rule's share when
missing) and returns, vectorised over all desa at once:

- ``daftar``: every family that meets a tier and no exclusion, in rank order per desa, with
  its tier (``tingkat``, ``alasan``), rank (``peringkat``), whether it is within the cap
  (``dalam_kuota``: rank <= floor(pagu x share / (amount x months))) and ``keterangan``,
  which says why it stands where it does, ties included;
- ``dikecualikan``: families that would meet a tier but are excluded, with the reasons;
- ``ringkasan``: per desa the pagu, share, quota, families qualifying, within and outside
  the cap, and desil-1 families left outside.

Order inside a desa: tier, then the rule's ``urutan`` (nulls last), then ``id_keluarga``:
the same data always gives the same list, and a tie on everything but the id says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from padu.engine.danadesa.aturan import Aturan, AturanError, Syarat

BASIS = 10_000  # persen is carried as hundredths of a percent (basis points)
# How an order column is named in the explanation of a rank (others: as written).
LABEL = {"desil": "desil", "score": "skor PMT", "jumlah_art": "anggota"}


@dataclass(frozen=True)
class Hasil:
    daftar: pl.DataFrame
    dikecualikan: pl.DataFrame
    ringkasan: pl.DataFrame


def _expr(s: Syarat) -> pl.Expr:
    col = pl.col(s.kolom)
    if s.dalam is not None:
        cond = col.is_in(list(s.dalam))
    elif s.min is not None or s.maks is not None:
        cond = pl.lit(True)
        if s.min is not None:
            cond = cond & (col >= s.min)
        if s.maks is not None:
            cond = cond & (col <= s.maks)
    else:
        cond = col == s.sama
    return cond.fill_null(False)


def _check_columns(ciri: pl.DataFrame, aturan: Aturan) -> None:
    missing = sorted((aturan.kolom() | {"id_keluarga", "kode_desa"}) - set(ciri.columns))
    if missing:
        raise AturanError(
            f"Aturan BLT-DD tahun {aturan.tahun} memakai kolom yang tidak ada di data keluarga: "
            f"{', '.join(missing)}. Perbaiki aturan atau lengkapi datanya."
        )


def _tier(aturan: Aturan) -> pl.Expr:
    chain: pl.Expr | None = None
    for i, t in enumerate(aturan.tingkat, start=1):
        cond = pl.lit(True)
        for s in t.semua:
            cond = cond & _expr(s)
        if t.salah_satu:
            anyof = pl.lit(False)
            for s in t.salah_satu:
                anyof = anyof | _expr(s)
            cond = cond & anyof
        chain = pl.when(cond).then(pl.lit(i)) if chain is None else chain.when(cond).then(pl.lit(i))  # type: ignore[attr-defined]
    assert chain is not None
    return chain.otherwise(pl.lit(None)).cast(pl.Int16)  # type: ignore[attr-defined]


def _exclusions(aturan: Aturan) -> pl.Expr:
    if not aturan.pengecualian:
        return pl.lit([], dtype=pl.List(pl.String))
    parts = [pl.when(_expr(p.syarat)).then(pl.lit(p.nama)) for p in aturan.pengecualian]
    return pl.concat_list(parts).list.drop_nulls()


def _quota(pagu: pl.DataFrame, aturan: Aturan) -> pl.DataFrame:
    rule_bp = int(aturan.persen * 100)
    bp = (
        pl.col("persen").cast(pl.Float64).mul(100).round(0).cast(pl.Int64)
        if "persen" in pagu.columns
        else pl.lit(None)
    )
    return pagu.select(
        pl.col("kode_desa").cast(pl.String),
        pl.col("pagu").cast(pl.Int64),
        bp.fill_null(rule_bp).alias("persen_bp"),
    ).with_columns(
        kuota=(pl.col("pagu") * pl.col("persen_bp")) // (BASIS * aturan.nilai_per_tahun),
        persen=pl.col("persen_bp") / 100.0,
    )


def susun(ciri: pl.DataFrame, aturan: Aturan, pagu: pl.DataFrame) -> Hasil:
    """Rank every desa's families (see the module's docstring)."""
    _check_columns(ciri, aturan)
    names = [t.nama for t in aturan.tingkat]
    codes = [t.kode for t in aturan.tingkat]
    marked = ciri.with_columns(tingkat=_tier(aturan), pengecualian=_exclusions(aturan)).filter(
        pl.col("tingkat").is_not_null()
    )
    excluded = marked.filter(pl.col("pengecualian").list.len() > 0)
    keys = [u.kolom for u in aturan.urutan]
    order = ["kode_desa", "tingkat", *keys, "id_keluarga"]
    desc = [False, False, *[u.turun for u in aturan.urutan], False]
    listed = (
        marked.filter(pl.col("pengecualian").list.len() == 0)
        .drop("pengecualian")
        .sort(order, descending=desc, nulls_last=True)
        .with_columns(peringkat=(pl.int_range(pl.len()).over("kode_desa") + 1).cast(pl.Int32))
    )
    quota = _quota(pagu, aturan)
    listed = listed.join(
        quota.select("kode_desa", "kuota"), on="kode_desa", how="left"
    ).with_columns(pl.col("kuota").fill_null(0))
    seri = pl.len().over(["kode_desa", "tingkat", *keys]) - 1
    tier_index = pl.col("tingkat").cast(pl.Int32) - 1
    alasan = pl.col("tingkat").replace_strict(
        list(range(1, len(names) + 1)), names, return_dtype=pl.String
    )

    def shown(k: str) -> pl.Expr:
        value = pl.col(k).round(3) if listed.schema[k].is_float() else pl.col(k)
        return pl.format("{} {}", pl.lit(LABEL.get(k, k)), value.cast(pl.String).fill_null("-"))

    describe = [shown(k) for k in keys]
    urut = pl.concat_str(describe, separator=", ") if describe else pl.lit("")
    listed = listed.with_columns(
        tingkat_kode=tier_index.replace_strict(
            list(range(len(codes))), codes, return_dtype=pl.String
        ),
        alasan=alasan,
        dalam_kuota=pl.col("peringkat") <= pl.col("kuota"),
        seri=seri.cast(pl.Int32),
    ).with_columns(
        keterangan=pl.concat_str(
            [
                pl.format("Tingkat {}: ", pl.col("tingkat")),
                pl.col("alasan"),
                pl.lit("; urutan: "),
                urut,
                pl.when(pl.col("seri") > 0)
                .then(
                    pl.format(
                        "; seri dengan {} keluarga lain, diurutkan menurut ID keluarga",
                        pl.col("seri"),
                    )
                )
                .otherwise(pl.lit("")),
                pl.when(pl.col("dalam_kuota"))
                .then(pl.lit(""))
                .otherwise(pl.lit("; di luar kuota anggaran")),
            ]
        )
    )
    return Hasil(
        daftar=listed,
        dikecualikan=excluded.sort("kode_desa", "id_keluarga"),
        ringkasan=_summary(listed, quota),
    )


def _summary(listed: pl.DataFrame, quota: pl.DataFrame) -> pl.DataFrame:
    counts = listed.group_by("kode_desa").agg(
        memenuhi=pl.len().cast(pl.Int64),
        dalam_kuota=pl.col("dalam_kuota").sum().cast(pl.Int64),
        desil1_di_luar=((pl.col("desil") == 1) & ~pl.col("dalam_kuota")).sum().cast(pl.Int64)
        if "desil" in listed.columns
        else pl.lit(0, dtype=pl.Int64),
    )
    return (
        quota.join(counts, on="kode_desa", how="full", coalesce=True)
        .with_columns(
            pl.col("pagu", "kuota", "memenuhi", "dalam_kuota", "desil1_di_luar").fill_null(0),
        )
        .with_columns(di_luar_kuota=pl.col("memenuhi") - pl.col("dalam_kuota"))
        .sort("kode_desa")
    )


def andai_porsi(hasil: Hasil, aturan: Aturan, persen: Decimal) -> pl.DataFrame:
    """What-if: per desa, families and desil-1 families covered now and at share ``persen``."""
    tahunan = aturan.nilai_per_tahun
    bp = int(persen * 100)
    baru = hasil.ringkasan.select(
        "kode_desa", "pagu", "kuota", kuota_andai=(pl.col("pagu") * bp) // (BASIS * tahunan)
    )
    d = hasil.daftar.join(baru.select("kode_desa", "kuota_andai"), on="kode_desa", how="left")
    desil1 = pl.col("desil") == 1
    per_desa = d.group_by("kode_desa").agg(
        tercakup=pl.col("dalam_kuota").sum().cast(pl.Int64),
        tercakup_andai=(pl.col("peringkat") <= pl.col("kuota_andai")).sum().cast(pl.Int64),
        desil1_tercakup=(desil1 & pl.col("dalam_kuota")).sum().cast(pl.Int64),
        desil1_andai=(desil1 & (pl.col("peringkat") <= pl.col("kuota_andai"))).sum().cast(pl.Int64),
    )
    return (
        baru.join(per_desa, on="kode_desa", how="left")
        .with_columns(
            pl.col("tercakup", "tercakup_andai", "desil1_tercakup", "desil1_andai").fill_null(0)
        )
        .with_columns(
            tambahan=pl.col("tercakup_andai") - pl.col("tercakup"),
            tambahan_desil1=pl.col("desil1_andai") - pl.col("desil1_tercakup"),
        )
        .sort("kode_desa")
    )
