"""Family columns the BLT-DD rules read, computed from the register's frames (no Django).

From ``keluarga`` (``id_keluarga``, ``kode_desa``, programme flags, optional ``desil`` and
``score``) and ``art`` (members with DTKS-CSV columns) it builds one row per family:

- ``jumlah_art``: living members;
- ``ada_asn``: a living member works in government (``lapangan_usaha`` 9: ASN/TNI/Polri);
- ``ada_sakit_kronis_disabilitas``: a living member is chronically ill or disabled;
- ``lansia_tunggal``: one living member, aged 60 or more on ``tanggal``;
- ``kepala_perempuan``: the head of the family (``hub_kepala_keluarga`` 1) is a woman;
- ``tanpa_pekerjaan``: no living member worked last week (lost livelihood);
- ``penerima_pkh``, ``penerima_bpnt``, ``penerima_pbi``: the register's programme flags;
- ``perangkat_desa``: the family of a village official (from the ``perangkat`` list).

Unknown flags count as "no": a condition ``sama: true`` is met only by a known yes.
"""

from __future__ import annotations

from datetime import date

import polars as pl

USIA_LANSIA = 60
FLAGS = ("penerima_pkh", "penerima_bpnt", "penerima_pbi")
ASN = 9  # lapangan_usaha: Pemerintahan (ASN/TNI/Polri)


def _flag(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.Boolean).fill_null(False)


def keluarga_ciri(
    keluarga: pl.DataFrame,
    art: pl.DataFrame,
    *,
    tanggal: date,
    perangkat: pl.Series | None = None,
) -> pl.DataFrame:
    """One row per family with the columns above, plus ``desil`` and ``score`` if given."""
    hidup = art.filter(pl.col("status_hidup").fill_null(1) != 2)
    lahir = pl.col("tgl_lahir")
    belum_ulang_tahun = (lahir.dt.month() * 100 + lahir.dt.day()) > (
        tanggal.month * 100 + tanggal.day
    )
    umur = tanggal.year - lahir.dt.year() - belum_ulang_tahun.cast(pl.Int32)
    per_keluarga = hidup.group_by("id_keluarga").agg(
        jumlah_art=pl.len().cast(pl.Int32),
        ada_asn=(pl.col("lapangan_usaha") == ASN).fill_null(False).any(),
        ada_sakit_kronis_disabilitas=(_flag("disabilitas") | _flag("penyakit_kronis")).any(),
        umur_tertua=umur.max(),
        kepala_perempuan=((pl.col("hub_kepala_keluarga") == 1) & (pl.col("jenis_kelamin") == 2))
        .fill_null(False)
        .any(),
        ada_bekerja=_flag("bekerja").any(),
    )
    keep = ["id_keluarga", "kode_desa", *[c for c in ("desil", "score") if c in keluarga.columns]]
    flags = [_flag(c).alias(c) if c in keluarga.columns else pl.lit(False).alias(c) for c in FLAGS]
    frame = keluarga.select(*keep, *flags).join(per_keluarga, on="id_keluarga", how="left")
    ids = perangkat if perangkat is not None else pl.Series("id", [], dtype=pl.String)
    return frame.with_columns(
        pl.col("jumlah_art").fill_null(0),
        pl.col("ada_asn", "ada_sakit_kronis_disabilitas", "kepala_perempuan").fill_null(False),
        lansia_tunggal=(
            (pl.col("jumlah_art") == 1) & (pl.col("umur_tertua") >= USIA_LANSIA)
        ).fill_null(False),
        tanpa_pekerjaan=~pl.col("ada_bekerja").fill_null(False),
        perangkat_desa=pl.col("id_keluarga").is_in(ids.cast(pl.String).implode()),
    ).drop("umur_tertua", "ada_bekerja")
