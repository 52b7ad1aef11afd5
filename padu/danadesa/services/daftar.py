"""Computing a desa's BLT-DD candidate list: a new version each time, never changed after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from padu.core.audit import audit_write
from padu.danadesa import snapshot
from padu.danadesa.models import AturanTahun, Baris, Daftar, Pagu
from padu.danadesa.services import DanadesaError, require_writer
from padu.danadesa.services.aturan import aturan_tahun
from padu.engine.danadesa import AturanError, susun, tandai


def next_version(kode_desa: str, tahun: int) -> int:
    top = Daftar.objects.filter(kode_desa=kode_desa, tahun=tahun).aggregate(v=Max("versi"))["v"]
    return int(top or 0) + 1


def latest(kode_desa: str, tahun: int, jenis: str | None = None) -> Daftar | None:
    qs = Daftar.objects.filter(kode_desa=kode_desa, tahun=tahun)
    if jenis:
        qs = qs.filter(jenis=jenis)
    return qs.order_by("-versi").first()


def _other_lists(kode_desa: str, tahun: int) -> pl.DataFrame:
    """Families on the latest list of every other desa of the kabupaten."""
    ids: list[tuple[int, str]] = []
    seen: set[str] = set()
    qs = Daftar.objects.filter(kode_desa__startswith=kode_desa[:5], tahun=tahun).exclude(
        kode_desa=kode_desa
    )
    for d in qs.order_by("kode_desa", "-versi"):
        if d.kode_desa in seen:
            continue
        seen.add(d.kode_desa)
        rows = d.baris.exclude(status=Baris.Status.DIHAPUS).values_list("keluarga_id", flat=True)
        ids += [(pk, d.kode_desa) for pk in rows]
    return pl.DataFrame(
        {"pk": [i for i, _ in ids], "kode_desa": [c for _, c in ids]},
        schema={"pk": pl.Int64, "kode_desa": pl.String},
    )


def conflicts(listed: pl.DataFrame, kode_desa: str, tahun: int) -> pl.DataFrame:
    """``listed`` with ``konflik``: the same person on another desa's list, or in another
    programme (found through linkage clusters)."""
    others = _other_lists(kode_desa, tahun)
    own = listed.select(pk=pl.col("id_keluarga").cast(pl.Int64), kode_desa=pl.col("kode_desa"))
    every = pl.concat([own, others])
    ids = every["pk"].to_list()
    members = snapshot.anggota(ids)
    programmes = snapshot.kepesertaan(members, listed["id_keluarga"].cast(pl.Int64).to_list())
    both = every.select(id_keluarga=snapshot.id_text(pl.col("pk")), kode_desa=pl.col("kode_desa"))
    marked = tandai(both, members, programmes)
    return listed.join(
        marked.select("id_keluarga", "konflik"), on="id_keluarga", how="left", maintain_order="left"
    )


@transaction.atomic
def daftar_hitung(
    *, actor: Any, kode_desa: str, tahun: int, tanggal: dt.date | None = None
) -> Daftar:
    """Rank the desa's families by the year's rule within its budget: a new list version."""
    require_writer(actor, kode_desa)
    pagu = Pagu.objects.filter(kode_desa=kode_desa, tahun=tahun).first()
    if pagu is None:
        raise DanadesaError(
            f"Pagu Dana Desa {tahun} desa {kode_desa} belum diisi. Isi pagunya dahulu "
            "(atau impor berkas pagu kabupaten)."
        )
    rule = aturan_tahun(tahun)
    persen = pagu.persen_blt if pagu.persen_blt is not None else rule.persen
    try:
        rule.periksa_persen(Decimal(persen))
    except AturanError as error:
        raise DanadesaError(str(error)) from None
    ciri = snapshot.ciri(kode_desa, tanggal or timezone.localdate())
    budget = pl.DataFrame(
        {"kode_desa": [kode_desa], "pagu": [pagu.pagu], "persen": [float(persen)]}
    )
    hasil = susun(ciri, rule, budget)
    listed = conflicts(hasil.daftar, kode_desa, tahun) if hasil.daftar.height else hasil.daftar
    kuota = int(hasil.ringkasan.filter(pl.col("kode_desa") == kode_desa)["kuota"].sum())
    row = AturanTahun.objects.get(tahun=tahun)
    daftar = Daftar.objects.create(
        kode_desa=kode_desa,
        tahun=tahun,
        versi=next_version(kode_desa, tahun),
        jenis=Daftar.Jenis.USULAN,
        aturan=row.data,
        pagu=pagu.pagu,
        persen=persen,
        kuota=kuota,
        dibuat_oleh=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Baris.objects.bulk_create(
        [
            Baris(
                daftar=daftar,
                keluarga_id=int(r["id_keluarga"]),
                peringkat=r["peringkat"],
                tingkat=r["tingkat"],
                alasan=r["alasan"][:300],
                keterangan=r["keterangan"][:500],
                desil=r.get("desil"),
                konflik=list(r.get("konflik") or []),
                status=Baris.Status.KPM if r["dalam_kuota"] else Baris.Status.CADANGAN,
            )
            for r in listed.iter_rows(named=True)
        ],
        batch_size=2000,
    )
    audit_write(
        actor=actor,
        action="danadesa.daftar_hitung",
        obj=daftar,
        region_code=kode_desa,
        detail={
            "tahun": tahun,
            "versi": daftar.versi,
            "kuota": kuota,
            "calon": listed.height,
            "dikecualikan": hasil.dikecualikan.height,
        },
    )
    return daftar
