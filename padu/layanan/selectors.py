"""Reads of the citizen service: what the tracking page shows, the usul/sanggah still
waiting for a period (the worklist's source), and counts per desa for staff pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from padu.accounts import access
from padu.layanan.models import Laporan
from padu.layanan.services import uraian
from padu.verval.models import Tugas
from padu.wilayah.models import Desa


@dataclass
class Lacak:
    """Status and outcome only: nothing about the family or the person who sent it."""

    jenis: str
    dikirim: Any
    desa: str
    status: str
    keputusan: str = ""
    catatan: str = ""
    selesai: Any = None


def normal_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:16]


def tracking(code: str) -> Lacak | None:
    laporan = Laporan.objects.filter(kode_lacak=normal_code(code)).first()
    if laporan is None:
        return None
    tugas = Tugas.objects.filter(kunci=laporan.kunci).order_by("-id").first()
    desa = Desa.objects.filter(code=laporan.kode_desa).values_list("name", flat=True).first()
    out = Lacak(laporan.get_jenis_display(), laporan.created_at, desa or laporan.kode_desa,
                "Diterima, menunggu periode verval desa/kelurahan berikutnya")  # fmt: skip
    if tugas is None:
        return out
    if tugas.status == Tugas.Status.TERBUKA:
        out.status = "Dalam daftar kerja desa/kelurahan, sedang ditindaklanjuti"
        return out
    if tugas.status == Tugas.Status.BATAL:
        out.status = "Dibatalkan"
        return out
    out.status, out.selesai = "Selesai", tugas.selesai_pada
    if tugas.keputusan:
        out.keputusan, out.catatan = tugas.get_keputusan_display(), tugas.hasil
    else:  # completed by a field visit, no note for the resident yet
        out.keputusan = Tugas.Keputusan.DITINDAKLANJUTI.label
        out.catatan = "Petugas desa/kelurahan sudah melakukan kunjungan lapangan."
    return out


def pending_items(prefix: str) -> Iterator[tuple[str, str, str, str, int | None]]:
    """Usul and sanggah of the region not yet on any worklist: (jenis, kode_desa, kunci,
    uraian, keluarga_id), oldest first."""
    scheduled = Tugas.objects.filter(kunci__startswith="warga:").values("kunci")
    rows = (
        Laporan.objects.filter(kode_desa__startswith=prefix)
        .exclude(kunci__in=scheduled)
        .order_by("created_at", "id")
    )
    for laporan in rows.iterator(chunk_size=1000):
        yield laporan.jenis, laporan.kode_desa, laporan.kunci, uraian(laporan), laporan.keluarga_id


def incoming(user: Any, kode_desa: str | None = None) -> list[dict[str, Any]]:
    """Per desa the user sees: usul and sanggah not yet resolved (waiting for a period, or on
    a worklist and open), as ``{kode, nama, usul, sanggah, menunggu}``."""
    qs = access.scope_by_region(Laporan.objects.all(), user, "kode_desa")
    if kode_desa is not None:
        qs = qs.filter(kode_desa=kode_desa)
    done = Tugas.objects.filter(kunci__startswith="warga:").exclude(status=Tugas.Status.TERBUKA)
    scheduled = Tugas.objects.filter(kunci__startswith="warga:").values("kunci")
    qs = qs.exclude(kunci__in=done.values("kunci"))
    rows: dict[str, dict[str, int]] = defaultdict(lambda: {"usul": 0, "sanggah": 0, "menunggu": 0})
    for row in qs.values("kode_desa", "jenis").annotate(n=Count("id")):
        rows[row["kode_desa"]][row["jenis"]] += row["n"]
    for row in qs.exclude(kunci__in=scheduled).values("kode_desa").annotate(n=Count("id")):
        rows[row["kode_desa"]]["menunggu"] += row["n"]
    names = dict(Desa.objects.filter(code__in=list(rows)).values_list("code", "name"))
    return [{"kode": k, "nama": names.get(k, k), **v} for k, v in sorted(rows.items())]
