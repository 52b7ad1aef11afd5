"""Computing a desa's BLT-DD candidate list: a new version each time, never changed after."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from padu.core.audit import audit_write
from padu.core.bulk import insert_frame
from padu.danadesa import snapshot
from padu.danadesa.models import AturanTahun, Baris, Daftar, Pagu
from padu.danadesa.services import DanadesaError, require_writer
from padu.danadesa.services.aturan import aturan_tahun
from padu.engine.danadesa import Aturan, AturanError, susun, tandai


def next_version(kode_desa: str, tahun: int) -> int:
    top = Daftar.objects.filter(kode_desa=kode_desa, tahun=tahun).aggregate(v=Max("versi"))["v"]
    return int(top or 0) + 1


def latest(kode_desa: str, tahun: int, jenis: str | None = None) -> Daftar | None:
    qs = Daftar.objects.filter(kode_desa=kode_desa, tahun=tahun)
    if jenis:
        qs = qs.filter(jenis=jenis)
    return qs.order_by("-versi").first()


def _other_lists(kode_desa: str, tahun: int) -> dict[int, str]:
    """Families on the latest list of every other desa of the kabupaten: {family: desa}."""
    newest: dict[str, tuple[int, int]] = {}
    qs = Daftar.objects.filter(kode_desa__startswith=kode_desa[:5], tahun=tahun).exclude(
        kode_desa=kode_desa
    )
    for pk, code, versi in qs.values_list("id", "kode_desa", "versi"):
        if code not in newest or versi > newest[code][1]:
            newest[code] = (pk, versi)
    rows = (
        Baris.objects.filter(daftar_id__in=[pk for pk, _ in newest.values()])
        .exclude(status=Baris.Status.DIHAPUS)
        .values_list("keluarga_id", "daftar__kode_desa")
    )
    return dict(rows)


def conflicts(listed: pl.DataFrame, kode_desa: str, tahun: int) -> pl.DataFrame:
    """``listed`` with ``konflik``: the same person on another desa's list, or in another
    programme (persons keyed by their linkage cluster, otherwise their NIK)."""
    own_ids = listed["id_keluarga"].cast(pl.Int64).to_list()
    own = snapshot.anggota(own_ids)
    others = _other_lists(kode_desa, tahun)
    sharing = [pk for pk in snapshot.families_sharing(own) if pk in others]
    elsewhere = snapshot.anggota(sharing)
    desa_of = pl.DataFrame(
        {
            "id_keluarga": [f"{pk:012d}" for pk in sharing],
            "desa_lain": [others[pk] for pk in sharing],
        },
        schema={"id_keluarga": pl.String, "desa_lain": pl.String},
    )
    elsewhere = (
        elsewhere.join(desa_of, on="id_keluarga")
        .select("id_keluarga", "kunci_orang", kode_desa=pl.col("desa_lain"))
        .cast(pl.String)
    )
    members = pl.concat([own.cast(pl.String), elsewhere])
    programmes = snapshot.kepesertaan(own, own_ids)
    both = pl.concat(
        [
            listed.select("id_keluarga", "kode_desa"),
            elsewhere.select("id_keluarga", "kode_desa").unique(),
        ]
    )
    marked = tandai(both, members, programmes)
    return listed.join(
        marked.select("id_keluarga", "konflik"), on="id_keluarga", how="left", maintain_order="left"
    )


def budget(kode_desa: str, tahun: int, rule: Aturan) -> tuple[Pagu, Decimal]:
    """The desa's pagu row and its BLT-DD share, checked against the year's limit."""
    pagu = Pagu.objects.filter(kode_desa=kode_desa, tahun=tahun).first()
    if pagu is None:
        raise DanadesaError(
            f"Pagu Dana Desa {tahun} desa {kode_desa} belum diisi. Isi pagunya dahulu "
            "(atau impor berkas pagu kabupaten)."
        )
    persen = Decimal(pagu.persen_blt if pagu.persen_blt is not None else rule.persen)
    try:
        rule.periksa_persen(persen)
    except AturanError as error:
        raise DanadesaError(str(error)) from None
    return pagu, persen


def baris_frame(daftar_id: int, listed: pl.DataFrame) -> pl.DataFrame:
    """The rows of a list version as the table's columns (written in bulk, rule 4)."""
    konflik = listed["konflik"].to_list() if "konflik" in listed.columns else [[]] * listed.height
    return listed.select(
        daftar_id=pl.lit(daftar_id, dtype=pl.Int64),
        keluarga_id=pl.col("id_keluarga").cast(pl.Int64),
        peringkat=pl.col("peringkat").cast(pl.Int64),
        tingkat=pl.col("tingkat").cast(pl.Int64),
        alasan=pl.col("alasan").str.slice(0, 300),
        keterangan=pl.col("keterangan").str.slice(0, 500),
        desil=pl.col("desil").cast(pl.Int64) if "desil" in listed.columns else pl.lit(None),
        status=pl.when(pl.col("dalam_kuota"))
        .then(pl.lit(Baris.Status.KPM.value))
        .otherwise(pl.lit(Baris.Status.CADANGAN.value)),
    ).with_columns(
        konflik=pl.Series(
            [json.dumps(k or [], ensure_ascii=False) for k in konflik], dtype=pl.String
        )
    )


