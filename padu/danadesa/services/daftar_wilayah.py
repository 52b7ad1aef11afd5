"""Candidate lists of every desa with a pagu under a region at once: one read of the
register, one engine run for all desa, one list version per desa (``padu danadesa hitung``)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from padu.accounts import access
from padu.core.audit import audit_write
from padu.danadesa import snapshot
from padu.danadesa.models import Daftar, Pagu
from padu.danadesa.services import DanadesaError
from padu.danadesa.services.aturan import aturan_tahun
from padu.danadesa.services.daftar import budget, store
from padu.engine.danadesa import susun, tandai


@transaction.atomic
def daftar_hitung_wilayah(
    *, actor: Any, wilayah: str, tahun: int, tanggal: dt.date | None = None
) -> list[Daftar]:
    """A new list version for every desa under ``wilayah`` that has a pagu for ``tahun`` and
    that ``actor`` may change. Conflicts: the same person on two of these lists, or in
    another programme. All desa or none (one transaction)."""
    prefix = access.normalise_prefix(wilayah)
    rule = aturan_tahun(tahun)
    pagus = access.scope_for_write(Pagu.objects.filter(tahun=tahun), actor, "kode_desa")
    rows = list(pagus.filter(kode_desa__startswith=prefix).order_by("kode_desa"))
    if not rows:
        raise DanadesaError(
            f"Tidak ada pagu Dana Desa {tahun} di wilayah {wilayah} yang dapat Anda hitung."
        )
    shares = {p.kode_desa: budget(p.kode_desa, tahun, rule)[1] for p in rows}
    frame = pl.DataFrame(
        {
            "kode_desa": [p.kode_desa for p in rows],
            "pagu": [p.pagu for p in rows],
            "persen": [float(shares[p.kode_desa]) for p in rows],
        }
    )
    started = time.perf_counter()
    ciri = snapshot.ciri(prefix, tanggal or timezone.localdate()).filter(
        pl.col("kode_desa").is_in(frame["kode_desa"].implode())
    )
    members = snapshot.anggota_wilayah(prefix)
    programmes = snapshot.kepesertaan_wilayah(prefix, members)
    read = time.perf_counter()
    hasil = susun(ciri, rule, frame)
    listed = tandai(hasil.daftar, members, programmes)
    ranked = time.perf_counter()
    kuota = dict(hasil.ringkasan.select("kode_desa", "kuota").iter_rows())
    excluded = dict(hasil.dikecualikan.group_by("kode_desa").len().iter_rows())
    parts = listed.partition_by("kode_desa", as_dict=True)
    made = []
    for p in rows:
        mine = parts.get((p.kode_desa,), listed.clear())
        made.append(
            store(
                actor=actor,
                pagu=p,
                persen=shares[p.kode_desa],
                kuota=int(kuota.get(p.kode_desa, 0)),
                listed=mine,
                excluded=int(excluded.get(p.kode_desa, 0)),
            )
        )
    done = time.perf_counter()
    audit_write(
        actor=actor,
        action="danadesa.daftar_hitung_wilayah",
        object_type="danadesa.daftar",
        object_id=f"{prefix}/{tahun}",
        region_code=prefix.rstrip("."),
        detail={
            "tahun": tahun,
            "desa": len(made),
            "baris": listed.height,
            "detik": {
                "baca": round(read - started, 2),
                "peringkat": round(ranked - read, 2),
                "tulis": round(done - ranked, 2),
            },
        },
    )
    return made
