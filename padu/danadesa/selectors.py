"""Reads of Dana Desa and BLT-DD on behalf of a user: scoped first (access.py), then filtered."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from padu.accounts import access
from padu.danadesa.models import Baris, Daftar, Musdesus, Pagu, Pembayaran
from padu.registry.models import Keluarga, Person


def pagu_of(user: Any, kode_desa: str, tahun: int) -> Pagu | None:
    qs = access.scope_by_region(Pagu.objects.all(), user, "kode_desa", personal_data=False)
    return qs.filter(kode_desa=kode_desa, tahun=tahun).first()


def versions(user: Any, kode_desa: str, tahun: int) -> QuerySet[Daftar]:
    qs = access.scope_by_region(Daftar.objects.all(), user, "kode_desa")
    return qs.filter(kode_desa=kode_desa, tahun=tahun).order_by("-versi")


def version(user: Any, kode_desa: str, tahun: int, versi: int | None) -> Daftar | None:
    """A list version the user may see (the latest when ``versi`` is None)."""
    qs = versions(user, kode_desa, tahun)
    return qs.filter(versi=versi).first() if versi else qs.first()


def rows(daftar: Daftar) -> list[dict[str, Any]]:
    """The rows of a list version (already scoped by :func:`version`) with the head of each
    family's name and address, in rank order."""
    baris = list(daftar.baris.select_related("keluarga").order_by("peringkat"))
    heads = dict(
        Person.objects.filter(keluarga_id__in=[b.keluarga_id for b in baris], hub_kepala_keluarga=1)
        .order_by("keluarga_id", "-id")
        .values_list("keluarga_id", "nama")
    )
    return [{"b": b, "kepala": heads.get(b.keluarga_id, "-")} for b in baris]


def musdesus_of(user: Any, kode_desa: str, tahun: int) -> QuerySet[Musdesus]:
    qs = access.scope_by_region(Musdesus.objects.all(), user, "kode_desa")
    return qs.filter(kode_desa=kode_desa, tahun=tahun).select_related("hasil", "daftar_asal")


def musdesus_one(user: Any, kode_desa: str, tahun: int, pk: int | None) -> Musdesus | None:
    qs = musdesus_of(user, kode_desa, tahun).order_by("-tanggal", "-id")
    return qs.filter(pk=pk).first() if pk else qs.first()


def families_of_desa(user: Any, kode_desa: str) -> QuerySet[Keluarga]:
    qs = access.scope_by_region(Keluarga.objects.all(), user, "kode_desa")
    return qs.filter(kode_desa=kode_desa)


def payments(user: Any, kode_desa: str, tahun: int, bulan: int) -> dict[int, Pembayaran]:
    qs = access.scope_by_region(Pembayaran.objects.all(), user, "kode_desa")
    return {p.keluarga_id: p for p in qs.filter(kode_desa=kode_desa, tahun=tahun, bulan=bulan)}


def final_kpm(user: Any, kode_desa: str, tahun: int) -> list[dict[str, Any]]:
    """KPM of the list set by the latest musdesus (none before a musdesus)."""
    final = versions(user, kode_desa, tahun).filter(jenis=Daftar.Jenis.PENETAPAN).first()
    if final is None:
        return []
    return [r for r in rows(final) if r["b"].status == Baris.Status.KPM]