def store(
    *,
    actor: Any,
    pagu: Pagu,
    persen: Decimal,
    kuota: int,
    listed: pl.DataFrame,
    excluded: int,
    kunci: str = "",
) -> Daftar:
    """Write one computed list version (its rows in bulk) with its audit row."""
    row = AturanTahun.objects.get(tahun=pagu.tahun)
    daftar = Daftar.objects.create(
        kode_desa=pagu.kode_desa,
        tahun=pagu.tahun,
        versi=next_version(pagu.kode_desa, pagu.tahun),
        jenis=Daftar.Jenis.USULAN,
        aturan=row.data,
        pagu=pagu.pagu,
        persen=persen,
        kuota=kuota,
        dibuat_oleh=actor if getattr(actor, "is_authenticated", False) else None,
        kunci=kunci[:64],
    )
    insert_frame("danadesa_baris", baris_frame(daftar.pk, listed))
    audit_write(
        actor=actor,
        action="danadesa.daftar_hitung",
        obj=daftar,
        region_code=pagu.kode_desa,
        detail={
            "tahun": pagu.tahun,
            "versi": daftar.versi,
            "kuota": kuota,
            "calon": listed.height,
            "dikecualikan": excluded,
        },
    )
    return daftar


@transaction.atomic
def daftar_hitung(
    *, actor: Any, kode_desa: str, tahun: int, tanggal: dt.date | None = None, kunci: str = ""
) -> Daftar:
    """Rank the desa's families by the year's rule within its budget: a new list version.
    A form sent twice with the same ``kunci`` gets the version the first one made."""
    require_writer(actor, kode_desa)
    if kunci:
        done = Daftar.objects.filter(kunci=kunci[:64], kode_desa=kode_desa, tahun=tahun).first()
        if done is not None:
            return done
    rule = aturan_tahun(tahun)
    pagu, persen = budget(kode_desa, tahun, rule)
    ciri = snapshot.ciri(kode_desa, tanggal or timezone.localdate())
    frame = pl.DataFrame({"kode_desa": [kode_desa], "pagu": [pagu.pagu], "persen": [float(persen)]})
    hasil = susun(ciri, rule, frame)
    listed = conflicts(hasil.daftar, kode_desa, tahun) if hasil.daftar.height else hasil.daftar
    kuota = int(hasil.ringkasan.filter(pl.col("kode_desa") == kode_desa)["kuota"].sum())
    return store(
        actor=actor,
        pagu=pagu,
        persen=persen,
        kuota=kuota,
        listed=listed,
        excluded=hasil.dikecualikan.height,
        kunci=kunci,
    )
